package ring0.fs.kernfs;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Iattr;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;

/**
 * A host file in the layer under a kernel directory (/proc/cpuinfo, /dev/pts/0, /proc/PID/ns/net):
 * known by its absolute host path and asked about afresh on every operation, since the host makes
 * these files up as they are read. Identity (inode number, type) is the host's; the host checks
 * every access with the same credentials (faccessat2 for the VFS's permission checks), so the
 * kernel adds no rule of its own.
 *
 * <p>A symbolic link of the host's procfs is magic (/proc/PID/ns/net, /proc/PID/task/TID/cwd): the
 * host follows it, and the file it reaches becomes an inode of its own, known through an O_PATH
 * descriptor the inode holds until its dentry dies ("/proc/self/fd/N" on the host).
 */
public class HostViewInode extends KernInode {
    private final byte[] path;
    /** An O_PATH descriptor this inode holds (what a magic link led to), or -1. */
    private final int ownedFd;
    private volatile boolean closed;

    HostViewInode(KernFilesystem fs, byte[] path, Kstat k, int ownedFd) {
        super(fs, k.ino, k.mode, null);
        this.path = path;
        this.ownedFd = ownedFd;
        this.uid = k.uid;
        this.gid = k.gid;
    }

    /** A new inode for the host file at path, as the host's statx k describes it. */
    static HostViewInode of(KernFilesystem fs, byte[] path, Kstat k, int ownedFd) {
        return Stat.type(k.mode) == Stat.S_IFDIR ? new HostViewDirectory(fs, path, k, ownedFd) : new HostViewInode(fs, path, k, ownedFd);
    }

    /** The host path. */
    public final String hostPath() {
        return new String(path, StandardCharsets.UTF_8);
    }

    final byte[] path() {
        return path;
    }

    @Override
    public long getattr(Task t, Dentry d, Kstat k) {
        long r = ownedFd >= 0 ? HostPaths.statxFd(t, ownedFd) : HostPaths.statx(t, path);
        if (r < 0) {
            return r;
        }
        HostPaths.read(t, k);
        if (k.ino == ino && Stat.type(k.mode) == type()) {
            mode = k.mode;
            uid = k.uid;
            gid = k.gid;
        }
        return 0;
    }

    /** Still right if the host path names the same file (a dentry from a magic link always is). */
    @Override
    public int revalidate(Task t, Dentry d) {
        if (ownedFd >= 0) {
            return 1;
        }
        if (HostPaths.statx(t, path) < 0 || HostPaths.ino(t) != ino || HostPaths.type(t) != type()) {
            return 0;
        }
        Kstat k = t.nd.kstat;
        HostPaths.read(t, k);
        mode = k.mode;
        uid = k.uid;
        gid = k.gid;
        return 1;
    }

    @Override
    public void evicted(Dentry d) {
        if (ownedFd >= 0 && !closed) {
            closed = true;
            Host.call(Sysno.SYS_CLOSE, ownedFd, 0, 0);
        }
    }

    /** The host's answer: faccessat2 with the effective ids, which are the app's. */
    @Override
    public long permission(Task t, Dentry d, Credentials c, int mask) {
        return hostAccess(t, mask & 7, Fcntl.AT_EACCESS);
    }

    @Override
    public long access(Task t, Dentry d, Credentials c, int mask, boolean effective) {
        return hostAccess(t, mask, effective ? Fcntl.AT_EACCESS : 0);
    }

    private long hostAccess(Task t, int mask, int flags) {
        long p = HostPaths.cpath(t, HostPaths.PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        if (isSymlink()) {
            flags |= Fcntl.AT_SYMLINK_NOFOLLOW;
        }
        return Host.call(Sysno.SYS_FACCESSAT2, Fcntl.AT_FDCWD, p, mask, flags, 0, 0);
    }

    /** chmod, chown, truncate and utimes by host path: the host's answer (procfs: EPERM). */
    @Override
    public long setattr(Task t, Dentry d, Iattr a) {
        long p = HostPaths.cpath(t, HostPaths.PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        if ((a.valid & (Iattr.ATTR_UID | Iattr.ATTR_GID)) != 0) {
            long r = Host.call(Sysno.SYS_FCHOWNAT, Fcntl.AT_FDCWD, p, (a.valid & Iattr.ATTR_UID) != 0 ? a.uid : -1,
                    (a.valid & Iattr.ATTR_GID) != 0 ? a.gid : -1, Fcntl.AT_SYMLINK_NOFOLLOW, 0);
            if (r < 0) {
                return r;
            }
        }
        if ((a.valid & Iattr.ATTR_MODE) != 0) {
            long r = Host.call(Sysno.SYS_FCHMODAT, Fcntl.AT_FDCWD, p, a.mode);
            if (r < 0) {
                return r;
            }
        }
        if ((a.valid & Iattr.ATTR_SIZE) != 0) {
            long r = Host.call(Sysno.SYS_TRUNCATE, p, a.size, 0);
            if (r < 0) {
                return r;
            }
        }
        if ((a.valid & (Iattr.ATTR_ATIME | Iattr.ATTR_MTIME)) != 0) {
            return Host.call(Sysno.SYS_UTIMENSAT, Fcntl.AT_FDCWD, p, times(t, a), Fcntl.AT_SYMLINK_NOFOLLOW, 0, 0);
        }
        return 0;
    }

    /** utimensat's timespec[2] for a's times, in t's scratch (STATX slot). */
    private static long times(Task t, Iattr a) {
        MemorySegment s = t.scratch;
        long at = HostPaths.STATX;
        boolean atime = (a.valid & Iattr.ATTR_ATIME) != 0, mtime = (a.valid & Iattr.ATTR_MTIME) != 0;
        s.set(JAVA_LONG, at, a.atimeSec);
        s.set(JAVA_LONG, at + 8, !atime ? Fcntl.UTIME_OMIT : (a.valid & Iattr.ATTR_ATIME_SET) != 0 ? a.atimeNsec : Fcntl.UTIME_NOW);
        s.set(JAVA_LONG, at + 16, a.mtimeSec);
        s.set(JAVA_LONG, at + 24, !mtime ? Fcntl.UTIME_OMIT : (a.valid & Iattr.ATTR_MTIME_SET) != 0 ? a.mtimeNsec : Fcntl.UTIME_NOW);
        return s.address() + at;
    }

    @Override
    public long readlink(Task t, Dentry d, byte[] out) {
        return isSymlink() ? HostPaths.readlink(t, path, out) : -Errno.EINVAL;
    }

    /** A link of the host's procfs is followed by the host; others are walked as text. */
    @Override
    public long magicLink(Task t, Dentry link, Nameidata nd) {
        if (!isSymlink() || !kfs().hostLinksAreMagic()) {
            return 1;
        }
        long p = HostPaths.cpath(t, HostPaths.PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        long h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, p, Fcntl.O_PATH | Fcntl.O_CLOEXEC, 0, 0, 0);
        if (h < 0) {
            return h;
        }
        byte[] self = HostPaths.bytes("/proc/self/fd/" + h);
        long r = HostPaths.statxFd(t, (int) h); // the file reached, not the host's link to it
        if (r < 0) {
            Host.call(Sysno.SYS_CLOSE, h, 0, 0);
            return r;
        }
        Kstat k = new Kstat();
        HostPaths.read(t, k);
        nd.setChild(Dentry.detached(link.parent(), link.name(), of(kfs(), self, k, (int) h)));
        return 0;
    }

    @Override
    public long open(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        long p = HostPaths.cpath(t, HostPaths.PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        boolean opath = (flags & Fcntl.O_PATH) != 0;
        int hostFlags = (opath ? Fcntl.O_PATH | (flags & Fcntl.O_NOFOLLOW) : flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL))
                | Fcntl.O_CLOEXEC;
        long h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, p, hostFlags, 0, 0, 0);
        if (h < 0) {
            return h;
        }
        d.get();
        nd.file = opath ? new PathFile(m, d, flags, (int) h) : new HostViewFile(m, d, (int) h, flags);
        return 0;
    }

    @Override
    public long exec(Task t, Dentry d, long argv, long envp) {
        long p = HostPaths.cpath(t, HostPaths.PATH_A, path);
        return p == 0 ? -Errno.ENAMETOOLONG : Host.call(Sysno.SYS_EXECVE, p, argv, envp);
    }
}
