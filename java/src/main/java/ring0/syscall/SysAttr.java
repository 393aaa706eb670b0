package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Attrs;
import ring0.vfs.Dentry;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;
import ring0.vfs.Vfs;
import ring0.vfs.VfsFile;

/**
 * Calls that change a file's attributes (fs/open.c, fs/utimes.c): chmod, chown, the utime family
 * and truncate, by path or by descriptor. A descriptor of a host object outside the VFS (a socket, a
 * host pipe) is changed on the host; one the kernel serves alone outside the VFS (a kernel pipe, an
 * eventfd) has nothing to change, as an anonymous inode, and answers 0.
 */
final class SysAttr {
    private static final int CHMOD_FLAGS = Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH;
    private static final long NSEC_MAX = 999_999_999;

    private final Kernel kernel;
    private final Vfs vfs;
    private final Attrs attrs;

    SysAttr(Kernel kernel) {
        this.kernel = kernel;
        this.vfs = kernel.vfs;
        this.attrs = new Attrs(kernel.vfs);
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_CHMOD, (task, a0, a1, a2, a3, a4, a5) -> fchmodat(task, Fcntl.AT_FDCWD, a0, a1, 0), "full");
        t.set(Sysno.SYS_FCHMOD, this::fchmod, "full");
        t.set(Sysno.SYS_FCHMODAT, (task, a0, a1, a2, a3, a4, a5) -> fchmodat(task, a0, a1, a2, 0), "full");
        t.set(Sysno.SYS_FCHMODAT2, (task, a0, a1, a2, a3, a4, a5) -> fchmodat(task, a0, a1, a2, a3), "full");
        t.set(Sysno.SYS_CHOWN, (task, a0, a1, a2, a3, a4, a5) -> fchownat(task, Fcntl.AT_FDCWD, a0, a1, a2, 0), "full");
        t.set(Sysno.SYS_LCHOWN, (task, a0, a1, a2, a3, a4, a5) -> fchownat(task, Fcntl.AT_FDCWD, a0, a1, a2, Fcntl.AT_SYMLINK_NOFOLLOW), "full");
        t.set(Sysno.SYS_FCHOWN, this::fchown, "full");
        t.set(Sysno.SYS_FCHOWNAT, (task, a0, a1, a2, a3, a4, a5) -> fchownat(task, a0, a1, a2, a3, a4), "full");
        t.set(Sysno.SYS_UTIMENSAT, this::utimensat, "full");
        t.set(Sysno.SYS_UTIMES, (task, a0, a1, a2, a3, a4, a5) -> futimesat(task, Fcntl.AT_FDCWD, a0, a1), "full");
        t.set(Sysno.SYS_FUTIMESAT, (task, a0, a1, a2, a3, a4, a5) -> futimesat(task, a0, a1, a2), "full");
        t.set(Sysno.SYS_UTIME, this::utime, "full");
        t.set(Sysno.SYS_TRUNCATE, this::truncate, "full");
    }

    /** The description behind fd as fdget sees it (O_PATH descriptions are not seen): null if none. */
    private FileDescription fdget(long fd) {
        FileDescription f = kernel.fds.get((int) fd);
        if (f instanceof PathFile) {
            f.put();
            return null;
        }
        return f;
    }

    // ---- chmod --------------------------------------------------------------------------------

    /** Implements fchmod(2). */
    long fchmod(Task t, long fd, long mode, long a2, long a3, long a4, long a5) {
        FileDescription f = fdget(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f instanceof VfsFile vf) {
                return attrs.chmod(t, vf.dentry(), vf, (int) mode);
            }
            return f.hostFd() >= 0 ? Host.call(Sysno.SYS_FCHMOD, f.hostFd(), mode & 07777, 0) : 0;
        } finally {
            f.put();
        }
    }

    /** Implements chmod(2), fchmodat(2) and fchmodat2(2). */
    private long fchmodat(Task t, long dirfd, long path, long mode, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flags & ~CHMOD_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        int how = Nameidata.atFlags(flags);
        Nameidata nd = t.nd;
        try {
            long r = walk(t, dirfd, path, how);
            if (r < 0) {
                return r;
            }
            if (nd.dentry() == null) {
                return nd.file.hostFd() >= 0 ? Host.call(Sysno.SYS_FCHMOD, nd.file.hostFd(), mode & 07777, 0) : 0;
            }
            return attrs.chmod(t, nd.dentry(), null, (int) mode);
        } finally {
            nd.release();
        }
    }

    private long walk(Task t, long dirfd, long path, int how) {
        long r = vfs.walk.start(t, (int) dirfd, path, how, 0);
        return r < 0 ? r : vfs.walk.walk(t);
    }

    // ---- chown --------------------------------------------------------------------------------

    /** Implements fchown(2). */
    long fchown(Task t, long fd, long uid, long gid, long a3, long a4, long a5) {
        FileDescription f = fdget(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f instanceof VfsFile vf) {
                return attrs.chown(t, vf.dentry(), vf, (int) uid, (int) gid);
            }
            return f.hostFd() >= 0 ? Host.call(Sysno.SYS_FCHOWN, f.hostFd(), uid & 0xffffffffL, gid & 0xffffffffL) : 0;
        } finally {
            f.put();
        }
    }

    /** Implements chown(2), lchown(2) and fchownat(2). */
    private long fchownat(Task t, long dirfd, long path, long uid, long gid, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flags & ~CHMOD_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        int how = Nameidata.atFlags(flags);
        Nameidata nd = t.nd;
        try {
            long r = walk(t, dirfd, path, how);
            if (r < 0) {
                return r;
            }
            if (nd.file != null) {
                FileDescription f = nd.file;
                if (f instanceof VfsFile vf && !(f instanceof PathFile)) {
                    return attrs.chown(t, vf.dentry(), vf, (int) uid, (int) gid);
                }
                if (nd.dentry() == null) {
                    return f.hostFd() >= 0 ? Host.call(Sysno.SYS_FCHOWN, f.hostFd(), uid & 0xffffffffL, gid & 0xffffffffL) : 0;
                }
            }
            return attrs.chown(t, nd.dentry(), null, (int) uid, (int) gid);
        } finally {
            nd.release();
        }
    }

    // ---- times --------------------------------------------------------------------------------

    /** Implements utimensat(2): a NULL path with a descriptor is futimens. */
    long utimensat(Task t, long dirfd, long path, long times, long flagsArg, long a4, long a5) {
        int flags = (int) flagsArg;
        long aSec = 0, aNsec = 0, mSec = 0, mNsec = 0;
        if (times != 0) {
            if (!UserMemory.canRead(times, 32)) {
                return -Errno.EFAULT;
            }
            aSec = UserMemory.ALL.get(JAVA_LONG, times);
            aNsec = UserMemory.ALL.get(JAVA_LONG, times + 8);
            mSec = UserMemory.ALL.get(JAVA_LONG, times + 16);
            mNsec = UserMemory.ALL.get(JAVA_LONG, times + 24);
            if (!nsecValid(aNsec) || !nsecValid(mNsec)) {
                return -Errno.EINVAL;
            }
        }
        return utimes(t, dirfd, path, times == 0, aSec, aNsec, mSec, mNsec, flags);
    }

    private static boolean nsecValid(long nsec) {
        return nsec == Fcntl.UTIME_NOW || nsec == Fcntl.UTIME_OMIT || (nsec >= 0 && nsec <= NSEC_MAX);
    }

    /** Implements utimes(2) and futimesat(2): struct timeval, microseconds. */
    private long futimesat(Task t, long dirfd, long path, long tv) {
        if (tv == 0) {
            return utimes(t, dirfd, path, true, 0, 0, 0, 0, 0);
        }
        if (!UserMemory.canRead(tv, 32)) {
            return -Errno.EFAULT;
        }
        long aSec = UserMemory.ALL.get(JAVA_LONG, tv), aUsec = UserMemory.ALL.get(JAVA_LONG, tv + 8);
        long mSec = UserMemory.ALL.get(JAVA_LONG, tv + 16), mUsec = UserMemory.ALL.get(JAVA_LONG, tv + 24);
        if (aUsec < 0 || aUsec >= 1_000_000 || mUsec < 0 || mUsec >= 1_000_000) {
            return -Errno.EINVAL;
        }
        return utimes(t, dirfd, path, false, aSec, aUsec * 1000, mSec, mUsec * 1000, 0);
    }

    /** Implements utime(2): struct utimbuf, whole seconds. */
    long utime(Task t, long path, long buf, long a2, long a3, long a4, long a5) {
        if (buf == 0) {
            return utimes(t, Fcntl.AT_FDCWD, path, true, 0, 0, 0, 0, 0);
        }
        if (!UserMemory.canRead(buf, 16)) {
            return -Errno.EFAULT;
        }
        return utimes(t, Fcntl.AT_FDCWD, path, false, UserMemory.ALL.get(JAVA_LONG, buf), 0,
                UserMemory.ALL.get(JAVA_LONG, buf + 8), 0, 0);
    }

    /** do_utimes: by descriptor (NULL path) or by path. */
    private long utimes(Task t, long dirfd, long path, boolean touch, long aSec, long aNsec, long mSec, long mNsec, int flags) {
        if (path == 0 && (int) dirfd != Fcntl.AT_FDCWD) {
            if (flags != 0) {
                return -Errno.EINVAL;
            }
            FileDescription f = fdget(dirfd);
            if (f == null) {
                return -Errno.EBADF;
            }
            try {
                if (f instanceof VfsFile vf) {
                    return attrs.utimes(t, vf.dentry(), vf, touch, aSec, aNsec, mSec, mNsec);
                }
                return 0;
            } finally {
                f.put();
            }
        }
        if ((flags & ~CHMOD_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        int how = Nameidata.atFlags(flags);
        Nameidata nd = t.nd;
        try {
            long r = walk(t, dirfd, path, how);
            if (r < 0) {
                return r;
            }
            Dentry d = nd.dentry();
            if (d == null) {
                return 0;
            }
            VfsFile through = nd.file instanceof VfsFile vf && !(nd.file instanceof PathFile) ? vf : null;
            return attrs.utimes(t, d, through, touch, aSec, aNsec, mSec, mNsec);
        } finally {
            nd.release();
        }
    }

    // ---- truncate -----------------------------------------------------------------------------

    /** Implements truncate(2). */
    long truncate(Task t, long path, long length, long a2, long a3, long a4, long a5) {
        if (length < 0) {
            return -Errno.EINVAL;
        }
        Nameidata nd = t.nd;
        try {
            long r = walk(t, Fcntl.AT_FDCWD, path, Nameidata.LOOKUP_FOLLOW);
            if (r < 0) {
                return r;
            }
            return attrs.truncate(t, nd.dentry(), length);
        } finally {
            nd.release();
        }
    }
}
