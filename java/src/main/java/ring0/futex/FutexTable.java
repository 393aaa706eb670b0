package ring0.futex;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ring0.abi.Errno;
import ring0.abi.FutexAbi;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Housekeeping;
import ring0.usermem.UserMemory;

/**
 * The futex table: waiters in hashed buckets keyed by address (Linux: kernel/futex/core.c), and the
 * operations on them: wait and wake (waitwake.c), wake-op, requeue (requeue.c). No global lock: each
 * operation locks the one or two buckets its addresses hash to.
 *
 * <h2>Keys</h2>
 * A key is the futex word's address. The app and the kernel are one process, so a private futex and a
 * shared one at the same address are the same word and the same key here. (Linux keeps them apart on
 * anonymous memory; using one word both ways is a bug in the program.) A kernel waiter sleeps in the
 * host on the app's word with the app's privacy, so host wakers of this process and, for a shared
 * futex, of other processes reach it.
 *
 * <h2>Why no wake-up is lost: the ordering</h2>
 *
 * A waiter spins before it sleeps, and it sleeps in the host, never in a Java-only queue. Three kinds
 * of wakers must find it: kernel wakers (futex(2) calls the kernel serves), host wakers on the app's
 * word (calls the Go runtime sends straight to the host: on a signal handler's stack, e.g. sigsend's
 * notewakeup, or before attach; C code), and requeue. The futex contract on every side is Linux's:
 * a waker changes the word, then wakes; a waiter checks the word, then sleeps, atomically with respect
 * to the waker.
 *
 * <p><b>1. Kernel waker vs kernel waiter entering the queue</b> (Linux's own argument, waitwake.c):
 * <pre>
 *   waiter                                   waker
 *   b.waiters++        (A: atomic, full fence)  *uaddr = new      (the app's store)
 *   lock(b)                                  fullFence         (B)
 *   uval = *uaddr                            if (b.waiters == 0) return 0
 *   if (uval != val) { unlock; waiters--;    lock(b)
 *                      return -EAGAIN }      dequeue and mark matching waiters
 *   enqueue(w), state = SPINNING; unlock(b)  unlock(b), then host wake-ups owed (3)
 * </pre>
 * With X = waiters and Y = *uaddr, (A) and (B) make "the waker reads X == 0 and the waiter reads the
 * old Y" impossible: either the waiter sees the new value and does not queue, or the waker sees it
 * counted, takes the lock after it, and finds it queued. On x86 the app's atomic or plain store and our
 * locked instructions and fence order exactly as Linux's smp_mb() pair does.
 *
 * <p><b>2. Kernel waker vs a spinning waiter.</b> The waker, holding the bucket lock, dequeues the
 * waiter and swaps its state word to WOKEN; the spinning waiter polls that word (and the app's word),
 * so the wake-up costs one memory write and the waiter never enters the host. If the swap returns
 * PARKED, the waiter is asleep in the host or on its way there, and the waker owes it a host wake-up.
 *
 * <p><b>3. Kernel waker vs a parked waiter.</b> Before sleeping, the waiter moves its state word from
 * SPINNING to PARKED by CAS (a CAS that fails means a waker or a requeue got there first), then sleeps
 * in the host with futex_waitv on two words: {@code state == PARKED} and {@code *uaddr == val}. The
 * waker stores WOKEN into the state word before it issues the host FUTEX_WAKE on it. This is the futex
 * protocol on a word of our own: the host checks {@code state == PARKED} after it queues the waiter,
 * so either it sees WOKEN and returns EAGAIN at once, or the waiter is queued in the host when the
 * wake comes. The host wake-up is issued after the bucket lock is released (Linux: wake_up_q), so a
 * waiter that has meanwhile returned and started another wait may get a stale one: it finds its state
 * still PARKED and sleeps again.
 *
 * <p><b>4. Host waker vs kernel waiter.</b> A host waker changes the app's word, then calls the host's
 * FUTEX_WAKE, which only sees host waiters. While the kernel waiter spins it polls the app's word and
 * leaves as soon as it changes; when it parks, the app's word is the second entry of its futex_waitv,
 * with the value it was asked to wait for, so the host checks it after queueing: either it sees the
 * change (EAGAIN) or the host waker finds the waiter queued. There is no window between the spin's
 * last look and the sleep because the host looks again. (A host waker that wakes without changing the
 * word can be missed while the waiter spins, exactly as Linux misses a wake that comes before the
 * waiter is queued; futex users change the word first for that reason.) The waiter then returns 0 as
 * if woken: a spurious wake-up, which futex(2) allows and every caller handles, when nobody woke it
 * but the word changed.
 *
 * <p><b>5. Kernel waker vs a host waiter.</b> Someone may sleep on the app's word in the host without
 * the kernel knowing: Go code on the host path (a signal handler's stack, an M in a fork child, code
 * before attach), C code (cgo), or, for a shared futex, another process. So a kernel wake that woke
 * fewer kernel waiters than asked wakes the host futex for the rest ({@link Futex#HOST_WAKE_PRIVATE}).
 * Its count may include a kernel waiter parked on that word that the kernel did not pick (a bitset
 * that does not match): that one returns 0, spuriously.
 *
 * <p><b>6. Requeue.</b> Under both bucket locks, the requeuer moves the waiter to the new key and
 * bucket, sets its expected value to the new word's current value (so a later change of that word by
 * a host waker is seen as in 4), and moves its state to NUDGED by CAS; if it was PARKED, it owes it a
 * host wake-up. A nudged waiter re-reads key and val, moves NUDGED to PARKED by CAS and sleeps again on
 * the new words. A spinning waiter sees NUDGED on its next poll.
 *
 * <p><b>7. Timeouts and signals vs wake-ups.</b> A waiter that stops waiting for its own reasons
 * (timeout, EINTR, the app's word changed) removes itself under the lock of the bucket it is queued
 * in (it re-reads {@code bucket} under that lock: a requeue may have moved it). If a waker dequeued it
 * first, the waiter returns 0, not ETIMEDOUT or EINTR (Linux: futex_unqueue() failing in
 * __futex_wait), so a wake-up that FUTEX_WAKE counted is never lost.
 *
 * <p>The waiter reuses its {@link Waiter} for its next wait, so no waker may write to it after the
 * waiter could have returned (Linux: futex_wake_mark() clears lock_ptr last, with release order,
 * because the futex_q lives on the waiter's stack). A waker makes two stores the waiter acts on:
 * {@code bucket = null} (unqueue), then {@code state = WOKEN}. The waiter returns on WOKEN, which is
 * the waker's last store; but leaving on its own it reads {@code bucket} without the lock, and on
 * null it must also wait for WOKEN before it returns:
 * <pre>
 *   waker (holds b)                  waiter (timed out, or the word changed)
 *   unqueue: bucket = null
 *                                    leave: bucket == null, "woken", return 0
 *                                    next wait: state = SPINNING, enqueue in b'
 *   state = WOKEN    (lands on the next wait)
 *                                    spin: WOKEN, return 0 while still queued in b'
 *                                    next wait: enqueue again: that bucket's list loses waiters
 * </pre>
 * A requeuer's stores need no such care: it makes them all with the waiter still queued, holding the
 * locks of both buckets, and a waiter leaves a bucket only under its lock. The only late touch of a
 * waiter is a deferred host wake-up of its state word, which a later wait takes as a stale one (3).
 *
 * <p><b>8. Exit.</b> A waiter in the host when the app calls exit_group stays asleep; the process ends.
 *
 * <h2>Spinning</h2>
 * A waiter spins for an adaptive budget ({@link Waiter#spinSucceeded}) before it sleeps, polling its
 * state and the app's word and yielding its CPU every few polls. It spins only while a CPU is free:
 * the Go runtime's waits say how many of its Ps run goroutines ({@link Futex#RUNTIME_HINT}), and
 * with every CPU running a P, nobody spins ({@link #spinSlots}); a spinner whose yield kept it off
 * the CPU for long stops too. A wait that must sleep first runs the kernel's due housekeeping on its
 * thread ({@link Housekeeping}): the Go scheduler going idle is when the kernel's own work gets done.
 *
 * <h2>Deviations from Linux</h2>
 * A waiter may return 0 without a wake-up when its word changed (4) or a host wake-up with an
 * unrelated bitset reached it (futex_waitv waits with FUTEX_BITSET_MATCH_ANY); futex(2) allows spurious
 * wake-ups. A wait interrupted by a signal whose handler has SA_RESTART (all of Go's) is restarted by
 * the host instead of returning EINTR even when it has a timeout (Linux returns EINTR for timed waits);
 * both outcomes are legal for the caller, which retries or rechecks its condition.
 */
public final class FutexTable {
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Bucket[] buckets;
    /** The waiters spinning now; see {@link #spinSlots}. */
    private final Spinners spinners = new Spinners();
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private final int shift;
    private final Housekeeping housekeeping;
    private final List<Waiter> waiters = new ArrayList<>();

    /** A table with Linux's size: 256 buckets per CPU, rounded up to a power of two. */
    public FutexTable(Housekeeping housekeeping) {
        this(256 * Runtime.getRuntime().availableProcessors(), housekeeping);
    }

    FutexTable(int minBuckets, Housekeeping housekeeping) {
        int n = Integer.highestOneBit(Math.max(16, minBuckets) - 1) << 1;
        buckets = new Bucket[n];
        for (int i = 0; i < n; i++) {
            buckets[i] = new Bucket(i);
        }
        shift = 64 - Integer.numberOfTrailingZeros(n);
        this.housekeeping = housekeeping;
    }

    /** A waiter for one thread, made once per thread (it allocates its native memory). */
    public Waiter newWaiter() {
        Waiter w = new Waiter();
        synchronized (waiters) {
            waiters.add(w);
        }
        return w;
    }

    /** The bucket of a futex word: Fibonacci hashing of the address (words are 4-aligned). */
    Bucket bucket(long uaddr) {
        return buckets[(int) (((uaddr >>> 2) * 0x9E3779B97F4A7C15L) >>> shift)];
    }

    // ----------------------------------------------------------------------------------------------
    // waitwake.c

    /**
     * futex_wait: waits on uaddr while it holds val, until woken (0), the deadline passes (-ETIMEDOUT)
     * or a signal interrupts the host sleep (-EINTR); -EAGAIN at once if uaddr does not hold val.
     * Hot path: allocates nothing.
     *
     * <p>Preconditions: uaddr is 4-aligned and readable; bitset is not 0.
     *
     * @param deadline     when to give up, a System.nanoTime() value (CLOCK_MONOTONIC), or
     *                     Long.MAX_VALUE for never
     * @param clock        the clock the host sleep's deadline is on (CLOCK_MONOTONIC or CLOCK_REALTIME)
     * @param hostDeadline the deadline on that clock, absolute nanoseconds (Long.MAX_VALUE: none)
     */
    public long wait(Waiter w, long uaddr, int val, int bitset, boolean privateFutex,
            long deadline, int clock, long hostDeadline) {
        return wait(w, uaddr, val, bitset, privateFutex, deadline, clock, hostDeadline, -1);
    }

    /**
     * futex_wait with the Go runtime's hint of how busy it is: busyPs, the number of its Ps running
     * goroutines, or -1 for no hint. See {@link #spinSlots}.
     */
    public long wait(Waiter w, long uaddr, int val, int bitset, boolean privateFutex,
            long deadline, int clock, long hostDeadline, int busyPs) {
        w.waits++;
        Bucket b = bucket(uaddr);
        b.waitersInc(); // (A)
        b.lock();
        if (UserMemory.getInt(uaddr) != val) {
            b.unlock();
            b.waitersDec();
            w.eagain++;
            return -Errno.EAGAIN;
        }
        w.key = uaddr;
        w.val = val;
        w.keyReadable = true;
        w.bitset = bitset;
        w.privateFutex = privateFutex;
        w.busyPs = busyPs;
        w.setState(Waiter.SPINNING);
        b.enqueueLocked(w);
        b.unlock();
        return await(w, deadline, clock, hostDeadline);
    }

    /** The waiter is queued: spin, run due housekeeping, then sleep in the host. Hot path. */
    private long await(Waiter w, long deadline, int clock, long hostDeadline) {
        long start = System.nanoTime();
        long spinEnd = start + w.spinNanos;
        if (spinEnd - deadline > 0) {
            spinEnd = deadline;
        }
        boolean spinning = spinners.tryAcquire(spinSlots(w));
        if (!spinning) {
            w.noSpinSlot++;
            spinEnd = start; // enough threads spin already: look a few times, then sleep
        }
        long lastClock = start;
        for (int i = 1; ; i++) {
            int s = w.state();
            if (s == Waiter.WOKEN) {
                spinners.release(spinning);
                w.wokenSpinning++;
                w.spinSucceeded();
                return 0;
            }
            if (s == Waiter.NUDGED) {
                w.casState(Waiter.NUDGED, Waiter.SPINNING);
                continue;
            }
            if (w.keyReadable && UserMemory.getInt(w.key) != w.val) {
                // Changed by a waker that will find us, or by a host waker that cannot (4).
                spinners.release(spinning);
                w.leftOnValue++;
                w.spinSucceeded();
                return leave(w, 0);
            }
            if (i % Waiter.POLLS_PER_YIELD == 0) {
                long now = System.nanoTime();
                if (now - spinEnd >= 0) {
                    break;
                }
                if (now - lastClock > Waiter.LATE_YIELD) {
                    w.lateYields++;
                    break; // our yield let other threads run for long: the CPUs are busy, do not take them
                }
                Thread.yield(); // let whatever the host has waiting for this CPU run: often the waker
                lastClock = System.nanoTime();
            } else {
                Thread.onSpinWait();
            }
        }
        spinners.release(spinning);
        long now = System.nanoTime();
        w.spunNanos += now - start;
        if (now - deadline >= 0) {
            w.timeouts++;
            return leave(w, -Errno.ETIMEDOUT);
        }
        Housekeeping hk = housekeeping;
        if (hk != null && hk.runDue(now, w) > 0) {
            w.housekeepingRuns++;
        }
        long r = park(w, deadline, clock, hostDeadline, hk);
        if (hk != null) {
            hk.releaseWatch(w);
        }
        // Would a longer spin have caught the wake-up? In a hand-off between two threads, one parked
        // side makes the other's waits long (a host wake-up takes tens of microseconds), and both
        // would stop spinning for good; a wake-up that came within the longest spin says spinning pays.
        if (r == 0 && System.nanoTime() - start < Waiter.SPIN_MAX) {
            w.spinSucceeded();
        } else {
            w.spinFailed();
        }
        return r;
    }

    /**
     * How many waiters may spin at once, this one included. With the Go runtime's hint
     * ({@link Futex#RUNTIME_HINT}), any number while a CPU runs no P, none when the running Ps take
     * every CPU: then a spinner would take a CPU from a thread doing the app's work (measured: a
     * locked ping-pong next to a busy goroutine chain made 10 times fewer round trips when its
     * threads spun). The Go scheduler's own spinning follows the same rule: it spins only while a P
     * is idle. Without a hint, half the CPUs (at least one).
     */
    private int spinSlots(Waiter w) {
        if (w.busyPs < 0) {
            return Math.max(1, cpus / 2);
        }
        return w.busyPs < cpus ? Integer.MAX_VALUE : 0;
    }

    private long park(Waiter w, long deadline, int clock, long hostDeadline, Housekeeping hk) {
        for (;;) {
            int s = w.state();
            if (s == Waiter.WOKEN) {
                w.wokenParked++;
                return 0;
            }
            if (s != Waiter.PARKED && !w.casState(s, Waiter.PARKED)) {
                continue; // a waker or a requeue changed it: look again
            }
            // An idle thread without a deadline of its own may watch housekeeping's next deadline.
            long watch = Housekeeping.NEVER;
            if (hk != null && deadline == Long.MAX_VALUE) {
                watch = hk.claimWatch(w);
                if (watch != Housekeeping.NEVER && watch - System.nanoTime() <= 0) {
                    hk.watchExpired(System.nanoTime(), w);
                    watch = hk.claimWatch(w);
                    if (watch - System.nanoTime() <= 0) {
                        watch = Housekeeping.NEVER; // still due: another thread is running it
                    }
                }
            }
            long r = watch != Housekeeping.NEVER
                    ? w.park(FutexAbi.CLOCK_MONOTONIC, watch)
                    : w.park(clock, hostDeadline);
            w.hostWakeups++;
            s = w.state();
            if (s == Waiter.WOKEN) {
                w.wokenParked++;
                return 0;
            }
            if (s == Waiter.NUDGED || r == 0) {
                continue; // requeued, or a stale host wake-up of our state word (3)
            }
            if (r == 1 || r == -Errno.EAGAIN) {
                return leave(w, 0); // a host waker, or the app's word changed (4)
            }
            if (r == -Errno.ETIMEDOUT) {
                if (watch != Housekeeping.NEVER) {
                    hk.watchExpired(System.nanoTime(), w);
                    continue;
                }
                w.timeouts++;
                return leave(w, -Errno.ETIMEDOUT);
            }
            if (r == -Errno.EINTR) {
                w.interrupts++;
                return leave(w, -Errno.EINTR);
            }
            if (r == -Errno.EFAULT && w.keyReadable) {
                w.keyReadable = false; // the word went away under us: sleep on our own word only
                continue;
            }
            return leave(w, r == -Errno.EFAULT ? 0 : r);
        }
    }

    /**
     * The waiter stops waiting for its own reason (7): dequeue it and return result, or return 0 if a
     * waker dequeued it first (after waiting for that waker's last store to it, see (7)).
     */
    private static long leave(Waiter w, long result) {
        for (;;) {
            Bucket b = w.bucket;
            if (b == null) {
                awaitWokenMark(w); // woken: a waker took us off the queue
                return 0;
            }
            b.lock();
            if (w.bucket == b) {
                b.unqueueLocked(w);
                w.setState(Waiter.SPINNING);
                b.unlock();
                return result;
            }
            b.unlock(); // requeued meanwhile: try its new bucket
        }
    }

    /**
     * A waker cleared our bucket: wait until it has also stored WOKEN into our state word, its last
     * store to this waiter (7). It holds a bucket lock between the two stores, so this is a few
     * instructions unless the host preempted it there. Returning earlier would let that store land on
     * our next wait, which would then return 0 while still queued and corrupt its bucket's list.
     */
    private static void awaitWokenMark(Waiter w) {
        for (int i = 1; w.state() != Waiter.WOKEN; i++) {
            if (i % Waiter.POLLS_PER_YIELD == 0) {
                Thread.yield(); // the waker may have been preempted between its two stores
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * futex_wake: wakes at most nr waiters on uaddr whose bitset meets bitset (at least one: Linux
     * wakes one for nr <= 0). Returns how many it woke. Hot path: allocates nothing.
     *
     * @param self   the calling thread's waiter (it collects the host wake-ups owed)
     * @param hostOp if not -1, the futex operation (FUTEX_WAKE or FUTEX_WAKE_BITSET, with its flags)
     *               to wake waiters only the host knows (other processes' on a shared futex) when the
     *               kernel's own were fewer than nr
     */
    public int wake(Waiter self, long uaddr, int nr, int bitset, int hostOp) {
        self.wakeCalls++;
        Bucket b = bucket(uaddr);
        VarHandle.fullFence(); // (B)
        int n = 0;
        if (b.waiters != 0) {
            b.lock();
            for (Waiter w = b.head, next; w != null; w = next) {
                next = w.next;
                if (w.key == uaddr && (w.bitset & bitset) != 0) {
                    wakeLocked(self, b, w);
                    if (++n >= nr) {
                        break;
                    }
                }
            }
            b.unlock();
            self.flushHostWakes();
            self.woke += n;
        }
        if (hostOp != -1 && n < nr) {
            n += hostWake(uaddr, hostOp, nr - n, bitset);
        }
        return n;
    }

    /** Wakes host waiters only the host knows. Returns how many it woke (errors count as none). */
    private static int hostWake(long uaddr, int op, int nr, int bitset) {
        long h = Host.fastCall(Sysno.SYS_FUTEX, uaddr, op, nr, 0, 0, bitset);
        return h > 0 ? (int) h : 0;
    }

    /**
     * Dequeues w and marks it woken. Storing WOKEN must be the last write to w (7): the waiter may
     * return as soon as it sees it, or, having seen its bucket cleared, once it sees it. Precondition:
     * b locked, w queued in b.
     */
    private static void wakeLocked(Waiter self, Bucket b, Waiter w) {
        b.unqueueLocked(w);
        if (w.markWokenLocked()) { // from here on only w's final fields are read
            self.deferHostWake(w);
        }
    }

    /**
     * futex_wake_op: atomically applies encodedOp to *uaddr2, wakes at most nr1 waiters on uaddr1 and,
     * if the old value of *uaddr2 passes encodedOp's comparison, at most nr2 on uaddr2. Returns the
     * number woken, or -ENOSYS for an unknown operation or comparison (the operation is done first when
     * only the comparison is unknown, as in Linux).
     *
     * <p>Preconditions: both addresses 4-aligned; uaddr2 writable.
     *
     * @param hostOp -1, or the FUTEX_WAKE (with flags) to wake host-only waiters as {@link #wake} does
     */
    public long wakeOp(Waiter self, long uaddr1, long uaddr2, int nr1, int nr2, int encodedOp, int hostOp) {
        self.wakeCalls++;
        int op = (encodedOp >>> 28) & 7;
        int cmp = (encodedOp >>> 24) & 15;
        int oparg = (encodedOp << 8) >> 20; // sign_extend32(bits 23..12, 11)
        int cmparg = (encodedOp << 20) >> 20; // sign_extend32(bits 11..0, 11)
        if ((encodedOp & (FutexAbi.FUTEX_OP_OPARG_SHIFT << 28)) != 0) {
            oparg = 1 << (oparg & 31); // Linux warns and masks a shift outside 0..31
        }
        if (op > FutexAbi.FUTEX_OP_XOR) {
            return -Errno.ENOSYS;
        }
        Bucket b1 = bucket(uaddr1), b2 = bucket(uaddr2);
        lock2(b1, b2);
        int old = atomicOp(uaddr2, op, oparg);
        int cmpResult = switch (cmp) {
            case FutexAbi.FUTEX_OP_CMP_EQ -> old == cmparg ? 1 : 0;
            case FutexAbi.FUTEX_OP_CMP_NE -> old != cmparg ? 1 : 0;
            case FutexAbi.FUTEX_OP_CMP_LT -> old < cmparg ? 1 : 0;
            case FutexAbi.FUTEX_OP_CMP_GE -> old >= cmparg ? 1 : 0;
            case FutexAbi.FUTEX_OP_CMP_LE -> old <= cmparg ? 1 : 0;
            case FutexAbi.FUTEX_OP_CMP_GT -> old > cmparg ? 1 : 0;
            default -> -1;
        };
        if (cmpResult < 0) {
            unlock2(b1, b2);
            return -Errno.ENOSYS;
        }
        int n1 = 0, n2 = 0;
        for (Waiter w = b1.head, next; w != null; w = next) {
            next = w.next;
            if (w.key == uaddr1) {
                wakeLocked(self, b1, w);
                if (++n1 >= nr1) {
                    break;
                }
            }
        }
        if (cmpResult > 0) {
            for (Waiter w = b2.head, next; w != null; w = next) {
                next = w.next;
                if (w.key == uaddr2) {
                    wakeLocked(self, b2, w);
                    if (++n2 >= nr2) {
                        break;
                    }
                }
            }
        }
        unlock2(b1, b2);
        self.flushHostWakes();
        self.woke += n1 + n2;
        if (hostOp != -1) {
            if (n1 < nr1) {
                n1 += hostWake(uaddr1, hostOp, nr1 - n1, FutexAbi.FUTEX_BITSET_MATCH_ANY);
            }
            if (cmpResult > 0 && n2 < nr2) {
                n2 += hostWake(uaddr2, hostOp, nr2 - n2, FutexAbi.FUTEX_BITSET_MATCH_ANY);
            }
        }
        return n1 + n2;
    }

    /** arch_futex_atomic_op_inuser: applies op to *uaddr atomically, returns the old value. */
    private static int atomicOp(long uaddr, int op, int oparg) {
        var m = UserMemory.ALL;
        return switch (op) {
            case FutexAbi.FUTEX_OP_SET -> (int) INT.getAndSet(m, uaddr, oparg);
            case FutexAbi.FUTEX_OP_ADD -> (int) INT.getAndAdd(m, uaddr, oparg);
            case FutexAbi.FUTEX_OP_OR -> (int) INT.getAndBitwiseOr(m, uaddr, oparg);
            case FutexAbi.FUTEX_OP_ANDN -> (int) INT.getAndBitwiseAnd(m, uaddr, ~oparg);
            case FutexAbi.FUTEX_OP_XOR -> (int) INT.getAndBitwiseXor(m, uaddr, oparg);
            default -> throw new IllegalArgumentException("op " + op);
        };
    }

    // ----------------------------------------------------------------------------------------------
    // requeue.c

    /**
     * futex_requeue (not PI): wakes at most nrWake waiters on uaddr1 and moves at most nrRequeue of the
     * others to uaddr2. With cmp, fails with -EAGAIN unless *uaddr1 == cmpval (read under the locks).
     * Returns the number woken plus the number moved.
     *
     * <p>Preconditions: nrWake, nrRequeue >= 0; both addresses 4-aligned; uaddr1 readable if cmp.
     *
     * @param hostOp -1, or the FUTEX_WAKE (with flags) that wakes every host-only waiter on uaddr1
     *               afterwards: waiters of other processes on a shared futex cannot be moved from here,
     *               so they get a spurious wake-up rather than a lost one
     */
    public long requeue(Waiter self, long uaddr1, long uaddr2, int nrWake, int nrRequeue, boolean cmp, int cmpval,
            int hostOp) {
        self.wakeCalls++;
        Bucket b1 = bucket(uaddr1), b2 = bucket(uaddr2);
        boolean readable2 = UserMemory.canRead(uaddr2, 4);
        b2.waitersInc(); // a waiter moved to b2 must be visible to b2's wakers (Linux: double_lock_hb)
        lock2(b1, b2);
        boolean done = false;
        try {
            if (cmp && UserMemory.getInt(uaddr1) != cmpval) {
                return -Errno.EAGAIN;
            }
            done = true;
            int count = 0, woken = 0;
            for (Waiter w = b1.head, next; w != null; w = next) {
                next = w.next;
                if (count - nrWake >= nrRequeue) {
                    break;
                }
                if (w.key != uaddr1) {
                    continue;
                }
                if (++count <= nrWake) {
                    wakeLocked(self, b1, w);
                    woken++;
                } else {
                    requeueLocked(self, b1, b2, w, uaddr2, readable2);
                    self.requeued++;
                }
            }
            self.woke += woken;
            return count;
        } finally {
            unlock2(b1, b2);
            b2.waitersDec();
            self.flushHostWakes();
            if (done && hostOp != -1) {
                hostWake(uaddr1, hostOp, Integer.MAX_VALUE, FutexAbi.FUTEX_BITSET_MATCH_ANY);
            }
        }
    }

    /** Moves w from b1 to key uaddr2 in b2 (6). Preconditions: b1 and b2 locked; w queued in b1. */
    private static void requeueLocked(Waiter self, Bucket b1, Bucket b2, Waiter w, long uaddr2, boolean readable2) {
        b1.moveLocked(w, b2);
        w.keyReadable = readable2;
        w.val = readable2 ? UserMemory.getInt(uaddr2) : 0;
        w.key = uaddr2;
        for (;;) {
            int s = w.state();
            if (s == Waiter.NUDGED) {
                return;
            }
            if (w.casState(s, Waiter.NUDGED)) {
                if (s == Waiter.PARKED) {
                    self.deferHostWake(w);
                }
                return;
            }
        }
    }

    /** Locks two buckets in index order (Linux: double_lock_hb); one if they are the same. */
    private void lock2(Bucket b1, Bucket b2) {
        if (b1 == b2) {
            b1.lock();
        } else if (b1.index < b2.index) {
            b1.lock();
            b2.lock();
        } else {
            b2.lock();
            b1.lock();
        }
    }

    private static void unlock2(Bucket b1, Bucket b2) {
        b1.unlock();
        if (b2 != b1) {
            b2.unlock();
        }
    }

    // ----------------------------------------------------------------------------------------------
    // stats

    /** Waiters queued in the whole table (and waiters on their way in or out). */
    public int queued() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b.waiters;
        }
        return n;
    }

    /** The futex counters of every thread, summed (read racily: they are for people). */
    public Map<String, Long> stats() {
        long[] c = new long[17];
        long spin = 0;
        int n;
        synchronized (waiters) {
            n = waiters.size();
            for (Waiter w : waiters) {
                long[] v = {w.waits, w.eagain, w.wokenSpinning, w.leftOnValue, w.parks, w.hostWakeups,
                    w.wokenParked, w.timeouts, w.interrupts, w.wakeCalls, w.woke, w.hostWakes, w.requeued,
                    w.housekeepingRuns, w.spunNanos, w.lateYields, w.noSpinSlot};
                for (int i = 0; i < v.length; i++) {
                    c[i] += v[i];
                }
                spin += w.spinNanos;
            }
        }
        String[] names = {"waits", "eagain", "woken_spinning", "left_on_value_change", "host_sleeps",
            "host_sleep_returns", "woken_parked", "timeouts", "eintr", "wake_calls", "woken", "host_wakes",
            "requeued", "housekeeping_runs", "spin_wall_ns_then_slept", "spins_cut_by_late_yield",
            "waits_without_spin_slot"};
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("threads", (long) n);
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], c[i]);
        }
        out.put("spin_budget_ns_avg", n == 0 ? 0 : spin / n);
        return out;
    }
}
