package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.Permission;
import ring0.vfs.Vfs;
import ring0.vfs.VfsFile;
import ring0.vfs.VfsPath;

/**
 * The process's place in the file tree (Linux: struct fs_struct; fs/open.c, fs/d_path.c,
 * kernel/sys.c): getcwd, chdir, fchdir, chroot and umask. The kernel owns the working directory;
 * when it is a host directory, the host's working directory follows it, so that children started
 * by the app (which run on the host) start there too. umask is the kernel's and the host's alike,
 * for the same reason.
 */
final class SysCwd {
    private final Kernel kernel;
    private final Vfs vfs;

    SysCwd(Kernel kernel) {
        this.kernel = kernel;
        this.vfs = kernel.vfs;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_GETCWD, this::getcwd, "full");
        t.set(Sysno.SYS_CHDIR, this::chdir, "full; the host's working directory follows a host directory");
        t.set(Sysno.SYS_FCHDIR, this::fchdir, "full; the host's working directory follows a host directory");
        t.set(Sysno.SYS_CHROOT, this::chroot, "full; the app's root only, not the host's");
        t.set(Sysno.SYS_UMASK, this::umask, "full; also sets the host's");
    }

    /** Implements getcwd(2): the length with the NUL, ERANGE if size is too small. */
    long getcwd(Task t, long buf, long size, long a2, long a3, long a4, long a5) {
        VfsPath cwd = vfs.cwd();
        try {
            if (cwd.dentry().isUnlinked()) {
                return -Errno.ENOENT;
            }
            byte[] path = vfs.pathOf(cwd.mount(), cwd.dentry()).getBytes(StandardCharsets.UTF_8);
            long len = path.length + 1L;
            if (len > Nameidata.PATH_MAX) {
                return -Errno.ENAMETOOLONG;
            }
            if (len > size) {
                return -Errno.ERANGE;
            }
            if (!UserMemory.canWrite(buf, len)) {
                return -Errno.EFAULT;
            }
            MemorySegment.copy(path, 0, UserMemory.ALL, JAVA_BYTE, buf, path.length);
            UserMemory.ALL.set(JAVA_BYTE, buf + path.length, (byte) 0);
            return len;
        } finally {
            cwd.dentry().put();
        }
    }

    /** Implements chdir(2). */
    long chdir(Task t, long path, long a1, long a2, long a3, long a4, long a5) {
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.start(t, Fcntl.AT_FDCWD, path, Nameidata.LOOKUP_FOLLOW | Nameidata.LOOKUP_DIRECTORY, 0);
            if (r == 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            return setCwd(t, nd.mount(), nd.takeDentry());
        } finally {
            nd.release();
        }
    }

    /** Implements fchdir(2) (an O_PATH descriptor will do). */
    long fchdir(Task t, long fd, long a1, long a2, long a3, long a4, long a5) {
        FileDescription f = kernel.fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (!(f instanceof VfsFile vf) || !vf.dentry().isDirectory()) {
                return -Errno.ENOTDIR;
            }
            Dentry d = vf.dentry();
            d.get();
            return setCwd(t, vf.mount(), d);
        } finally {
            f.put();
        }
    }

    /** Search permission, then the move; takes over the reference on d. */
    private long setCwd(Task t, Mount m, Dentry d) {
        long r = d.inode().permission(t, d, vfs.credentials(), Permission.MAY_EXEC);
        if (r < 0) {
            d.put();
            return r;
        }
        vfs.setCwd(m, d);
        d.fs().becameCwd(d);
        return 0;
    }

    /** Implements chroot(2). */
    long chroot(Task t, long path, long a1, long a2, long a3, long a4, long a5) {
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.start(t, Fcntl.AT_FDCWD, path, Nameidata.LOOKUP_FOLLOW | Nameidata.LOOKUP_DIRECTORY, 0);
            if (r == 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            Dentry d = nd.dentry();
            r = d.inode().permission(t, d, vfs.credentials(), Permission.MAY_EXEC);
            if (r < 0) {
                return r;
            }
            if (!vfs.credentials().capable(Credentials.CAP_SYS_CHROOT)) {
                return -Errno.EPERM;
            }
            vfs.setRoot(nd.mount(), nd.takeDentry());
            return 0;
        } finally {
            nd.release();
        }
    }

    /** Implements umask(2). */
    long umask(Task t, long mask, long a1, long a2, long a3, long a4, long a5) {
        Host.fastCall(Sysno.SYS_UMASK, mask & 0777, 0, 0);
        t.passedThrough[Sysno.SYS_UMASK]++;
        return vfs.setUmask((int) mask);
    }
}
