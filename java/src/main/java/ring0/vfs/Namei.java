package ring0.vfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * The calls that change the file tree or open files, at the VFS level (Linux: fs/namei.c do_mkdirat,
 * do_unlinkat, do_rmdir, do_renameat2, do_linkat, do_symlinkat, do_readlinkat; fs/open.c with
 * path_openat and do_open): each walks, checks what Linux checks before the filesystem gets a say,
 * in Linux's order, then calls the inode operation under the directory's lock and updates the dentry
 * cache. A filesystem that {@link Filesystem#checksPermissions checks permissions itself} (the host)
 * is spared the permission checks, never the checks of types, mounts and the tree.
 *
 * <p>Each returns 0 or -errno and leaves nothing referenced, except {@link #open}, whose description
 * is in the task's {@link Nameidata#file}.
 */
public final class Namei {
    private final Vfs vfs;

    Namei(Vfs vfs) {
        this.vfs = vfs;
    }

    // ---- creation -----------------------------------------------------------------------------

    /** do_mkdirat. */
    public long mkdir(Task t, int dirfd, long path, int mode) {
        return create(t, dirfd, path, Stat.S_IFDIR | (mode & (Stat.S_IRWXUGO | Stat.S_ISVTX)), 0, null);
    }

    /** do_mknodat: a regular file, FIFO, socket or device (the caller checked the type). */
    public long mknod(Task t, int dirfd, long path, int mode, long dev) {
        return create(t, dirfd, path, mode, dev, null);
    }

    /** do_symlinkat: the target is copied first (EFAULT, ENAMETOOLONG; ENOENT if empty). */
    public long symlink(Task t, long target, int dirfd, long path) {
        long n = copyString(t, target);
        if (n < 0) {
            return n;
        }
        if (n == 0) {
            return -Errno.ENOENT;
        }
        return create(t, dirfd, path, Stat.S_IFLNK | 0777, 0, Arrays.copyOf(t.nd.link, (int) n));
    }

    /** Copies a C string of the app into nd.link (at most PATH_MAX - 1 bytes): its length or -errno. */
    private static long copyString(Task t, long addr) {
        byte[] out = t.nd.link;
        for (int i = 0; i < out.length; i++) {
            long a = addr + i;
            if ((i == 0 || (a & 4095) == 0) && !UserMemory.canRead(a, 1)) {
                return -Errno.EFAULT;
            }
            byte b = UserMemory.ALL.get(JAVA_BYTE, a);
            if (b == 0) {
                return i;
            }
            out[i] = b;
        }
        return -Errno.ENAMETOOLONG;
    }

    /**
     * filename_create and vfs_mkdir / vfs_mknod / vfs_symlink: the last component must be a plain
     * name (EEXIST for ".", ".." and "/"); a trailing slash is only for a directory (ENOENT, or
     * EEXIST if the name exists); may_create: EEXIST, then write and search permission.
     */
    private long create(Task t, int dirfd, long path, int mode, long dev, byte[] target) {
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.parentAt(t, dirfd, path);
            if (r < 0) {
                return r;
            }
            if (nd.lastType != Nameidata.LAST_NORM) {
                return -Errno.EEXIST;
            }
            boolean dir = Stat.type(mode) == Stat.S_IFDIR;
            Dentry parent = nd.dentry;
            Inode di = parent.inode();
            synchronized (di.dirLock()) {
                r = vfs.walk.lookupLast(t);
                if (r < 0) {
                    return r;
                }
                Dentry child = nd.child;
                if (!child.isNegative()) {
                    return -Errno.EEXIST;
                }
                if (nd.trailingSlash && !dir) {
                    return -Errno.ENOENT;
                }
                r = mayCreate(t, parent);
                if (r < 0) {
                    return r;
                }
                int m = applyUmask(di.fs(), mode);
                r = switch (Stat.type(mode)) {
                    case Stat.S_IFDIR -> di.mkdir(t, child, m);
                    case Stat.S_IFLNK -> di.symlink(t, child, target);
                    case Stat.S_IFREG -> di.create(t, child, m);
                    default -> di.mknod(t, child, m, dev);
                };
                if (r == 0 && child.isNegative()) {
                    child.drop();
                }
                return r;
            }
        } finally {
            nd.release();
        }
    }

    /** The mode a new file gets: the umask applies unless the filesystem's backing store applies it. */
    private int applyUmask(Filesystem fs, int mode) {
        if (fs.checksPermissions() || Stat.type(mode) == Stat.S_IFLNK) {
            return mode;
        }
        return mode & ~vfs.umask();
    }

    /** may_create (after the EEXIST check): write and search permission on the directory. */
    private long mayCreate(Task t, Dentry dir) {
        Inode di = dir.inode();
        if (dir.isUnlinked()) {
            return -Errno.ENOENT; // IS_DEADDIR
        }
        if (di.fs().checksPermissions()) {
            return 0;
        }
        return di.permission(t, dir, vfs.credentials(), Permission.MAY_WRITE | Permission.MAY_EXEC);
    }

    /**
     * may_delete: the victim exists (ENOENT), the caller may write the directory (EACCES) and, if it
     * is sticky, owns the file or directory (EPERM); a directory only by rmdir (ENOTDIR / EISDIR);
     * not the root of a filesystem (EBUSY).
     */
    private long mayDelete(Task t, Dentry dir, Dentry victim, boolean isDir) {
        if (victim.isNegative()) {
            return -Errno.ENOENT;
        }
        Inode di = dir.inode(), vi = victim.inode();
        if (!di.fs().checksPermissions()) {
            Credentials c = vfs.credentials();
            long r = di.permission(t, dir, c, Permission.MAY_WRITE | Permission.MAY_EXEC);
            if (r < 0) {
                return r;
            }
            r = Permission.sticky(c, di, vi);
            if (r < 0) {
                return r;
            }
        }
        if (isDir) {
            if (!vi.isDirectory()) {
                return -Errno.ENOTDIR;
            }
            if (victim.parent() == null) {
                return -Errno.EBUSY;
            }
        } else if (vi.isDirectory()) {
            return -Errno.EISDIR;
        }
        return 0;
    }

    // ---- removal ------------------------------------------------------------------------------

    /** do_unlinkat and vfs_unlink. */
    public long unlink(Task t, int dirfd, long path) {
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.parentAt(t, dirfd, path);
            if (r < 0) {
                return r;
            }
            if (nd.lastType != Nameidata.LAST_NORM) {
                return -Errno.EISDIR;
            }
            Dentry parent = nd.dentry;
            Inode di = parent.inode();
            synchronized (di.dirLock()) {
                r = vfs.walk.lookupLast(t);
                if (r < 0) {
                    return r;
                }
                Dentry victim = nd.child;
                if (nd.trailingSlash) {
                    return victim.isNegative() ? -Errno.ENOENT : victim.isDirectory() ? -Errno.EISDIR : -Errno.ENOTDIR;
                }
                r = mayDelete(t, parent, victim, false);
                if (r < 0) {
                    return r;
                }
                if (victim.isMountpoint()) {
                    return -Errno.EBUSY;
                }
                r = di.unlink(t, victim);
                if (r == 0) {
                    victim.delete();
                }
                return r;
            }
        } finally {
            nd.release();
        }
    }

    /** do_rmdir and vfs_rmdir. */
    public long rmdir(Task t, int dirfd, long path) {
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.parentAt(t, dirfd, path);
            if (r < 0) {
                return r;
            }
            switch (nd.lastType) {
                case Nameidata.LAST_DOTDOT -> {
                    return -Errno.ENOTEMPTY;
                }
                case Nameidata.LAST_DOT -> {
                    return -Errno.EINVAL;
                }
                case Nameidata.LAST_ROOT -> {
                    return -Errno.EBUSY;
                }
                default -> { }
            }
            Dentry parent = nd.dentry;
            Inode di = parent.inode();
            synchronized (di.dirLock()) {
                r = vfs.walk.lookupLast(t);
                if (r < 0) {
                    return r;
                }
                Dentry victim = nd.child;
                r = mayDelete(t, parent, victim, true);
                if (r < 0) {
                    return r;
                }
                if (victim.isMountpoint()) {
                    return -Errno.EBUSY;
                }
                synchronized (victim.inode().dirLock()) {
                    r = di.rmdir(t, victim);
                }
                if (r == 0) {
                    victim.delete();
                }
                return r;
            }
        } finally {
            nd.release();
        }
    }

    // ---- rename and link ----------------------------------------------------------------------

    /** do_renameat2 and vfs_rename (the caller checked the flags). */
    public long rename(Task t, int oldDirfd, long oldPath, int newDirfd, long newPath, int flags) {
        Nameidata nd = t.nd;
        Dentry oldDir = null;
        try {
            long r = vfs.walk.parentAt(t, oldDirfd, oldPath);
            if (r < 0) {
                return r;
            }
            Mount oldMount = nd.mount;
            int oldType = nd.lastType;
            boolean oldSlash = nd.trailingSlash;
            Name oldName = nd.last.copy();
            oldDir = nd.takeDentry();
            r = vfs.walk.parentAt(t, newDirfd, newPath);
            if (r < 0) {
                return r;
            }
            Dentry newDir = nd.dentry;
            if (oldMount != nd.mount) {
                return -Errno.EXDEV;
            }
            if (oldType != Nameidata.LAST_NORM) {
                return -Errno.EBUSY;
            }
            if (nd.lastType != Nameidata.LAST_NORM) {
                return (flags & Fcntl.RENAME_NOREPLACE) != 0 ? -Errno.EEXIST : -Errno.EBUSY;
            }
            long stamp = vfs.renameLock.writeLock();
            try {
                // lock_rename: the ancestor first, as rmdir locks a directory, then the one it removes.
                boolean newFirst = isAncestor(newDir, oldDir);
                Inode first = (newFirst ? newDir : oldDir).inode(), second = (newFirst ? oldDir : newDir).inode();
                synchronized (first.dirLock()) {
                    synchronized (second.dirLock()) {
                        return renameLocked(t, nd, oldDir, oldName, oldSlash, newDir, flags);
                    }
                }
            } finally {
                vfs.renameLock.unlockWrite(stamp);
            }
        } finally {
            if (oldDir != null) {
                oldDir.put();
            }
            nd.release();
        }
    }

    /**
     * The rest of rename.
     *
     * <p>Preconditions: the rename lock and both directories' locks are held.
     *
     * <p>Locking: directory locks are taken parent before child (rmdir: the directory, then the one
     * it removes; rename: the ancestor of the two first, then the replaced directory), and two
     * renames never run at once, so no two threads wait for each other's.
     */
    private long renameLocked(Task t, Nameidata nd, Dentry oldDir, Name oldName, boolean oldSlash, Dentry newDir,
            int flags) {
        boolean exchange = (flags & Fcntl.RENAME_EXCHANGE) != 0;
        long r = vfs.walk.lookupForChange(t, nd, oldDir, oldName);
        if (r < 0) {
            return r;
        }
        Dentry old = nd.takeChild();
        try {
            if (old.isNegative()) {
                return -Errno.ENOENT;
            }
            r = vfs.walk.lookupLast(t);
            if (r < 0) {
                return r;
            }
            Dentry target = nd.child;
            if ((flags & Fcntl.RENAME_NOREPLACE) != 0 && !target.isNegative()) {
                return -Errno.EEXIST;
            }
            if (exchange) {
                if (target.isNegative()) {
                    return -Errno.ENOENT;
                }
                if (!target.isDirectory() && nd.trailingSlash) {
                    return -Errno.ENOTDIR;
                }
            }
            boolean isDir = old.isDirectory();
            if (!isDir && (oldSlash || (!exchange && nd.trailingSlash))) {
                return -Errno.ENOTDIR;
            }
            if (isAncestor(old, newDir)) {
                return -Errno.EINVAL; // the source would move into itself
            }
            if (!target.isNegative() && isAncestor(target, oldDir)) {
                return exchange ? -Errno.EINVAL : -Errno.ENOTEMPTY; // the target is an ancestor of the source
            }
            if (old.inode() == target.inode()) {
                return 0;
            }
            r = mayDelete(t, oldDir, old, isDir);
            if (r < 0) {
                return r;
            }
            boolean newIsDir = target.isDirectory();
            if (target.isNegative()) {
                r = mayCreate(t, newDir);
            } else {
                r = mayDelete(t, newDir, target, exchange ? newIsDir : isDir);
            }
            if (r < 0) {
                return r;
            }
            Inode odi = oldDir.inode();
            if (oldDir != newDir && !odi.fs().checksPermissions()) {
                // Moving a directory rewrites its "..": the caller must be able to write it.
                if (isDir && (r = old.inode().permission(t, old, vfs.credentials(), Permission.MAY_WRITE)) < 0) {
                    return r;
                }
                if (exchange && newIsDir
                        && (r = target.inode().permission(t, target, vfs.credentials(), Permission.MAY_WRITE)) < 0) {
                    return r;
                }
            }
            if (old.isMountpoint() || target.isMountpoint()) {
                return -Errno.EBUSY;
            }
            if (!exchange && newIsDir) {
                // The directory replaced must stay empty: creations in it hold its lock.
                synchronized (target.inode().dirLock()) {
                    r = odi.rename(t, old, newDir.inode(), target, flags);
                }
            } else {
                r = odi.rename(t, old, newDir.inode(), target, flags);
            }
            if (r < 0) {
                return r;
            }
            if (exchange) {
                Dentry.exchange(old, target);
            } else {
                if (!target.isNegative()) {
                    target.delete();
                }
                Dentry.move(old, newDir, target.name());
            }
            return 0;
        } finally {
            old.put();
        }
    }

    /** True if a is d or one of d's ancestors in the same filesystem. Preconditions: the rename lock. */
    private static boolean isAncestor(Dentry a, Dentry d) {
        for (Dentry p = d; p != null; p = p.parent()) {
            if (p == a) {
                return true;
            }
        }
        return false;
    }

    /** do_linkat and vfs_link (the caller checked the flags). */
    public long link(Task t, int oldDirfd, long oldPath, int newDirfd, long newPath, int flags) {
        Nameidata nd = t.nd;
        Dentry old = null;
        try {
            int how = ((flags & Fcntl.AT_SYMLINK_FOLLOW) != 0 ? Nameidata.LOOKUP_FOLLOW : 0)
                    | ((flags & Fcntl.AT_EMPTY_PATH) != 0 ? Nameidata.LOOKUP_EMPTY : 0);
            long r = vfs.walk.start(t, oldDirfd, oldPath, how, 0);
            if (r == 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            if (nd.dentry == null) {
                return -Errno.EXDEV; // an empty path at a pipe or socket: another filesystem
            }
            Mount oldMount = nd.mount;
            old = nd.takeDentry();
            r = vfs.walk.parentAt(t, newDirfd, newPath);
            if (r < 0) {
                return r;
            }
            if (nd.lastType != Nameidata.LAST_NORM) {
                return -Errno.EEXIST;
            }
            Dentry newDir = nd.dentry;
            Inode di = newDir.inode();
            synchronized (di.dirLock()) {
                r = vfs.walk.lookupLast(t);
                if (r < 0) {
                    return r;
                }
                Dentry child = nd.child;
                if (!child.isNegative()) {
                    return -Errno.EEXIST;
                }
                if (nd.trailingSlash) {
                    return -Errno.ENOENT;
                }
                if (oldMount != nd.mount) {
                    return -Errno.EXDEV;
                }
                r = mayCreate(t, newDir);
                if (r < 0) {
                    return r;
                }
                Inode oi = old.inode();
                if (oi.fs() != di.fs()) {
                    return -Errno.EXDEV;
                }
                if (oi.isDirectory()) {
                    return -Errno.EPERM;
                }
                r = di.link(t, old, child);
                if (r == 0 && child.isNegative()) {
                    child.drop();
                }
                return r;
            }
        } finally {
            if (old != null) {
                old.put();
            }
            nd.release();
        }
    }

    /**
     * do_readlinkat: the target of the link path names, at most size bytes to buf. An empty path
     * names dirfd itself (an O_PATH|O_NOFOLLOW descriptor of a symlink), but not the working
     * directory: "" with AT_FDCWD is ENOENT.
     */
    public long readlink(Task t, int dirfd, long path, long buf, long size) {
        Nameidata nd = t.nd;
        try {
            long r = vfs.walk.start(t, dirfd, path, dirfd == Fcntl.AT_FDCWD ? 0 : Nameidata.LOOKUP_EMPTY, 0);
            if (r == 0) {
                r = vfs.walk.walk(t);
            }
            if (r < 0) {
                return r;
            }
            if (nd.dentry == null || !nd.dentry.inode().isSymlink()) {
                return -Errno.EINVAL;
            }
            long n = nd.dentry.inode().readlink(t, nd.dentry, nd.link);
            if (n < 0) {
                return n;
            }
            n = Math.min(n, size);
            if (!UserMemory.canWrite(buf, n)) {
                return -Errno.EFAULT;
            }
            MemorySegment.copy(nd.link, 0, UserMemory.ALL, JAVA_BYTE, buf, (int) n);
            return n;
        } finally {
            nd.release();
        }
    }

    // ---- open ---------------------------------------------------------------------------------

    /**
     * path_openat and do_open: on success the new description is in nd.file (the caller installs it
     * and releases nd). flags and mode are checked already (build_open_flags); mode has its type.
     */
    public long open(Task t, int dirfd, long path, int flags, int mode, int resolve) {
        Nameidata nd = t.nd;
        if ((flags & Fcntl.O_PATH) != 0) {
            flags &= Fcntl.O_PATH_FLAGS;
        }
        int how = ((flags & Fcntl.O_NOFOLLOW) == 0 ? Nameidata.LOOKUP_FOLLOW : 0)
                | ((flags & Fcntl.O_DIRECTORY) != 0 ? Nameidata.LOOKUP_DIRECTORY : 0);
        if ((flags & Fcntl.O_TMPFILE) == Fcntl.O_TMPFILE) {
            how = Nameidata.LOOKUP_FOLLOW | Nameidata.LOOKUP_DIRECTORY;
        }
        long r = vfs.walk.start(t, dirfd, path, how, resolve);
        if (r < 0) {
            return r;
        }
        if ((flags & Fcntl.O_TMPFILE) == Fcntl.O_TMPFILE) {
            return openTmpfile(t, nd, flags, mode);
        }
        if ((flags & Fcntl.O_CREAT) == 0) {
            r = vfs.walk.walkFast(t) == 0 ? 0 : vfs.walk.walk(t);
            if (r < 0) {
                return r;
            }
            return doOpen(t, nd, nd.mount, nd.dentry, flags, false);
        }
        r = vfs.walk.walkParent(t);
        for (;;) {
            if (r < 0) {
                return r;
            }
            if (nd.lastType != Nameidata.LAST_NORM || nd.trailingSlash) {
                return -Errno.EISDIR;
            }
            Dentry parent = nd.dentry;
            Inode di = parent.inode();
            Dentry found;
            synchronized (di.dirLock()) {
                r = vfs.walk.lookupLast(t);
                if (r < 0) {
                    return r;
                }
                Dentry child = nd.child;
                if (child.isNegative()) {
                    return createAndOpen(t, nd, parent, child, flags, mode);
                }
                if ((flags & Fcntl.O_EXCL) != 0) {
                    return -Errno.EEXIST;
                }
                found = child;
            }
            if (found.inode().isSymlink()) {
                if ((flags & Fcntl.O_NOFOLLOW) != 0) {
                    return -Errno.ELOOP;
                }
                r = vfs.walk.followLastLink(t);
                if (r == PathWalk.MAGIC) {
                    return doOpen(t, nd, nd.mount, nd.dentry, flags, false);
                }
                continue;
            }
            Dentry d = nd.takeChild();
            Mount m = nd.mount;
            while (d.isMountpoint()) {
                Mount over = vfs.mountedAt(m, d);
                if (over == null) {
                    break;
                }
                over.root.get();
                d.put();
                d = over.root;
                m = over;
            }
            try {
                return doOpen(t, nd, m, d, flags, false);
            } finally {
                d.put();
            }
        }
    }

    /**
     * {@link #open} in attempt mode (ring0.abi.Attempt), for flags without O_CREAT, O_TMPFILE, O_TRUNC,
     * O_PATH, O_DIRECT or O_DIRECTORY: served if the path walks through trusted cached names only
     * ({@link PathWalk#walkFast}) to a regular file whose filesystem opens it with no host call
     * ({@link Inode#openAttempt}); else Attempt.WOULD_BLOCK with nothing done. The walk's own errors
     * (EFAULT, ENOENT for "", ENAMETOOLONG, EBADF, ENOTDIR of dirfd) are the call's. On success the new
     * description is in nd.file, as for open.
     */
    public long openAttempt(Task t, int dirfd, long path, int flags) {
        Nameidata nd = t.nd;
        long r = vfs.walk.getname(t, path, (flags & Fcntl.O_NOFOLLOW) == 0 ? Nameidata.LOOKUP_FOLLOW : 0, 0);
        if (r < 0) {
            return r;
        }
        r = vfs.walk.pathInitBorrowed(t, dirfd);
        if (r < 0) {
            return r;
        }
        if (vfs.walk.walkFast(t) != 0) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        Dentry d = nd.dentry;
        Inode i = d.inode();
        if (i.type() != Stat.S_IFREG) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        if (!i.fs().checksPermissions()) {
            r = i.permission(t, d, vfs.credentials(), accessMode(flags));
            if (r < 0) {
                return r;
            }
        }
        return i.openAttempt(t, nd, nd.mount, d, flags);
    }

    /**
     * The negative child of an open with O_CREAT: may_o_create, then atomic_open or create and
     * open. Preconditions: the directory's lock is held.
     */
    private long createAndOpen(Task t, Nameidata nd, Dentry parent, Dentry child, int flags, int mode) {
        long r = mayCreate(t, parent);
        if (r < 0) {
            return r;
        }
        Inode di = parent.inode();
        int m = applyUmask(di.fs(), mode);
        r = di.atomicOpen(t, nd, nd.mount, child, flags, m);
        if (r != Inode.NO_ATOMIC_OPEN) {
            if (child.isNegative()) {
                child.drop();
            }
            return r;
        }
        r = di.create(t, child, m);
        if (r < 0) {
            return r;
        }
        if (child.isNegative()) {
            child.drop();
            return -Errno.ENOENT;
        }
        return doOpen(t, nd, nd.mount, child, flags, true);
    }

    /** O_TMPFILE: an unnamed regular file in the directory the path names. */
    private long openTmpfile(Task t, Nameidata nd, int flags, int mode) {
        long r = vfs.walk.walk(t);
        if (r < 0) {
            return r;
        }
        Dentry dir = nd.dentry;
        r = mayCreate(t, dir);
        if (r < 0) {
            return r;
        }
        return dir.inode().tmpfile(t, nd, nd.mount, dir, flags, applyUmask(dir.fs(), mode));
    }

    /**
     * do_open and may_open: the type against the flags, the access against the permissions (unless
     * the file was just created), then the filesystem's open.
     */
    private long doOpen(Task t, Nameidata nd, Mount m, Dentry d, int flags, boolean created) {
        Inode i = d.inode();
        if ((flags & Fcntl.O_CREAT) != 0 && i.isDirectory()) {
            return -Errno.EISDIR;
        }
        if ((flags & Fcntl.O_DIRECTORY) != 0 && !i.isDirectory()) {
            return -Errno.ENOTDIR;
        }
        if ((flags & Fcntl.O_PATH) == 0 && !created) {
            int acc = accessMode(flags);
            switch (i.type()) {
                case Stat.S_IFLNK -> {
                    return -Errno.ELOOP;
                }
                case Stat.S_IFDIR -> {
                    if ((acc & Permission.MAY_WRITE) != 0) {
                        return -Errno.EISDIR;
                    }
                }
                case Stat.S_IFIFO, Stat.S_IFSOCK -> flags &= ~Fcntl.O_TRUNC;
                default -> { }
            }
            if (!i.fs().checksPermissions()) {
                long r = i.permission(t, d, vfs.credentials(), acc);
                if (r < 0) {
                    return r;
                }
                if ((flags & Fcntl.O_NOATIME) != 0 && !Permission.ownerOrCapable(vfs.credentials(), i)) {
                    return -Errno.EPERM;
                }
            }
        }
        return i.open(t, nd, m, d, created ? flags & ~Fcntl.O_TRUNC : flags);
    }

    /** The permissions an open needs (ACC_MODE, with O_TRUNC asking for write). */
    private static int accessMode(int flags) {
        int acc = switch (flags & Fcntl.O_ACCMODE) {
            case Fcntl.O_RDONLY -> Permission.MAY_READ;
            case Fcntl.O_WRONLY -> Permission.MAY_WRITE;
            default -> Permission.MAY_READ | Permission.MAY_WRITE;
        };
        if ((flags & Fcntl.O_TRUNC) != 0) {
            acc |= Permission.MAY_WRITE;
        }
        return acc;
    }
}
