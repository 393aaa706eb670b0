package ring0.kernel;

import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;

/**
 * A kernel object that can move to the host for good ("promotion"): a pipe or an eventfd that a
 * child process, an exec or a host socket needs as a host descriptor ({@link #toHost}). The subclass
 * makes a host object in the same state (the same bytes buffered, the same counter) and publishes it
 * with {@link #setHostLocked}; from then on the description forwards every operation to it, and the
 * kernel object is gone. Threads blocked in the kernel object are woken and continue on the host.
 *
 * <p>Locking: promotion and status flag changes hold the subclass's lock (given to the constructor),
 * so the host object starts with the flags the app last set, and later changes reach it. The
 * published host file is read without locking: a volatile read on every operation.
 */
public abstract class PromotableFile extends FileDescription {
    private final Object lock;
    private volatile HostFile host;

    protected PromotableFile(int statusFlags, Object lock) {
        super(statusFlags);
        this.lock = lock;
    }

    /** The lock that promotion and status flag changes hold. */
    protected final Object lock() {
        return lock;
    }

    /** The host file this description forwards to, or null while the kernel serves it. Hot path. */
    protected final HostFile host() {
        return host;
    }

    /**
     * Publishes the host file that serves this description from now on, with the status flags the
     * app set.
     *
     * <p>Preconditions: the lock is held; no host file was published yet.
     */
    protected final void setHostLocked(HostFile h) {
        Host.fastCall(Sysno.SYS_FCNTL, h.hostFd(), Fcntl.F_SETFL, statusFlags());
        host = h;
    }

    /**
     * Moves the object to the host. Returns this description's host descriptor, or -errno (EMFILE
     * and ENFILE from the host).
     */
    protected abstract long promote();

    /** The inode fstat and statx describe while the kernel serves the object. */
    protected abstract AnonInode inode();

    @Override
    public final int hostFd() {
        HostFile h = host;
        return h != null ? h.hostFd() : -1;
    }

    @Override
    public final long toHost() {
        HostFile h = host;
        return h != null ? h.hostFd() : promote();
    }

    @Override
    public final long setStatusFlags(int flags) {
        synchronized (lock) {
            super.setStatusFlags(flags);
            HostFile h = host;
            return h != null ? Host.fastCall(Sysno.SYS_FCNTL, h.hostFd(), Fcntl.F_SETFL, statusFlags()) : 0;
        }
    }

    @Override
    public final long fstat(Task t, long buf) {
        HostFile h = host;
        return h != null ? h.fstat(t, buf) : inode().fstat(buf);
    }

    @Override
    public final long statx(Task t, int flags, int mask, long buf) {
        HostFile h = host;
        return h != null ? h.statx(t, flags, mask, buf) : inode().statx(buf);
    }
}
