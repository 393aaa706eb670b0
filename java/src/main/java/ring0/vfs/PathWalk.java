package ring0.vfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * Path resolution (Linux: fs/namei.c, path_init, link_path_walk, walk_component, follow_dotdot,
 * handle_mounts, pick_link): absolute paths from the process root, relative ones from the working
 * directory or a dirfd; {@code .} and {@code ..}, at the root and across mount points; symbolic links,
 * at most {@link Nameidata#MAXSYMLINKS} per walk (ELOOP); trailing slashes; PATH_MAX and NAME_MAX
 * (ENAMETOOLONG); search permission on every directory passed (EACCES).
 *
 * <p>A walk is {@link #start}, then {@link #walk} (the whole path) or {@link #walkParent} (all but the
 * last component, which a change then looks up itself with {@link #lookupLast}). Results are in the
 * task's {@link Nameidata}, with references the caller drops by {@link Nameidata#release}.
 *
 * <p>Hot path: walking through cached dentries allocates nothing and takes no lock but each
 * directory's monitor for the moment of the lookup. Dentries not cached are looked up through the
 * filesystem and cached (when it retains them); cached ones are revalidated by their filesystem.
 */
public final class PathWalk {
    /** {@link #walkParent} result: the walk followed a symlink in the last component; walk again. */
    private static final int PUSHED = 1;
    /** {@link #followLastLink} result: a magic link took the walk to its file, now nd's dentry. */
    public static final int MAGIC = 2;

    private final Vfs vfs;

    PathWalk(Vfs vfs) {
        this.vfs = vfs;
    }

    /**
     * path_init: copies the path from the app (EFAULT, ENAMETOOLONG; ENOENT if empty, unless flags
     * has LOOKUP_EMPTY) and sets where the walk starts: the root for an absolute path, else the
     * working directory (AT_FDCWD) or dirfd (EBADF; ENOTDIR if not a directory). An empty path with
     * LOOKUP_EMPTY stands at dirfd itself: nd.file holds its description, and nd.dentry its dentry,
     * or null for a file outside the VFS (a pipe, a socket).
     *
     * @param resolve openat2's RESOLVE_* flags, 0 for the other calls
     */
    public long start(Task t, int dirfd, long pathAddr, int flags, int resolve) {
        long len = getname(t, pathAddr, flags, resolve);
        return len < 0 ? len : pathInit(t, dirfd);
    }

    /**
     * The first half of {@link #start} (getname): copies the path and forgets the previous walk.
     * Returns the path's length or -errno. A call that checks its flags between the copy and the
     * start of the walk, as Linux does, calls this, then {@link #pathInit}.
     */
    public long getname(Task t, long pathAddr, int flags, int resolve) {
        Nameidata nd = t.nd;
        nd.release();
        nd.flags = flags;
        nd.resolve = resolve;
        nd.links = 0;
        nd.trailingSlash = false;
        nd.pos = nd.end = 0;
        long len = pathAddr == 0 && (flags & Nameidata.LOOKUP_NULL_EMPTY) != 0 ? 0 : copyPath(nd, pathAddr);
        if (len == 0 && (flags & Nameidata.LOOKUP_EMPTY) == 0) {
            return -Errno.ENOENT;
        }
        return len;
    }

    /** The second half of {@link #start} (path_init), after {@link #getname}. */
    public long pathInit(Task t, int dirfd) {
        Nameidata nd = t.nd;
        return startAt(t, nd, dirfd, nd.end);
    }

    /**
     * {@link #pathInit} for a walk that only {@link #walkFast} makes (the calls' attempt paths, which
     * answer "would block" when it fails): a start at the process root or the working directory is
     * borrowed, not referenced (two atomic updates fewer on the root's count, which every thread
     * shares, each way). The garbage collector keeps a borrowed dentry readable, as the walk's
     * others; a working directory that dies meanwhile has no children, so the walk finds nothing.
     */
    public long pathInitBorrowed(Task t, int dirfd) {
        Nameidata nd = t.nd;
        boolean absolute = nd.end > 0 && nd.path[0] == '/';
        if (nd.resolve != 0 || !(absolute || dirfd == Fcntl.AT_FDCWD)) {
            return pathInit(t, dirfd);
        }
        nd.lastType = Nameidata.LAST_ROOT;
        VfsPath r = vfs.rootBorrowed(), start = absolute ? r : vfs.cwdBorrowed();
        nd.rootMount = r.mount();
        nd.rootDentry = r.dentry();
        nd.mount = start.mount();
        nd.dentry = start.dentry();
        nd.borrowedDentry = nd.borrowedRoot = true;
        return 0;
    }

    /** Like {@link #start}, for a path the kernel holds itself (not in the app's memory). */
    public long startKernelPath(Task t, int dirfd, byte[] path, int flags) {
        Nameidata nd = t.nd;
        nd.release();
        nd.flags = flags;
        nd.resolve = 0;
        nd.links = 0;
        nd.trailingSlash = false;
        if (path.length >= Nameidata.PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        if (path.length == 0) {
            return -Errno.ENOENT;
        }
        System.arraycopy(path, 0, nd.path, 0, path.length);
        nd.pos = 0;
        nd.end = path.length;
        return startAt(t, nd, dirfd, path.length);
    }

    private long startAt(Task t, Nameidata nd, int dirfd, long len) {
        nd.lastType = Nameidata.LAST_ROOT;
        boolean absolute = len > 0 && nd.path[0] == '/';
        boolean scoped = (nd.resolve & (Fcntl.RESOLVE_BENEATH | Fcntl.RESOLVE_IN_ROOT)) != 0;
        if (absolute && !scoped) {
            VfsPath r = vfs.root();
            r.dentry().get();
            nd.rootMount = nd.mount = r.mount();
            nd.rootDentry = nd.dentry = r.dentry();
            return 0;
        }
        if (absolute && (nd.resolve & Fcntl.RESOLVE_BENEATH) != 0) {
            return -Errno.EXDEV;
        }
        if (dirfd == Fcntl.AT_FDCWD) {
            VfsPath c = vfs.cwd();
            nd.mount = c.mount();
            nd.dentry = c.dentry();
        } else {
            FileDescription f = vfs.fds().get(dirfd);
            if (f == null) {
                return -Errno.EBADF;
            }
            if (!(f instanceof VfsFile vf)) {
                if (len != 0) {
                    f.put();
                    return -Errno.ENOTDIR;
                }
                nd.file = f;
                return 0;
            }
            Dentry d = vf.dentry();
            d.get();
            nd.mount = vf.mount();
            nd.dentry = d;
            if (len != 0) {
                f.put();
                if (!d.isDirectory()) {
                    return -Errno.ENOTDIR;
                }
            } else {
                nd.file = f; // the empty path: the file itself, which fstat asks better than its name
            }
        }
        if (scoped) {
            nd.dentry.get();
            nd.rootMount = nd.mount;
            nd.rootDentry = nd.dentry;
        } else {
            VfsPath r = vfs.root();
            nd.rootMount = r.mount();
            nd.rootDentry = r.dentry();
        }
        return 0;
    }

    /**
     * strncpy_from_user of the path into nd.path: its length, -EFAULT if it runs into memory the
     * app cannot read, -ENAMETOOLONG if it has no NUL within PATH_MAX bytes.
     */
    private static long copyPath(Nameidata nd, long addr) {
        byte[] p = nd.path;
        for (int i = 0; i < Nameidata.PATH_MAX; ) {
            long a = addr + i;
            if ((i == 0 || (a & 4095) == 0) && !UserMemory.canRead(a, 1)) {
                return -Errno.EFAULT;
            }
            if ((a & 4095) <= 4096 - 8 && i + 8 <= Nameidata.PATH_MAX) {
                // Eight bytes at a time while they stay in this page (strncpy_from_user's word loop).
                long w = UserMemory.ALL.get(JAVA_LONG_UNALIGNED, a);
                long zero = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
                int n = zero == 0 ? 8 : Long.numberOfTrailingZeros(zero) >>> 3;
                WORDS.set(p, i, w);
                i += n;
                if (n < 8) {
                    nd.pos = 0;
                    nd.end = i;
                    return i;
                }
                continue;
            }
            byte b = UserMemory.ALL.get(JAVA_BYTE, a);
            if (b == 0) {
                nd.pos = 0;
                nd.end = i;
                return i;
            }
            p[i++] = b;
        }
        return -Errno.ENAMETOOLONG;
    }

    /** byte[] as little-endian longs, for {@link #copyPath}. */
    private static final java.lang.invoke.VarHandle WORDS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Resolves the whole path: on success nd.dentry is positive (or nd.file is set, see
     * {@link #start}). Follows a symlink in the last component if nd's flags say LOOKUP_FOLLOW.
     */
    public long walk(Task t) {
        Nameidata nd = t.nd;
        if (nd.dentry == null) {
            return 0; // an empty path at a file outside the VFS
        }
        for (;;) {
            long r = walkComponents(t, nd);
            if (r < 0) {
                return r;
            }
            r = lastComponent(t, nd);
            if (r < 0) {
                return r;
            }
            if (r != PUSHED) {
                if ((nd.flags & Nameidata.LOOKUP_DIRECTORY) != 0 && !nd.dentry.isDirectory()) {
                    return -Errno.ENOTDIR;
                }
                return 0;
            }
        }
    }

    /**
     * {@link #walk} through cached dentries only, as Linux's RCU walk: no reference taken on the way
     * (the garbage collector keeps what the walk reads alive), no lock, no host call; only the dentry
     * the walk ends on is referenced, and kept if it is still the one cached under its name. Returns
     * 0 with nd as {@link #walk} leaves it, or 1 with nd untouched, when the walk must go the usual way:
     * a name not cached or not trusted now, ".", "..", a symbolic link, a mount point, a trailing
     * slash, a permission the mode bits deny, a component that is not a directory, openat2's RESOLVE
     * flags. Only after {@link #start} (or getname and pathInit) returned 0.
     */
    public long walkFast(Task t) {
        Nameidata nd = t.nd;
        Dentry d = nd.dentry;
        if (d == null || nd.resolve != 0 || nd.file != null) {
            return 1;
        }
        byte[] p = nd.path;
        int pos = nd.pos, end = nd.end, hits = 0, lastStart = 0, lastLen = 0, lastHash = 0;
        long lastTail = 0;
        if (end + 8 > p.length) {
            return 1; // the word loop below reads up to eight bytes past a component
        }
        Credentials cred = vfs.credentials();
        Name probe = nd.probe;
        Dentry parent = null;
        while (pos < end && p[pos] == '/') {
            pos++;
        }
        while (pos < end) {
            Inode dir = d.inode();
            if (dir == null || !dir.isDirectory() || d.isMountpoint()
                    || Permission.generic(cred, dir.mode, dir.uid, dir.gid, Permission.MAY_EXEC) != 0) {
                return 1;
            }
            // The component and its hash a word at a time (hash_name): up to a '/' or the end.
            int start = pos;
            long h = 0, tail;
            for (;;) {
                long w = (long) WORDS.get(p, pos);
                long x = w ^ 0x2f2f2f2f2f2f2f2fL;
                long slash = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                int n = Math.min(slash == 0 ? 8 : Long.numberOfTrailingZeros(slash) >>> 3, end - pos);
                if (n == 8) {
                    h = Name.mix(h, w);
                    pos += 8;
                    continue;
                }
                tail = w & ((1L << (n << 3)) - 1);
                if (n != 0) {
                    h = Name.mix(h, tail);
                }
                pos += n;
                break;
            }
            int len = pos - start, hash = Name.finish(h);
            if (len > Nameidata.NAME_MAX || (p[start] == '.' && (len == 1 || (len == 2 && p[start + 1] == '.')))) {
                return 1;
            }
            if (pos < end) {
                while (pos < end && p[pos] == '/') {
                    pos++;
                }
                if (pos == end) {
                    return 1; // a trailing slash
                }
            }
            probe.set(p, start, len, hash, tail);
            lastStart = start;
            lastLen = len;
            lastHash = hash;
            lastTail = tail;
            Dentry c = d.peekChild(probe);
            if (c == null || c.isDead()) {
                return 1;
            }
            Inode ci = c.inode();
            if (ci == null || ci.isSymlink()) {
                return 1;
            }
            int v = c.fs().revalidateFast(t, c);
            if (v == 0) {
                return 1;
            }
            if (v == 2) {
                hits++;
            }
            parent = d;
            d = c;
        }
        if (parent == null || d.isMountpoint()) {
            return 1; // "/": the usual walk
        }
        if ((nd.flags & Nameidata.LOOKUP_DIRECTORY) != 0 && !d.isDirectory()) {
            return 1;
        }
        if (!d.tryGet()) {
            return 1;
        }
        if (parent.peekChild(probe) != d) {
            d.put();
            return 1;
        }
        nd.last.set(p, lastStart, lastLen, lastHash, lastTail);
        nd.lastType = Nameidata.LAST_NORM;
        nd.pos = end;
        if (nd.borrowedDentry) {
            nd.borrowedDentry = false;
        } else {
            nd.dentry.put();
        }
        nd.dentry = d;
        if (hits > 0) {
            t.cacheCounters[0] += hits; // CacheStats.LOOKUP_HIT
        }
        return 0;
    }

    /**
     * filename_parentat: {@link #start} of the path at dirfd (no flags), then {@link #walkParent}.
     */
    public long parentAt(Task t, int dirfd, long pathAddr) {
        long r = start(t, dirfd, pathAddr, 0, 0);
        return r < 0 ? r : walkParent(t);
    }

    /**
     * Resolves all but the last component: nd.dentry is the parent directory, nd.last the name in
     * it, nd.lastType its kind and nd.trailingSlash whether slashes followed it.
     */
    public long walkParent(Task t) {
        Nameidata nd = t.nd;
        if (nd.dentry == null) {
            return -Errno.ENOTDIR;
        }
        return walkComponents(t, nd);
    }

    /**
     * Continues a parent walk into the last component when it is a symbolic link that must be
     * followed (open with O_CREAT of an existing link): the walk stands at nd.child's parent.
     * Returns 0 with a new last component to look at, {@link #MAGIC} if a magic link took the walk to
     * its file (now nd's dentry), or -errno.
     */
    public long followLastLink(Task t) {
        Nameidata nd = t.nd;
        Dentry link = nd.takeChild();
        long r = followLink(t, nd, link);
        if (r != PUSHED) {
            return r < 0 ? r : MAGIC;
        }
        r = pushLink(t, nd, link);
        link.put();
        if (r < 0) {
            return r;
        }
        return walkComponents(t, nd);
    }

    /** link_path_walk: every component but the last, following symlinks on the way. */
    private long walkComponents(Task t, Nameidata nd) {
        byte[] p = nd.path;
        for (;;) {
            p = nd.path;
            while (nd.pos < nd.end && p[nd.pos] == '/') {
                nd.pos++;
            }
            if (nd.pos == nd.end) {
                return 0; // "/" or a link to "/": lastType is LAST_ROOT
            }
            long r = mayLookup(t, nd);
            if (r < 0) {
                return r;
            }
            int start = nd.pos;
            while (nd.pos < nd.end && p[nd.pos] != '/') {
                nd.pos++;
            }
            int len = nd.pos - start;
            int type = Nameidata.LAST_NORM;
            if (p[start] == '.' && (len == 1 || (len == 2 && p[start + 1] == '.'))) {
                type = len == 1 ? Nameidata.LAST_DOT : Nameidata.LAST_DOTDOT;
            }
            int after = nd.pos;
            while (after < nd.end && p[after] == '/') {
                after++;
            }
            if (after == nd.end) {
                nd.last.set(p, start, len);
                nd.lastType = type;
                if (after != nd.pos) {
                    nd.trailingSlash = true;
                    nd.flags |= Nameidata.LOOKUP_FOLLOW | Nameidata.LOOKUP_DIRECTORY;
                }
                nd.pos = after;
                return 0;
            }
            nd.pos = after;
            nd.probe.set(p, start, len);
            r = step(t, nd, type, nd.probe, true);
            if (r < 0) {
                return r;
            }
            if (r != PUSHED && !nd.dentry.isDirectory()) {
                return -Errno.ENOTDIR;
            }
        }
    }

    /** lookup_last: the last component of a lookup. */
    private long lastComponent(Task t, Nameidata nd) {
        if (nd.lastType == Nameidata.LAST_ROOT) {
            return 0;
        }
        return step(t, nd, nd.lastType, nd.last, (nd.flags & Nameidata.LOOKUP_FOLLOW) != 0);
    }

    /**
     * walk_component: moves the walk into one component: stays for ".", goes up for "..", else looks
     * the name up (ENOENT if it does not exist) and crosses mounts; a symlink, if followed, is pushed
     * in front of the rest of the path (PUSHED) and the walk stays where it is.
     */
    private long step(Task t, Nameidata nd, int type, Name name, boolean follow) {
        if (type == Nameidata.LAST_DOT) {
            return 0;
        }
        if (type == Nameidata.LAST_DOTDOT) {
            return dotdot(nd);
        }
        long r = lookupChild(t, nd, nd.dentry, name);
        if (r < 0) {
            return r;
        }
        Dentry c = nd.takeChild();
        if (c.isNegative()) {
            c.put();
            return -Errno.ENOENT;
        }
        if (c.inode().isSymlink() && follow) {
            r = followLink(t, nd, c);
            if (r != PUSHED) {
                return r;
            }
            r = pushLink(t, nd, c);
            c.put();
            return r < 0 ? r : PUSHED;
        }
        return enter(nd, nd.mount, c);
    }

    /**
     * A magic link is followed by its filesystem: the walk enters what it stands for, in the link's
     * mount or the one the link jumped to (and the link counts towards MAXSYMLINKS). Returns PUSHED for an ordinary link, left to {@link #pushLink};
     * otherwise the link's reference is dropped.
     */
    private long followLink(Task t, Nameidata nd, Dentry link) {
        long r = link.inode().magicLink(t, link, nd);
        if (r == 1) {
            return PUSHED;
        }
        link.put();
        Mount m = nd.childMount != null ? nd.childMount : nd.mount;
        nd.childMount = null;
        if (r < 0) {
            return r;
        }
        Dentry target = nd.takeChild();
        if (nd.links++ >= Nameidata.MAXSYMLINKS || (nd.resolve & (Fcntl.RESOLVE_NO_SYMLINKS | Fcntl.RESOLVE_NO_MAGICLINKS)) != 0) {
            target.put();
            return -Errno.ELOOP;
        }
        return enter(nd, m, target);
    }

    /** Makes (m, d) the walk's place, crossing down any mounts on d. Takes over the reference on d. */
    private long enter(Nameidata nd, Mount m, Dentry d) {
        while (d.isMountpoint()) {
            Mount over = vfs.mountedAt(m, d);
            if (over == null) {
                break;
            }
            if ((nd.resolve & Fcntl.RESOLVE_NO_XDEV) != 0) {
                d.put();
                return -Errno.EXDEV;
            }
            over.root.get();
            d.put();
            d = over.root;
            m = over;
        }
        nd.dentry.put();
        nd.dentry = d;
        nd.mount = m;
        return 0;
    }

    /** follow_dotdot: up one level; stays at the walk's root; from a mount's root, to its mount point. */
    private long dotdot(Nameidata nd) {
        for (;;) {
            if (nd.dentry == nd.rootDentry && nd.mount == nd.rootMount) {
                return (nd.resolve & Fcntl.RESOLVE_BENEATH) != 0 ? -Errno.EXDEV : 0;
            }
            if (nd.dentry != nd.mount.root) {
                Dentry p;
                do {
                    p = nd.dentry.parent();
                } while (!p.tryGet());
                return enter(nd, nd.mount, p);
            }
            if (nd.mount.parent == null) {
                return 0;
            }
            if ((nd.resolve & (Fcntl.RESOLVE_NO_XDEV | Fcntl.RESOLVE_BENEATH)) != 0) {
                return -Errno.EXDEV;
            }
            Dentry mp = nd.mount.mountpoint;
            mp.get();
            nd.dentry.put();
            nd.dentry = mp;
            nd.mount = nd.mount.parent;
        }
    }

    /**
     * pick_link: puts the target of link (a child of the walk's directory) in front of the rest of the
     * path; an absolute target restarts from the walk's root.
     */
    private long pushLink(Task t, Nameidata nd, Dentry link) {
        if (nd.links++ >= Nameidata.MAXSYMLINKS || (nd.resolve & Fcntl.RESOLVE_NO_SYMLINKS) != 0) {
            return -Errno.ELOOP;
        }
        long n = link.inode().readlink(t, link, nd.link);
        if (n < 0) {
            return n;
        }
        if (n == 0) {
            return -Errno.ENOENT;
        }
        int len = (int) n, rest = nd.end - nd.pos;
        int need = len + (rest > 0 ? 1 + rest : 0);
        byte[] to = nd.spare.length >= need ? nd.spare : new byte[2 * need];
        System.arraycopy(nd.link, 0, to, 0, len);
        if (rest > 0) {
            to[len] = '/';
            System.arraycopy(nd.path, nd.pos, to, len + 1, rest);
        }
        nd.spare = nd.path;
        nd.path = to;
        nd.pos = 0;
        nd.end = need;
        if (to[0] == '/') {
            if ((nd.resolve & Fcntl.RESOLVE_BENEATH) != 0) {
                return -Errno.EXDEV;
            }
            if ((nd.resolve & Fcntl.RESOLVE_NO_XDEV) != 0 && nd.mount != nd.rootMount) {
                return -Errno.EXDEV;
            }
            nd.rootDentry.get();
            nd.dentry.put();
            nd.dentry = nd.rootDentry;
            nd.mount = nd.rootMount;
            nd.lastType = Nameidata.LAST_ROOT;
        }
        return 0;
    }

    /** may_lookup: search permission on the directory the walk stands in. */
    private long mayLookup(Task t, Nameidata nd) {
        Inode dir = nd.dentry.inode();
        return dir.permission(t, nd.dentry, vfs.credentials(), Permission.MAY_EXEC);
    }

    /**
     * Finds the child name of dir: the cached dentry if its filesystem says it is still valid, else
     * a fresh lookup, cached. On success nd.child holds it (maybe negative), referenced.
     * ENAMETOOLONG for a name longer than NAME_MAX.
     */
    long lookupChild(Task t, Nameidata nd, Dentry dir, Name name) {
        if (name.length() > Nameidata.NAME_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        Dentry c = dir.cachedChild(name);
        if (c != null) {
            int v = c.fs().revalidate(t, c);
            if (v > 0) {
                nd.child = c;
                return 0;
            }
            c.drop();
            c.put();
            if (v < 0) {
                return v;
            }
        }
        Inode di = dir.inode();
        Dentry n = Dentry.newChild(dir, name.copy());
        long r = di.lookup(t, n);
        if (r < 0) {
            n.put();
            return r;
        }
        Dentry got = dir.addChild(n);
        if (got != n) {
            n.put();
        }
        nd.child = got;
        return 0;
    }

    /**
     * After {@link #walkParent}: looks up the last component for a change of the directory (create,
     * remove, rename). nd.child gets the dentry, negative if the name does not exist; the walk's
     * dentry stays the directory. Follows neither symlinks nor mounts.
     *
     * <p>Preconditions: the caller holds the directory's lock ({@link Inode#dirLock}).
     */
    public long lookupLast(Task t) {
        Nameidata nd = t.nd;
        return lookupForChange(t, nd, nd.dentry, nd.last);
    }

    /** {@link #lookupChild} of a name a change will act on (the filesystem may check a cached one again). */
    long lookupForChange(Task t, Nameidata nd, Dentry dir, Name name) {
        nd.forChange = true;
        try {
            return lookupChild(t, nd, dir, name);
        } finally {
            nd.forChange = false;
        }
    }
}
