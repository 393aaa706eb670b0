package ring0.fs.procfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.kernfs.KernInode;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.HostFile;
import ring0.kernel.Task;
import ring0.pipe.PipeFile;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/**
 * What /proc/PID/fd/N leads to when the file has no place in the tree (a pipe, a socket, an eventfd,
 * epoll, the console's host descriptor) or is a removed host file: an inode in no directory (its
 * dentry is detached) that holds the description until the walk is done with it. stat describes the
 * description's file; opening it is Linux's reopen of that file: a host descriptor is reopened on the
 * host (its /proc/self/fd/N: a pipe or a terminal reopens, a socket is ENXIO there too); a kernel pipe
 * moves to the host first (the only way to give it a second open file description); other kernel
 * objects (eventfd, epoll) answer ENXIO, as anonymous inodes do.
 */
final class FdTarget extends KernInode {
    private final FileDescription file;
    private final AtomicBoolean released = new AtomicBoolean();

    private FdTarget(ProcFilesystem fs, FileDescription file, Kstat k) {
        super(fs, k.ino, k.mode, null);
        this.file = file;
        this.uid = k.uid;
        this.gid = k.gid;
    }

    /** The target of a link to file, taking over the caller's reference on it. */
    static FdTarget of(ProcFilesystem fs, Task t, FileDescription file) {
        Kstat k = new Kstat();
        if (stat(t, file, k) < 0) {
            k.mode = Stat.S_IFREG | 0600;
        }
        return new FdTarget(fs, file, k);
    }

    /** The description's statx, read into k. */
    private static long stat(Task t, FileDescription f, Kstat k) {
        long r = f.statx(t, 0, Stat.STATX_BASIC_STATS, t.scratch.address() + ProcFilesystem.STATX);
        if (r == 0) {
            k.readStatx(t.scratch, ProcFilesystem.STATX);
        }
        return r;
    }

    @Override
    public long getattr(Task t, Dentry d, Kstat k) {
        return stat(t, file, k);
    }

    @Override
    public void evicted(Dentry d) {
        if (released.compareAndSet(false, true)) {
            file.put();
        }
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        long h = file instanceof PipeFile ? file.toHost() : file.hostFd();
        if (h < 0) {
            return file instanceof PipeFile ? h : -Errno.ENXIO;
        }
        byte[] p = ("/proc/self/fd/" + h + "\0").getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(p, 0, t.scratch, JAVA_BYTE, ProcFilesystem.PATH, p.length);
        int hostFlags = (flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOFOLLOW | Fcntl.O_TMPFILE)) | Fcntl.O_CLOEXEC;
        long r = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, t.scratch.address() + ProcFilesystem.PATH, hostFlags, 0, 0, 0);
        if (r < 0) {
            return r;
        }
        nd.file = new HostFile((int) r);
        return 0;
    }
}
