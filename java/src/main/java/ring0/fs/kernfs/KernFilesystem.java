package ring0.fs.kernfs;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import ring0.abi.Errno;
import ring0.abi.Statfs;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Filesystem;
import ring0.vfs.Nameidata;

/**
 * A filesystem whose files the kernel makes (devfs, procfs), layered over a host directory (the
 * host's /dev, /proc) for the names it does not define.
 *
 * <p>Its device number is the host directory's, so that st_dev is the same for a kernel entry and
 * a host one beside it, as it is natively. Inode numbers of kernel entries are taken from a range the
 * host does not use for these filesystems (as Linux's procfs allocates them: from 0xf0000000).
 *
 * <p>Dentries: those of static entries stay cached; the others ask their inode whether they still
 * hold ({@link KernInode#revalidate}); a mount point always holds.
 */
public abstract class KernFilesystem extends Filesystem {
    private final AtomicLong inos = new AtomicLong(0xf000_0000L);
    private final Credentials cred;
    private final String hostDir;
    private final int blksize;

    /**
     * @param hostDir the host directory this filesystem is layered over ("/proc"), whose device
     *     number its files take; or null
     * @param blksize st_blksize of its kernel entries (procfs: 1024, devtmpfs: 4096)
     */
    protected KernFilesystem(String type, String hostDir, Credentials cred, int blksize) {
        this(type, hostDir, cred, blksize, HostPaths.device(hostDir));
    }

    private KernFilesystem(String type, String hostDir, Credentials cred, int blksize, long dev) {
        super(type, (int) (dev >>> 32), (int) dev);
        this.cred = cred;
        this.hostDir = hostDir;
        this.blksize = blksize;
    }

    /** A fresh inode number for a kernel entry. */
    public final long nextIno() {
        return inos.getAndIncrement();
    }

    /** Whose the kernel entries are: the process's (fsuid, fsgid). */
    public final Credentials credentials() {
        return cred;
    }

    /** The host directory this filesystem is layered over, or null. */
    public final String hostDir() {
        return hostDir;
    }

    final int blksize() {
        return blksize;
    }

    /** Whether a symbolic link in the host layer is magic (the host's procfs) or text (the host's /dev). */
    protected abstract boolean hostLinksAreMagic();

    /** statfs f_type, for a filesystem without a host directory. */
    protected abstract long magic();

    /** Kernel files are revalidated by their inodes: the usual walk. */
    @Override
    public int revalidateFast(Task t, Dentry child) {
        return 0;
    }

    @Override
    public int revalidate(Task t, Dentry child) {
        if (child.isMountpoint()) {
            return 1;
        }
        return child.inode() instanceof KernInode k ? k.revalidate(t, child) : 0;
    }

    @Override
    public boolean retain(Dentry d) {
        return d.inode() instanceof KernInode k && k.persistent();
    }

    @Override
    public void evict(Dentry d) {
        if (d.inode() instanceof KernInode k) {
            k.evicted(d);
        }
    }

    /** statfs(2): the host's answer for the host directory (PROC_SUPER_MAGIC, devtmpfs's tmpfs numbers). */
    @Override
    public long statfs(Task t, Dentry d, long buf) {
        String p = d.inode() instanceof HostViewInode h ? h.hostPath() : hostDir;
        if (p == null) {
            if (!UserMemory.canWrite(buf, Statfs.SIZE)) {
                return -Errno.EFAULT;
            }
            Statfs.write(buf, magic(), 4096, 0, 0, 0, 0, 0, devMinor(), devMajor(), Nameidata.NAME_MAX, Statfs.ST_RELATIME);
            return 0;
        }
        return Host.call(Sysno.SYS_STATFS, HostPaths.cpath(t, HostPaths.PATH_A, p.getBytes(StandardCharsets.UTF_8)), buf, 0);
    }

    /** A host directory of the layer became the working directory: the host's follows, for children. */
    @Override
    public void becameCwd(Dentry d) {
        if (d.inode() instanceof HostViewDirectory h) {
            h.chdirHost();
        }
    }
}
