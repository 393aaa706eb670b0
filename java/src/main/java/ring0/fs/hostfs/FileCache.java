package ring0.fs.hostfs;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Permission;

/**
 * The kernel's cache of one regular host file (Linux: an inode's address_space, with its size and
 * times). Every {@link HostInode} that names the file shares it (hard links, a directory mounted
 * twice): {@link HostCaches} finds it by device and inode number.
 *
 * <h2>Pages: the host's own</h2>
 * The cache holds a host descriptor of the file (the data descriptor: read-only until a description
 * that may write opens the file, read-write from then on) and maps it MAP_SHARED, in {@link #CHUNK}-sized
 * pieces mapped on first use and kept while the descriptor is.
 * A kernel read or write of the file inside the host file's size is a copy to or from that mapping,
 * with no host call: the bytes are the host's page cache, so what the kernel writes is in the host
 * file at once (other processes and the app's children read it, and it survives a kill -9 of Ring0),
 * and the app's own mmap of the file maps the very same pages, coherent by construction.
 *
 * <h2>The tail: writes past the host file's end</h2>
 * A mapping cannot hold what lies past the host file's end. Appends and other growth go to a tail
 * buffer taken from {@link HostCaches}' pool: the bytes [hostSize, hostSize + tailLen) of the file,
 * dirty, written to the host (pwrite) at fsync, close, before a child process starts, when the buffer
 * is full, and within a second otherwise ({@link HostCaches}' writeback job). The file's size for the
 * app is hostSize + tailLen. While the app has the file mapped, or a child process runs, or no buffer
 * is free, growth goes to the host at once instead.
 *
 * <p>Large transfers ({@link #DIRECT_MIN} bytes and more) skip the cache: one host pread or pwrite
 * straight between the app's buffer and the file, as a native call would do, after the tail they
 * could overlap is flushed.
 *
 * <h2>Attributes</h2>
 * The host's last answer ({@link #attrs}, stamped with the caches' epoch when it was asked), with the
 * kernel's own changes laid over it until the host has them: the size, and the modification time of
 * the kernel's writes (which the flush gives the host too, so times do not jump when the file is
 * asked again).
 *
 * <h2>Faults</h2>
 * If another process shrinks the file, a page of the mapping past its new end faults (SIGBUS). The
 * JVM turns a fault in a memory copy into an InternalError ("a fault occurred in an unsafe memory
 * access operation") on the copying thread, which this class catches: the size is asked again and the
 * transfer is done by the host instead, with the host's answer (a short read, as natively).
 *
 * <p>Locking: this object's monitor guards everything here, and is held across each transfer, so no
 * mapping is unmapped and no descriptor closed while a copy uses it. The data descriptor is closed
 * only when no description of the file is open (so a host call made outside the monitor by an open
 * description never meets a closed or reused descriptor, and the app's POSIX locks, which any close of
 * the file would drop, are never lost). Lock order: a FileCache, then the caches' locks.
 */
final class FileCache {
    /** The size of one mapped piece. */
    static final int CHUNK_SHIFT = 21;
    static final long CHUNK = 1L << CHUNK_SHIFT;
    /** Transfers of at least this many bytes go straight to the host file. */
    static final long DIRECT_MIN = 64 * 1024;

    private static final int SYS_PREAD64 = 17, SYS_PWRITE64 = 18, SYS_MMAP = 9, SYS_MUNMAP = 11, SYS_CLOSE = 3;
    private static final int SYS_FSYNC = 74, SYS_FDATASYNC = 75, SYS_FTRUNCATE = 77, SYS_OPENAT = 257;
    private static final int SYS_STATX = 332, SYS_FSTATFS = 138;
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
    private static final long[] NO_CHUNKS = {};

    /** statfs f_type of host filesystems whose files are generated on every read: never cached. */
    private static final long[] GENERATED_FS = {
        0x9fa0L /* proc */, 0x62656572L /* sysfs */, 0x27e0ebL /* cgroup */, 0x63677270L /* cgroup2 */,
        0x64626720L /* debugfs */, 0x74726163L /* tracefs */, 0x73636673L /* securityfs */, 0xcafe4a11L /* bpf */,
        0x62656570L /* configfs */, 0x6165676cL /* pstore */, 0xde5e81e4L /* efivarfs */, 0x65735543L /* fusectl */,
        0x958458f6L /* hugetlbfs */, 0x42494e4dL /* binfmt_misc */, 0x1cd1L /* devpts */,
    };

    final HostCaches caches;
    final long dev, ino;

    // ---- guarded by this ------------------------------------------------------------------------
    /** The host's last answer about the file (the kernel's changes are laid over it: see getattr). */
    private final Kstat attrs = new Kstat();
    /** The caches' epoch when attrs were asked; Long.MIN_VALUE: never, or no longer to be trusted. */
    private long stamp = Long.MIN_VALUE;
    /** HostInodes that use this cache, and open descriptions of the file (cached or not). */
    private int links, opens;
    /** The data descriptor, or -1; whether it was opened read-write. */
    private int fd = -1;
    private boolean fdWritable;
    /** A read-only descriptor replaced by a read-write one while descriptions were open; closed later. */
    private int retiredFd = -1;
    /** The data cannot be cached (a file of the host's generated filesystems): host descriptions only. */
    private boolean uncacheable;
    /** The host cannot map the file: the kernel reads and writes it with host calls (offsets still its own). */
    private boolean noMap;
    private long[] chunks = NO_CHUNKS;
    private int mappedChunks;
    private boolean chunksWritable;
    /** The host file's size as the kernel knows it. */
    private long hostSize;
    /** The tail buffer (an address of the pool's, 0 if none) and how many bytes of it are the file's. */
    private long tail;
    /**
     * Whether every byte in the tail came from appends (O_APPEND): the flush then appends it on the
     * host too, after whatever others appended meanwhile, instead of writing it at hostSize over them.
     */
    private boolean tailAppends;
    private long tailLen;
    /** The app mapped the file: its host size stays exact (no tail). */
    private boolean appMapped;
    /** The kernel wrote through the mapping since the last flush (the host's mtime may lag). */
    private boolean mappedDirty;
    /** The kernel changed the data since the host's attributes were last asked: mtimeMs is the time. */
    private boolean modified;
    private long mtimeMs;
    /** A write error met by a flush, reported by the next fsync or close (-errno, or 0). */
    private long error;
    /** A description took a POSIX record lock: see {@link #released}. */
    private boolean posixLocked;
    /**
     * The host may have allocated blocks the kernel cannot count (a write through the mapping into a
     * hole of a sparse file): st_blocks must be asked again.
     */
    private boolean blocksStale;
    /** The host filesystem's s_maxbytes: the largest size and offset of a file ({@link #maxBytes}). */
    private long maxBytes = Long.MAX_VALUE;
    /** Used since the last sweep of the descriptor limit (a clock bit). */
    boolean referenced;
    /** In the caches' table (false once the file lost its last name, or another file took its number). */
    boolean inTable = true;

    FileCache(HostCaches caches, long dev, long ino) {
        this.caches = caches;
        this.dev = dev;
        this.ino = ino;
    }

    // ---- links and opens ----------------------------------------------------------------------

    synchronized void link() {
        links++;
    }

    /** A HostInode that used this cache is gone; the last one releases what the cache holds on the host. */
    void unlink() {
        boolean last;
        synchronized (this) {
            last = --links == 0 && opens == 0;
            if (last) {
                flushLocked(null, CacheStats.FLUSH_OTHER);
                releaseHostLocked();
            }
        }
        if (last) {
            caches.forget(this);
        }
    }

    /** Nothing uses the cache: no HostInode, no open description. Preconditions: holds this. */
    boolean unusedLocked() {
        return links == 0 && opens == 0;
    }

    /**
     * A name of the file was removed (unlink, replaced by a rename): its link count and change time
     * are stale, and if it was its last name, a new file may get its inode number once the cache's
     * descriptor lets it go: the cache leaves the table.
     */
    void nameGone(Task t) {
        boolean last = false;
        synchronized (this) {
            stamp = Long.MIN_VALUE;
            if (fd >= 0) {
                // The cache's descriptor keeps the file: its link count says whether a name is left.
                long stx = t.scratch.address() + HostFilesystem.STATX;
                last = Host.call(SYS_STATX, fd, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH, Stat.STATX_NLINK, stx, 0) == 0
                        && t.scratch.get(java.lang.foreign.ValueLayout.JAVA_INT, HostFilesystem.STATX + Stat.STX_NLINK) == 0;
            }
        }
        if (last) {
            caches.unnamed(this); // without a descriptor, the number is free for a new file: the cache is just attributes
        }
    }

    /** The app set the file's times itself: the kernel's writes so far must not move them again. */
    synchronized void timesSet() {
        modified = false;
        mappedDirty = false;
        stamp = Long.MIN_VALUE;
    }

    /**
     * A description of a file the host just created and opened read-write for the cache (h, whose
     * statx answer is in the task's scratch): h becomes the data descriptor (or is closed if the cache
     * has a read-write one already). Returns 0, or -errno (h closed) if the file cannot be cached.
     * Preconditions: holds this.
     */
    long openCreatedLocked(Task t, int h) {
        long epoch = caches.epoch();
        if (uncacheable) {
            Host.call(SYS_CLOSE, h, 0, 0);
            return -Errno.EOPNOTSUPP;
        }
        if (fd >= 0 && fdWritable) {
            Host.call(SYS_CLOSE, h, 0, 0);
        } else {
            if (fd < 0) {
                long sfs = t.scratch.address() + HostFilesystem.PATH;
                if (Host.call(SYS_FSTATFS, h, sfs, 0) == 0) {
                    if (generated(t.scratch.get(JAVA_LONG, HostFilesystem.PATH))) {
                        Host.call(SYS_CLOSE, h, 0, 0);
                        uncacheable = true;
                        return -Errno.EOPNOTSUPP;
                    }
                    maxBytes = maxBytes(t.scratch.get(JAVA_LONG, HostFilesystem.PATH), t.scratch.get(JAVA_LONG, HostFilesystem.PATH + 8));
                }
            }
            boolean registered = fd >= 0;
            if (fd >= 0) {
                unmapLocked();
                if (opens > 0) {
                    retiredFd = fd;
                } else {
                    Host.call(SYS_CLOSE, fd, 0, 0);
                }
            }
            fd = h;
            fdWritable = true;
            count(t, CacheStats.DATA_FDS_OPENED, 1);
            if (!registered) {
                caches.dataFdOpened(this);
            }
        }
        adoptLocked(t, t.scratch, HostFilesystem.STATX, epoch, true);
        opens++;
        referenced = true;
        return 0;
    }

    /** The attributes must be asked again (a change the host made for the kernel: chmod, utimes...). */
    synchronized void invalidateAttrs() {
        stamp = Long.MIN_VALUE;
    }

    /**
     * A description opens: makes sure the data descriptor can serve it (read-write for a writer),
     * opening it through inode i at dentry d if needed. Returns 0, or -errno if the cache cannot serve
     * it (the caller then opens the file on the host as it is).
     *
     * <p>Preconditions: holds this.
     */
    long openLocked(Task t, HostInode i, Dentry d, boolean write) {
        if (uncacheable) {
            return -Errno.EOPNOTSUPP;
        }
        if (fd < 0 || (write && !fdWritable)) {
            long r = openFdLocked(t, i, d, write);
            if (r < 0) {
                return r;
            }
        }
        opens++;
        referenced = true;
        return 0;
    }

    /** Whether {@link #openLocked} would succeed with no host call. Preconditions: holds this. */
    boolean openableLocked(boolean write) {
        return !uncacheable && fd >= 0 && (!write || fdWritable);
    }

    /**
     * Whether {@link #released} (flushing, with a reusable description) would make no host call now:
     * nothing dirty to write, no POSIX lock to drop, and either another open remains or the last
     * one's release keeps the cache (a link, no retired descriptor). Preconditions: holds this.
     */
    boolean releaseQuietLocked() {
        if (hostBusy != 0 || tailLen != 0 || tail != 0 || mappedDirty || posixLocked || error != 0) {
            return false;
        }
        return opens > 1 || (opens == 1 && links > 0 && retiredFd < 0 && !fdWritable);
    }

    /** generic_permission on the cached mode and owner. Preconditions: holds this. */
    long permissionLocked(Credentials c, int mask) {
        return Permission.generic(c, attrs.mode, attrs.uid, attrs.gid, mask);
    }

    /** inode_owner_or_capable on the cached owner. Preconditions: holds this. */
    boolean ownedLocked(Credentials c) {
        return attrs.uid == c.fsuid() || c.capable(Credentials.CAP_FOWNER);
    }

    /**
     * Asks the host for the attributes through the data descriptor, if there is one (0; nothing to do
     * without one: opening it asks). Returns 0 or -errno. Preconditions: holds this.
     */
    long refreshExactLocked(Task t) {
        if (fd < 0) {
            return 0;
        }
        long epoch = caches.epoch();
        long stx = t.scratch.address() + HostFilesystem.STATX;
        long r = Host.call(SYS_STATX, fd, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH, HostFilesystem.STATX_WANT, stx, 0);
        if (r < 0) {
            return r;
        }
        adoptLocked(t, t.scratch, HostFilesystem.STATX, epoch, true);
        return 0;
    }

    /** A released cached description that the next open of the file at its place may reuse. Guarded by this. */
    private HostFileDescription spare;

    /**
     * The spare description if it was of (m, d), taken; null otherwise. Preconditions: holds this.
     */
    HostFileDescription takeSpareLocked(ring0.vfs.Mount m, Dentry d) {
        HostFileDescription s = spare;
        if (s != null && s.dentry() == d && s.mount() == m) {
            spare = null;
            return s;
        }
        return null;
    }

    /** Takes back an {@link #openLocked} whose description was not made. Preconditions: holds this. */
    void undoOpenLocked() {
        opens--;
    }

    /** A description that does not use the cache's descriptor (a host one) is open too: writes stay coherent. */
    synchronized void openedOnHost() {
        opens++;
    }

    /**
     * An open description of the file was released: dirty data goes to the host (close), and if the
     * app held POSIX record locks on the file they are dropped, as closing any descriptor of a file does.
     * The last one gives a read-write data descriptor back to the host: its close is the close of a
     * file opened for writing that others wait for (inotify's IN_CLOSE_WRITE: a file is complete).
     * Returns a flush error, or 0.
     */
    long released(Task t, boolean flush, HostFileDescription reusable) {
        boolean forget = false;
        long r;
        synchronized (this) {
            if (reusable != null && links > 0) {
                spare = reusable;
            }
            r = flush ? flushLocked(t, CacheStats.FLUSH_CLOSE) : 0;
            if (flush && r == 0 && error != 0) {
                r = error;
                error = 0;
            }
            if (--opens == 0) {
                posixLocked = false;
                if (links == 0) {
                    spare = null;
                }
                if (retiredFd >= 0) {
                    Host.call(SYS_CLOSE, retiredFd, 0, 0);
                    retiredFd = -1;
                }
                if (links == 0) {
                    releaseHostLocked();
                    forget = true;
                } else if (fdWritable && tailLen == 0) {
                    releaseHostLocked();
                }
            } else if (posixLocked) {
                unlockPosixLocked();
            }
        }
        if (forget) {
            caches.forget(this);
        }
        return r;
    }

    /** A description took a POSIX (fcntl) record lock on the file. */
    synchronized void posixLocked() {
        posixLocked = true;
    }

    /** Drops the process's POSIX locks on the file (F_SETLK of F_UNLCK over everything, on the data descriptor). */
    private void unlockPosixLocked() {
        if (fd < 0) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fl = a.allocate(32, 8); // struct flock: l_type F_UNLCK(2), whence 0, start 0, len 0
            fl.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) 2);
            Host.call(Sysno.SYS_FCNTL, fd, Fcntl.F_SETLK, fl.address());
        }
    }

    /**
     * Opens the data descriptor through inode i at d: by name in its host directory (O_NOFOLLOW, and the
     * inode number checked, so a name that now means another file is not taken for this one), or through
     * the inode's own descriptor. Preconditions: holds this.
     */
    private long openFdLocked(Task t, HostInode i, Dentry d, boolean write) {
        // Read-only until a writer comes: a file open for writing could not be executed (ETXTBSY).
        boolean rw = write;
        long h = openHost(t, i, d, rw ? Fcntl.O_RDWR : Fcntl.O_RDONLY);
        if (h < 0) {
            return h;
        }
        long stx = t.scratch.address() + HostFilesystem.STATX;
        long r = Host.call(SYS_STATX, h, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH, HostFilesystem.STATX_WANT, stx, 0);
        if (r < 0 || t.scratch.get(JAVA_LONG, HostFilesystem.STATX + Stat.STX_INO) != ino
                || Stat.type(t.scratch.get(java.lang.foreign.ValueLayout.JAVA_SHORT, HostFilesystem.STATX + Stat.STX_MODE)) != Stat.S_IFREG) {
            Host.call(SYS_CLOSE, h, 0, 0);
            return r < 0 ? r : -Errno.ESTALE;
        }
        long epoch = caches.epoch();
        if (fd < 0) {
            // The first descriptor: is this a file the host generates on every read (procfs, sysfs...)?
            long sfs = t.scratch.address() + HostFilesystem.PATH;
            if (Host.call(SYS_FSTATFS, h, sfs, 0) == 0) {
                if (generated(t.scratch.get(JAVA_LONG, HostFilesystem.PATH))) {
                    Host.call(SYS_CLOSE, h, 0, 0);
                    uncacheable = true;
                    return -Errno.EOPNOTSUPP;
                }
                maxBytes = maxBytes(t.scratch.get(JAVA_LONG, HostFilesystem.PATH), t.scratch.get(JAVA_LONG, HostFilesystem.PATH + 8));
            }
        }
        adoptLocked(t, t.scratch, HostFilesystem.STATX, epoch, true);
        if (fd >= 0) {
            // A read-write descriptor replaces a read-only one: its mappings were read-only.
            unmapLocked();
            if (opens > 0) {
                retiredFd = fd; // an open description may be using it outside the monitor
            } else {
                Host.call(SYS_CLOSE, fd, 0, 0);
            }
        }
        boolean registered = fd >= 0;
        fd = (int) h;
        fdWritable = rw;
        count(t, CacheStats.DATA_FDS_OPENED, 1);
        if (!registered) {
            caches.dataFdOpened(this);
        }
        return 0;
    }

    private long openHost(Task t, HostInode i, Dentry d, int access) {
        long h;
        if (i.fd >= 0) {
            h = Host.call(SYS_OPENAT, Fcntl.AT_FDCWD, i.selfPath(t, HostFilesystem.PATH), access | Fcntl.O_CLOEXEC, 0, 0, 0);
        } else {
            Dentry p = HostInode.parentOf(d);
            try {
                h = Host.call(SYS_OPENAT, HostInode.dirFd(p), HostFilesystem.cname(t, HostFilesystem.NAME_A, d.name()),
                        access | Fcntl.O_CLOEXEC | Fcntl.O_NOFOLLOW, 0, 0, 0);
            } finally {
                p.put();
            }
        }
        return h;
    }

    /** statfs f_type of ext2, ext3 and ext4 (one driver, ext4's, serves them all). */
    private static final long EXT4_SUPER_MAGIC = 0xef53L;

    /**
     * The s_maxbytes of a host filesystem, from its statfs answer (f_type, f_bsize): ext4's
     * ext4_max_size for extent-mapped files with huge_file, (2^32 - 1) blocks (16 TiB - 4 KiB with
     * 4 KiB blocks); MAX_LFS_FILESIZE (LLONG_MAX on 64 bits) for the others (tmpfs, xfs, btrfs...).
     */
    static long maxBytes(long fsType, long blockSize) {
        if (fsType == EXT4_SUPER_MAGIC && blockSize >= 1024 && Long.bitCount(blockSize) == 1) {
            return ((1L << 32) - 1) << Long.numberOfTrailingZeros(blockSize);
        }
        return Long.MAX_VALUE;
    }

    /** The largest size and offset of the file (s_maxbytes of its host filesystem). Preconditions: holds this. */
    long maxBytesLocked() {
        return maxBytes;
    }

    private static boolean generated(long fsType) {
        for (long m : GENERATED_FS) {
            if (m == fsType) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives up the data descriptor and mappings (the descriptor limit, or a fork that must not find the
     * file open for writing), after a flush. Returns false if the file is in use (an open description).
     */
    boolean evict(boolean writableOnly) {
        synchronized (this) {
            if (opens > 0 || fd < 0 || (writableOnly && !fdWritable)) {
                return false;
            }
            flushLocked(null, CacheStats.FLUSH_OTHER);
            releaseHostLocked();
            caches.countShared(CacheStats.DATA_FDS_EVICTED, 1);
        }
        return true;
    }

    /** Closes the descriptors and unmaps. Preconditions: holds this; no description is open; flushed. */
    private void releaseHostLocked() {
        unmapLocked();
        if (tail != 0) {
            caches.releaseTail(this, tail); // a flush error kept it: the data is lost, as Linux's after EIO
            tail = 0;
            tailLen = 0;
        }
        if (fd >= 0) {
            Host.call(SYS_CLOSE, fd, 0, 0);
            fd = -1;
            caches.dataFdClosed(this);
        }
        if (retiredFd >= 0) {
            Host.call(SYS_CLOSE, retiredFd, 0, 0);
            retiredFd = -1;
        }
        fdWritable = false;
        noMap = false;
    }

    private void unmapLocked() {
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] != 0) {
                Host.call(SYS_MUNMAP, chunks[i], CHUNK, 0);
                chunks[i] = 0;
            }
        }
        mappedChunks = 0;
    }

    /** The data descriptor, for a host call that does not use a file offset; flushed first. -1 if none. */
    synchronized int syncedFd(Task t) {
        flushLocked(t, CacheStats.FLUSH_OTHER);
        return fd;
    }

    /** The data descriptor without a flush (the caller flushed, or only reads what the host has). */
    synchronized int fd() {
        return fd;
    }

    // ---- attributes ---------------------------------------------------------------------------

    /**
     * getattr from the cache: fills k and returns true if the attributes are still trusted, false if
     * the host must be asked ({@link #adopt}, then again).
     */
    synchronized boolean getattr(Task t, Kstat k) {
        if (!caches.valid(stamp) || blocksStale) {
            return false;
        }
        fillLocked(k);
        return true;
    }

    /** Fills k with the host's attributes and the kernel's changes laid over them. Preconditions: holds this. */
    void fillLocked(Kstat k) {
        copy(attrs, k);
        k.size = hostSize + tailLen;
        if (tailLen > 0) {
            k.blocks += delallocBlocksLocked(hostSize, hostSize + tailLen);
        }
        if (modified) {
            long sec = Math.floorDiv(mtimeMs, 1000);
            int nsec = (int) Math.floorMod(mtimeMs, 1000) * 1_000_000;
            if (sec > k.mtimeSec || (sec == k.mtimeSec && nsec > k.mtimeNsec)) {
                k.mtimeSec = k.ctimeSec = sec;
                k.mtimeNsec = k.ctimeNsec = nsec;
            }
        }
    }

    /**
     * Asks the host for the attributes through the data descriptor (works for an unlinked file too)
     * and fills k. Returns 0, or 1 if the cache has no descriptor (ask by name, then {@link #adopt}), or
     * -errno.
     */
    synchronized long refresh(Task t, Kstat k) {
        if (fd < 0) {
            return 1;
        }
        long epoch = caches.epoch();
        long stx = t.scratch.address() + HostFilesystem.STATX;
        long r = Host.call(SYS_STATX, fd, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH, HostFilesystem.STATX_WANT, stx, 0);
        if (r < 0) {
            return r;
        }
        adoptLocked(t, t.scratch, HostFilesystem.STATX, epoch, true);
        if (k != null) {
            fillLocked(k);
        }
        return 0;
    }

    /** Takes the host's answer (a struct statx at off of seg, asked at epoch) and fills k if not null. */
    synchronized void adopt(Task t, MemorySegment seg, long off, long epoch, Kstat k) {
        adoptLocked(t, seg, off, epoch, false);
        if (k != null) {
            fillLocked(k);
        }
    }

    private final Kstat answer = new Kstat();

    /**
     * Takes the host's answer about the file. An answer asked by name, outside the monitor, may be older
     * than the kernel's own last write: while the cache has a descriptor (and so may be writing), the
     * size shrinks only by answers asked through it under the monitor (exact).
     */
    private void adoptLocked(Task t, MemorySegment seg, long off, long epoch, boolean exact) {
        Kstat a = answer;
        a.readStatx(seg, off);
        if (a.ino != ino) {
            return; // another file by now: the caller's name lookup notices
        }
        if (stamp != Long.MIN_VALUE && (a.size != attrs.size || a.mtimeSec != attrs.mtimeSec
                || a.mtimeNsec != attrs.mtimeNsec || a.ctimeSec != attrs.ctimeSec || a.ctimeNsec != attrs.ctimeNsec)
                && tailLen == 0 && !mappedDirty && !modified) {
            count(t, CacheStats.CHANGED_ON_HOST, 1);
        }
        copy(a, attrs);
        blocksStale = false;
        if (tailLen == 0) {
            // Another process grew the file: safe to take from any answer. A smaller size only from an
            // exact one (an older answer would cut off the kernel's own latest writes).
            hostSize = exact || fd < 0 ? a.size : Math.max(hostSize, a.size);
            if (!mappedDirty) {
                modified = false;
            }
        }
        stamp = epoch;
        caches.stamped();
    }

    // ---- data ---------------------------------------------------------------------------------

    /** The file's size for the app. Preconditions: holds this. */
    long sizeLocked() {
        return hostSize + tailLen;
    }

    // ---- st_blocks ------------------------------------------------------------------------------

    /** The host's block size (st_blksize), the unit it allocates in. Preconditions: holds this. */
    private long blockSizeLocked() {
        long bs = attrs.blksize;
        return bs >= 512 && Long.bitCount(bs) == 1 ? bs : 4096;
    }

    /**
     * st_blocks (512-byte units) of the blocks that data in [from, end), past the host file's end
     * (from is hostSize), will take once written: the blocks past the one holding the host's last
     * byte. What ext4's delayed allocation reserves, and counts in st_blocks, as soon as a write puts
     * the data in the page cache (tmpfs counts its pages at once too). Preconditions: holds this.
     */
    private long delallocBlocksLocked(long from, long end) {
        long bs = blockSizeLocked();
        long first = Math.ceilDiv(from, bs), last = Math.ceilDiv(end, bs);
        return last > first ? (last - first) * (bs >> 9) : 0;
    }

    /**
     * Whether the host file may have holes below size: fewer blocks allocated than its size needs.
     * Preconditions: holds this.
     */
    private boolean sparseLocked(long size) {
        long bs = blockSizeLocked();
        return attrs.blocks < Math.ceilDiv(size, bs) * (bs >> 9);
    }

    /**
     * The host wrote [off, end) of the file, whose size was oldSize (a flush, a pwrite): the blocks it
     * allocated are counted in the attributes, as the host now counts them: those past oldSize's last
     * block; if the write was below oldSize in a file with holes, the host is asked again instead.
     * Preconditions: holds this.
     */
    private void hostWroteLocked(long off, long end, long oldSize) {
        if (off < oldSize && sparseLocked(oldSize)) {
            blocksStale = true;
            return;
        }
        long bs = blockSizeLocked();
        long first = Math.max(Math.ceilDiv(oldSize, bs), off / bs), last = Math.ceilDiv(end, bs);
        if (last > first) {
            attrs.blocks += (last - first) * (bs >> 9);
        }
    }

    /** Whether the attributes are trusted now. Preconditions: holds this. */
    boolean freshLocked() {
        return caches.valid(stamp);
    }

    /**
     * Reads up to count (> 0) bytes at off into the app's buf: the bytes read, 0 at the end of the
     * file, or -errno. Hot path: a copy from the mapping or the tail, no host call, no allocation.
     *
     * <p>Preconditions: holds this; the caller has a description open (so fd is good).
     */
    long readLocked(Task t, long buf, long count, long off) {
        long size = hostSize + tailLen;
        if (off >= size && !caches.valid(stamp)) {
            // At the end as the kernel knows it: someone else may have written more.
            refreshSizeLocked(t);
            size = hostSize + tailLen;
        }
        if (off >= size) {
            return 0;
        }
        long n = Math.min(count, size - off);
        if (n >= DIRECT_MIN || noMap) {
            return readDirectLocked(t, buf, n, off);
        }
        if (!UserMemory.canWrite(buf, n)) {
            return -Errno.EFAULT;
        }
        long done = 0;
        if (off < hostSize) {
            long m = Math.min(n, hostSize - off);
            long r = copyPagesLocked(t, buf, m, off, false);
            if (r != m) {
                return r; // a fault or a mapping failure: the host's answer
            }
            done = m;
        }
        if (done < n) {
            try {
                MemorySegment.copy(UserMemory.ALL, tail + (off + done - hostSize), UserMemory.ALL, buf + done, n - done);
            } catch (InternalError e) {
                return done > 0 ? done : -Errno.EFAULT; // the app's buffer is a mapping that faulted
            }
        }
        long[] c = t.cacheCounters;
        c[CacheStats.READ_CACHED]++;
        c[CacheStats.READ_CACHED_BYTES] += n;
        return n;
    }

    /** {@link #directReadFdLocked}: the read is small, for {@link #readLocked}. */
    static final long NOT_DIRECT = Long.MIN_VALUE;

    /**
     * For a read of n bytes at off that goes straight to the host: the tail it overlaps is written, and
     * the descriptor to pread is returned (or -errno); {@link #NOT_DIRECT} for a read the cache serves.
     * Preconditions: holds this; the caller has a description open (so the descriptor stays open).
     */
    long directReadFdLocked(Task t, long n, long off) {
        if (n < DIRECT_MIN && !noMap) {
            return NOT_DIRECT;
        }
        if (tailLen > 0 && off + n > hostSize) {
            long r = flushLocked(t, CacheStats.FLUSH_OTHER);
            if (r < 0) {
                return r;
            }
        }
        return fd;
    }

    /** One host pread of n bytes at off, after the tail it overlaps is written. Preconditions: holds this. */
    private long readDirectLocked(Task t, long buf, long n, long off) {
        if (tailLen > 0 && off + n > hostSize) {
            long r = flushLocked(t, CacheStats.FLUSH_OTHER);
            if (r < 0) {
                return r;
            }
        }
        long r = Host.call(SYS_PREAD64, fd, buf, n, off, 0, 0);
        if (r > 0) {
            long[] c = t.cacheCounters;
            c[CacheStats.READ_DIRECT]++;
            c[CacheStats.READ_DIRECT_BYTES] += r;
        }
        return r;
    }

    /**
     * Copies n bytes between the app's buf and the file at off (inside hostSize) through the mapping.
     * Returns n, or what the host answered instead if a piece could not be mapped or faulted (-errno, or
     * a short count). Preconditions: holds this; buf checked.
     */
    private long copyPagesLocked(Task t, long buf, long n, long off, boolean write) {
        long done = 0;
        if (write) {
            mappedDirty = true;
        }
        try {
            while (done < n) {
                long o = off + done;
                long base = chunkLocked(t, o, write);
                if (base == 0) {
                    break;
                }
                long in = o & (CHUNK - 1);
                long m = Math.min(n - done, CHUNK - in);
                if (write) {
                    MemorySegment.copy(UserMemory.ALL, buf + done, UserMemory.ALL, base + in, m);
                } else {
                    MemorySegment.copy(UserMemory.ALL, base + in, UserMemory.ALL, buf + done, m);
                }
                done += m;
            }
        } catch (InternalError e) {
            // SIGBUS: the host file is shorter than the kernel thought (someone truncated it).
            count(t, CacheStats.FAULTS, 1);
            refreshSizeLocked(t);
        }
        if (done == n) {
            return n;
        }
        // Let the host do what is left, with its own answer at its end of file.
        long r = write ? Host.call(SYS_PWRITE64, fd, buf + done, n - done, off + done, 0, 0)
                : Host.call(SYS_PREAD64, fd, buf + done, n - done, off + done, 0, 0);
        if (r < 0) {
            return done > 0 ? done : r;
        }
        if (write) {
            hostWroteLocked(off + done, off + done + r, hostSize);
            hostSize = Math.max(hostSize, off + done + r);
        }
        return done + r;
    }

    /** The address of the mapped chunk holding offset off, mapping it if needed; 0 if the host cannot map it. */
    private long chunkLocked(Task t, long off, boolean write) {
        int i = (int) (off >>> CHUNK_SHIFT);
        long[] c = chunks;
        if (i < c.length && c[i] != 0 && (!write || chunksWritable)) {
            return c[i];
        }
        if (noMap || (write && !fdWritable)) {
            return 0;
        }
        if (write && !chunksWritable && mappedChunks > 0) {
            unmapLocked(); // read-only pieces of an earlier read-only descriptor
        }
        int prot = fdWritable ? PROT_READ | PROT_WRITE : PROT_READ;
        long a = Host.call(SYS_MMAP, 0, CHUNK, prot, MAP_SHARED, fd, (long) i << CHUNK_SHIFT);
        if (a < 0 && a > -4096) {
            noMap = true;
            return 0;
        }
        if (i >= chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(i + 1, 2 * chunks.length));
        }
        chunks[i] = a;
        chunksWritable = fdWritable;
        mappedChunks++;
        count(t, CacheStats.CHUNKS_MAPPED, 1);
        return a;
    }

    /** Asks the host for the attributes and size (lseek SEEK_END of a stale file). Preconditions: holds this. */
    void refreshLocked(Task t) {
        refreshSizeLocked(t);
    }

    /** Asks the host for the size (fstat of the data descriptor). Preconditions: holds this. */
    private void refreshSizeLocked(Task t) {
        if (fd < 0) {
            return;
        }
        hostBusy++;
        try {
            refreshSizeLocked0(t);
        } finally {
            hostBusy--;
        }
    }

    private void refreshSizeLocked0(Task t) {
        long epoch = caches.epoch();
        MemorySegment s = t != null ? t.scratch : null;
        if (s == null) {
            return;
        }
        long stx = s.address() + HostFilesystem.STATX;
        if (Host.call(SYS_STATX, fd, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH, HostFilesystem.STATX_WANT, stx, 0) == 0) {
            adoptLocked(t, s, HostFilesystem.STATX, epoch, true);
        }
    }

    /**
     * Writes count (> 0) bytes of the app's buf at off: the bytes written or -errno. Hot path: a copy
     * into the mapping (inside the host file) or into the tail (past it), no host call, no allocation.
     *
     * <p>An append (O_APPEND: off is the end the kernel knows) that reaches the host now is appended
     * there ({@link #hostAppendLocked}): another process may have appended since the size was asked.
     *
     * <p>Preconditions: holds this; the caller has a writable description open (fd is read-write).
     */
    long writeLocked(Task t, long buf, long count, long off, boolean append) {
        long n = count;
        if (n >= DIRECT_MIN || noMap) {
            return writeDirectLocked(t, buf, n, off, append);
        }
        if (!UserMemory.canRead(buf, n)) {
            return -Errno.EFAULT;
        }
        boolean tailOk = !appMapped && caches.writebackAllowed();
        long done = 0;
        while (done < n) {
            // An append goes to the end, which a flush that met another process's appends moves.
            long o = append ? hostSize + tailLen : off + done, left = n - done, m;
            if (o < hostSize) {
                m = Math.min(left, hostSize - o);
                if (!blocksStale && sparseLocked(hostSize)) {
                    blocksStale = true; // the host may fill a hole: it counts the block, the kernel cannot
                }
                long r = copyPagesLocked(t, buf + done, m, o, true);
                if (r != m) {
                    return r < 0 ? (done > 0 ? done : r) : done + r;
                }
            } else if (tailOk && o <= hostSize + tailLen && (tail != 0 || acquireTailLocked())) {
                long at = o - hostSize;
                long room = HostCaches.TAIL_SIZE - at;
                if (room == 0) {
                    long r = flushLocked(t, CacheStats.FLUSH_LIMIT);
                    if (r < 0) {
                        return done > 0 ? done : r;
                    }
                    continue;
                }
                m = Math.min(left, room);
                try {
                    MemorySegment.copy(UserMemory.ALL, buf + done, UserMemory.ALL, tail + at, m);
                } catch (InternalError e) {
                    return done > 0 ? done : -Errno.EFAULT; // the app's buffer is a mapping that faulted
                }
                tailAppends = tailLen == 0 ? append : tailAppends && append;
                tailLen = Math.max(tailLen, at + m);
            } else {
                // A hole past the tail, or no tail now: the host writes it.
                if (tailLen > 0) {
                    long r = flushLocked(t, tailOk ? CacheStats.FLUSH_OTHER : CacheStats.FLUSH_LIMIT);
                    if (r < 0) {
                        return done > 0 ? done : r;
                    }
                    continue;
                }
                long r = append ? hostAppendLocked(t, buf + done, left) : Host.call(SYS_PWRITE64, fd, buf + done, left, o, 0, 0);
                if (r <= 0) {
                    return done > 0 ? done : r;
                }
                if (!append) {
                    hostWroteLocked(o, o + r, hostSize);
                    hostSize = Math.max(hostSize, o + r);
                }
                m = r;
            }
            done += m;
        }
        modifiedLocked();
        long[] c = t.cacheCounters;
        c[CacheStats.WRITE_CACHED]++;
        c[CacheStats.WRITE_CACHED_BYTES] += n;
        return n;
    }

    /** One host pwrite of n bytes at off, after the tail is written. Preconditions: holds this. */
    private long writeDirectLocked(Task t, long buf, long n, long off, boolean append) {
        if (tailLen > 0) {
            long r = flushLocked(t, CacheStats.FLUSH_OTHER);
            if (r < 0) {
                return r;
            }
        }
        if (append) {
            long r = hostAppendLocked(t, buf, n);
            if (r > 0) {
                modifiedLocked();
                long[] c = t.cacheCounters;
                c[CacheStats.WRITE_DIRECT]++;
                c[CacheStats.WRITE_DIRECT_BYTES] += r;
            }
            return r;
        }
        long r = Host.call(SYS_PWRITE64, fd, buf, n, off, 0, 0);
        if (r > 0) {
            hostWroteLocked(off, off + r, hostSize);
            hostSize = Math.max(hostSize, off + r);
            modifiedLocked();
            long[] c = t.cacheCounters;
            c[CacheStats.WRITE_DIRECT]++;
            c[CacheStats.WRITE_DIRECT_BYTES] += r;
        }
        return r;
    }

    /** The kernel changed the data now: the modification time it reports (and gives the host at the flush). */
    private void modifiedLocked() {
        modified = true;
        mtimeMs = System.currentTimeMillis();
    }

    private boolean acquireTailLocked() {
        long a = caches.acquireTail(this);
        if (a == 0) {
            return false;
        }
        tail = a;
        tailLen = 0;
        return true;
    }

    /**
     * Writes the tail to the host file, and gives the host the modification time of the kernel's
     * writes. Returns 0 or -errno (the tail is kept then, and the error reported by the next fsync or
     * close). Preconditions: holds this.
     */
    long flushLocked(Task t, int reason) {
        hostBusy++;
        try {
            return flushLocked0(t, reason);
        } finally {
            hostBusy--;
        }
    }

    private long flushLocked0(Task t, int reason) {
        if (tailLen == 0) {
            if (tail != 0) {
                caches.releaseTail(this, tail);
                tail = 0;
            }
            if (mappedDirty) {
                mappedDirty = false;
                setHostMtimeLocked();
            }
            return 0;
        }
        long written = 0;
        while (written < tailLen) {
            long r;
            if (tailAppends) {
                r = hostAppendLocked(t, tail + written, tailLen - written); // moves hostSize itself
            } else {
                r = Host.call(SYS_PWRITE64, fd, tail + written, tailLen - written, hostSize, 0, 0);
                if (r > 0) {
                    hostWroteLocked(hostSize, hostSize + r, hostSize);
                    hostSize += r;
                }
            }
            if (r <= 0) {
                if (written > 0) {
                    MemorySegment.copy(UserMemory.ALL, tail + written, UserMemory.ALL, tail, tailLen - written);
                    tailLen -= written;
                }
                error = r == 0 ? -Errno.EIO : r;
                return error;
            }
            written += r;
        }
        tailLen = 0;
        caches.releaseTail(this, tail);
        tail = 0;
        mappedDirty = false;
        setHostMtimeLocked();
        count(t, CacheStats.FLUSHES, 1);
        count(t, CacheStats.FLUSH_BYTES, written);
        count(t, reason, 1);
        return 0;
    }

    /**
     * The host's mtime of a flushed write is the flush's time, up to a second after the app's write:
     * give it the time of the write (the last one), as a write-back cache does with its setattr.
     */
    private void setHostMtimeLocked() {
        if (!modified || fd < 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - mtimeMs < 5) {
            return; // the host's own time is the same to the clock's grain
        }
        caches.setMtime(fd, mtimeMs);
    }

    /**
     * Appends len bytes at addr to the host file, as a write on an O_APPEND descriptor does: after
     * whatever another process (a child, the app's C code, anyone) appended since the kernel asked
     * the size, not over it. Learns where they landed (the data descriptor's offset, which nothing
     * else uses, moves to the end) and takes that as the host's size; a landing elsewhere than
     * hostSize means the file changed behind the kernel, whose attributes are then asked again.
     * Returns the bytes written (all of them unless the host failed part way), or -errno if none.
     * Preconditions: holds this; fd is read-write.
     */
    private long hostAppendLocked(Task t, long addr, long len) {
        long written = 0;
        while (written < len) {
            long r = caches.hostAppend(t, fd, addr + written, len - written);
            boolean noAppend = r == -Errno.EOPNOTSUPP || r == -Errno.EINVAL;
            if (noAppend) {
                r = Host.call(SYS_PWRITE64, fd, addr + written, len - written, hostSize, 0, 0); // no RWF_APPEND (Linux < 4.16)
            }
            if (r <= 0) {
                return written > 0 ? written : r == 0 ? -Errno.EIO : r;
            }
            long end = noAppend ? hostSize + r : Host.fastCall(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_CUR);
            long at = end - r;
            if (end < 0 || at != hostSize) {
                count(t, CacheStats.CHANGED_ON_HOST, 1);
                stamp = Long.MIN_VALUE;
                blocksStale = true;
            } else {
                hostWroteLocked(at, end, hostSize);
            }
            hostSize = end < 0 ? hostSize + r : end;
            written += r;
        }
        return written;
    }

    /**
     * ftruncate(2) of the file: the tail past length is dropped, the rest written, then the host
     * truncates at once. Returns 0 or -errno. Preconditions: holds this; fd is read-write.
     */
    long truncateLocked(Task t, long length) {
        if (length > maxBytes) {
            return -Errno.EFBIG; // inode_newsize_ok
        }
        if (length < hostSize + tailLen && length >= hostSize) {
            tailLen = length - hostSize;
            tailAppends = false; // what is left flushes at its offset, as the app cut it
        } else if (length < hostSize) {
            tailLen = 0;
        }
        long r = flushLocked(t, CacheStats.FLUSH_OTHER);
        if (r < 0) {
            return r;
        }
        r = Host.call(SYS_FTRUNCATE, fd, length, 0);
        if (r < 0) {
            return r;
        }
        hostSize = length;
        modifiedLocked();
        stamp = Long.MIN_VALUE; // ctime and blocks are the host's to say
        return 0;
    }

    /**
     * truncate(2) or ftruncate(2) through the cache's read-write descriptor: 0 or -errno; 1 if the cache
     * has none (the caller truncates by path, then {@link #afterHostWrite}).
     */
    synchronized long truncate(Task t, long length) {
        if (fd < 0 || !fdWritable) {
            return 1;
        }
        return truncateLocked(t, length);
    }

    /** Takes a lookup's answer about the file (asked in epoch) as its attributes. */
    synchronized void adoptKstat(Kstat k, long epoch) {
        if (k.ino != ino) {
            return;
        }
        copy(k, attrs);
        if (tailLen == 0) {
            hostSize = fd < 0 ? k.size : Math.max(hostSize, k.size);
            if (fd < 0) {
                modified = false;
            }
        }
        if (epoch > stamp) {
            stamp = epoch;
        }
        caches.stamped();
    }

    /**
     * A description that forwards to a host descriptor of its own is about to use it: what the kernel
     * holds must be in the host file first. Cheap when nothing is dirty.
     */
    void beforeHostIo(Task t) {
        synchronized (this) {
            if (tailLen > 0) {
                flushLocked(t, CacheStats.FLUSH_OTHER);
            }
        }
    }

    // ---- attempt mode (ring0.abi.Attempt) ------------------------------------------------------

    /**
     * Host calls in progress under this monitor (flushes, size refreshes): an attempt does not wait
     * for the monitor while one runs. Written under the monitor; read without it.
     */
    volatile int hostBusy;

    /** Whether an attempt may take the monitor now (no host call runs under it). */
    boolean attemptable() {
        return hostBusy == 0;
    }

    /** Whether [off, off + n) of the host file is in mapped chunks (writable ones for a write). Preconditions: holds this. */
    private boolean mappedLocked(long off, long n, boolean write) {
        if (write && !chunksWritable) {
            return false;
        }
        long[] c = chunks;
        for (long i = off >>> CHUNK_SHIFT, last = (off + n - 1) >>> CHUNK_SHIFT; i <= last; i++) {
            if (i >= c.length || c[(int) i] == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #readLocked} in attempt mode: the same result if it needs no host call (no size to ask,
     * the pieces mapped, a small read), else {@link ring0.abi.Attempt#WOULD_BLOCK} with nothing done.
     * Preconditions: holds this; count > 0.
     */
    long attemptReadLocked(Task t, long buf, long count, long off) {
        if (sizeUnsureLocked() || noMap || count >= DIRECT_MIN) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        long size = hostSize + tailLen;
        if (off >= size) {
            return caches.valid(stamp) ? 0 : ring0.abi.Attempt.WOULD_BLOCK;
        }
        long n = Math.min(count, size - off);
        long m = off < hostSize ? Math.min(n, hostSize - off) : 0;
        if (m > 0 && !mappedLocked(off, m, false)) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        if (!UserMemory.canWrite(buf, n)) {
            return -Errno.EFAULT;
        }
        try {
            for (long done = 0; done < m; ) {
                long o = off + done, in = o & (CHUNK - 1), k = Math.min(m - done, CHUNK - in);
                MemorySegment.copy(UserMemory.ALL, chunks[(int) (o >>> CHUNK_SHIFT)] + in, UserMemory.ALL, buf + done, k);
                done += k;
            }
            if (m < n) {
                MemorySegment.copy(UserMemory.ALL, tail + (off + m - hostSize), UserMemory.ALL, buf + m, n - m);
            }
        } catch (InternalError e) {
            return ring0.abi.Attempt.WOULD_BLOCK; // a fault: the usual path sorts it out (and counts it)
        }
        long[] c = t.cacheCounters;
        c[CacheStats.READ_CACHED]++;
        c[CacheStats.READ_CACHED_BYTES] += n;
        return n;
    }

    /**
     * {@link #writeLocked} in attempt mode: the same result if it needs no host call (inside mapped
     * pieces, or into the tail buffer the file already holds, with room), else
     * {@link ring0.abi.Attempt#WOULD_BLOCK} with nothing done. Preconditions: holds this; n > 0 and
     * within the file size limit.
     */
    long attemptWriteLocked(Task t, long buf, long n, long off, boolean append) {
        if (sizeUnsureLocked() || noMap || n >= DIRECT_MIN || appMapped || !caches.writebackAllowed()) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        long end = off + n;
        long m = off < hostSize ? Math.min(n, hostSize - off) : 0;
        if (m > 0 && !mappedLocked(off, m, true)) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        if (m < n && (tail == 0 || off + m > hostSize + tailLen || end - hostSize > HostCaches.TAIL_SIZE)) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        if (!UserMemory.canRead(buf, n)) {
            return -Errno.EFAULT;
        }
        if (m < n) {
            // The tail first: a fault in the app's buffer leaves nothing done.
            try {
                MemorySegment.copy(UserMemory.ALL, buf + m, UserMemory.ALL, tail + (off + m - hostSize), n - m);
            } catch (InternalError e) {
                return ring0.abi.Attempt.WOULD_BLOCK;
            }
        }
        if (m > 0) {
            mappedDirty = true;
            if (!blocksStale && sparseLocked(hostSize)) {
                blocksStale = true;
            }
            try {
                for (long done = 0; done < m; ) {
                    long o = off + done, in = o & (CHUNK - 1), k = Math.min(m - done, CHUNK - in);
                    MemorySegment.copy(UserMemory.ALL, buf + done, UserMemory.ALL, chunks[(int) (o >>> CHUNK_SHIFT)] + in, k);
                    done += k;
                }
            } catch (InternalError e) {
                // The host file shrank under the mapping (or the buffer faulted): the usual path writes
                // it all again and sorts it out; the tail bytes copied above are not counted yet.
                return ring0.abi.Attempt.WOULD_BLOCK;
            }
        }
        if (m < n) {
            tailAppends = tailLen == 0 ? append : tailAppends && append;
            tailLen = Math.max(tailLen, end - hostSize);
        }
        modifiedLocked();
        long[] c = t.cacheCounters;
        c[CacheStats.WRITE_CACHED]++;
        c[CacheStats.WRITE_CACHED_BYTES] += n;
        return n;
    }

    /** A host descriptor of the file changed it (a promoted description wrote or truncated): ask the size again. */
    synchronized void afterHostWrite() {
        stamp = Long.MIN_VALUE;
        sizeStale = true;
    }

    /** The size must be asked before the next cached transfer (a host descriptor wrote). */
    private boolean sizeStale;
    /** The caches' count of changes behind the kernel when the size was last asked (HostCaches#hostChanges). */
    private long sizeHostChanges;

    /** Whether the size must be asked before a cached transfer. Preconditions: holds this. */
    private boolean sizeUnsureLocked() {
        return sizeStale || sizeHostChanges != caches.hostChanges();
    }

    /**
     * Before a cached transfer: if a host descriptor of the file wrote, or the host's files may have
     * changed behind the kernel (a child process ran, the app's C code ran), since the size was asked,
     * asks it again: a child or C code may have appended to a file the app has open. Preconditions:
     * holds this.
     */
    void checkSizeLocked(Task t) {
        if (sizeUnsureLocked()) {
            sizeStale = false;
            sizeHostChanges = caches.hostChanges();
            refreshSizeLocked(t);
        }
    }

    /**
     * The app maps the file: the host file must have its exact size from now on (no tail), as the app's
     * mapping ends there. Returns the descriptor to map (read-write if write), or -errno.
     */
    synchronized long mmapFd(Task t, HostInode i, Dentry d, boolean write) {
        long r = flushLocked(t, CacheStats.FLUSH_OTHER);
        if (r < 0) {
            return r;
        }
        appMapped = true;
        if (write && !fdWritable) {
            r = openFdLocked(t, i, d, true);
            if (r < 0) {
                return r;
            }
        }
        return fd;
    }

    /** fsync(2) and fdatasync(2): the tail to the host, then the host's own sync of the file. */
    long fsync(Task t, boolean dataOnly) {
        int h;
        synchronized (this) {
            long r = flushLocked(t, CacheStats.FLUSH_FSYNC);
            if (r < 0) {
                error = 0;
                return r;
            }
            if (error != 0) {
                r = error;
                error = 0;
                return r;
            }
            h = fd;
        }
        if (h < 0) {
            return 0;
        }
        count(t, CacheStats.HOST_SYNCS, 1);
        return Host.call(dataOnly ? SYS_FDATASYNC : SYS_FSYNC, h, 0, 0);
    }

    /** Flushes what is dirty (the writeback job, sync, a fork). Returns the bytes written. */
    long writeback(Task t, int reason) {
        synchronized (this) {
            long n = tailLen;
            if (n == 0 && !mappedDirty) {
                return 0;
            }
            flushLocked(t, reason);
            return n;
        }
    }

    /** Bytes dirty now (for the stats; read racily). */
    long dirtyBytes() {
        return tailLen;
    }

    /** Chunks mapped now (for the stats; read racily). */
    int mappedChunks() {
        return mappedChunks;
    }

    // ---- helpers ------------------------------------------------------------------------------

    void count(Task t, int counter, long v) {
        if (t != null) {
            t.cacheCounters[counter] += v;
        } else {
            caches.countShared(counter, v);
        }
    }

    /** A host path for the data descriptor ("/proc/self/fd/N"), to reopen it as a description of its own. */
    synchronized long reopen(int flags) {
        if (fd < 0) {
            return -Errno.EBADF;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom("/proc/self/fd/" + fd, StandardCharsets.US_ASCII);
            int hostFlags = (flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOCTTY | Fcntl.O_TRUNC | Fcntl.O_NOFOLLOW))
                    | Fcntl.O_CLOEXEC;
            return Host.call(SYS_OPENAT, Fcntl.AT_FDCWD, p.address(), hostFlags, 0, 0, 0);
        }
    }

    static void copy(Kstat a, Kstat b) {
        b.mask = a.mask;
        b.blksize = a.blksize;
        b.attributes = a.attributes;
        b.attributesMask = a.attributesMask;
        b.nlink = a.nlink;
        b.uid = a.uid;
        b.gid = a.gid;
        b.mode = a.mode;
        b.ino = a.ino;
        b.size = a.size;
        b.blocks = a.blocks;
        b.atimeSec = a.atimeSec;
        b.mtimeSec = a.mtimeSec;
        b.ctimeSec = a.ctimeSec;
        b.btimeSec = a.btimeSec;
        b.atimeNsec = a.atimeNsec;
        b.mtimeNsec = a.mtimeNsec;
        b.ctimeNsec = a.ctimeNsec;
        b.btimeNsec = a.btimeNsec;
        b.rdevMajor = a.rdevMajor;
        b.rdevMinor = a.rdevMinor;
        b.devMajor = a.devMajor;
        b.devMinor = a.devMinor;
        b.mntId = a.mntId;
        b.dioMemAlign = a.dioMemAlign;
        b.dioOffsetAlign = a.dioOffsetAlign;
    }
}
