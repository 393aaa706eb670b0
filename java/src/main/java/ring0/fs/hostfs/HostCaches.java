package ring0.fs.hostfs;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.host.Host;
import ring0.kernel.ForeignCode;
import ring0.kernel.Housekeeping;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.kernel.TaskTable;
import ring0.usermem.UserMemory;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Vfs;

/**
 * The host file caches of one kernel ({@code --cache}): what every {@link HostFilesystem} of the boot
 * shares. It owns
 *
 * <ul>
 *   <li>the <b>validity epochs</b> of cached names and attributes: each is stamped with the epoch in
 *       which the host last confirmed it, and trusted while its stamp is at least {@code validFrom}.
 *       In {@link CacheMode#AUTO} a tick moves the epoch every {@link #TICK_NANOS} while anything
 *       was confirmed lately, so a stamp lasts between one and two ticks (about a second); in
 *       {@link CacheMode#ALWAYS} only invalidations move it. A stamp check is one volatile read: no
 *       clock on the hot path.
 *   <li><b>children</b>: from the moment the app starts a child process (a fork, which flushes every
 *       dirty byte first) until it has reaped them all, nothing cached is trusted (names and
 *       attributes are asked again on each use) and writes go to the host at once, since the child
 *       reads and changes the same files; the wait that reaps it invalidates everything.
 *   <li>the table of {@link FileCache}s by device and inode number, with the limit on the host
 *       descriptors they hold ({@link #MAX_DATA_FDS}, a clock sweep over the idle ones);
 *   <li>the pool of tail buffers (the dirty limit: {@link #MAX_TAILS} of {@link #TAIL_SIZE}) and the
 *       writeback job that flushes them within {@link #WRITEBACK_NANOS};
 *   <li>the registry of cached dentries, pruned when it grows past {@link #MAX_DENTRIES} (each
 *       cached directory holds a host descriptor);
 *   <li>the counters ({@link #stats}).
 * </ul>
 *
 * <p>Locking: {@code epochLock} (epochs and the children count), the {@code files} map's monitor,
 * {@code fdLock}, {@code tailLock} and the dentry registry's monitor are each held briefly and never
 * across a host call but a flush's own. Order: files, then a FileCache; a FileCache, then fdLock or
 * tailLock; nothing is taken while holding fdLock, tailLock or the registry.
 */
public final class HostCaches {
    /** How often the epoch moves in auto mode: a stamp is trusted one to two ticks (about a second). */
    static final long TICK_NANOS = 500_000_000L;
    /** Dirty data reaches the host within this. */
    static final long WRITEBACK_NANOS = 1_000_000_000L;
    /** One tail buffer: how much a file may grow before it is written. */
    static final long TAIL_SIZE = 256 * 1024;
    /** Tail buffers in all (the dirty limit: 16 MiB). */
    static final int MAX_TAILS = 64;
    /** Host descriptors of cached files kept open (idle ones beyond are closed, oldest use first). */
    static final int MAX_DATA_FDS = 256;
    /** Cached dentries beyond which unused ones are pruned. */
    static final int MAX_DENTRIES = 4096;

    /** The caches of a filesystem no kernel configured (tests, before boot): nothing cached. */
    static final HostCaches NONE = new HostCaches(CacheMode.NONE, null, null);

    private static final VarHandle TICK_ARMED;

    static {
        try {
            TICK_ARMED = MethodHandles.lookup().findVarHandle(HostCaches.class, "tickArmed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final CacheMode mode;
    /** The app's credentials, for the permission checks of opens the host does not see. */
    final Credentials creds;
    private final TaskTable tasks;
    private final Housekeeping.Job tickJob, writebackJob;

    /** The app's C code (cgo), which reads and changes host files past the VFS; null without a kernel or caches. */
    private final ForeignCode foreign;
    private final Object epochLock = new Object();
    private volatile long epoch = 2;
    /** Stamps below this are not trusted; Long.MAX_VALUE: nothing is. */
    private volatile long validFrom;
    /** The latest epoch something was stamped in (a tick is needed while it is still trusted). */
    private volatile long stampedEpoch;
    @SuppressWarnings("unused") // through TICK_ARMED
    private volatile int tickArmed;
    /** Child processes started and not reaped. Guarded by epochLock. */
    private int children;
    private volatile boolean childrenRunning;

    private record FileKey(long dev, long ino) {}

    private final HashMap<FileKey, FileCache> files = new HashMap<>();
    private final Object fdLock = new Object();
    /** FileCaches holding a data descriptor; the clock hand of the sweep. Guarded by fdLock. */
    private final ArrayList<FileCache> withFd = new ArrayList<>();
    private int hand;

    private final Object tailLock = new Object();
    /** Free tail buffers (addresses), those made so far, and the files holding one. Guarded by tailLock. */
    private final long[] freeTails = new long[MAX_TAILS];
    private int nFree, made;
    private final FileCache[] dirty = new FileCache[MAX_TAILS];
    private int nDirty;

    private final ArrayList<Dentry> dentries = new ArrayList<>();

    private final AtomicLongArray shared = new AtomicLongArray(CacheStats.N);
    /** utimensat's timespec[2], for flushes (which may run on no task). Guarded by itself. */
    private final MemorySegment times;
    /** pwritev2's iovec for appends made on no task (the writeback job's flushes). Guarded by itself. */
    private final MemorySegment appendIov = Arena.global().allocate(16, 8);

    private HostCaches(CacheMode mode, Kernel kernel, Credentials creds) {
        this.mode = mode;
        this.creds = creds;
        this.validFrom = mode == CacheMode.NONE ? Long.MAX_VALUE : 1;
        if (kernel == null) {
            tasks = null;
            foreign = null;
            tickJob = writebackJob = null;
            times = null;
            return;
        }
        tasks = kernel.tasks;
        foreign = mode == CacheMode.NONE ? null : kernel.foreignCode;
        times = Arena.global().allocate(32, 8);
        tickJob = mode == CacheMode.AUTO ? kernel.housekeeping.register("hostfs-attr-tick", 0, this::tick) : null;
        writebackJob = mode != CacheMode.NONE ? kernel.housekeeping.register("hostfs-writeback", 0, this::writebackWork) : null;
    }

    /**
     * Sets up the caches of kernel's boot in mode: every host filesystem mounted now (but those of the
     * host's generated trees, /proc, /sys and /dev, which are never cached) uses them, and the kernel
     * flushes them before forks and execs and at exit. Call once, before the app runs.
     */
    public static HostCaches install(Kernel kernel, CacheMode mode) {
        HostCaches c = new HostCaches(mode, kernel, kernel.vfs.credentials());
        for (Mount m : kernel.vfs.mounts()) {
            if (m.fs instanceof HostFilesystem h && !generatedTree(h.hostRoot())) {
                h.setCaches(c);
            }
        }
        if (mode != CacheMode.NONE) {
            kernel.onBeforeFork(c::beforeFork);
            kernel.foreignCode.onBeforeC(c::beforeC);
            kernel.onExit(c::exit);
        }
        return c;
    }

    private static boolean generatedTree(String hostPath) {
        for (String p : new String[] {"/proc", "/sys", "/dev"}) {
            if (hostPath.equals(p) || hostPath.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** The caches the host filesystems of vfs use (for /proc/ring0), or null if none were set up. */
    public static HostCaches of(Vfs vfs) {
        for (Mount m : vfs.mounts()) {
            if (m.fs instanceof HostFilesystem h && h.caches() != NONE) {
                return h.caches();
            }
        }
        return null;
    }

    public CacheMode mode() {
        return mode;
    }

    /** Whether names and data are cached at all (not {@link CacheMode#NONE}). */
    boolean enabled() {
        return mode != CacheMode.NONE;
    }

    // ---- validity -----------------------------------------------------------------------------

    /** The epoch to stamp an answer with: read before asking the host. */
    long epoch() {
        return epoch;
    }

    /**
     * Whether something stamped with stamp is still trusted. Hot path: two volatile reads, and
     * ring0Shared.foreign (C code that ran since makes nothing trusted: {@link #noteForeignCode}).
     */
    boolean valid(long stamp) {
        noteForeignCode();
        return stamp >= validFrom;
    }

    /**
     * How many times the host's files may have changed behind the kernel (everything was invalidated:
     * C code ran, a child process changed or exited...): an open file whose size was asked before the
     * last one asks it again (FileCache#checkSizeLocked). Hot path, as {@link #valid}.
     */
    long hostChanges() {
        noteForeignCode();
        return hostChanges;
    }

    /** Guarded by epochLock for writes. */
    private volatile long hostChanges;

    /**
     * If C code in the app ran (cgo) since the last look, it may have made, changed, grown or removed
     * host files behind the VFS: nothing cached is trusted any more, as after a child process.
     */
    private void noteForeignCode() {
        if (foreign != null && foreign.ran()) {
            invalidateAll();
            countShared(CacheStats.CGO_INVALIDATIONS, 1);
        }
    }

    /** C code is about to run (ring0_flush): it reads the host files, so every dirty byte goes there. */
    private void beforeC() {
        flushAll(CacheStats.FLUSH_CGO);
    }

    /** Something was stamped: in auto mode, the tick must run while it is trusted. */
    void stamped() {
        if (tickJob == null) {
            return;
        }
        stampedEpoch = epoch;
        if ((int) TICK_ARMED.getVolatile(this) == 0 && TICK_ARMED.compareAndSet(this, 0, 1)) {
            tickJob.dueBy(System.nanoTime() + TICK_NANOS);
        }
    }

    /**
     * The auto-mode tick: stamps taken before the previous tick expire (so one lasts one to two ticks,
     * whatever else moved the epoch meanwhile).
     */
    private int tick(long now) {
        long from;
        synchronized (epochLock) {
            from = tickEpoch;
            tickEpoch = ++epoch;
            if (children == 0) {
                validFrom = Math.max(validFrom, from);
            }
        }
        if (stampedEpoch >= from) {
            tickJob.dueBy(now + TICK_NANOS); // what was stamped since the previous tick is trusted one more tick
            return 1;
        }
        TICK_ARMED.setVolatile(this, 0);
        if (stampedEpoch >= from && TICK_ARMED.compareAndSet(this, 0, 1)) {
            tickJob.dueBy(now + TICK_NANOS); // stamped while the tick was disarming itself
        }
        return 1;
    }

    /** The epoch the last tick started. Guarded by epochLock. */
    private long tickEpoch;

    /**
     * Nothing cached is trusted any more (the host's tree changed behind the VFS: a child exited, an
     * AF_UNIX socket file was made): names and attributes are asked again on their next use.
     */
    public void invalidateAll() {
        synchronized (epochLock) {
            hostChanges++;
            long e = ++epoch;
            if (children == 0) {
                validFrom = e;
            }
        }
    }

    /**
     * The host's tree changes under cached names (mount, umount2): every file cache the app has not
     * open gives its host descriptor back (flushed first), every unused dentry goes (a directory's
     * descriptor with it), and nothing left is trusted. A mount then finds no stale name above it and
     * an unmount no descriptor of ours inside it (EBUSY); what the app holds stays, as on Linux (a
     * working directory keeps the directory a mount covers).
     */
    public void dropUnused() {
        evictUnopened(false);
        List<Dentry> all;
        synchronized (dentries) {
            all = new ArrayList<>(dentries);
            dentries.clear();
        }
        long pruned = 0;
        // A child holds its parent: each pass frees the parents of the last one's leaves.
        for (boolean progress = true; progress; ) {
            progress = false;
            for (Dentry d : all) {
                if (!d.isDead() && d.prune()) {
                    pruned++;
                    progress = true;
                }
            }
        }
        countShared(CacheStats.DENTRIES_PRUNED, pruned);
        List<Dentry> live = new ArrayList<>();
        for (Dentry d : all) {
            if (!d.isDead()) {
                live.add(d);
            }
        }
        synchronized (dentries) {
            dentries.addAll(live);
        }
        invalidateAll();
    }

    /** Closes the data descriptors of the files the app has not open (only the writable ones: writableOnly). */
    private void evictUnopened(boolean writableOnly) {
        List<FileCache> files;
        synchronized (fdLock) {
            files = new ArrayList<>(withFd);
        }
        for (FileCache fc : files) {
            fc.evict(writableOnly);
        }
    }

    /** Negative entries stamped below this are not trusted: a directory was listed since (see below). */
    private volatile long negativeFrom;

    /**
     * Whether a negative entry (a name known missing) stamped with stamp is still trusted: also not
     * if a directory was listed since, since a listing may have shown the name (another process made
     * it) and the app may now look for it.
     */
    boolean validNegative(long stamp) {
        return valid(stamp) && stamp >= negativeFrom;
    }

    /** The app listed a directory (getdents64): names known missing are asked again. */
    void directoryRead() {
        if (enabled()) {
            synchronized (epochLock) {
                negativeFrom = ++epoch;
            }
        }
    }

    /** Whether writes may wait in the kernel (no child process runs). */
    boolean writebackAllowed() {
        return !childrenRunning;
    }

    /**
     * Before a fork or exec (Kernel#beforeFork): every dirty byte to the host, files the app no longer
     * has open for writing closed for writing (so the child can execute them: ETXTBSY), and from now
     * on nothing cached is trusted until the children are reaped.
     */
    void beforeFork() {
        flushAll(CacheStats.FLUSH_FORK);
        evictUnopened(true);
        synchronized (epochLock) {
            children++;
            childrenRunning = true;
            epoch++;
            validFrom = Long.MAX_VALUE;
        }
    }

    /**
     * The app reaped a child process (or learnt it has none left: all). What children changed is
     * asked again; once none runs, the caches are trusted again.
     */
    public void childReaped(boolean all) {
        if (!enabled()) {
            return;
        }
        synchronized (epochLock) {
            children = all ? 0 : Math.max(0, children - 1);
            hostChanges++;
            long e = ++epoch;
            if (children == 0) {
                childrenRunning = false;
                validFrom = e;
            }
        }
    }

    /** A child process the app started may have changed files (it exited, it is stopped): ask again. */
    public void childChanged() {
        if (enabled()) {
            invalidateAll();
        }
    }

    private void exit() {
        flushAll(CacheStats.FLUSH_OTHER);
    }

    /** The end of a boot (tests): dirty data written, idle descriptors and mappings released. */
    void shutdown() {
        flushAll(CacheStats.FLUSH_OTHER);
        List<FileCache> open;
        synchronized (fdLock) {
            open = new ArrayList<>(withFd);
        }
        for (FileCache fc : open) {
            fc.evict(false);
        }
    }

    // ---- files --------------------------------------------------------------------------------

    /**
     * The cache of the regular file k describes (a host statx answer), made if needed, with a link
     * for the caller (FileCache#unlink when done).
     */
    FileCache fileFor(Kstat k) {
        FileKey key = new FileKey(Stat.encodeDev(k.devMajor, k.devMinor), k.ino);
        synchronized (files) {
            FileCache fc = files.get(key);
            if (fc == null) {
                fc = new FileCache(this, key.dev(), key.ino());
                files.put(key, fc);
            }
            fc.link();
            return fc;
        }
    }

    /** fc may leave the table if nothing uses it any more. */
    void forget(FileCache fc) {
        synchronized (files) {
            synchronized (fc) {
                if (fc.inTable && fc.unusedLocked()) {
                    files.remove(new FileKey(fc.dev, fc.ino), fc);
                    fc.inTable = false;
                }
            }
        }
    }

    /** The file lost its last name: a new file with its number must get a cache of its own. */
    void unnamed(FileCache fc) {
        synchronized (files) {
            if (fc.inTable) {
                files.remove(new FileKey(fc.dev, fc.ino), fc);
                fc.inTable = false;
            }
        }
    }

    void dataFdOpened(FileCache fc) {
        synchronized (fdLock) {
            withFd.add(fc);
            dataFds = withFd.size();
        }
    }

    void dataFdClosed(FileCache fc) {
        synchronized (fdLock) {
            withFd.remove(fc);
            dataFds = withFd.size();
        }
    }

    /** withFd's size, read without the lock by {@link #trimDataFds}. */
    private volatile int dataFds;

    /**
     * Closes the descriptors of idle cached files beyond {@link #MAX_DATA_FDS}, those unused longest
     * first (a clock sweep). Called with no FileCache's monitor held.
     */
    /** Whether {@link #trimDataFds} would close descriptors (host calls) now. */
    boolean dataFdsOver() {
        return dataFds > MAX_DATA_FDS;
    }

    void trimDataFds() {
        if (dataFds <= MAX_DATA_FDS) {
            return; // hot path (every cached open): one volatile read
        }
        for (int tries = 0; tries < 2 * MAX_DATA_FDS; tries++) {
            FileCache victim;
            synchronized (fdLock) {
                int n = withFd.size();
                if (n <= MAX_DATA_FDS) {
                    return;
                }
                hand = hand >= n ? 0 : hand;
                victim = withFd.get(hand++);
                if (victim.referenced) {
                    victim.referenced = false;
                    continue;
                }
            }
            victim.evict(false);
        }
    }

    // ---- tails and writeback ------------------------------------------------------------------

    /** A tail buffer for fc, or 0 if the dirty limit is reached. Preconditions: holds fc. */
    long acquireTail(FileCache fc) {
        boolean first;
        long a;
        synchronized (tailLock) {
            if (nFree > 0) {
                a = freeTails[--nFree];
            } else if (made < MAX_TAILS) {
                a = Arena.global().allocate(TAIL_SIZE, 4096).address();
                made++;
            } else {
                return 0;
            }
            first = nDirty == 0;
            dirty[nDirty++] = fc;
            if (first && foreign != null) {
                foreign.holdsDirtyData(true);
            }
        }
        if (first) {
            writebackJob.dueBy(System.nanoTime() + WRITEBACK_NANOS);
        }
        return a;
    }

    /** fc's tail buffer is clean again. Preconditions: holds fc. */
    void releaseTail(FileCache fc, long a) {
        synchronized (tailLock) {
            for (int i = 0; i < nDirty; i++) {
                if (dirty[i] == fc) {
                    dirty[i] = dirty[--nDirty];
                    dirty[nDirty] = null;
                    break;
                }
            }
            if (nDirty == 0 && foreign != null) {
                foreign.holdsDirtyData(false);
            }
            freeTails[nFree++] = a;
        }
    }

    private int writebackWork(long now) {
        long n = flushAll(CacheStats.FLUSH_TIMER);
        boolean left;
        synchronized (tailLock) {
            left = nDirty > 0; // a flush that failed keeps its data: try again
        }
        if (left) {
            writebackJob.dueBy(now + WRITEBACK_NANOS);
        }
        return n > 0 ? 1 : 0;
    }

    /** Writes every dirty file to the host; returns the bytes written. */
    long flushAll(int reason) {
        FileCache[] d;
        synchronized (tailLock) {
            if (nDirty == 0) {
                d = null;
            } else {
                d = java.util.Arrays.copyOf(dirty, nDirty);
            }
        }
        long n = 0;
        if (d != null) {
            for (FileCache fc : d) {
                n += fc.writeback(null, reason);
            }
        }
        return n;
    }

    /** sync(2) and syncfs(2): every dirty file to the host (the host's own sync follows). */
    long sync() {
        flushAll(CacheStats.FLUSH_SYNC);
        return 0;
    }

    /**
     * pwritev2(fd, {addr, len}, RWF_APPEND) at the descriptor's own offset: the bytes go to the host
     * file's end, wherever it is now, and the offset moves there. The iovec is in the task's scratch,
     * or in appendIov for a flush made on no task. Returns the host's answer.
     */
    long hostAppend(Task t, int fd, long addr, long len) {
        if (t != null) {
            return hostAppend(t.scratch.address() + HostFilesystem.IOV, fd, addr, len);
        }
        synchronized (appendIov) {
            return hostAppend(appendIov.address(), fd, addr, len);
        }
    }

    private static long hostAppend(long iov, int fd, long addr, long len) {
        UserMemory.putLong(iov, addr);
        UserMemory.putLong(iov + 8, len);
        return Host.call(SYS_PWRITEV2, fd, iov, 1, -1, 0, RWF_APPEND);
    }

    /** Sets the host mtime of the file behind fd (atime unchanged). */
    void setMtime(int fd, long ms) {
        if (times == null) {
            return;
        }
        synchronized (times) {
            times.set(JAVA_LONG, 0, 0);
            times.set(JAVA_LONG, 8, Fcntl.UTIME_OMIT);
            times.set(JAVA_LONG, 16, Math.floorDiv(ms, 1000));
            times.set(JAVA_LONG, 24, Math.floorMod(ms, 1000) * 1_000_000L);
            Host.call(SYS_UTIMENSAT, fd, 0, times.address(), 0, 0, 0);
        }
    }

    private static final int SYS_UTIMENSAT = 280, SYS_PWRITEV2 = 328, RWF_APPEND = 0x10;

    // ---- dentries -----------------------------------------------------------------------------

    /** A dentry was cached (looked up on the host); prunes unused ones past the limit. */
    void registerDentry(Dentry d) {
        List<Dentry> candidates = null;
        synchronized (dentries) {
            dentries.add(d);
            if (dentries.size() > MAX_DENTRIES) {
                candidates = new ArrayList<>(dentries);
                dentries.clear();
            }
        }
        if (candidates != null) {
            prune(candidates);
        }
    }

    /** Kills unused dentries, stale ones first, until a quarter of the limit is free. */
    private void prune(List<Dentry> all) {
        int target = MAX_DENTRIES * 3 / 4;
        List<Dentry> keep = new ArrayList<>(all.size());
        int live = 0;
        for (Dentry d : all) {
            if (!d.isDead()) {
                live++;
            }
        }
        long pruned = 0;
        for (int pass = 0; pass < 2; pass++) {
            keep.clear();
            for (Dentry d : all) {
                if (d.isDead()) {
                    continue;
                }
                if (live > target && (pass == 1 || !valid(d.time())) && d.prune()) {
                    live--;
                    pruned++;
                    continue;
                }
                keep.add(d);
            }
            all = new ArrayList<>(keep);
        }
        countShared(CacheStats.DENTRIES_PRUNED, pruned);
        synchronized (dentries) {
            dentries.addAll(all);
        }
    }

    // ---- stats --------------------------------------------------------------------------------

    void countShared(int counter, long v) {
        shared.addAndGet(counter, v);
    }

    /** The counters since boot and the gauges of now (read racily: they are for people). */
    public CacheStats stats() {
        long[] sum = new long[CacheStats.N];
        for (int i = 0; i < CacheStats.N; i++) {
            sum[i] = shared.get(i);
        }
        if (tasks != null) {
            for (Task t : tasks.all()) {
                for (int i = 0; i < CacheStats.N; i++) {
                    sum[i] += t.cacheCounters[i];
                }
            }
        }
        Map<String, Long> v = new LinkedHashMap<>();
        for (int i = 0; i < CacheStats.N; i++) {
            v.put(CacheStats.NAMES[i], sum[i]);
        }
        long dirtyBytes = 0;
        int dirtyFiles;
        synchronized (tailLock) {
            dirtyFiles = nDirty;
            for (int i = 0; i < nDirty; i++) {
                dirtyBytes += dirty[i].dirtyBytes();
            }
        }
        v.put("dirty_bytes", dirtyBytes);
        v.put("dirty_files", (long) dirtyFiles);
        v.put("dirty_limit_bytes", MAX_TAILS * TAIL_SIZE);
        long chunks = 0;
        int fds;
        synchronized (fdLock) {
            fds = withFd.size();
            for (FileCache fc : withFd) {
                chunks += fc.mappedChunks();
            }
        }
        v.put("data_fds", (long) fds);
        v.put("mapped_bytes", chunks * FileCache.CHUNK);
        synchronized (files) {
            v.put("cached_files", (long) files.size());
        }
        synchronized (dentries) {
            v.put("cached_dentries", (long) dentries.size());
        }
        synchronized (epochLock) {
            v.put("children_running", (long) children);
        }
        return new CacheStats(mode.optionName(), v);
    }

    /** The content of /proc/ring0/ cache statistics: {@link CacheStats#toText} of {@link #stats}. */
    public String statsText() {
        return stats().toText();
    }
}
