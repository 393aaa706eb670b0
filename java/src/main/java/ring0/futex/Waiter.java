package ring0.futex;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static ring0.abi.FutexAbi.CLOCK_MONOTONIC;
import static ring0.abi.FutexAbi.FUTEX2_PRIVATE;
import static ring0.abi.FutexAbi.FUTEX2_SIZE_U32;
import static ring0.abi.FutexAbi.WAITV_FLAGS;
import static ring0.abi.FutexAbi.WAITV_RESERVED;
import static ring0.abi.FutexAbi.WAITV_SIZE;
import static ring0.abi.FutexAbi.WAITV_UADDR;
import static ring0.abi.FutexAbi.WAITV_VAL;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import ring0.abi.FutexAbi;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Housekeeping;

/**
 * One thread's futex wait (Linux: struct futex_q, which lives on the waiter's stack; here one per
 * thread, reused, so a wait allocates nothing). A thread waits on one futex at a time: an upcall
 * blocks its thread, and signal handlers never enter the kernel.
 *
 * <p>The waiter's state is a word in native memory, which is also what the waiter sleeps on in the
 * host: a kernel waker changes it before it wakes the host futex, the classic futex protocol applied
 * to a word of our own (see the essay in {@link FutexTable}). The memory is never freed, so a late
 * host wake-up always lands on memory that is still ours.
 *
 * <pre>
 * struct waiter_host {                  // 128 bytes, 64-aligned (a cache line of its own for state)
 *     u32 state;                        //   0  SPINNING, PARKED, WOKEN or NUDGED; our host futex word
 *     u32 pad;                          //   4
 *     struct futex_waitv v[2];          //   8  v[0] = {PARKED, &state, U32|PRIVATE}
 *                                       //      v[1] = {val, key, U32|(PRIVATE if the app's op was)}
 *     struct timespec timeout;          //  56  absolute, on the clock futex_waitv is told
 * };
 * </pre>
 *
 * <p>Fields marked "bucket" are written only under the lock of the bucket the waiter is queued in;
 * {@link #bucket}, {@link #key} and {@link #val} are volatile because the waiter reads them without it.
 */
public final class Waiter implements Housekeeping.Interrupt {
    /** Not waiting, or queued and spinning. */
    static final int SPINNING = 0;
    /** Queued, and asleep in the host (or about to be: the host checks this word before it sleeps). */
    static final int PARKED = 1;
    /** Dequeued by a waker: the wait returns 0. */
    static final int WOKEN = 2;
    /** Requeued to another address: the waiter must look at key and val again (and re-park there). */
    static final int NUDGED = 3;

    private static final long STATE = 0, WAITV = 8, TIMEOUT = 56, HOST_SIZE = 128;
    private static final VarHandle STATE_VH = JAVA_INT.varHandle();

    /**
     * Adaptive spinning bounds (nanoseconds); see {@link #spinSucceeded}. The maximum must exceed the
     * host's wake-up latency (44-96 us measured here): in a hand-off between two threads, one side
     * catches the wake-up by spinning only if it spins longer than the other takes to wake from a
     * host sleep, and once both spin, a hand-off costs microseconds (bench/pingpong).
     */
    static final long SPIN_MIN = 2_000, SPIN_MAX = 100_000, SPIN_INITIAL = 50_000;
    /**
     * A spinner polls this many times between yields of its CPU. Yielding (sched_yield) measured
     * better than pure pausing on the 2-vCPU machines here, where the waker, the spinner and the
     * scheduler's other threads compete for the CPUs: bench/pingpong's locked hand-off took 7.3 us
     * yielding every 16 polls, 12.2 us pausing for 1 us first, 28 us pausing for 5 us first.
     */
    static final int POLLS_PER_YIELD = 16;
    /**
     * A yield that kept the spinner off its CPU this long (ns) means other threads were waiting for
     * the CPUs: the spinner stops and sleeps, leaving them the CPU.
     */
    static final long LATE_YIELD = 50_000;
    /** How many host wake-ups a waker collects before it must issue them under the lock. */
    private static final int PENDING_MAX = 16;

    final MemorySegment host;
    final long stateAddr;

    // Queue links: bucket.
    Waiter next, prev;
    /** The bucket this waiter is queued in, null when not queued (Linux: futex_q.lock_ptr). */
    volatile Bucket bucket;
    /** The address waited on and its expected value; bucket (requeue changes them). */
    volatile long key;
    volatile int val;
    /** Whether key can be read (a requeue target may be unmapped: then the host sleep is on state alone). */
    volatile boolean keyReadable;
    /** The wait's bitset and privacy; bucket. */
    int bitset;
    boolean privateFutex;
    /** The Go runtime's hint for this wait (Futex.RUNTIME_HINT's low 16 bits), -1 for none. */
    int busyPs;

    /** The next spin's budget, adapted to how often spinning caught the wake-up. Owner only. */
    long spinNanos = SPIN_INITIAL;

    /** Host wake-ups this thread, as a waker, owes waiters that were parked: issued after unlocking. */
    private final long[] pending = new long[PENDING_MAX];
    private int npending;

    // Counters, written by the owner thread only, summed when read (FutexTable.stats).
    long waits, eagain, wokenSpinning, leftOnValue, parks, hostWakeups, wokenParked, timeouts, interrupts;
    long wakeCalls, woke, hostWakes, requeued, housekeepingRuns, spunNanos, lateYields, noSpinSlot;

    Waiter() {
        host = Arena.global().allocate(HOST_SIZE, 64);
        stateAddr = host.address();
        MemorySegment v0 = host.asSlice(WAITV, WAITV_SIZE);
        v0.set(JAVA_LONG, WAITV_VAL, PARKED);
        v0.set(JAVA_LONG, WAITV_UADDR, stateAddr);
        v0.set(JAVA_INT, WAITV_FLAGS, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE);
        v0.set(JAVA_INT, WAITV_RESERVED, 0);
        host.set(JAVA_INT, WAITV + WAITV_SIZE + WAITV_RESERVED, 0);
    }

    int state() {
        return (int) STATE_VH.getVolatile(host, STATE);
    }

    void setState(int s) {
        STATE_VH.setVolatile(host, STATE, s);
    }

    boolean casState(int from, int to) {
        return STATE_VH.compareAndSet(host, STATE, from, to);
    }

    int getAndSetState(int s) {
        return (int) STATE_VH.getAndSet(host, STATE, s);
    }

    /** True once a waker dequeued this waiter: housekeeping stops and gives the thread back. */
    @Override
    public boolean interrupted() {
        return state() == WOKEN;
    }

    /**
     * Sleeps in the host until our state word leaves PARKED, or key leaves val, or the deadline, or a
     * signal. Returns futex_waitv's raw result: 0 or 1 (the index woken), -EAGAIN, -ETIMEDOUT,
     * -EINTR, -EFAULT.
     *
     * @param clock   CLOCK_MONOTONIC or CLOCK_REALTIME: the clock of hostDeadline
     * @param hostDeadline absolute nanoseconds on clock, or Long.MAX_VALUE for none
     */
    long park(int clock, long hostDeadline) {
        boolean withKey = keyReadable;
        if (withKey) {
            long base = WAITV + WAITV_SIZE;
            host.set(JAVA_LONG, base + WAITV_VAL, val & 0xffffffffL);
            host.set(JAVA_LONG, base + WAITV_UADDR, key);
            host.set(JAVA_INT, base + WAITV_FLAGS, FUTEX2_SIZE_U32 | (privateFutex ? FUTEX2_PRIVATE : 0));
        }
        long ts = 0;
        if (hostDeadline != Long.MAX_VALUE) {
            ts = stateAddr + TIMEOUT;
            host.set(JAVA_LONG, TIMEOUT, hostDeadline / 1_000_000_000L);
            host.set(JAVA_LONG, TIMEOUT + 8, hostDeadline % 1_000_000_000L);
        }
        parks++;
        return Host.call(Sysno.SYS_FUTEX_WAITV, stateAddr + WAITV, withKey ? 2 : 1, 0, ts,
                hostDeadline != Long.MAX_VALUE ? clock : CLOCK_MONOTONIC, 0);
    }

    /**
     * Marks this waiter woken. Returns true if it was parked (or on its way to park): the caller
     * owes it a host wake-up. The waker's last store to this waiter: once it is visible the waiter
     * may return and start its next wait (see FutexTable's essay, 7). Precondition: the waiter's
     * bucket is locked and it was just dequeued.
     */
    boolean markWokenLocked() {
        return getAndSetState(WOKEN) == PARKED;
    }

    /** As a waker: remembers a host wake-up to issue once the bucket is unlocked. */
    void deferHostWake(Waiter w) {
        if (npending == PENDING_MAX) {
            flushHostWakes(); // rare: many parked waiters at once; waking under the lock is still correct
        }
        pending[npending++] = w.stateAddr;
    }

    /** Issues the host wake-ups collected by deferHostWake. */
    void flushHostWakes() {
        for (int i = 0; i < npending; i++) {
            hostWake(pending[i]);
        }
        hostWakes += npending;
        npending = 0;
    }

    static void hostWake(long stateAddr) {
        Host.fastCall(Sysno.SYS_FUTEX, stateAddr, FutexAbi.FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
    }

    /** A spin caught the wake-up: spin twice as long next time (quick to trust spinning again). */
    void spinSucceeded() {
        spinNanos = Math.min(SPIN_MAX, 2 * spinNanos);
    }

    /** A spin ran out and the thread slept: spin an eighth less next time (slow to give up). */
    void spinFailed() {
        spinNanos = Math.max(SPIN_MIN, spinNanos - (spinNanos >> 3));
    }
}
