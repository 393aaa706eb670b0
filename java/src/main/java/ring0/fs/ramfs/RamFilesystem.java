package ring0.fs.ramfs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Statfs;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Filesystem;
import ring0.vfs.Mount;
import ring0.vfs.Name;
import ring0.vfs.Nameidata;

/**
 * A filesystem in memory, like tmpfs (Linux: mm/shmem.c; fs/ramfs for the simplest form): the
 * directories, symbolic links and attributes live in the kernel; each regular file's data lives in
 * a host memfd of its own ({@link RegularFile}), so that the file can be mapped, is sparse, and can
 * be handed to a child process as it is. Lost at the end of the boot.
 *
 * <p>Its dentries are kept while positive: the directories are the truth, the dentries a cache of
 * them that nothing else changes. Each instance has a device number of its own (major 0, as Linux's
 * anonymous devices, minors from 0xf0000 up, away from the host's).
 */
public final class RamFilesystem extends Filesystem {
    private static final AtomicInteger MINORS = new AtomicInteger(0xf0000);
    /** tmpfs's statfs f_flags: ST_VALID | ST_RELATIME. */
    private static final long FLAGS = 0x20 | Statfs.ST_RELATIME;

    private final Credentials cred;
    private final AtomicLong inos = new AtomicLong(1);
    private final Dentry root;

    /** A new, empty RAM filesystem whose files belong to cred's fsuid and fsgid. */
    public RamFilesystem(Credentials cred) {
        super("ramfs", 0, MINORS.getAndIncrement());
        this.cred = cred;
        Directory r = new Directory(this, Stat.S_IFDIR | 01777, cred.fsuid(), cred.fsgid(), null);
        this.root = Dentry.newRoot(this, r);
    }

    @Override
    public Dentry root() {
        return root;
    }

    long nextIno() {
        return inos.getAndIncrement();
    }

    Credentials credentials() {
        return cred;
    }

    /** Positive dentries stay: the directories are the truth, looking them up again costs nothing. */
    @Override
    public boolean retain(Dentry d) {
        return !d.isNegative();
    }

    /**
     * memfd_create: a file of this filesystem with no name, whose data is the host memfd the caller
     * made (taken over), opened read-write like Linux's memfd (O_RDWR | O_LARGEFILE). Its dentry is
     * named "memfd:NAME", as /proc shows it. The description is in nd.file.
     */
    public long openMemfd(Task t, Nameidata nd, Mount m, int hostMemfd, String name) {
        RegularFile f = RegularFile.ofMemfd(this, hostMemfd, cred.fsuid(), cred.fsgid());
        Dentry d = Dentry.unlinked(root, Name.of("memfd:" + name), f);
        long r = f.openAs(t, nd, m, d, Fcntl.O_RDWR);
        d.put();
        return r;
    }

    @Override
    public long statfs(Task t, Dentry d, long buf) {
        if (!UserMemory.canWrite(buf, Statfs.SIZE)) {
            return -Errno.EFAULT;
        }
        Statfs.write(buf, Statfs.TMPFS_MAGIC, 4096, 0, 0, 0, 0, 0, devMinor(), 0, Nameidata.NAME_MAX, FLAGS);
        return 0;
    }
}
