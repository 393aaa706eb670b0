package ring0.poll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.host.Host;

/**
 * A thread asleep in the kernel until a kernel object it registered with wakes it, a host
 * descriptor becomes ready, or a deadline passes (Linux: struct poll_wqueues and its "triggered"
 * flag, the sleep in do_poll and ep_poll). One per thread, made on its first sleep, registered on
 * the wait queues of the objects it waits for ({@link WaitQueue.Waiter}).
 *
 * <h2>Ordering</h2>
 *
 * <p>A sleeper {@link #arm}s (clears {@code triggered}), then checks the objects, then sleeps only if
 * nothing was ready: it publishes how it sleeps in {@code mode} (PARKED, or HOST) and reads
 * {@code triggered} once more before it does. A waker, after the object changed, sets
 * {@code triggered} and then reads {@code mode}: PARKED, it unparks the thread; HOST, it writes the
 * thread's host eventfd, which the sleeper's host ppoll watches. Both flags are volatile, so their
 * accesses are totally ordered: either the sleeper reads {@code triggered} set and does not sleep, or
 * the waker reads the mode the sleeper set and wakes it. LockSupport's permit covers an unpark that
 * comes before the park; the eventfd stays readable until the sleeper drains it, which covers a write
 * that comes before the ppoll. A wake may be spurious, so callers check the objects again.
 *
 * <p>Only the first waker of a host sleep writes the eventfd ({@code kicked}); the sleeper clears
 * {@code kicked} after it drained the eventfd. A write that lands after a sleep ended makes the next
 * sleep return at once, spuriously.
 *
 * <p>Signals: a thread parked in Java is not interrupted by a host signal (its handler runs, the
 * sleep goes on); a host sleep returns EINTR as Linux does. A signal mask given for the sleep is set
 * on the host thread around a Java park, and passed to the host ppoll otherwise.
 */
public final class PollWaiter implements WaitQueue.Waiter {
    private static final ThreadLocal<PollWaiter> CURRENT = ThreadLocal.withInitial(PollWaiter::new);
    private static final int AWAKE = 0, PARKED = 1, HOST = 2;
    private static final int SIG_SETMASK = 2, SIGSET_SIZE = 8, EFD_NONBLOCK = Fcntl.O_NONBLOCK;
    /**
     * How many times a sleeper that asks for it looks at its flag before it parks: a few
     * microseconds, less than a park and an unpark across cores cost (DESIGN.md). Measured with
     * bench/pipes on a 2-vCPU host: it helps epoll sleeps (pipe-pingpong: about 6.6 instead of 9 us
     * per round trip) and hurts blocking reads and writes (pipe-pingpong-raw: 11-17 instead of 4.5
     * us: a pure pause spin keeps the CPU from the partner thread when the host's other load leaves
     * both threads one CPU), which use {@link #parkAdaptive} instead.
     */
    private static final int SPINS = 200;
    /** 1, as an eventfd write's 8 bytes; shared by every waker, never written after this. */
    private static final MemorySegment ONE = Arena.global().allocate(JAVA_LONG);
    private static final VarHandle KICKED;

    static {
        ONE.set(JAVA_LONG, 0, 1);
        try {
            KICKED = MethodHandles.lookup().findVarHandle(PollWaiter.class, "kicked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread thread = Thread.currentThread();
    /** Scratch of the owning thread: 0 the eventfd drain, 8 the saved signal mask, 16 a timespec. */
    private final MemorySegment scratch = Arena.ofAuto().allocate(32, 8);
    private volatile boolean triggered;
    private volatile int mode = AWAKE;
    /** Set by the first waker of a host sleep (a CAS through KICKED), cleared by the sleeper. */
    private volatile int kicked;
    /** The host eventfd of host sleeps, made on the first one and kept (the thread's for good). */
    private int wakeFd = -1;

    private PollWaiter() {}

    /** The calling thread's waiter. */
    public static PollWaiter current() {
        return CURRENT.get();
    }

    /** Clears the flag, before the objects are checked. */
    public void arm() {
        triggered = false;
    }

    /** Whether a registered object woke this waiter since {@link #arm}. */
    public boolean triggered() {
        return triggered;
    }

    /** Called by a wait queue on the waking thread: short, never blocks. */
    @Override
    public void wake(int events) {
        triggered = true;
        int m = mode;
        if (m == PARKED) {
            LockSupport.unpark(thread);
        } else if (m == HOST && KICKED.compareAndSet(this, 0, 1)) {
            Host.fastCall(Sysno.SYS_WRITE, wakeFd, ONE.address(), 8);
        }
    }

    /** Adaptive spinning of {@link #parkAdaptive} (ns): as the futex waiters' (ring0.futex.Waiter). */
    public static final long SPIN_MIN = 2_000, SPIN_MAX = 100_000, SPIN_INITIAL = 50_000, LATE_YIELD = 50_000;
    public static final int POLLS_PER_YIELD = 16;
    /**
     * Threads spinning in parkAdaptive now; at most MAX_SPINNERS, one per CPU: in a hand-off both
     * sides wait at once for a moment (the woken one has not yet left its spin when the other
     * arrives), and with one slot the second always slept (bench/pipes, 2 vCPUs: half the waits).
     */
    private static final AtomicInteger SPINNERS = new AtomicInteger();
    private static final int MAX_SPINNERS = Runtime.getRuntime().availableProcessors();
    /** The next spin's budget (ns); owner only. */
    private long spinNanos = SPIN_INITIAL;

    /**
     * Bounds of {@link #attemptSpinNanos} (ns). A wait in attempt mode keeps the thread's P (as Go
     * code running that long would), so it stays short; a wait that fails shrinks toward the minimum,
     * which a read that really blocks then pays on top of its sleep.
     */
    static final long ATTEMPT_SPIN_MIN = 1_000, ATTEMPT_SPIN_MAX = 20_000;
    private long attemptSpinNanos = ATTEMPT_SPIN_MAX / 2;
    /** When the last attempt's wait gave up (System.nanoTime()), for {@link #attemptSpinRetrain}. */
    private long attemptFailedAt = Long.MIN_VALUE;

    /** How long a blocking read in attempt mode may wait for the pipe to change. Owner only. */
    public long attemptSpinNanos() {
        return attemptSpinNanos;
    }

    /** Adapts {@link #attemptSpinNanos} to how the attempt's wait ended: twice as long after it got data, a quarter less otherwise. */
    public void attemptSpinDone(boolean caught) {
        if (caught) {
            attemptSpinNanos = Math.min(ATTEMPT_SPIN_MAX, 2 * attemptSpinNanos);
        } else {
            attemptSpinNanos = Math.max(ATTEMPT_SPIN_MIN, attemptSpinNanos - (attemptSpinNanos >> 2));
            attemptFailedAt = System.nanoTime();
        }
    }

    /**
     * After the usual path's sleep of a read whose attempt gave up: had the data come within
     * ATTEMPT_SPIN_MAX of that, a longer attempt would have caught it, so the next one is longer
     * (else a budget that shrank to the minimum would never catch a partner again).
     */
    public void attemptSpinRetrain() {
        long failed = attemptFailedAt;
        if (failed != Long.MIN_VALUE) {
            attemptFailedAt = Long.MIN_VALUE;
            if (System.nanoTime() - failed < ATTEMPT_SPIN_MAX) {
                attemptSpinNanos = Math.min(ATTEMPT_SPIN_MAX, 2 * attemptSpinNanos);
            }
        }
    }

    /**
     * Waits until woken, with no deadline and no signal mask, as the futex waiters do: first spins
     * for an adaptive time bounded by SPIN_MAX, yielding the CPU every few polls (and giving up at
     * once when a yield shows other threads want the CPUs; at most MAX_SPINNERS spin at a time), so
     * that a hand-off between two threads costs no host sleep and no host wake-up (a waker that
     * finds this waiter spinning only sets its flag); then parks.
     *
     * <p>Preconditions: as {@link #park}.
     */
    public void parkAdaptive() {
        long start = System.nanoTime();
        boolean slot = false;
        for (int n = SPINNERS.get(); !slot && n < MAX_SPINNERS; n = SPINNERS.get()) {
            slot = SPINNERS.compareAndSet(n, n + 1);
        }
        if (slot) {
            long end = start + spinNanos, last = start;
            for (int i = 1; !triggered; i++) {
                if (i % POLLS_PER_YIELD == 0) {
                    long now = System.nanoTime();
                    if (now - end >= 0 || now - last > LATE_YIELD) {
                        break;
                    }
                    Thread.yield();
                    last = System.nanoTime();
                } else {
                    Thread.onSpinWait();
                }
            }
            SPINNERS.decrementAndGet();
        }
        if (triggered) {
            spinNanos = Math.min(SPIN_MAX, 2 * spinNanos);
            return;
        }
        park(Long.MAX_VALUE, 0, false);
        if (triggered && System.nanoTime() - start < SPIN_MAX) {
            spinNanos = Math.min(SPIN_MAX, 2 * spinNanos);
        } else {
            spinNanos = Math.max(SPIN_MIN, spinNanos - (spinNanos >> 3));
        }
    }

    /**
     * Parks the calling thread until woken or deadline (System.nanoTime(); Long.MAX_VALUE: none),
     * with the host signal mask at sigmask (8 bytes, checked by the caller) if it is not 0; first it
     * spins a little if spin (see SPINS).
     *
     * <p>Preconditions: called by the owning thread, after {@link #arm} and a check that found
     * nothing ready.
     */
    public void park(long deadline, long sigmask, boolean spin) {
        for (int i = 0; spin && i < SPINS && !triggered; i++) {
            Thread.onSpinWait();
        }
        if (triggered) {
            return;
        }
        if (sigmask != 0) {
            Host.fastCall(Sysno.SYS_RT_SIGPROCMASK, SIG_SETMASK, sigmask, scratch.address() + 8, SIGSET_SIZE, 0, 0);
        }
        mode = PARKED;
        while (!triggered) {
            if (deadline == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            Thread.interrupted(); // a Java interrupt is not the app's signal; it would keep park from parking
        }
        mode = AWAKE;
        if (sigmask != 0) {
            Host.fastCall(Sysno.SYS_RT_SIGPROCMASK, SIG_SETMASK, scratch.address() + 8, 0, SIGSET_SIZE, 0, 0);
        }
    }

    /**
     * Sleeps in a host ppoll on the n struct pollfd at pollfds, plus this waiter's eventfd, which the
     * caller left room for at index n, until one is ready, a kernel object wakes it, or deadline.
     * Returns the number of the n entries that are ready (their revents are the host's), or -errno
     * (EINTR for a signal; EMFILE if the eventfd could not be made).
     *
     * <p>Preconditions: as {@link #park}; sigmask (if not 0) is an 8-byte set the caller checked.
     */
    public long hostPoll(long pollfds, int n, long deadline, long sigmask) {
        if (wakeFd < 0) {
            long fd = Host.fastCall(Sysno.SYS_EVENTFD2, 0, Fcntl.O_CLOEXEC | EFD_NONBLOCK, 0);
            if (fd < 0) {
                return fd;
            }
            wakeFd = (int) fd;
        }
        MemorySegment all = MemorySegment.ofAddress(pollfds).reinterpret(8L * (n + 1));
        long wake = 8L * n;
        all.set(JAVA_INT, wake, wakeFd);
        all.set(JAVA_SHORT, wake + 4, (short) Poll.POLLIN);
        all.set(JAVA_SHORT, wake + 6, (short) 0);
        long ts = 0;
        if (deadline != Long.MAX_VALUE) {
            long left = Math.max(0, deadline - System.nanoTime());
            scratch.set(JAVA_LONG, 16, left / 1_000_000_000);
            scratch.set(JAVA_LONG, 24, left % 1_000_000_000);
            ts = scratch.address() + 16;
        }
        mode = HOST;
        long r = triggered ? 0 : Host.call(Sysno.SYS_PPOLL, pollfds, n + 1, ts, sigmask, sigmask != 0 ? SIGSET_SIZE : 0, 0);
        mode = AWAKE;
        if (r > 0 && all.get(JAVA_SHORT, wake + 6) != 0) {
            Host.fastCall(Sysno.SYS_READ, wakeFd, scratch.address(), 8);
            kicked = 0;
            r--;
        }
        return r;
    }
}
