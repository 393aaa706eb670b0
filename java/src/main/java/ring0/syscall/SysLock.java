package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.vfs.PathFile;
import ring0.vfs.VfsFile;

/**
 * flock(2) (fs/locks.c). A file the host stores is locked on the host, where the lock holds against
 * other processes too; a file the kernel serves alone is locked in the kernel. Record locks (fcntl
 * F_SETLK, F_OFD_SETLK...) are the file's fcntl operation.
 */
final class SysLock {
    private final Kernel kernel;

    SysLock(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_FLOCK, this::flock, "full");
    }

    /** Implements flock(2). */
    long flock(Task t, long fd, long cmdArg, long a2, long a3, long a4, long a5) {
        int cmd = (int) cmdArg;
        if ((cmd & Fcntl.LOCK_MAND) != 0) {
            return 0; // Linux ignores LOCK_MAND requests since 5.15
        }
        int type = cmd & ~Fcntl.LOCK_NB;
        if (type != Fcntl.LOCK_SH && type != Fcntl.LOCK_EX && type != Fcntl.LOCK_UN) {
            return -Errno.EINVAL;
        }
        FileDescription f = kernel.fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f instanceof PathFile) {
                return -Errno.EBADF;
            }
            if (f instanceof VfsFile vf) {
                return vf.flock(t, cmd);
            }
            return f.hostFd() >= 0 ? Host.call(Sysno.SYS_FLOCK, f.hostFd(), cmd, 0) : 0;
        } finally {
            f.put();
        }
    }
}
