package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.vfs.Credentials;
import ring0.vfs.Nameidata;
import ring0.vfs.Vfs;
import ring0.vfs.VfsFiles;

/**
 * Questions about a file by path (fs/stat.c, fs/open.c do_faccessat): stat, lstat, newfstatat,
 * statx, access, faccessat, faccessat2. An empty path with AT_EMPTY_PATH asks the descriptor's file
 * itself, as fstat does (a NULL path too, for fstatat and statx, as Linux 6.11+).
 */
final class SysStat {
    private static final int STAT_FLAGS = Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_NO_AUTOMOUNT | Fcntl.AT_EMPTY_PATH;
    private static final int ACCESS_FLAGS = Fcntl.AT_EACCESS | Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH;
    private static final int S_IRWXO = 7;

    private final Vfs vfs;

    SysStat(Kernel kernel) {
        this.vfs = kernel.vfs;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_STAT, (task, a0, a1, a2, a3, a4, a5) -> fstatat(task, Fcntl.AT_FDCWD, a0, a1, 0), "full");
        t.set(Sysno.SYS_LSTAT, (task, a0, a1, a2, a3, a4, a5) -> fstatat(task, Fcntl.AT_FDCWD, a0, a1, Fcntl.AT_SYMLINK_NOFOLLOW), "full");
        t.set(Sysno.SYS_NEWFSTATAT, (task, a0, a1, a2, a3, a4, a5) -> fstatat(task, a0, a1, a2, a3), "full");
        t.setAttempt(Sysno.SYS_NEWFSTATAT, (task, a0, a1, a2, a3, a4, a5) -> attemptFstatat(task, a0, a1, a2, a3));
        t.set(Sysno.SYS_STATX, this::statx, "full; the host's fields for host files");
        t.set(Sysno.SYS_ACCESS, (task, a0, a1, a2, a3, a4, a5) -> faccessat(task, Fcntl.AT_FDCWD, a0, a1, 0), "full");
        t.set(Sysno.SYS_FACCESSAT, (task, a0, a1, a2, a3, a4, a5) -> faccessat(task, a0, a1, a2, 0), "full");
        t.set(Sysno.SYS_FACCESSAT2, (task, a0, a1, a2, a3, a4, a5) -> faccessat(task, a0, a1, a2, a3), "full");
    }

    /** Implements stat(2), lstat(2) and newfstatat(2). */
    private long fstatat(Task t, long dirfd, long path, long buf, long flagsArg) {
        int flags = (int) flagsArg;
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.getname(t, path, lookupFlags(flags), 0);
            if (r < 0) {
                return r;
            }
            if ((flags & ~STAT_FLAGS) != 0) {
                return -Errno.EINVAL;
            }
            r = vfs.walk.pathInit(t, (int) dirfd);
            if (r == 0 && vfs.walk.walkFast(t) != 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            return nd.file != null ? nd.file.fstat(t, buf) : VfsFiles.stat(t, nd.mount(), nd.dentry(), buf);
        } finally {
            nd.release();
        }
    }

    /**
     * newfstatat(2) in attempt mode: served if the walk goes through trusted cached names only
     * ({@link ring0.vfs.PathWalk#walkFast}) and the attributes are at hand; otherwise WOULD_BLOCK
     * (never NEVER: the first argument is not a descriptor Go could mark).
     */
    private long attemptFstatat(Task t, long dirfd, long path, long buf, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flags & ~STAT_FLAGS) != 0 || (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.getname(t, path, lookupFlags(flags), 0);
            if (r < 0) {
                return r;
            }
            r = vfs.walk.pathInitBorrowed(t, (int) dirfd);
            if (r < 0) {
                return r;
            }
            if (nd.file != null || vfs.walk.walkFast(t) != 0) {
                return ring0.abi.Attempt.WOULD_BLOCK;
            }
            return VfsFiles.statAttempt(t, nd.mount(), nd.dentry(), buf);
        } finally {
            nd.release();
        }
    }

    /** Implements statx(2). */
    long statx(Task t, long dirfd, long path, long flagsArg, long mask, long buf, long a5) {
        int flags = (int) flagsArg;
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.getname(t, path, lookupFlags(flags), 0);
            if (r < 0) {
                return r;
            }
            if ((mask & Stat.STATX__RESERVED) != 0 || (flags & Fcntl.AT_STATX_SYNC_TYPE) == Fcntl.AT_STATX_SYNC_TYPE
                    || (flags & ~(STAT_FLAGS | Fcntl.AT_STATX_SYNC_TYPE)) != 0) {
                return -Errno.EINVAL;
            }
            r = vfs.walk.pathInit(t, (int) dirfd);
            if (r == 0 && vfs.walk.walkFast(t) != 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            return nd.file != null ? nd.file.statx(t, flags & Fcntl.AT_STATX_SYNC_TYPE, (int) mask, buf)
                    : VfsFiles.statx(t, nd.mount(), nd.dentry(), buf);
        } finally {
            nd.release();
        }
    }

    private static int lookupFlags(int flags) {
        return Nameidata.atFlags(flags) | ((flags & Fcntl.AT_EMPTY_PATH) != 0 ? Nameidata.LOOKUP_NULL_EMPTY : 0);
    }

    /** Implements access(2), faccessat(2) and faccessat2(2). */
    private long faccessat(Task t, long dirfd, long path, long modeArg, long flagsArg) {
        int mode = (int) modeArg, flags = (int) flagsArg;
        if ((mode & ~S_IRWXO) != 0 || (flags & ~ACCESS_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        Nameidata nd = t.nd;
        try {
            int how = Nameidata.atFlags(flags);
            long r = vfs.walk.start(t, (int) dirfd, path, how, 0);
            if (r == 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            if (nd.dentry() == null) {
                return 0; // a pipe or socket: its owner, the app, may read and write it
            }
            boolean effective = (flags & Fcntl.AT_EACCESS) != 0;
            Credentials c = effective ? vfs.credentials() : vfs.credentials().forAccess();
            return nd.dentry().inode().access(t, nd.dentry(), c, mode, effective);
        } finally {
            nd.release();
        }
    }
}
