package ring0.fs.hostfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

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
import ring0.vfs.Inode;
import ring0.vfs.Mount;
import ring0.vfs.Name;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;
import ring0.vfs.Permission;

/**
 * A host file. Most are known by their name in the host directory of their parent dentry (which
 * holds that directory's descriptor): every operation is then a host *at call on (directory, name).
 * Some hold an O_PATH descriptor of their own instead: directories (see {@link HostDirectory}), and
 * what a host magic link led to ({@link #magicLink}); their operations go through that descriptor
 * (AT_EMPTY_PATH, or /proc/self/fd/N where no *at call takes one).
 *
 * <p>Identity is the host's device and inode number; mode, uid and gid are the host's last answer,
 * refreshed whenever the host is asked.
 */
class HostInode extends Inode {
    /** The host's procfs (statfs f_type PROC_SUPER_MAGIC): its symbolic links are magic. */
    private static final long PROC_SUPER_MAGIC = 0x9fa0;

    final int devMajor, devMinor;
    /** An O_PATH descriptor of the file, or -1: then it is known by name. */
    final int fd;
    private volatile boolean closed;
    /** The cache of a regular file's data and attributes (shared with its other names), or null. */
    private volatile FileCache fileCache;
    /** The attributes of a file that is not regular, and the epoch the host gave them in. Guarded by attrs. */
    private final Kstat attrs;
    private long stamp = Long.MIN_VALUE;

    /**
     * @param k the host's answer about the file (statx), asked in epoch
     */
    HostInode(HostFilesystem fs, Kstat k, int fd, long epoch) {
        super(fs, k.ino, k.mode, k.uid, k.gid);
        this.devMajor = k.devMajor;
        this.devMinor = k.devMinor;
        this.fd = fd;
        HostCaches c = fs.caches();
        if (c.enabled() && isRegular()) {
            attrs = null;
            fileCache = c.fileFor(k);
            fileCache.adoptKstat(k, epoch);
        } else {
            attrs = new Kstat();
            FileCache.copy(k, attrs);
            stamp = epoch;
        }
    }

    HostInode(HostFilesystem fs, Kstat k, int fd) {
        this(fs, k, fd, Long.MIN_VALUE);
    }

    /** The caches of the filesystem. */
    final HostCaches caches() {
        return ((HostFilesystem) fs).caches();
    }

    /** The file cache of a regular file, linked now if the caches were set up after the inode was made; or null. */
    final FileCache fileCache() {
        FileCache fc = fileCache;
        if (fc == null && isRegular() && caches().enabled() && !closed) {
            synchronized (this) {
                fc = fileCache;
                if (fc == null) {
                    Kstat k = new Kstat();
                    synchronized (attrs) {
                        FileCache.copy(attrs, k);
                    }
                    k.ino = ino;
                    k.devMajor = devMajor;
                    k.devMinor = devMinor;
                    fc = caches().fileFor(k);
                    fileCache = fc;
                }
            }
        }
        return fc;
    }

    /** A Kstat from the struct statx at off of seg (as the host wrote it), for a new inode. */
    static Kstat statx(MemorySegment seg, long off) {
        Kstat k = new Kstat();
        k.readStatx(seg, off);
        return k;
    }

    /** Releases what the inode holds (its dentry was killed): its descriptor, its link to the file cache. */
    final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (fd >= 0) {
            Host.call(Sysno.SYS_CLOSE, fd, 0, 0);
        }
        FileCache fc = fileCache;
        if (fc != null) {
            fc.unlink();
        }
    }

    /**
     * If the struct statx at off of seg (asked in epoch) describes this very file, takes it as the
     * file's attributes and returns true; false if the name now means another file.
     */
    boolean refresh(Task t, MemorySegment seg, long off, long epoch) {
        long hostIno = seg.get(JAVA_LONG, off + Stat.STX_INO);
        int major = seg.get(JAVA_INT, off + Stat.STX_DEV_MAJOR), minor = seg.get(JAVA_INT, off + Stat.STX_DEV_MINOR);
        int m = seg.get(JAVA_SHORT, off + Stat.STX_MODE) & 0xffff;
        if (hostIno != ino || major != devMajor || minor != devMinor || Stat.type(m) != type()) {
            return false;
        }
        mode = m;
        uid = seg.get(JAVA_INT, off + Stat.STX_UID);
        gid = seg.get(JAVA_INT, off + Stat.STX_GID);
        FileCache fc = fileCache;
        if (fc != null) {
            fc.adopt(t, seg, off, epoch, null);
        } else if (attrs != null) {
            synchronized (attrs) {
                attrs.readStatx(seg, off);
                stamp = epoch;
            }
            caches().stamped();
        }
        return true;
    }

    /** A name of this file was removed by the kernel (unlink, replaced by a rename). */
    final void nameGone(Task t) {
        FileCache fc = fileCache;
        if (fc != null) {
            fc.nameGone(t);
        } else {
            invalidateAttrs();
        }
    }

    /** The attributes must be asked again (the kernel had the host change them, or the file's names). */
    final void invalidateAttrs() {
        FileCache fc = fileCache;
        if (fc != null) {
            fc.invalidateAttrs();
        } else if (attrs != null) {
            synchronized (attrs) {
                stamp = Long.MIN_VALUE;
            }
        }
    }

    /** The parent directory of d, referenced (the caller puts it): the host directory d's name is in. */
    static Dentry parentOf(Dentry d) {
        for (;;) {
            Dentry p = d.parent();
            p.get();
            if (d.parent() == p) {
                return p;
            }
            p.put();
        }
    }

    static int dirFd(Dentry parent) {
        return ((HostInode) parent.inode()).fd;
    }

    /** "/proc/self/fd/N" for this inode's descriptor, in t's scratch at slot. */
    final long selfPath(Task t, long slot) {
        return HostFilesystem.procPath(t, slot, fd, null);
    }

    // ---- attributes ---------------------------------------------------------------------------

    /**
     * From the cache while its attributes are trusted (hot path: a copy, no host call); else from the
     * host, through the file cache's descriptor if it has one (an unlinked file too), the inode's own,
     * or by name.
     */
    @Override
    public long getattrAttempt(Task t, Dentry d, Kstat k) {
        FileCache fc = fileCache();
        if (fc != null) {
            if (!fc.attemptable() || !fc.getattr(t, k)) {
                return ring0.abi.Attempt.WOULD_BLOCK;
            }
        } else if (attrs != null) {
            synchronized (attrs) {
                if (!caches().valid(stamp)) {
                    return ring0.abi.Attempt.WOULD_BLOCK;
                }
                FileCache.copy(attrs, k);
            }
        } else {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        t.cacheCounters[CacheStats.ATTR_HIT]++;
        return 0;
    }

    @Override
    public long getattr(Task t, Dentry d, Kstat k) {
        FileCache fc = fileCache();
        if (fc != null) {
            if (fc.getattr(t, k)) {
                t.cacheCounters[CacheStats.ATTR_HIT]++;
                return 0;
            }
            t.cacheCounters[CacheStats.ATTR_MISS]++;
            long r = fc.refresh(t, k);
            if (r <= 0) {
                return r;
            }
        } else if (attrs != null) {
            synchronized (attrs) {
                if (caches().valid(stamp)) {
                    FileCache.copy(attrs, k);
                    t.cacheCounters[CacheStats.ATTR_HIT]++;
                    return 0;
                }
            }
            t.cacheCounters[CacheStats.ATTR_MISS]++;
        }
        long epoch = caches().epoch();
        long stx = t.scratch.address() + HostFilesystem.STATX;
        if (fd >= 0) {
            return fill(t, Host.call(Sysno.SYS_STATX, fd, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH,
                    HostFilesystem.STATX_WANT, stx, 0), k, epoch);
        }
        Dentry p = parentOf(d);
        try {
            return fill(t, Host.call(Sysno.SYS_STATX, dirFd(p), HostFilesystem.cname(t, HostFilesystem.NAME_A, d.name()),
                    Fcntl.AT_SYMLINK_NOFOLLOW, HostFilesystem.STATX_WANT, stx, 0), k, epoch);
        } finally {
            p.put();
        }
    }

    /** Reads the host's struct statx answer (r, asked in epoch) from the task's scratch into k, and caches it. */
    private long fill(Task t, long r, Kstat k, long epoch) {
        if (r < 0) {
            return r;
        }
        k.readStatx(t.scratch, HostFilesystem.STATX);
        if (k.ino == ino && Stat.type(k.mode) == type()) {
            mode = k.mode;
            uid = k.uid;
            gid = k.gid;
            FileCache fc = fileCache;
            if (fc != null) {
                fc.adopt(t, t.scratch, HostFilesystem.STATX, epoch, k);
            } else if (attrs != null) {
                synchronized (attrs) {
                    FileCache.copy(k, attrs);
                    stamp = epoch;
                }
                caches().stamped();
            }
        }
        return 0;
    }

    /** Write-through: the host changes the file at once, and the cached attributes are asked again. */
    @Override
    public long setattr(Task t, Dentry d, Iattr a) {
        FileCache fc = fileCache();
        if (fc != null && (a.valid & Iattr.ATTR_SIZE) != 0) {
            long r = fc.truncate(t, a.size);
            if (r <= 0) {
                if (r < 0 || (a.valid & ~(Iattr.ATTR_SIZE | Iattr.ATTR_MTIME | Iattr.ATTR_CTIME)) == 0) {
                    return r;
                }
                a.valid &= ~Iattr.ATTR_SIZE; // truncated; the rest below (truncate(2) asks only this)
            }
        }
        try {
            return setattrOnHost(t, d, a);
        } finally {
            invalidateAttrs();
            if (fc != null && (a.valid & Iattr.ATTR_SIZE) != 0) {
                fc.afterHostWrite();
            }
        }
    }

    private long setattrOnHost(Task t, Dentry d, Iattr a) {
        if (fd >= 0) {
            return setattrByFd(t, a);
        }
        Dentry p = parentOf(d);
        try {
            int dir = dirFd(p);
            long name = HostFilesystem.cname(t, HostFilesystem.NAME_A, d.name());
            if ((a.valid & (Iattr.ATTR_UID | Iattr.ATTR_GID)) != 0) {
                long r = Host.call(Sysno.SYS_FCHOWNAT, dir, name, owner(a.valid, Iattr.ATTR_UID, a.uid),
                        owner(a.valid, Iattr.ATTR_GID, a.gid), Fcntl.AT_SYMLINK_NOFOLLOW, 0);
                if (r < 0) {
                    return r;
                }
            }
            if ((a.valid & Iattr.ATTR_MODE) != 0) {
                long r = Host.call(Sysno.SYS_FCHMODAT, dir, name, a.mode);
                if (r < 0) {
                    return r;
                }
            }
            if ((a.valid & Iattr.ATTR_SIZE) != 0) {
                long r = Host.call(Sysno.SYS_TRUNCATE, HostFilesystem.procPath(t, HostFilesystem.PATH, dir, d.name()), a.size, 0);
                if (r < 0) {
                    return r;
                }
            }
            if ((a.valid & (Iattr.ATTR_ATIME | Iattr.ATTR_MTIME)) != 0) {
                return Host.call(Sysno.SYS_UTIMENSAT, dir, name, times(t, a), Fcntl.AT_SYMLINK_NOFOLLOW, 0, 0);
            }
            return 0;
        } finally {
            p.put();
        }
    }

    /** setattr through the O_PATH descriptor: fchownat(AT_EMPTY_PATH), else the /proc/self/fd path. */
    private long setattrByFd(Task t, Iattr a) {
        if ((a.valid & (Iattr.ATTR_UID | Iattr.ATTR_GID)) != 0) {
            long r = Host.call(Sysno.SYS_FCHOWNAT, fd, HostFilesystem.EMPTY, owner(a.valid, Iattr.ATTR_UID, a.uid),
                    owner(a.valid, Iattr.ATTR_GID, a.gid), Fcntl.AT_EMPTY_PATH, 0);
            if (r < 0) {
                return r;
            }
        }
        if ((a.valid & Iattr.ATTR_MODE) != 0) {
            long r = Host.call(Sysno.SYS_CHMOD, selfPath(t, HostFilesystem.PATH), a.mode, 0);
            if (r < 0) {
                return r;
            }
        }
        if ((a.valid & Iattr.ATTR_SIZE) != 0) {
            long r = isDirectory() ? -Errno.EISDIR : Host.call(Sysno.SYS_TRUNCATE, selfPath(t, HostFilesystem.PATH), a.size, 0);
            if (r < 0) {
                return r;
            }
        }
        if ((a.valid & (Iattr.ATTR_ATIME | Iattr.ATTR_MTIME)) != 0) {
            return Host.call(Sysno.SYS_UTIMENSAT, Fcntl.AT_FDCWD, selfPath(t, HostFilesystem.PATH), times(t, a), 0, 0, 0);
        }
        return 0;
    }

    /** The uid or gid argument of chown: the new one, or -1 for "unchanged". */
    static long owner(int valid, int bit, int id) {
        return (valid & bit) != 0 ? id & 0xffffffffL : -1;
    }

    /** The timespec[2] of utimensat for a's times, in t's scratch. */
    static long times(Task t, Iattr a) {
        MemorySegment s = t.scratch;
        long at = HostFilesystem.TIMES;
        boolean atime = (a.valid & Iattr.ATTR_ATIME) != 0, mtime = (a.valid & Iattr.ATTR_MTIME) != 0;
        s.set(JAVA_LONG, at, a.atimeSec);
        s.set(JAVA_LONG, at + 8, !atime ? Fcntl.UTIME_OMIT : (a.valid & Iattr.ATTR_ATIME_SET) != 0 ? a.atimeNsec : Fcntl.UTIME_NOW);
        s.set(JAVA_LONG, at + 16, a.mtimeSec);
        s.set(JAVA_LONG, at + 24, !mtime ? Fcntl.UTIME_OMIT : (a.valid & Iattr.ATTR_MTIME_SET) != 0 ? a.mtimeNsec : Fcntl.UTIME_NOW);
        return s.address() + at;
    }

    /** Permission bits first; when they deny, the host decides (its ACLs may allow). */
    @Override
    public long permission(Task t, Dentry d, Credentials c, int mask) {
        long r = Permission.generic(c, mode, uid, gid, mask);
        return r == 0 ? 0 : access(t, d, c, mask & 7, true);
    }

    /** faccessat2 on the host, which knows ACLs and read-only mounts. */
    @Override
    public long access(Task t, Dentry d, Credentials c, int mask, boolean effective) {
        int eaccess = effective ? Fcntl.AT_EACCESS : 0;
        if (fd >= 0) {
            return Host.call(Sysno.SYS_FACCESSAT2, fd, HostFilesystem.EMPTY, mask, Fcntl.AT_EMPTY_PATH | eaccess, 0, 0);
        }
        Dentry p = parentOf(d);
        try {
            return Host.call(Sysno.SYS_FACCESSAT2, dirFd(p), HostFilesystem.cname(t, HostFilesystem.NAME_A, d.name()), mask,
                    Fcntl.AT_SYMLINK_NOFOLLOW | eaccess, 0, 0);
        } finally {
            p.put();
        }
    }

    // ---- symbolic links -----------------------------------------------------------------------

    /** The target of a symbolic link, cached while its stamp is valid (a walk through it asks no host). */
    @Override
    public long readlink(Task t, Dentry d, byte[] out) {
        if (!isSymlink()) {
            return -Errno.EINVAL;
        }
        HostCaches c = caches();
        synchronized (attrs) {
            byte[] l = link;
            if (l != null && c.valid(linkStamp)) {
                int n = Math.min(l.length, out.length);
                System.arraycopy(l, 0, out, 0, n);
                return n;
            }
        }
        long epoch = c.epoch();
        Dentry p = parentOf(d);
        try {
            long buf = t.scratch.address() + HostFilesystem.PATH;
            long n = Host.call(Sysno.SYS_READLINKAT, dirFd(p), HostFilesystem.cname(t, HostFilesystem.NAME_A, d.name()),
                    buf, Math.min(out.length, 4096), 0, 0);
            if (n > 0) {
                MemorySegment.copy(t.scratch, JAVA_BYTE, HostFilesystem.PATH, out, 0, (int) n);
                if (c.enabled() && n < out.length) {
                    synchronized (attrs) {
                        link = java.util.Arrays.copyOf(out, (int) n);
                        linkStamp = epoch;
                    }
                    c.stamped();
                }
            }
            return n;
        } finally {
            p.put();
        }
    }

    /** A symbolic link's target, and the epoch the host gave it in. Guarded by attrs. */
    private byte[] link;
    private long linkStamp = Long.MIN_VALUE;

    /**
     * A symbolic link of the host's procfs (/proc/PID/fd/N, cwd, exe...) is magic: Linux follows it
     * to the very file it stands for, not to the path its text shows (which may be "pipe:[42]" or a
     * deleted file). The host follows it here, and the file it reaches gets a dentry of its own,
     * held by an O_PATH descriptor (named like the link, with no place in the directory).
     */
    @Override
    public long magicLink(Task t, Dentry link, Nameidata nd) {
        if (!isSymlink()) {
            return 1;
        }
        Dentry p = parentOf(link);
        try {
            HostDirectory dir = (HostDirectory) p.inode();
            if (!dir.isProc(t)) {
                return 1;
            }
            long h = Host.call(Sysno.SYS_OPENAT, dir.fd, HostFilesystem.cname(t, HostFilesystem.NAME_A, link.name()),
                    Fcntl.O_PATH | Fcntl.O_CLOEXEC, 0, 0, 0);
            if (h < 0) {
                return h;
            }
            long r = Host.call(Sysno.SYS_STATX, h, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH, HostFilesystem.STATX_WANT,
                    t.scratch.address() + HostFilesystem.STATX, 0);
            if (r < 0) {
                Host.call(Sysno.SYS_CLOSE, h, 0, 0);
                return r;
            }
            Kstat k = statx(t.scratch, HostFilesystem.STATX);
            HostFilesystem hfs = (HostFilesystem) fs;
            Inode target = Stat.type(k.mode) == Stat.S_IFDIR ? new HostDirectory(hfs, (int) h, k) : new HostInode(hfs, k, (int) h);
            nd.setChild(Dentry.detached(p, link.name(), target));
            return 0;
        } finally {
            p.put();
        }
    }

    /** Whether statfs says fd is on the host's procfs. */
    static boolean onProc(Task t, int fd) {
        long buf = t.scratch.address() + HostFilesystem.STATX;
        return Host.call(Sysno.SYS_FSTATFS, fd, buf, 0) == 0 && t.scratch.get(JAVA_LONG, HostFilesystem.STATX) == PROC_SUPER_MAGIC;
    }

    // ---- open and exec ------------------------------------------------------------------------

    /**
     * A regular file opens from its cache when it can: no host call (the attributes are asked again if
     * they are stale, the permission is checked on them, the cache's host descriptor serves the
     * description). Otherwise, and for the rest, the host opens the file: a description of its own.
     */
    @Override
    public long open(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        FileCache fc = (flags & (Fcntl.O_PATH | Fcntl.O_DIRECT)) == 0 ? fileCache() : null;
        if (fc != null) {
            long r = openCached(t, nd, m, d, flags, fc);
            if (r != NOT_CACHED) {
                return r;
            }
        }
        t.cacheCounters[CacheStats.OPEN_HOST]++;
        return openOnHost(t, nd, m, d, flags, (flags & Fcntl.O_PATH) == 0 ? fileCache() : null);
    }

    /** {@link #openCached}: the cache cannot serve this open, the host must. */
    private static final long NOT_CACHED = Long.MIN_VALUE;

    /**
     * Hot path (an open of a cached file): no host call, one allocation (the description). Stale
     * attributes are asked again first (revalidate on open: the file may have changed on the host).
     */
    private long openCached(Task t, Nameidata nd, Mount m, Dentry d, int flags, FileCache fc) {
        Credentials c = caches().creds;
        if (c == null) {
            return NOT_CACHED;
        }
        boolean write = (flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY;
        boolean trunc = (flags & Fcntl.O_TRUNC) != 0;
        long r;
        HostFileDescription spare;
        synchronized (fc) {
            if (!fc.freshLocked() && fc.refreshExactLocked(t) < 0) {
                return NOT_CACHED; // the host gives its own error
            }
            r = fc.openLocked(t, this, d, write || trunc);
            if (r < 0) {
                return NOT_CACHED;
            }
            if (fc.permissionLocked(c, accessMask(flags)) != 0
                    || ((flags & Fcntl.O_NOATIME) != 0 && !fc.ownedLocked(c))) {
                fc.undoOpenLocked();
                return NOT_CACHED; // denied by the bits: the host decides (ACLs), with its own error
            }
            if (trunc) {
                r = fc.truncateLocked(t, 0);
            }
            spare = r < 0 ? null : fc.takeSpareLocked(m, d);
        }
        if (r < 0) {
            fc.released(t, false, null);
            return r;
        }
        caches().trimDataFds();
        return installOpened(t, nd, m, d, flags, fc, spare);
    }

    /**
     * {@link #open} in attempt mode: {@link #openCached} when it needs no host call (fresh attributes,
     * the cache's descriptor already open for the access, the bits allow it, no descriptor to trim);
     * else Attempt.WOULD_BLOCK with nothing done. The caller excluded O_CREAT, O_TRUNC, O_PATH, O_DIRECT.
     */
    @Override
    public long openAttempt(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        FileCache fc = fileCache();
        Credentials c = caches().creds;
        if (fc == null || c == null || (flags & Fcntl.O_NOATIME) != 0 || caches().dataFdsOver()) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        boolean write = (flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY;
        HostFileDescription spare;
        synchronized (fc) {
            if (!fc.attemptable() || !fc.freshLocked() || !fc.openableLocked(write)
                    || fc.permissionLocked(c, accessMask(flags)) != 0) {
                return ring0.abi.Attempt.WOULD_BLOCK;
            }
            if (fc.openLocked(t, this, d, write) < 0) {
                throw new IllegalStateException("openLocked failed after openableLocked"); // cannot happen
            }
            spare = fc.takeSpareLocked(m, d);
        }
        return installOpened(t, nd, m, d, flags, fc, spare);
    }

    /** The end of a cached open: the description (a spare one reused, or a new one) in nd.file. */
    private static long installOpened(Task t, Nameidata nd, Mount m, Dentry d, int flags, FileCache fc,
            HostFileDescription spare) {
        d.get();
        if (spare != null) {
            spare.reopen(flags);
            nd.file = spare;
        } else {
            nd.file = new HostFileDescription(m, d, flags, fc);
        }
        t.cacheCounters[CacheStats.OPEN_CACHED]++;
        return 0;
    }

    /** The permissions an open needs (ACC_MODE, with O_TRUNC asking for write). */
    private static int accessMask(int flags) {
        int acc = switch (flags & Fcntl.O_ACCMODE) {
            case Fcntl.O_RDONLY -> Permission.MAY_READ;
            case Fcntl.O_WRONLY -> Permission.MAY_WRITE;
            default -> Permission.MAY_READ | Permission.MAY_WRITE;
        };
        return (flags & Fcntl.O_TRUNC) != 0 ? acc | Permission.MAY_WRITE : acc;
    }

    /** The host opens the file for this description (fc, if not null, stays coherent with it). */
    private long openOnHost(Task t, Nameidata nd, Mount m, Dentry d, int flags, FileCache fc) {
        boolean path = (flags & Fcntl.O_PATH) != 0;
        if (fc != null && (flags & Fcntl.O_TRUNC) != 0) {
            fc.beforeHostIo(t); // the host truncates: what the cache holds goes first, and the size is asked again
            fc.afterHostWrite();
        }
        long h;
        if (fd >= 0) {
            // Through /proc/self/fd, which the host follows whatever O_NOFOLLOW says.
            int hostFlags = (path ? Fcntl.O_PATH : flags & ~Fcntl.O_NOFOLLOW) | Fcntl.O_CLOEXEC;
            h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, selfPath(t, HostFilesystem.PATH), hostFlags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL), 0, 0, 0);
        } else {
            int hostFlags = (path ? Fcntl.O_PATH | Fcntl.O_NOFOLLOW : flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL)) | Fcntl.O_CLOEXEC;
            Dentry p = parentOf(d);
            try {
                h = Host.call(Sysno.SYS_OPENAT, dirFd(p), HostFilesystem.cname(t, HostFilesystem.NAME_A, d.name()), hostFlags, 0, 0, 0);
            } finally {
                p.put();
            }
        }
        if (h < 0) {
            return h;
        }
        d.get();
        nd.file = path ? new PathFile(m, d, flags, (int) h) : new HostFileDescription(m, d, (int) h, flags, fc);
        return 0;
    }

    /** execve of the host path: a script's interpreter gets a path it can open. */
    @Override
    public long exec(Task t, Dentry d, long argv, long envp) {
        if (fd >= 0) {
            return Host.call(Sysno.SYS_EXECVEAT, fd, HostFilesystem.EMPTY, argv, envp, Fcntl.AT_EMPTY_PATH, 0);
        }
        byte[] path = ((HostFilesystem) fs).hostPath(d).getBytes(StandardCharsets.UTF_8);
        if (path.length >= Nameidata.PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        return Host.call(Sysno.SYS_EXECVE, HostFilesystem.cbytes(t, HostFilesystem.PATH, path), argv, envp);
    }

}
