package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Statfs;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.pipe.PipeFile;
import ring0.usermem.UserMemory;
import ring0.vfs.Nameidata;
import ring0.vfs.Vfs;
import ring0.vfs.VfsFile;

/** statfs(2) and fstatfs(2) (fs/statfs.c): the filesystem's answer for a path or a descriptor. */
final class SysStatfs {
    /** The anonymous inodes' filesystem (eventfd, epoll): ANON_INODE_FS_MAGIC. */
    private static final long ANON_INODE_FS_MAGIC = 0x09041934L;
    /** The pipes' filesystem (kernel pipes): PIPEFS_MAGIC. */
    private static final long PIPEFS_MAGIC = 0x50495045L;

    private final Kernel kernel;
    private final Vfs vfs;

    SysStatfs(Kernel kernel) {
        this.kernel = kernel;
        this.vfs = kernel.vfs;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_STATFS, this::statfs, "full");
        t.set(Sysno.SYS_FSTATFS, this::fstatfs, "full");
    }

    /** Implements statfs(2). */
    long statfs(Task t, long path, long buf, long a2, long a3, long a4, long a5) {
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.start(t, Fcntl.AT_FDCWD, path, Nameidata.LOOKUP_FOLLOW, 0);
            if (r == 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            return nd.dentry().fs().statfs(t, nd.dentry(), buf);
        } finally {
            nd.release();
        }
    }

    /** Implements fstatfs(2) (an O_PATH descriptor will do). */
    long fstatfs(Task t, long fd, long buf, long a2, long a3, long a4, long a5) {
        FileDescription f = kernel.fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f instanceof VfsFile vf) {
                return vf.dentry().fs().statfs(t, vf.dentry(), buf);
            }
            if (f.hostFd() >= 0) {
                return Host.call(Sysno.SYS_FSTATFS, f.hostFd(), buf, 0);
            }
            if (!UserMemory.canWrite(buf, Statfs.SIZE)) {
                return -Errno.EFAULT;
            }
            Statfs.write(buf, f instanceof PipeFile ? PIPEFS_MAGIC : ANON_INODE_FS_MAGIC, 4096, 0, 0, 0, 0, 0, 0, 0, Nameidata.NAME_MAX, 0x20 /* ST_VALID */);
            return 0;
        } finally {
            f.put();
        }
    }
}
