package ring0.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.poll.WaitQueue;
import ring0.usermem.UserMemory;

/**
 * An open file description (Linux: struct file): what one or more descriptors refer to. dup(2)
 * shares it; its last reference going away releases it.
 *
 * <p>Reference counting, as Linux's fget/fput: the descriptor table holds one reference; a system
 * call takes another for as long as it uses the description ({@link FdTable#get}), so a concurrent
 * close(2) cannot release it (and let the host reuse its descriptor) while a call is in flight.
 *
 * <p>Operations (Linux: struct file_operations). Each takes the calling task and raw arguments, app
 * addresses included, and returns a value or -errno. The defaults are what Linux does for a file
 * whose file_operations lack that operation (fs/read_write.c, fs/ioctl.c, mm/mmap.c...), so a
 * subclass overrides only what its file supports. A description the host serves overrides them all
 * to forward ({@link HostFile}).
 */
public abstract class FileDescription {
    /** The status flags (F_GETFL): access mode, O_APPEND, O_NONBLOCK, ... */
    private volatile int statusFlags;

    protected FileDescription() {
        this(Fcntl.O_RDWR);
    }

    protected FileDescription(int statusFlags) {
        this(statusFlags, false);
    }

    /**
     * @param stateless read and write touch nothing that {@link #release} frees (/dev/null,
     *     /dev/zero): see {@link #stateless}
     */
    protected FileDescription(int statusFlags, boolean stateless) {
        this.statusFlags = statusFlags;
        this.stateless = stateless;
    }

    private final boolean stateless;

    /**
     * Whether read(2) and write(2) may use this description without a reference: they touch nothing
     * that {@link #release} frees, so a close racing with them cannot hurt, and they skip the
     * reference count's two atomic operations (Linux's fdget skips them too, when no other thread
     * can close the descriptor). Hot path: /dev/null.
     */
    public final boolean stateless() {
        return stateless;
    }

    private static final VarHandle REFS, WATCHERS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(FileDescription.class, "refs", int.class);
            WATCHERS = MethodHandles.lookup().findVarHandle(FileDescription.class, "watchers", WaitQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through REFS
    private volatile int refs = 1;

    /** The host descriptor behind this description, or -1 if the kernel serves it alone. */
    public abstract int hostFd();

    /**
     * The host descriptor that stands for this description where the kernel cannot serve it: in a
     * child process (os/exec, before the fork), across exec, in SCM_RIGHTS sent over a host socket.
     * Default: {@link #hostFd}, or -EBADF if there is none. A kernel object that can live on the host
     * (a pipe, an eventfd) moves there for good and forwards to it from then on.
     */
    public long toHost() {
        int h = hostFd();
        return h >= 0 ? h : -Errno.EBADF;
    }

    /** A short description for /proc, strace and ps: "host:7", "pipe:[42]". */
    public abstract String describe();

    /**
     * Called once, when the last reference goes away. Returns 0 or -errno (close(2) reports it when
     * its reference was the last).
     */
    protected abstract long release();

    // ---- status flags -------------------------------------------------------------------------

    /** F_GETFL: the access mode and status flags. */
    public int statusFlags() {
        return statusFlags;
    }

    /** F_SETFL: only O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME and O_NONBLOCK change (fs/fcntl.c setfl). */
    public long setStatusFlags(int flags) {
        int changeable = SETFL_MASK;
        statusFlags = (statusFlags & ~changeable) | (flags & changeable);
        return 0;
    }

    /** The flags F_SETFL may change. */
    public static final int SETFL_MASK = 0x400 /* O_APPEND */ | 0x2000 /* O_ASYNC */ | 0x4000 /* O_DIRECT */
            | 0x40000 /* O_NOATIME */ | Fcntl.O_NONBLOCK;

    /**
     * FMODE_READ: access mode O_RDONLY or O_RDWR. Linux's OPEN_FMODE maps the access mode m to
     * (m + 1) & 3, so mode 3 (O_WRONLY|O_RDWR, for ioctls only) is neither readable nor writable.
     */
    public final boolean readable() {
        return ((statusFlags + 1) & 1) != 0;
    }

    /**
     * Whether every write(2) here is taken whole and dropped, with no side effect, whatever the state
     * (a writable /dev/null): Go may then answer write on its descriptors itself ({@link FdTable}).
     */
    public boolean discardsWrites() {
        return false;
    }

    /** FMODE_WRITE: access mode O_WRONLY or O_RDWR (see {@link #readable}). */
    public final boolean writable() {
        return ((statusFlags + 1) & 2) != 0;
    }

    public final boolean nonBlocking() {
        return (statusFlags & Fcntl.O_NONBLOCK) != 0;
    }

    // ---- operations (Linux defaults) -----------------------------------------------------------

    /** read(2) at the current offset. Default: no read operation, EINVAL. */
    public long read(Task t, long buf, long count) {
        return -Errno.EINVAL;
    }

    /** write(2) at the current offset (or the end, with O_APPEND). Default: EINVAL. */
    public long write(Task t, long buf, long count) {
        return -Errno.EINVAL;
    }

    /** pread64(2). Default: not seekable, ESPIPE. */
    public long pread(Task t, long buf, long count, long offset) {
        return -Errno.ESPIPE;
    }

    /** pwrite64(2). Default: not seekable, ESPIPE. */
    public long pwrite(Task t, long buf, long count, long offset) {
        return -Errno.ESPIPE;
    }

    /**
     * readv(2) and preadv2(2): offset -1 means the current offset. Default: each iovec in turn
     * through read or pread, stopping at a short transfer; an error after some bytes moved is
     * reported as the count (fs/read_write.c: do_loop_readv_writev).
     */
    public long readv(Task t, long iov, int iovcnt, long offset, int flags) {
        return Iovecs.loop(this, t, iov, iovcnt, offset, false);
    }

    /** writev(2) and pwritev2(2); see {@link #readv}. */
    public long writev(Task t, long iov, int iovcnt, long offset, int flags) {
        return Iovecs.loop(this, t, iov, iovcnt, offset, true);
    }

    /** lseek(2). Default: ESPIPE (no_llseek). */
    public long lseek(Task t, long offset, int whence) {
        return -Errno.ESPIPE;
    }

    /** getdents64(2). Default: not a directory, ENOTDIR. */
    public long getdents64(Task t, long buf, long count) {
        return -Errno.ENOTDIR;
    }

    /** fstat(2) into a struct stat at buf. */
    public abstract long fstat(Task t, long buf);

    /** statx(2) of this file (AT_EMPTY_PATH) into a struct statx at buf. */
    public abstract long statx(Task t, int flags, int mask, long buf);

    /** fsync(2) / fdatasync(2). Default: EINVAL (no fsync operation). */
    public long fsync(Task t, boolean dataOnly) {
        return -Errno.EINVAL;
    }

    /** ftruncate(2). Default: EINVAL (not a regular file). */
    public long ftruncate(Task t, long length) {
        return -Errno.EINVAL;
    }

    /**
     * fallocate(2), once the syscall checked the range, the mode and the access mode. Default:
     * ENODEV, as vfs_fallocate says for a file that is neither regular nor a block device (an
     * anonymous inode, a socket, a character device); a pipe says ESPIPE, a directory EISDIR.
     */
    public long fallocate(Task t, int mode, long offset, long length) {
        return -Errno.ENODEV;
    }

    /** ioctl(2) requests of the file (FIOCLEX and FIONCLEX never get here). Default: ENOTTY. */
    public long ioctl(Task t, long request, long arg) {
        if (request == FIONBIO) {
            if (!UserMemory.canRead(arg, 4)) {
                return -Errno.EFAULT;
            }
            int on = UserMemory.getInt(arg);
            return setStatusFlags(on != 0 ? statusFlags | Fcntl.O_NONBLOCK : statusFlags & ~Fcntl.O_NONBLOCK);
        }
        return -Errno.ENOTTY;
    }

    private static final long FIONBIO = 0x5421;

    /**
     * fcntl(2) commands of the file (descriptor commands are the table's): F_GETFL, F_SETFL here;
     * anything else is EINVAL by default (locks, leases, pipe sizes... belong to subclasses).
     */
    public long fcntl(Task t, int cmd, long arg) {
        return switch (cmd) {
            case F_GETFL -> statusFlags;
            case F_SETFL -> setStatusFlags((int) arg);
            default -> -Errno.EINVAL;
        };
    }

    private static final int F_GETFL = 3, F_SETFL = 4;

    // ---- attempt mode (ring0.abi.Attempt) --------------------------------------------------------

    /*
     * The Go caller did not enter the syscall state: it keeps its P while the kernel runs. Each attempt
     * operation returns what its operation would if that finishes now (no blocking, no sleeping, no
     * host call, no lock that can be held long, at most Attempt.MAX_BYTES copied); otherwise
     * Attempt.WOULD_BLOCK, having done nothing, and the call comes again the usual way. The access
     * mode and argument checks are the system call's, made before. Defaults: Attempt.NEVER (would
     * block, as every attempt on this description will).
     */

    /**
     * close(2) in attempt mode: whether dropping the last reference now ({@link #release}) would make
     * no host call and not block. Default: false (close goes the usual way).
     */
    public boolean releaseQuiet() {
        return false;
    }

    /** read(2) in attempt mode. */
    public long attemptRead(Task t, long buf, long count) {
        return Attempt.NEVER;
    }

    /** write(2) in attempt mode. */
    public long attemptWrite(Task t, long buf, long count) {
        return Attempt.NEVER;
    }

    /** pread64(2) in attempt mode (offset >= 0). */
    public long attemptPread(Task t, long buf, long count, long offset) {
        return Attempt.NEVER;
    }

    /** pwrite64(2) in attempt mode (offset >= 0). */
    public long attemptPwrite(Task t, long buf, long count, long offset) {
        return Attempt.NEVER;
    }

    /** The file's fcntl(2) commands in attempt mode (descriptor commands are the table's). */
    public long attemptFcntl(Task t, int cmd, long arg) {
        return Attempt.NEVER;
    }

    /** mmap(2) of this file. Default: ENODEV (no mmap operation). */
    public long mmap(Task t, long addr, long length, int prot, int flags, long offset) {
        return -Errno.ENODEV;
    }

    /** The poll bits ready now. Default: always ready (DEFAULT_POLLMASK), as a regular file. */
    public int poll(Task t, int events) {
        return Poll.DEFAULT_POLLMASK;
    }

    /** Where to wait for {@link #poll}'s answer to change, or null if it never does. */
    public WaitQueue waitQueue() {
        return null;
    }

    /**
     * Where epoll items that watch this description learn that it is released (Linux: file->f_ep,
     * eventpoll_release): told {@link Poll#POLLFREE} once, when the last reference goes, before
     * {@link #release}. Made on first use.
     */
    public final WaitQueue releaseWatchers() {
        WaitQueue w = watchers;
        if (w == null) {
            WaitQueue fresh = new WaitQueue();
            w = WATCHERS.compareAndExchange(this, null, fresh) instanceof WaitQueue won ? won : fresh;
        }
        return w;
    }

    /** Made by releaseWatchers (a CAS through WATCHERS), read by put. */
    private volatile WaitQueue watchers;

    // ---- references ---------------------------------------------------------------------------

    /** Takes a reference unless the description is already released. Hot path: one CAS. */
    final boolean tryGet() {
        for (;;) {
            int r = (int) REFS.getVolatile(this);
            if (r == 0) {
                return false;
            }
            if (REFS.compareAndSet(this, r, r + 1)) {
                return true;
            }
        }
    }

    /**
     * Makes a released description live again, with one reference (the caller's), for a filesystem
     * that reuses its descriptions (so that an open of a cached file allocates nothing). A lookup
     * racing with the reuse is safe: {@link FdTable#get} keeps a reference only on a description its
     * slot still holds.
     *
     * <p>Preconditions: {@link #release} ran, and nobody keeps the description.
     */
    protected final void revive(int statusFlags) {
        this.statusFlags = statusFlags;
        WATCHERS.setVolatile(this, null);
        REFS.setVolatile(this, 1);
    }

    /** Takes another reference; the caller holds one already. */
    public final void get() {
        REFS.getAndAdd(this, 1);
    }

    /** Drops a reference. Returns release()'s result if it was the last, 0 otherwise. */
    public final long put() {
        int before = (int) REFS.getAndAdd(this, -1);
        if (before == 1) {
            WaitQueue w = watchers;
            if (w != null) {
                w.wake(Poll.POLLFREE);
            }
            return release();
        }
        if (before <= 0) {
            throw new IllegalStateException("reference count underflow: " + describe());
        }
        return 0;
    }
}
