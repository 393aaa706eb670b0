package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.vfs.Credentials;
import ring0.vfs.Vfs;

/**
 * Calls that change names in the file tree (fs/namei.c): mkdir, mknod, unlink, rmdir, rename, link,
 * symlink, and readlink. Each checks its flags as Linux does, then leaves the rest to the VFS
 * ({@link ring0.vfs.Namei}).
 */
final class SysNamei {
    private static final int RENAME_FLAGS = Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_EXCHANGE | Fcntl.RENAME_WHITEOUT;

    private final Vfs vfs;

    SysNamei(Kernel kernel) {
        this.vfs = kernel.vfs;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_MKDIR, (task, a0, a1, a2, a3, a4, a5) -> vfs.namei.mkdir(task, Fcntl.AT_FDCWD, a0, (int) a1), "full");
        t.set(Sysno.SYS_MKDIRAT, (task, a0, a1, a2, a3, a4, a5) -> vfs.namei.mkdir(task, (int) a0, a1, (int) a2), "full");
        t.set(Sysno.SYS_MKNOD, (task, a0, a1, a2, a3, a4, a5) -> mknodat(task, Fcntl.AT_FDCWD, a0, a1, a2), "full; FIFOs and devices in a RAM filesystem cannot be opened");
        t.set(Sysno.SYS_MKNODAT, (task, a0, a1, a2, a3, a4, a5) -> mknodat(task, a0, a1, a2, a3), "full; FIFOs and devices in a RAM filesystem cannot be opened");
        t.set(Sysno.SYS_UNLINK, (task, a0, a1, a2, a3, a4, a5) -> vfs.namei.unlink(task, Fcntl.AT_FDCWD, a0), "full");
        t.set(Sysno.SYS_UNLINKAT, this::unlinkat, "full");
        t.set(Sysno.SYS_RMDIR, (task, a0, a1, a2, a3, a4, a5) -> vfs.namei.rmdir(task, Fcntl.AT_FDCWD, a0), "full");
        t.set(Sysno.SYS_RENAME, (task, a0, a1, a2, a3, a4, a5) -> renameat2(task, Fcntl.AT_FDCWD, a0, Fcntl.AT_FDCWD, a1, 0), "full");
        t.set(Sysno.SYS_RENAMEAT, (task, a0, a1, a2, a3, a4, a5) -> renameat2(task, a0, a1, a2, a3, 0), "full");
        t.set(Sysno.SYS_RENAMEAT2, (task, a0, a1, a2, a3, a4, a5) -> renameat2(task, a0, a1, a2, a3, a4), "full");
        t.set(Sysno.SYS_LINK, (task, a0, a1, a2, a3, a4, a5) -> linkat(task, Fcntl.AT_FDCWD, a0, Fcntl.AT_FDCWD, a1, 0), "full");
        t.set(Sysno.SYS_LINKAT, (task, a0, a1, a2, a3, a4, a5) -> linkat(task, a0, a1, a2, a3, a4), "full");
        t.set(Sysno.SYS_SYMLINK, (task, a0, a1, a2, a3, a4, a5) -> vfs.namei.symlink(task, a0, Fcntl.AT_FDCWD, a1), "full");
        t.set(Sysno.SYS_SYMLINKAT, (task, a0, a1, a2, a3, a4, a5) -> vfs.namei.symlink(task, a0, (int) a1, a2), "full");
        t.set(Sysno.SYS_READLINK, (task, a0, a1, a2, a3, a4, a5) -> readlinkat(task, Fcntl.AT_FDCWD, a0, a1, a2), "full");
        t.set(Sysno.SYS_READLINKAT, (task, a0, a1, a2, a3, a4, a5) -> readlinkat(task, a0, a1, a2, a3), "full");
    }

    /** Implements mknod(2) and mknodat(2): may_mknod, then the VFS (devices need CAP_MKNOD). */
    private long mknodat(Task t, long dirfd, long path, long modeArg, long dev) {
        int mode = (int) modeArg & 0xffff;
        switch (Stat.type(mode)) {
            case 0 -> mode |= Stat.S_IFREG;
            case Stat.S_IFREG, Stat.S_IFIFO, Stat.S_IFSOCK -> { }
            case Stat.S_IFCHR, Stat.S_IFBLK -> {
                if (!vfs.credentials().capable(Credentials.CAP_MKNOD)) {
                    return -Errno.EPERM;
                }
            }
            case Stat.S_IFDIR -> {
                return -Errno.EPERM;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        return vfs.namei.mknod(t, (int) dirfd, path, mode & (Stat.S_IFMT | Stat.S_IALLUGO), dev & 0xffffffffL);
    }

    /** Implements unlinkat(2): AT_REMOVEDIR makes it rmdir. */
    long unlinkat(Task t, long dirfd, long path, long flags, long a3, long a4, long a5) {
        if ((flags & ~Fcntl.AT_REMOVEDIR) != 0) {
            return -Errno.EINVAL;
        }
        return (flags & Fcntl.AT_REMOVEDIR) != 0 ? vfs.namei.rmdir(t, (int) dirfd, path) : vfs.namei.unlink(t, (int) dirfd, path);
    }

    /** Implements rename(2), renameat(2) and renameat2(2). */
    private long renameat2(Task t, long oldDirfd, long oldPath, long newDirfd, long newPath, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flagsArg & ~(long) RENAME_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & (Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_WHITEOUT)) != 0 && (flags & Fcntl.RENAME_EXCHANGE) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & Fcntl.RENAME_WHITEOUT) != 0 && !vfs.credentials().capable(Credentials.CAP_MKNOD)) {
            return -Errno.EPERM; // a whiteout is a device node
        }
        return vfs.namei.rename(t, (int) oldDirfd, oldPath, (int) newDirfd, newPath, flags);
    }

    /** Implements link(2) and linkat(2). */
    private long linkat(Task t, long oldDirfd, long oldPath, long newDirfd, long newPath, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flags & ~(Fcntl.AT_SYMLINK_FOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        return vfs.namei.link(t, (int) oldDirfd, oldPath, (int) newDirfd, newPath, flags);
    }

    /** Implements readlink(2) and readlinkat(2). */
    private long readlinkat(Task t, long dirfd, long path, long buf, long size) {
        if ((int) size <= 0) {
            return -Errno.EINVAL;
        }
        return vfs.namei.readlink(t, (int) dirfd, path, buf, (int) size);
    }
}
