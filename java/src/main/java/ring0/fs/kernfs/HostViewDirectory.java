package ring0.fs.kernfs;

import java.lang.foreign.Arena;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Inode;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/**
 * A host directory in the layer (/proc/sys, /dev/shm, /dev/pts): names in it are looked up on the
 * host; opening it gives a host descriptor, whose getdents64 is the host's listing; creating,
 * removing and renaming are host calls by path, so the host answers as Linux does for the app (its
 * /proc refuses, its /dev/shm accepts). The static helpers serve a {@link KernDirectory} layered
 * over a host directory the same way for the names it does not define.
 */
final class HostViewDirectory extends HostViewInode {
    HostViewDirectory(KernFilesystem fs, byte[] path, Kstat k, int ownedFd) {
        super(fs, path, k, ownedFd);
    }

    @Override
    public long lookup(Task t, Dentry child) {
        return lookupHost(kfs(), t, child, path());
    }

    /** chdir of the host to this directory (the app's working directory is here now). */
    void chdirHost() {
        try (Arena arena = Arena.ofConfined()) {
            Host.call(Sysno.SYS_CHDIR, arena.allocateFrom(hostPath()).address(), 0, 0);
        }
    }

    @Override
    public long create(Task t, Dentry child, int mode) {
        return createHost(t, path(), child, mode, 0);
    }

    @Override
    public long mknod(Task t, Dentry child, int mode, long dev) {
        return createHost(t, path(), child, mode, dev);
    }

    @Override
    public long mkdir(Task t, Dentry child, int mode) {
        return mkdirHost(t, path(), child, mode);
    }

    @Override
    public long symlink(Task t, Dentry child, byte[] target) {
        return symlinkHost(t, path(), child, target);
    }

    @Override
    public long link(Task t, Dentry old, Dentry child) {
        return old.inode() instanceof HostViewInode h ? linkHost(t, h, path(), child) : -Errno.EXDEV;
    }

    @Override
    public long unlink(Task t, Dentry child) {
        return unlinkHost(t, path(), child, false);
    }

    @Override
    public long rmdir(Task t, Dentry child) {
        return unlinkHost(t, path(), child, true);
    }

    @Override
    public long rename(Task t, Dentry old, Inode newDir, Dentry newChild, int flags) {
        byte[] to = KernDirectory.hostTarget(t, newDir, newChild);
        return to == null ? -Errno.EPERM : renameHost(t, path(), old, to, newChild, flags);
    }

    @Override
    public long atomicOpen(Task t, Nameidata nd, Mount m, Dentry child, int flags, int mode) {
        return atomicOpenHost(kfs(), t, nd, m, path(), child, flags, mode);
    }

    // ---- the host calls, by path, shared with layered kernel directories ----------------------

    /** Looks up child's name in the host directory dir: instantiates it, or leaves it negative (ENOENT). */
    static long lookupHost(KernFilesystem fs, Task t, Dentry child, byte[] dir) {
        byte[] p = HostPaths.child(dir, child.name().bytes());
        long r = HostPaths.statx(t, p);
        if (r == -Errno.ENOENT) {
            return 0;
        }
        if (r < 0) {
            return r;
        }
        Kstat k = new Kstat();
        HostPaths.read(t, k);
        child.instantiate(of(fs, p, k, -1));
        return 0;
    }

    private static long childPath(Task t, long slot, byte[] dir, Dentry child) {
        return HostPaths.cpath(t, slot, HostPaths.child(dir, child.name().bytes()));
    }

    /** mknodat of a regular file (mode without type: S_IFREG), FIFO, socket or device. */
    static long createHost(Task t, byte[] dir, Dentry child, int mode, long dev) {
        long p = childPath(t, HostPaths.PATH_A, dir, child);
        if (Stat.type(mode) == 0) {
            mode |= Stat.S_IFREG;
        }
        return p == 0 ? -Errno.ENAMETOOLONG : Host.call(Sysno.SYS_MKNODAT, Fcntl.AT_FDCWD, p, mode, dev, 0, 0);
    }

    static long mkdirHost(Task t, byte[] dir, Dentry child, int mode) {
        long p = childPath(t, HostPaths.PATH_A, dir, child);
        return p == 0 ? -Errno.ENAMETOOLONG : Host.call(Sysno.SYS_MKDIRAT, Fcntl.AT_FDCWD, p, mode & Stat.S_IALLUGO);
    }

    static long symlinkHost(Task t, byte[] dir, Dentry child, byte[] target) {
        long p = childPath(t, HostPaths.PATH_A, dir, child);
        long tgt = HostPaths.cpath(t, HostPaths.PATH_B, target);
        return p == 0 || tgt == 0 ? -Errno.ENAMETOOLONG : Host.call(Sysno.SYS_SYMLINKAT, tgt, Fcntl.AT_FDCWD, p);
    }

    static long linkHost(Task t, HostViewInode old, byte[] dir, Dentry child) {
        long from = HostPaths.cpath(t, HostPaths.PATH_B, old.path());
        long p = childPath(t, HostPaths.PATH_A, dir, child);
        return p == 0 || from == 0 ? -Errno.ENAMETOOLONG
                : Host.call(Sysno.SYS_LINKAT, Fcntl.AT_FDCWD, from, Fcntl.AT_FDCWD, p, 0, 0);
    }

    static long unlinkHost(Task t, byte[] dir, Dentry child, boolean isDir) {
        long p = childPath(t, HostPaths.PATH_A, dir, child);
        return p == 0 ? -Errno.ENAMETOOLONG : Host.call(Sysno.SYS_UNLINKAT, Fcntl.AT_FDCWD, p, isDir ? Fcntl.AT_REMOVEDIR : 0);
    }

    static long renameHost(Task t, byte[] dir, Dentry old, byte[] toDir, Dentry newChild, int flags) {
        long from = childPath(t, HostPaths.PATH_A, dir, old);
        long to = childPath(t, HostPaths.PATH_B, toDir, newChild);
        return from == 0 || to == 0 ? -Errno.ENAMETOOLONG
                : Host.call(Sysno.SYS_RENAMEAT2, Fcntl.AT_FDCWD, from, Fcntl.AT_FDCWD, to, flags, 0);
    }

    /** Creating and opening are one host openat; the new file joins the layer. */
    static long atomicOpenHost(KernFilesystem fs, Task t, Nameidata nd, Mount m, byte[] dir, Dentry child, int flags, int mode) {
        byte[] path = HostPaths.child(dir, child.name().bytes());
        long p = HostPaths.cpath(t, HostPaths.PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        long h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, p, flags | Fcntl.O_CLOEXEC, mode, 0, 0);
        if (h < 0) {
            return h;
        }
        long r = HostPaths.statx(t, path);
        if (r < 0) {
            Host.call(Sysno.SYS_CLOSE, h, 0, 0);
            return r;
        }
        Kstat k = new Kstat();
        HostPaths.read(t, k);
        child.instantiate(of(fs, path, k, -1));
        child.get();
        nd.file = new HostViewFile(m, child, (int) h, flags);
        return 0;
    }
}
