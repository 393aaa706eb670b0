package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.vfs.HostBackedFile;
import ring0.vfs.Mount;
import ring0.vfs.Vfs;
import ring0.vfs.VfsFile;

/**
 * sync(2) and syncfs(2) (fs/sync.c): each filesystem writes what the kernel holds for it, then the
 * host writes its own (fsync and fdatasync are the file's, in SysReadWrite).
 */
final class SysSync {
    private final Kernel kernel;
    private final Vfs vfs;

    SysSync(Kernel kernel) {
        this.kernel = kernel;
        this.vfs = kernel.vfs;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_SYNC, this::sync, "full");
        t.set(Sysno.SYS_SYNCFS, this::syncfs, "full");
    }

    /** Implements sync(2). */
    long sync(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        for (Mount m : vfs.mounts()) {
            m.fs.sync(t);
        }
        t.passedThrough[Sysno.SYS_SYNC]++;
        Host.call(Sysno.SYS_SYNC, 0, 0, 0);
        return 0;
    }

    /** Implements syncfs(2). */
    long syncfs(Task t, long fd, long a1, long a2, long a3, long a4, long a5) {
        FileDescription f = kernel.fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            long r = f instanceof VfsFile vf ? vf.dentry().fs().sync(t) : 0;
            if (r < 0) {
                return r;
            }
            int h = f instanceof HostBackedFile hb ? hb.syncedHostFd(t) : f.hostFd();
            return h >= 0 ? Host.call(Sysno.SYS_SYNCFS, h, 0, 0) : 0;
        } finally {
            f.put();
        }
    }
}
