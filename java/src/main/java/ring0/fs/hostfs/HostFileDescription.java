package ring0.fs.hostfs;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Iovecs;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Dentry;
import ring0.vfs.HostBackedFile;
import ring0.vfs.Iattr;
import ring0.vfs.Mount;
import ring0.vfs.VfsFiles;

/**
 * A host file the app opened. Two ways to serve it:
 *
 * <ul>
 *   <li><b>cached</b> (a regular file whose {@link FileCache} serves it): the kernel owns the offset
 *       and reads and writes through the cache, with no host call; there is no host descriptor of the
 *       description ({@link #hostFd} is -1) until one is needed: for flock and record locks (a
 *       descriptor of its own, so locks hold against other processes and other descriptions as on
 *       Linux, opened on the first lock), or to hand the description to the host ({@link #toHost}: a
 *       child process, exec, SCM_RIGHTS, a call the kernel forwards). Handing it over moves the
 *       description to the host for good: flushed, its own descriptor at its offset.
 *   <li><b>on the host</b> (no cache, a file the cache cannot serve, O_DIRECT, or after
 *       {@link #toHost}): every operation is forwarded to the description's host descriptor (its own
 *       open file description on the host, with the app's flags), so the host keeps the offset, the
 *       locks and what a child that inherits it sees. If the file has a cache, what the cache holds
 *       dirty reaches the host before each operation, and the cache asks the size again after a write.
 * </ul>
 *
 * <p>Locking: a cached description's offset is guarded by its FileCache's monitor, held across each
 * transfer (the inode lock of Linux's read_write.c; for the offset, its f_pos_lock).
 */
public final class HostFileDescription extends HostBackedFile {
    private static final int SYS_PREAD64 = 17, SYS_PWRITE64 = 18, SYS_READV = 19, SYS_WRITEV = 20;
    private static final int SYS_FSYNC = 74, SYS_FDATASYNC = 75, SYS_FTRUNCATE = 77, SYS_GETDENTS64 = 217;
    private static final int SYS_FALLOCATE = 285, SYS_PREADV2 = 327, SYS_PWRITEV2 = 328, SYS_STATX = 332;
    private static final int RWF_DSYNC = 0x2, RWF_SYNC = 0x4, RWF_APPEND = 0x10;
    private static final long FIONBIO = 0x5421;
    private static final int MAP_SHARED = 1, MAP_SHARED_VALIDATE = 3, PROT_WRITE = 2;
    private static final int F_GETFL = 3, F_SETFL = 4;

    /** The file's cache, or null. */
    private final FileCache fc;
    /** Served from the cache; false: forwarded to {@link #own}. */
    private volatile boolean cached;
    /** The description's own host descriptor, or -1 (a cached description that never needed one). */
    private volatile int own;
    /** The offset of a cached description. Guarded by fc. */
    private long pos;

    /**
     * A description the host opened: hostFd is its own host descriptor. fc, if not null, is the file's
     * cache, which this description keeps coherent with.
     *
     * @param dentry takes over the caller's reference
     */
    HostFileDescription(Mount mount, Dentry dentry, int hostFd, int flags, FileCache fc) {
        super(mount, dentry, hostFd, flags);
        this.fc = fc;
        this.own = hostFd;
        if (fc != null) {
            fc.openedOnHost();
        }
    }

    /**
     * A cached description of fc's file (fc counted the open).
     *
     * @param dentry takes over the caller's reference
     */
    HostFileDescription(Mount mount, Dentry dentry, int flags, FileCache fc) {
        super(mount, dentry, -1, flags);
        this.fc = fc;
        this.own = -1;
        this.cached = true;
    }

    /**
     * A released cached description of fc's file, made live again for a new open of the same file at
     * the same place (fc counted the open): what an open of a cached file uses instead of allocating.
     * The caller took a reference on the dentry for it.
     */
    void reopen(int flags) {
        pos = 0;
        own = -1;
        cached = true;
        revive(VfsFiles.statusFlags(flags));
    }

    /** The host filesystem's s_maxbytes, as far as the cache knows it. */
    @Override
    public long maxBytes() {
        if (fc == null) {
            return Long.MAX_VALUE;
        }
        synchronized (fc) {
            return fc.maxBytesLocked();
        }
    }

    /** Whether the cache serves the description (for tests and /proc). */
    public boolean isCached() {
        return cached;
    }

    /** -1 while the kernel serves the description from its cache; else its host descriptor. */
    @Override
    public int hostFd() {
        return cached ? -1 : own;
    }

    /**
     * Moves a cached description to the host for good: its dirty data is written, and it gets a host
     * descriptor of its own at its offset, which a child, an exec or a forwarded call then shares.
     */
    @Override
    public long toHost() {
        if (!cached) {
            return own;
        }
        synchronized (fc) {
            if (!cached) {
                return own;
            }
            long r = fc.flushLocked(null, CacheStats.FLUSH_OTHER);
            if (r < 0) {
                return r;
            }
            if (own < 0) {
                long h = fc.reopen(statusFlags());
                if (h < 0) {
                    return h;
                }
                own = (int) h;
            }
            Host.call(Sysno.SYS_LSEEK, own, pos, Fcntl.SEEK_SET);
            cached = false;
            fc.count(null, CacheStats.PROMOTED, 1);
            return own;
        }
    }

    /** The description's own host descriptor, opened for its locks if needed: -errno if the host refuses. */
    private long lockFd() {
        int h = own;
        if (h >= 0) {
            return h;
        }
        synchronized (fc) {
            if (own < 0) {
                long r = fc.reopen(statusFlags());
                if (r < 0) {
                    return r;
                }
                own = (int) r;
            }
            return own;
        }
    }

    /**
     * A host descriptor of the file for a call that does not use the offset (fstatfs, syncfs): the
     * cache's, flushed, or the description's own.
     */
    @Override
    public int syncedHostFd(Task t) {
        if (cached) {
            int h = fc.syncedFd(t);
            return h >= 0 ? h : own;
        }
        if (fc != null) {
            fc.beforeHostIo(t);
        }
        return own;
    }

    @Override
    public String describe() {
        return VfsFiles.describe(mount(), dentry());
    }

    /**
     * A cached description with no host descriptor of its own, whose cache has nothing to write or
     * unlock and stays ({@link FileCache#releaseQuietLocked}), of a name that stays cached.
     */
    @Override
    public boolean releaseQuiet() {
        if (!cached || own >= 0 || fc == null || dentry().isUnlinked()) {
            return false;
        }
        synchronized (fc) {
            return fc.releaseQuietLocked();
        }
    }

    /** Closes the description's host descriptor; the cache writes what is dirty (close). */
    @Override
    protected long releaseHost() {
        long r = 0;
        int h = own;
        if (h >= 0) {
            r = Host.call(Sysno.SYS_CLOSE, h, 0, 0);
        }
        if (fc != null) {
            // A cached description that never needed a host descriptor may serve the next open.
            long f = fc.released(null, true, cached && h < 0 ? this : null);
            if (r == 0) {
                r = f;
            }
        }
        return r;
    }

    // ---- transfers ----------------------------------------------------------------------------

    private static long clamp(long count) {
        return count < 0 || count > Iovecs.MAX_RW_COUNT ? Iovecs.MAX_RW_COUNT : count;
    }

    /** Hot path: a cached read is a copy from the cache. */
    @Override
    public long read(Task t, long buf, long count) {
        if (cached) {
            synchronized (fc) {
                if (cached) {
                    long n = clamp(count);
                    if (n == 0) {
                        return 0;
                    }
                    fc.checkSizeLocked(t);
                    long r = fc.readLocked(t, buf, n, pos);
                    if (r > 0) {
                        pos += r;
                    }
                    return r;
                }
            }
        }
        beforeHost(t);
        return Host.call(Sysno.SYS_READ, own, buf, count);
    }

    /**
     * Hot path: a cached pread is a copy from the cache. A large one is the host's pread, made outside
     * the cache's monitor, so that concurrent readers of one file (a database) do not wait for each other.
     */
    @Override
    public long pread(Task t, long buf, long count, long offset) {
        if (cached) {
            long n = clamp(count);
            long h;
            synchronized (fc) {
                if (!cached) {
                    return pread(t, buf, count, offset);
                }
                if (n == 0) {
                    return 0;
                }
                fc.checkSizeLocked(t);
                h = fc.directReadFdLocked(t, n, offset);
                if (h == FileCache.NOT_DIRECT) {
                    return fc.readLocked(t, buf, n, offset);
                }
            }
            if (h < 0) {
                return h;
            }
            // The descriptor stays open while this description is: no monitor needed for the call.
            long r = Host.call(SYS_PREAD64, h, buf, n, offset, 0, 0);
            if (r > 0) {
                t.cacheCounters[CacheStats.READ_DIRECT]++;
                t.cacheCounters[CacheStats.READ_DIRECT_BYTES] += r;
            }
            return r;
        }
        beforeHost(t);
        return Host.call(SYS_PREAD64, own, buf, count, offset, 0, 0);
    }

    /** Hot path: a cached write is a copy into the cache (O_APPEND: at the end the kernel knows). */
    @Override
    public long write(Task t, long buf, long count) {
        if (cached) {
            long r;
            synchronized (fc) {
                if (!cached) {
                    return write(t, buf, count);
                }
                long n = clamp(count);
                if (n == 0) {
                    return 0;
                }
                fc.checkSizeLocked(t);
                boolean append = (statusFlags() & Fcntl.O_APPEND) != 0;
                long off = append ? fc.sizeLocked() : pos;
                n = limit(n, off);
                if (n < 0) {
                    return n;
                }
                r = fc.writeLocked(t, buf, n, off, append);
                if (r > 0) {
                    pos = append ? fc.sizeLocked() : off + r; // an append landed at the host's end
                }
            }
            return syncWrite(t, r, 0);
        }
        beforeHost(t);
        return afterHostWrite(Host.call(Sysno.SYS_WRITE, own, buf, count));
    }

    /** pwrite(2); with O_APPEND Linux appends whatever the offset says. */
    @Override
    public long pwrite(Task t, long buf, long count, long offset) {
        if (cached) {
            long r;
            synchronized (fc) {
                if (!cached) {
                    return pwrite(t, buf, count, offset);
                }
                long n = clamp(count);
                if (n == 0) {
                    return 0;
                }
                fc.checkSizeLocked(t);
                boolean append = (statusFlags() & Fcntl.O_APPEND) != 0;
                long off = append ? fc.sizeLocked() : offset;
                n = limit(n, off);
                if (n < 0) {
                    return n;
                }
                r = fc.writeLocked(t, buf, n, off, append);
            }
            return syncWrite(t, r, 0);
        }
        beforeHost(t);
        return afterHostWrite(Host.call(SYS_PWRITE64, own, buf, count, offset, 0, 0));
    }

    // ---- attempt mode (ring0.abi.Attempt) ------------------------------------------------------

    /*
     * A cached description serves an attempt from the mapping or the tail when that needs no host call;
     * WOULD_BLOCK if it would (or a host call runs under the cache's monitor now); NEVER once it is the
     * host's (a description is never cached again after that, and one made without cache never is).
     * A buffer access_ok refuses is left to the usual path (EFAULT there, even for 0 bytes).
     */

    @Override
    public long attemptRead(Task t, long buf, long count) {
        return attemptRead(t, buf, count, -1);
    }

    @Override
    public long attemptPread(Task t, long buf, long count, long offset) {
        return attemptRead(t, buf, count, offset);
    }

    /** read (offset -1: at the description's offset) or pread in attempt mode. */
    private long attemptRead(Task t, long buf, long count, long offset) {
        FileCache c = fc;
        if (!cached) {
            return ring0.abi.Attempt.NEVER;
        }
        if (!c.attemptable() || !UserMemory.accessOk(buf, count)) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        synchronized (c) {
            if (!cached) {
                return ring0.abi.Attempt.NEVER;
            }
            long n = clamp(count);
            if (n == 0) {
                return 0;
            }
            long r = c.attemptReadLocked(t, buf, n, offset < 0 ? pos : offset);
            if (r > 0 && offset < 0) {
                pos += r;
            }
            return r;
        }
    }

    @Override
    public long attemptWrite(Task t, long buf, long count) {
        return attemptWrite(t, buf, count, -1);
    }

    @Override
    public long attemptPwrite(Task t, long buf, long count, long offset) {
        return attemptWrite(t, buf, count, offset);
    }

    /** write (offset -1: at the description's offset) or pwrite in attempt mode. */
    private long attemptWrite(Task t, long buf, long count, long offset) {
        FileCache c = fc;
        if (!cached) {
            return ring0.abi.Attempt.NEVER;
        }
        int f = statusFlags();
        if ((f & (Fcntl.O_DSYNC | Fcntl.O_SYNC)) != 0 || !c.attemptable() || !UserMemory.accessOk(buf, count)) {
            return ring0.abi.Attempt.WOULD_BLOCK; // a synchronous write asks the host
        }
        synchronized (c) {
            if (!cached) {
                return ring0.abi.Attempt.NEVER;
            }
            long n = clamp(count);
            if (n == 0) {
                return 0;
            }
            boolean append = (f & Fcntl.O_APPEND) != 0;
            long off = append ? c.sizeLocked() : offset < 0 ? pos : offset;
            if (limit(n, off) != n) {
                return ring0.abi.Attempt.WOULD_BLOCK; // EFBIG or a short write: the usual path
            }
            long r = c.attemptWriteLocked(t, buf, n, off, append);
            if (r > 0 && offset < 0) {
                pos = off + r;
            }
            return r;
        }
    }

    /**
     * generic_write_check_limits: a write of n (> 0) bytes at off stops at the filesystem's largest
     * file (s_maxbytes), and one that starts there is EFBIG. Preconditions: holds fc.
     */
    private long limit(long n, long off) {
        long max = fc.maxBytesLocked();
        return off >= max || off < 0 ? -Errno.EFBIG : Math.min(n, max - off);
    }

    /**
     * O_SYNC, O_DSYNC, RWF_SYNC, RWF_DSYNC: the write returns once its data is on the host's stable
     * storage (flushed, then the host's fdatasync or fsync).
     */
    private long syncWrite(Task t, long r, int rwf) {
        int f = statusFlags();
        boolean dsync = (f & Fcntl.O_DSYNC) != 0 || (rwf & RWF_DSYNC) != 0;
        boolean sync = (f & Fcntl.O_SYNC) == Fcntl.O_SYNC || (rwf & RWF_SYNC) != 0;
        if (r > 0 && (dsync || sync)) {
            long s = fc.fsync(t, !sync);
            if (s < 0) {
                return s;
            }
        }
        return r;
    }

    /** readv, preadv, preadv2: each iovec in turn, under one hold of the cache. */
    @Override
    public long readv(Task t, long iov, int iovcnt, long offset, int flags) {
        if (cached) {
            synchronized (fc) {
                if (cached) {
                    return vectorLocked(t, iov, iovcnt, offset, flags, false);
                }
            }
        }
        beforeHost(t);
        return offset == -1 && flags == 0
                ? Host.call(SYS_READV, own, iov, iovcnt)
                : Host.call(SYS_PREADV2, own, iov, iovcnt, offset, 0, flags);
    }

    /** writev, pwritev, pwritev2 (RWF_APPEND, RWF_DSYNC, RWF_SYNC): one write of the iovecs in turn. */
    @Override
    public long writev(Task t, long iov, int iovcnt, long offset, int flags) {
        if (cached) {
            long r;
            synchronized (fc) {
                if (!cached) {
                    return writev(t, iov, iovcnt, offset, flags);
                }
                r = vectorLocked(t, iov, iovcnt, offset, flags, true);
            }
            return syncWrite(t, r, flags);
        }
        beforeHost(t);
        return afterHostWrite(offset == -1 && flags == 0
                ? Host.call(SYS_WRITEV, own, iov, iovcnt)
                : Host.call(SYS_PWRITEV2, own, iov, iovcnt, offset, 0, flags));
    }

    /** The iovecs at offset (-1: the description's offset, which moves). Preconditions: holds fc. */
    private long vectorLocked(Task t, long iov, int iovcnt, long offset, int flags, boolean write) {
        long err = Iovecs.check(iov, iovcnt);
        if (err < 0) {
            return err;
        }
        fc.checkSizeLocked(t);
        boolean append = write && ((statusFlags() & Fcntl.O_APPEND) != 0 || (flags & RWF_APPEND) != 0);
        long off = append ? fc.sizeLocked() : offset == -1 ? pos : offset;
        long done = 0, budget = Math.min(err, Iovecs.MAX_RW_COUNT);
        if (write && budget > 0) {
            budget = limit(budget, off);
            if (budget < 0) {
                return budget;
            }
        }
        for (int i = 0; i < iovcnt && budget > 0; i++) {
            long base = UserMemory.getLong(iov + 16L * i), len = Math.min(UserMemory.getLong(iov + 16L * i + 8), budget);
            if (len == 0) {
                continue;
            }
            long at = append ? fc.sizeLocked() : off + done;
            long n = write ? fc.writeLocked(t, base, len, at, append) : fc.readLocked(t, base, len, at);
            if (n < 0) {
                if (done == 0) {
                    return n;
                }
                break;
            }
            done += n;
            budget -= n;
            if (n < len) {
                break;
            }
        }
        if (offset == -1) {
            pos = append ? fc.sizeLocked() : off + done;
        }
        return done;
    }

    @Override
    public long lseek(Task t, long offset, int whence) {
        if (cached) {
            synchronized (fc) {
                if (cached) {
                    return lseekLocked(t, offset, whence);
                }
            }
        }
        beforeHost(t);
        return Host.fastCall(Sysno.SYS_LSEEK, own, offset, whence);
    }

    /** generic_file_llseek, with SEEK_DATA and SEEK_HOLE asked of the host. Preconditions: holds fc. */
    private long lseekLocked(Task t, long offset, int whence) {
        long to;
        switch (whence) {
            case Fcntl.SEEK_SET -> to = offset;
            case Fcntl.SEEK_CUR -> {
                if (offset == 0) {
                    return pos;
                }
                to = pos + offset;
            }
            case Fcntl.SEEK_END -> {
                if (!fc.freshLocked()) {
                    fc.refreshLocked(t);
                }
                to = fc.sizeLocked() + offset;
            }
            case Fcntl.SEEK_DATA, Fcntl.SEEK_HOLE -> {
                long r = fc.flushLocked(t, CacheStats.FLUSH_OTHER);
                if (r < 0) {
                    return r;
                }
                to = Host.call(Sysno.SYS_LSEEK, fc.fd(), offset, whence);
                if (to < 0) {
                    return to;
                }
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        if (to < 0 || to > fc.maxBytesLocked()) {
            return -Errno.EINVAL; // vfs_setpos with the filesystem's s_maxbytes
        }
        pos = to;
        return to;
    }

    /** A directory's listing is the host's; names the kernel knew missing may be in it, so they are asked again. */
    @Override
    public long getdents64(Task t, long buf, long count) {
        if (cached) {
            return -Errno.ENOTDIR;
        }
        long r = Host.call(SYS_GETDENTS64, own, buf, count);
        if (r > 0 && dentry().fs() instanceof HostFilesystem h) {
            h.caches().directoryRead();
        }
        return r;
    }

    /** The attributes the kernel knows (the cache's), the host's for a description on the host. */
    @Override
    public long fstat(Task t, long buf) {
        if (fc != null) {
            if (!cached) {
                fc.beforeHostIo(t);
            }
            return VfsFiles.stat(t, mount(), dentry(), buf);
        }
        return Host.call(Sysno.SYS_FSTAT, own, buf, 0);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        if (fc != null) {
            if (!cached) {
                fc.beforeHostIo(t);
            }
            return VfsFiles.statx(t, mount(), dentry(), buf);
        }
        return Host.call(SYS_STATX, own, HostFilesystem.EMPTY, flags | Fcntl.AT_EMPTY_PATH, mask, buf, 0);
    }

    /** fsync and fdatasync: the cache's dirty data to the host, then the host's own sync. */
    @Override
    public long fsync(Task t, boolean dataOnly) {
        if (cached) {
            return fc.fsync(t, dataOnly);
        }
        beforeHost(t);
        if (fc != null) {
            fc.count(t, CacheStats.HOST_SYNCS, 1);
        }
        return Host.call(dataOnly ? SYS_FDATASYNC : SYS_FSYNC, own, 0, 0);
    }

    @Override
    public long ftruncate(Task t, long length) {
        if (cached) {
            synchronized (fc) {
                if (cached) {
                    return fc.truncateLocked(t, length);
                }
            }
        }
        beforeHost(t);
        return afterHostWrite(Host.call(SYS_FTRUNCATE, own, length, 0));
    }

    @Override
    public long fallocate(Task t, int mode, long offset, long length) {
        int h = cached ? fc.syncedFd(t) : own;
        if (!cached) {
            beforeHost(t);
        }
        long r = Host.call(SYS_FALLOCATE, h, mode, offset, length, 0, 0);
        return afterHostWrite(r);
    }

    /**
     * FIONBIO sets the kernel's flag; FIONREAD is what is left to read; other requests go to the
     * host descriptor of the file (flushed), for a cached description the cache's.
     */
    @Override
    public long ioctl(Task t, long request, long arg) {
        if (!cached) {
            beforeHost(t);
            long r = Host.call(Sysno.SYS_IOCTL, own, request, arg);
            if (request == FIONBIO && r == 0) {
                int on = UserMemory.getInt(arg);
                int f = statusFlags();
                setStatusFlags(on != 0 ? f | Fcntl.O_NONBLOCK : f & ~Fcntl.O_NONBLOCK);
            }
            return r;
        }
        if (request == FIONBIO) {
            if (!UserMemory.canRead(arg, 4)) {
                return -Errno.EFAULT;
            }
            int on = UserMemory.getInt(arg);
            int f = statusFlags();
            return setStatusFlags(on != 0 ? f | Fcntl.O_NONBLOCK : f & ~Fcntl.O_NONBLOCK);
        }
        if (request == Fcntl.FIONREAD) {
            long left;
            synchronized (fc) {
                left = Math.max(0, fc.sizeLocked() - pos);
            }
            if (!UserMemory.canWrite(arg, 4)) {
                return -Errno.EFAULT;
            }
            UserMemory.putInt(arg, (int) Math.min(left, Integer.MAX_VALUE));
            return 0;
        }
        return Host.call(Sysno.SYS_IOCTL, fc.syncedFd(t), request, arg);
    }

    /**
     * F_GETFL and F_SETFL are the kernel's (O_DIRECT and O_ASYNC move the description to the host);
     * record locks go to the description's own descriptor (so they are the host's, against other
     * processes too); anything else moves the description to the host and is forwarded.
     */
    @Override
    public long fcntl(Task t, int cmd, long arg) {
        if (cached) {
            switch (cmd) {
                case F_GETFL -> {
                    return statusFlags();
                }
                case F_SETFL -> {
                    if ((arg & (Fcntl.O_DIRECT | Fcntl.O_ASYNC)) == 0) {
                        return setStatusFlags((int) arg);
                    }
                }
                case Fcntl.F_GETLK, Fcntl.F_SETLK, Fcntl.F_SETLKW, Fcntl.F_OFD_GETLK, Fcntl.F_OFD_SETLK,
                        Fcntl.F_OFD_SETLKW -> {
                    long h = lockFd();
                    if (h < 0) {
                        return h;
                    }
                    if (cmd == Fcntl.F_SETLK || cmd == Fcntl.F_SETLKW) {
                        fc.posixLocked();
                    }
                    return Host.call(Sysno.SYS_FCNTL, h, cmd, arg);
                }
                default -> { }
            }
            long h = toHost();
            if (h < 0) {
                return h;
            }
        } else {
            beforeHost(t);
        }
        long r = Host.call(Sysno.SYS_FCNTL, own, cmd, arg);
        if (cmd == F_SETFL && r == 0) {
            setStatusFlags((int) arg);
        }
        return r;
    }

    /**
     * {@link #fcntl} in attempt mode: F_GETFL and F_SETFL of a cached description are the kernel's
     * (os.Open sets and clears O_NONBLOCK with them: a NEVER here would keep every later read and
     * write of the descriptor from being attempted); the rest would block.
     */
    @Override
    public long attemptFcntl(Task t, int cmd, long arg) {
        if (!cached) {
            return ring0.abi.Attempt.NEVER;
        }
        if (cmd == F_GETFL) {
            return statusFlags();
        }
        if (cmd == F_SETFL && (arg & (Fcntl.O_DIRECT | Fcntl.O_ASYNC)) == 0) {
            return setStatusFlags((int) arg);
        }
        return ring0.abi.Attempt.WOULD_BLOCK;
    }

    /** flock(2) on the description's own host descriptor: it holds against other processes and descriptions. */
    @Override
    public long flock(Task t, int cmd) {
        long h = cached ? lockFd() : own;
        if (h < 0) {
            return h;
        }
        return Host.call(Sysno.SYS_FLOCK, h, cmd, 0);
    }

    /**
     * mmap of the file: the host maps the cache's descriptor, the very pages the cache reads and
     * writes (so the mapping and the kernel's reads and writes agree). From now on the host file keeps
     * its exact size (the mapping ends there).
     */
    @Override
    public long mmap(Task t, long addr, long length, int prot, int flags, long offset) {
        if (!cached) {
            beforeHost(t);
            if (fc != null) {
                fc.mmapFd(t, (HostInode) dentry().inode(), dentry(), false);
            }
            return Host.call(Sysno.SYS_MMAP, addr, length, prot, flags, own, offset);
        }
        boolean shared = (flags & 3) == MAP_SHARED || (flags & 3) == MAP_SHARED_VALIDATE;
        boolean sharedWrite = shared && (prot & PROT_WRITE) != 0;
        if (!readable() || (sharedWrite && !writable())) {
            return -Errno.EACCES;
        }
        long h = fc.mmapFd(t, (HostInode) dentry().inode(), dentry(), sharedWrite || (shared && writable()));
        if (h < 0) {
            return h;
        }
        return Host.call(Sysno.SYS_MMAP, addr, length, prot, flags, h, offset);
    }

    /** A regular file is always ready (DEFAULT_POLLMASK); anything else the host opened, the host polls. */
    @Override
    public int poll(Task t, int events) {
        if (fc != null) {
            return Poll.DEFAULT_POLLMASK;
        }
        return super.poll(t, events);
    }

    /**
     * fchmod, fchown and futimens on a host descriptor of the file (they work on a file already
     * unlinked too), after the cache's dirty data (whose flush would move the times again).
     */
    @Override
    public long setattr(Task t, Iattr a) {
        int fd = cached ? fc.syncedFd(t) : own;
        if (!cached) {
            beforeHost(t);
        }
        try {
            if ((a.valid & (Iattr.ATTR_UID | Iattr.ATTR_GID)) != 0) {
                long r = Host.call(Sysno.SYS_FCHOWN, fd, HostInode.owner(a.valid, Iattr.ATTR_UID, a.uid),
                        HostInode.owner(a.valid, Iattr.ATTR_GID, a.gid));
                if (r < 0) {
                    return r;
                }
            }
            if ((a.valid & Iattr.ATTR_MODE) != 0) {
                long r = Host.call(Sysno.SYS_FCHMOD, fd, a.mode, 0);
                if (r < 0) {
                    return r;
                }
            }
            if ((a.valid & (Iattr.ATTR_ATIME | Iattr.ATTR_MTIME)) != 0) {
                return Host.call(Sysno.SYS_UTIMENSAT, fd, 0, HostInode.times(t, a), 0, 0, 0);
            }
            return 0;
        } finally {
            ((HostInode) dentry().inode()).invalidateAttrs();
            if (fc != null && (a.valid & (Iattr.ATTR_ATIME | Iattr.ATTR_MTIME)) != 0) {
                fc.timesSet();
            }
        }
    }

    // ---- on the host --------------------------------------------------------------------------

    /** Before an operation on the description's own descriptor: the cache's dirty data to the host. */
    private void beforeHost(Task t) {
        if (fc != null) {
            fc.beforeHostIo(t);
        }
    }

    /** After a write on the description's own descriptor: the cache asks the size again. */
    private long afterHostWrite(long r) {
        if (fc != null && r >= 0) {
            fc.afterHostWrite();
        }
        return r;
    }
}
