package ring0.futex;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ring0.abi.Errno;
import ring0.abi.FutexAbi;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Housekeeping;
import ring0.kernel.KernelLog;
import ring0.kernel.KernelThreads;

/**
 * The futex table driven by Java threads: wait/wake races, timeouts, bitsets, requeue and wake-op,
 * parked waiters woken by kernel and by host wakers, and whole lock and condition-variable protocols
 * hammered by many threads. Every test ends by checking that no waiter is left queued; a lost wake-up
 * shows up as a thread that does not finish (each join is bounded, and the class has a timeout).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FutexTableTest {
    private static final long NEVER = Long.MAX_VALUE;
    private static final int ANY = FutexAbi.FUTEX_BITSET_MATCH_ANY;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final FutexTable table = new FutexTable(64, null);
    private final Arena arena = Arena.ofShared();
    private final MemorySegment mem = arena.allocate(4096, 64);
    private final ThreadLocal<Waiter> waiters = ThreadLocal.withInitial(table::newWaiter);
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @AfterEach
    void tearDown() {
        assertEquals(0, queued(), "waiters left in the table");
        arena.close();
    }

    private long word(int i) {
        return mem.address() + 64L * i;
    }

    private int get(int i) {
        return (int) INT.getVolatile(mem, 64L * i);
    }

    private void set(int i, int v) {
        INT.setVolatile(mem, 64L * i, v);
    }

    private Waiter me() {
        return waiters.get();
    }

    private long futexWait(int i, int val) {
        return table.wait(me(), word(i), val, ANY, true, NEVER, FutexAbi.CLOCK_MONOTONIC, NEVER);
    }

    private long waitFor(int i, int val, long nanos) {
        long d = System.nanoTime() + nanos;
        return table.wait(me(), word(i), val, ANY, true, d, FutexAbi.CLOCK_MONOTONIC, d);
    }

    private int wake(int i, int n) {
        return table.wake(me(), word(i), n, ANY, -1);
    }

    private int queued() {
        return table.queued();
    }

    /** A thread whose exceptions are collected and fail the test. */
    private Thread start(String name, Runnable r) {
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        return t;
    }

    private void joinAll(List<Thread> threads, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (t.isAlive()) {
                fail(t.getName() + " is stuck: a lost wake-up?\n" + stack(t));
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " thread(s) failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private static String stack(Thread t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("  at ").append(e).append('\n');
        }
        return b.toString();
    }

    /** Waits until n waiters are queued in the table (they are spinning or parked). */
    private void awaitQueued(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queued() < n) {
            if (System.nanoTime() > end) {
                fail("only " + queued() + " of " + n + " waiters queued");
            }
            Thread.sleep(1);
        }
    }

    // ----------------------------------------------------------------------------------------------

    @Test
    void valueMismatchIsEagain() {
        set(0, 5);
        assertEquals(-Errno.EAGAIN, futexWait(0, 4));
        assertEquals(0, wake(0, 1), "nobody to wake");
    }

    @Test
    void timeoutAfterSpinningAndParking() {
        set(0, 1);
        long t0 = System.nanoTime();
        assertEquals(-Errno.ETIMEDOUT, waitFor(0, 1, 0));
        assertEquals(-Errno.ETIMEDOUT, waitFor(0, 1, TimeUnit.MILLISECONDS.toNanos(30)));
        long took = System.nanoTime() - t0;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(30), "timed out early: " + took);
        assertTrue(me().parks > 0, "a 30 ms wait sleeps in the host");
    }

    @Test
    void absoluteDeadlinesOnBothClocks() {
        set(0, 1);
        // System.nanoTime is CLOCK_MONOTONIC: the host takes our deadline as is.
        MemorySegment ts = arena.allocate(16, 8);
        Host.fastCall(Sysno.SYS_CLOCK_GETTIME, FutexAbi.CLOCK_MONOTONIC, ts.address(), 0);
        long mono = ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
        assertTrue(Math.abs(mono - System.nanoTime()) < TimeUnit.MILLISECONDS.toNanos(50), "nanoTime is CLOCK_MONOTONIC");
        long d = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long t0 = System.nanoTime();
        assertEquals(-Errno.ETIMEDOUT, table.wait(me(), word(0), 1, ANY, true, d, FutexAbi.CLOCK_MONOTONIC, d));
        assertTrue(System.nanoTime() - d >= 0, "returned before the deadline");
        Host.fastCall(Sysno.SYS_CLOCK_GETTIME, FutexAbi.CLOCK_REALTIME, ts.address(), 0);
        long real = ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8) + TimeUnit.MILLISECONDS.toNanos(20);
        d = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        assertEquals(-Errno.ETIMEDOUT, table.wait(me(), word(0), 1, ANY, true, d, FutexAbi.CLOCK_REALTIME, real));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void wakeWakesAtMostNOldestFirst() throws InterruptedException {
        set(0, 0);
        int n = 6;
        AtomicInteger woken = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(start("waiter-" + i, () -> {
                assertEquals(0, futexWait(0, 0));
                woken.incrementAndGet();
            }));
            awaitQueued(i + 1);
        }
        assertEquals(1, wake(0, 1));
        assertEquals(1, wake(0, 0), "nr 0 wakes one, as Linux does");
        assertEquals(2, wake(0, 2));
        assertEquals(2, wake(0, Integer.MAX_VALUE));
        assertEquals(0, wake(0, Integer.MAX_VALUE));
        joinAll(ts, 10);
        assertEquals(n, woken.get());
    }

    @Test
    void parkedWaiterWokenByKernelWake() throws InterruptedException {
        set(0, 0);
        Thread t = start("parked", () -> assertEquals(0, futexWait(0, 0)));
        awaitQueued(1);
        Thread.sleep(300); // past any spin: it sleeps in the host
        long hostWakes = me().hostWakes;
        assertEquals(1, wake(0, 1));
        assertEquals(hostWakes + 1, me().hostWakes, "the waker woke it in the host");
        joinAll(List.of(t), 10);
    }

    @Test
    void hostWakerReachesAKernelWaiter() throws InterruptedException {
        // What the Go runtime does on a signal handler's stack: change the word, then a host FUTEX_WAKE.
        set(0, 0);
        Thread t = start("parked", () -> assertEquals(0, futexWait(0, 0)));
        awaitQueued(1);
        Thread.sleep(300);
        set(0, 1);
        assertEquals(1, Host.fastCall(Sysno.SYS_FUTEX, word(0), FutexAbi.FUTEX_WAKE_PRIVATE, 1, 0, 0, 0),
                "the host finds the kernel's waiter asleep on the word");
        joinAll(List.of(t), 10);

        // A host wake that does not change the word still wakes a parked waiter (it is queued in the host).
        set(0, 0);
        t = start("parked-2", () -> assertEquals(0, futexWait(0, 0)));
        awaitQueued(1);
        Thread.sleep(300);
        assertEquals(1, Host.fastCall(Sysno.SYS_FUTEX, word(0), FutexAbi.FUTEX_WAKE_PRIVATE, 1, 0, 0, 0));
        joinAll(List.of(t), 10);

        // The word changes and the host wakes while the waiter spins or as it parks: never lost.
        for (int i = 0; i < 200; i++) {
            set(0, 0);
            t = start("racing-" + i, () -> assertEquals(0, futexWait(0, 0)));
            awaitQueuedSpinning(1);
            long pause = ThreadLocalRandom.current().nextLong(200_000);
            for (long end = System.nanoTime() + pause; System.nanoTime() < end; ) {
                Thread.onSpinWait();
            }
            set(0, 1);
            Host.fastCall(Sysno.SYS_FUTEX, word(0), FutexAbi.FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
            joinAll(List.of(t), 10);
        }
    }

    /** Waits, without sleeping, until n waiters are queued. */
    private void awaitQueuedSpinning(int n) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queued() < n) {
            if (System.nanoTime() > end) {
                fail("only " + queued() + " of " + n + " waiters queued");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void bitsets() throws InterruptedException {
        set(0, 0);
        AtomicInteger woken = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int bit = 0; bit < 4; bit++) {
            int b = 1 << bit;
            ts.add(start("bitset-" + b, () -> {
                long r = table.wait(me(), word(0), 0, b, true, NEVER, FutexAbi.CLOCK_MONOTONIC, NEVER);
                assertEquals(0, r);
                woken.addAndGet(b);
            }));
        }
        awaitQueued(4);
        assertEquals(0, table.wake(me(), word(0), 10, 0x10, -1), "no waiter has bit 4");
        assertEquals(2, table.wake(me(), word(0), 10, 0b0101, -1));
        awaitWoken(woken, 0b0101);
        assertEquals(1, table.wake(me(), word(0), 10, 0b0010, -1));
        awaitWoken(woken, 0b0111);
        assertEquals(1, table.wake(me(), word(0), 10, ANY, -1));
        joinAll(ts, 10);
        assertEquals(0b1111, woken.get());
    }

    private static void awaitWoken(AtomicInteger woken, int want) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (woken.get() != want && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        assertEquals(want, woken.get());
    }

    /**
     * A waker dequeues a waiter, and before it stores WOKEN into the waiter's state (its last store:
     * it holds the bucket lock between the two, and the host may preempt it there) the waiter times out
     * and finds its bucket cleared. The waiter must return 0 only after that store: returned earlier,
     * it starts its next wait, the late WOKEN lands on that wait, which returns 0 while still queued,
     * and the wait after it enqueues the waiter a second time, cutting its bucket's list (the lost
     * wake-up of conditionVariableWithRequeueHammer). The waker is played here by hand, stopped
     * between its two stores for longer than the waiter's timeout.
     */
    @Test
    void aWaiterDequeuedByAWakerReturnsOnlyAfterItsLastStore() throws InterruptedException {
        int first = 0, second = 1;
        while (table.bucket(word(second)) == table.bucket(word(first))) {
            second++;
        }
        set(first, 0);
        set(second, 0);
        long timeout = TimeUnit.MILLISECONDS.toNanos(30);
        AtomicLong firstResult = new AtomicLong(1), secondResult = new AtomicLong(1);
        CountDownLatch queued = new CountDownLatch(1), betweenWaits = new CountDownLatch(1);
        Waiter[] w = new Waiter[1];
        int secondWord = second;
        Thread t = start("waiter", () -> {
            w[0] = me();
            queued.countDown();
            firstResult.set(waitFor(first, 0, timeout));
            betweenWaits.countDown();
            secondResult.set(futexWait(secondWord, 0));
        });
        assertTrue(queued.await(10, TimeUnit.SECONDS));
        Bucket b = table.bucket(word(first));
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); ; ) {
            b.lock();
            if (w[0].bucket == b) {
                break;
            }
            b.unlock();
            assertTrue(System.nanoTime() < end, "the waiter never queued");
            Thread.onSpinWait();
        }
        // The waker's first store (FutexTable.wakeLocked), then a pause past the waiter's timeout.
        b.unqueueLocked(w[0]);
        boolean returnedEarly = betweenWaits.await(TimeUnit.NANOSECONDS.toMillis(timeout) + 300, TimeUnit.MILLISECONDS);
        // The waker's last store, then its host wake-up, owed if the waiter was parked.
        boolean parked = w[0].markWokenLocked();
        b.unlock();
        if (parked) {
            Waiter.hostWake(w[0].stateAddr);
        }
        assertFalse(returnedEarly, "the waiter returned before the waker marked it woken");
        assertTrue(betweenWaits.await(10, TimeUnit.SECONDS));
        assertEquals(0, firstResult.get(), "dequeued by a waker: 0, not ETIMEDOUT");
        awaitQueued(1);
        Thread.sleep(50);
        assertEquals(1, secondResult.get(), "the next wait returned without a wake-up");
        assertEquals(1, wake(second, 1), "the next wait is queued");
        joinAll(List.of(t), 10);
        assertEquals(0, secondResult.get());
    }

    @Test
    void requeueMovesWaitersToTheSecondWord() throws InterruptedException {
        set(0, 0);
        set(1, 0);
        int n = 5;
        AtomicInteger woken = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(start("waiter-" + i, () -> {
                assertEquals(0, futexWait(0, 0));
                woken.incrementAndGet();
            }));
        }
        awaitQueued(n);
        Thread.sleep(200); // some park; all are queued either way
        assertEquals(-Errno.EAGAIN, table.requeue(me(), word(0), word(1), 1, n, true, 1, -1), "cmp fails");
        assertEquals(n, table.requeue(me(), word(0), word(1), 1, n, true, 0, -1), "1 woken + 4 moved");
        awaitWoken(woken, 1);
        assertEquals(0, wake(0, Integer.MAX_VALUE), "nobody left on the first word");
        Thread.sleep(200); // the moved waiters go back to sleep, on the second word
        assertEquals(n - 1, queued());
        assertEquals(2, wake(1, 2));
        assertEquals(n - 3, wake(1, Integer.MAX_VALUE));
        joinAll(ts, 10);
        assertEquals(n, woken.get());
    }

    @Test
    void requeuedWaiterSeesAHostWakerOnItsNewWord() throws InterruptedException {
        set(0, 0);
        set(1, 7);
        Thread t = start("waiter", () -> assertEquals(0, futexWait(0, 0)));
        awaitQueued(1);
        Thread.sleep(200);
        assertEquals(1, table.requeue(me(), word(0), word(1), 0, 1, false, 0, -1));
        Thread.sleep(200);
        set(1, 8);
        Host.fastCall(Sysno.SYS_FUTEX, word(1), FutexAbi.FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
        joinAll(List.of(t), 10);
    }

    @Test
    void wakeOpDoesTheOperationThenWakesBothWords() throws InterruptedException {
        set(0, 0);
        set(1, 5);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ts.add(start("w0-" + i, () -> assertEquals(0, futexWait(0, 0))));
            ts.add(start("w1-" + i, () -> assertEquals(0, futexWait(1, 5))));
        }
        awaitQueued(4);
        // *w1 += 1 (old 5); wake 1 on w0; if old > 4, wake 1 on w1.
        int enc = FutexAbi.FUTEX_OP_ADD << 28 | FutexAbi.FUTEX_OP_CMP_GT << 24 | 1 << 12 | 4;
        assertEquals(2, table.wakeOp(me(), word(0), word(1), 1, 1, enc, -1));
        assertEquals(6, get(1));
        // old 6 is not < 6: only w0.
        enc = FutexAbi.FUTEX_OP_SET << 28 | FutexAbi.FUTEX_OP_CMP_LT << 24 | 5 << 12 | 6;
        assertEquals(1, table.wakeOp(me(), word(0), word(1), 1, 1, enc, -1));
        assertEquals(5, get(1));
        assertEquals(-Errno.ENOSYS, table.wakeOp(me(), word(0), word(1), 1, 1, 7 << 24, -1), "unknown cmp");
        assertEquals(1, wake(1, 1), "the last waiter on w1 was left");
        joinAll(ts, 10);
    }

    /** A futex mutex (Drepper, "Futexes Are Tricky", mutex 3): 0 free, 1 locked, 2 locked with waiters. */
    private void lock(int i) {
        int c = (int) INT.compareAndExchange(mem, 64L * i, 0, 1);
        if (c == 0) {
            return;
        }
        if (c != 2) {
            c = (int) INT.getAndSet(mem, 64L * i, 2);
        }
        while (c != 0) {
            long r = futexWait(i, 2);
            assertTrue(r == 0 || r == -Errno.EAGAIN, "wait returned " + r);
            c = (int) INT.getAndSet(mem, 64L * i, 2);
        }
    }

    private void unlock(int i) {
        if ((int) INT.getAndAdd(mem, 64L * i, -1) != 1) {
            set(i, 0);
            wake(i, 1);
        }
    }

    @Test
    void mutexHammer() throws InterruptedException {
        int threads = 8, iterations = 50_000;
        long[] counter = new long[1];
        set(0, 0);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(start("locker-" + t, () -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < iterations; i++) {
                    lock(0);
                    counter[0]++;
                    if (r.nextInt(64) == 0) {
                        Thread.yield(); // hold it a while, so that others park
                    }
                    unlock(0);
                }
            }));
        }
        joinAll(ts, 90);
        assertEquals((long) threads * iterations, counter[0]);
    }

    /**
     * A condition variable in the style of glibc's old one: a sequence word that waiters wait on, a
     * broadcast that requeues them onto the mutex word, signals that wake one. Producers and consumers
     * pass tokens through a bounded buffer; every token must arrive, with timed waits mixed in.
     */
    @Test
    void conditionVariableWithRequeueHammer() throws InterruptedException {
        final int mutex = 0, seq = 1, producers = 4, consumers = 4, perProducer = 20_000, capacity = 4;
        set(mutex, 0);
        set(seq, 0);
        long[] buffer = new long[capacity];
        int[] count = {0};
        int[] head = {0};
        AtomicLong received = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        AtomicInteger timeouts = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);

        // cond_wait: remember seq, unlock, wait on seq (maybe with a timeout), relock with the waiters mark.
        class Cond {
            void await(boolean timed) {
                int s = get(seq);
                unlock(mutex);
                long r = timed ? waitFor(seq, s, TimeUnit.MICROSECONDS.toNanos(200)) : futexWait(seq, s);
                assertTrue(r == 0 || r == -Errno.EAGAIN || r == -Errno.ETIMEDOUT, "cond wait returned " + r);
                if (r == -Errno.ETIMEDOUT) {
                    timeouts.incrementAndGet();
                }
                // Requeued waiters wake from the mutex word: take it as contended.
                int c = (int) INT.getAndSet(mem, 64L * mutex, 2);
                while (c != 0) {
                    futexWait(mutex, 2);
                    c = (int) INT.getAndSet(mem, 64L * mutex, 2);
                }
            }

            void broadcast() {
                INT.getAndAdd(mem, 64L * seq, 1);
                // Wake one, move the rest onto the mutex (they need it before they can go on).
                table.requeue(me(), word(seq), word(mutex), 1, Integer.MAX_VALUE, true, get(seq), -1);
            }
        }
        Cond cond = new Cond();
        List<Thread> ts = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            ts.add(start("producer-" + p, () -> {
                await(go);
                for (int i = 1; i <= perProducer; i++) {
                    lock(mutex);
                    while (count[0] == capacity) {
                        cond.await(i % 7 == 0);
                    }
                    buffer[(head[0] + count[0]) % capacity] = (long) id * 1_000_000 + i;
                    count[0]++;
                    cond.broadcast();
                    unlock(mutex);
                }
            }));
        }
        long total = (long) producers * perProducer;
        for (int c = 0; c < consumers; c++) {
            ts.add(start("consumer-" + c, () -> {
                await(go);
                for (;;) {
                    lock(mutex);
                    while (count[0] == 0 && received.get() < total) {
                        cond.await(received.get() % 5 == 0);
                    }
                    if (count[0] == 0) {
                        cond.broadcast();
                        unlock(mutex);
                        return;
                    }
                    long v = buffer[head[0]];
                    head[0] = (head[0] + 1) % capacity;
                    count[0]--;
                    sum.addAndGet(v);
                    if (received.incrementAndGet() == total) {
                        cond.broadcast(); // release the other consumers
                    }
                    cond.broadcast();
                    unlock(mutex);
                }
            }));
        }
        go.countDown();
        joinAll(ts, 90);
        long want = 0;
        for (int p = 0; p < producers; p++) {
            want += (long) p * 1_000_000 * perProducer + (long) perProducer * (perProducer + 1) / 2;
        }
        assertEquals(total, received.get());
        assertEquals(want, sum.get());
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Wait/wake races with no protocol at all: each waiter waits once on a word that a waker flips and
     * wakes, with random timeouts; a wait that returned 0 must have been woken or seen the change, and
     * every wake counted must match a waiter that returned 0 by a wake. Runs many short rounds.
     */
    @Test
    void wakeCountsMatchWokenWaiters() throws InterruptedException {
        int rounds = 300, waitersPerRound = 6;
        for (int round = 0; round < rounds; round++) {
            int i = round % 8;
            set(i, 0);
            AtomicInteger returned0 = new AtomicInteger(), timedOut = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int w = 0; w < waitersPerRound; w++) {
                boolean timed = (w & 1) == 1;
                ts.add(start("r" + round + "w" + w, () -> {
                    long r = timed ? waitFor(i, 0, TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(1, 300)))
                            : futexWait(i, 0);
                    if (r == 0) {
                        returned0.incrementAndGet();
                    } else if (r == -Errno.ETIMEDOUT) {
                        timedOut.incrementAndGet();
                    } else {
                        assertEquals(-Errno.EAGAIN, r);
                        returned0.incrementAndGet(); // came after the flip
                    }
                }));
            }
            int woken = 0;
            if ((round & 1) == 0) {
                woken += wake(i, 2); // some wakes without a change: they must still count right
            }
            set(i, 1);
            woken += wake(i, Integer.MAX_VALUE);
            joinAll(ts, 20);
            assertEquals(waitersPerRound, returned0.get() + timedOut.get());
            assertTrue(woken <= returned0.get(), "woke " + woken + " but only " + returned0.get() + " returned 0");
        }
    }

    @Test
    void anIdleWaiterDoesTheHousekeeping() throws InterruptedException {
        KernelThreads threads = new KernelThreads();
        Housekeeping hk = new Housekeeping(threads, new KernelLog());
        FutexTable t = new FutexTable(64, hk);
        AtomicInteger runs = new AtomicInteger();
        hk.register("test", TimeUnit.MILLISECONDS.toNanos(20), now -> runs.incrementAndGet());
        set(0, 0);
        Waiter[] w = new Waiter[1];
        Thread waiter = start("idle", () -> {
            w[0] = t.newWaiter();
            assertEquals(0, t.wait(w[0], word(0), 0, ANY, true, NEVER, FutexAbi.CLOCK_MONOTONIC, NEVER));
        });
        Thread.sleep(300); // ~15 periods: the sleeping waiter watches the deadline and runs the job
        assertTrue(runs.get() >= 5, "ran " + runs.get() + " times");
        assertTrue(hk.runsByApp() >= 5, "by the idle app thread, not the kernel's: " + hk.runsByApp());
        assertTrue(hk.watchWakeups() >= 5);
        assertEquals(1, t.wake(t.newWaiter(), word(0), 1, ANY, -1), "still waiting, and woken as usual");
        joinAll(List.of(waiter), 10);
        assertEquals(0, t.queued());
    }

    @Test
    void theRuntimesHintDecidesWhetherToSpin() {
        set(0, 1);
        int cpus = Runtime.getRuntime().availableProcessors();
        Waiter w = me();
        long d = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        long before = w.noSpinSlot;
        assertEquals(-Errno.ETIMEDOUT, table.wait(w, word(0), 1, ANY, true, d, FutexAbi.CLOCK_MONOTONIC, d, cpus));
        assertEquals(before + 1, w.noSpinSlot, "every CPU runs a P: no spinning");
        d = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        assertEquals(-Errno.ETIMEDOUT, table.wait(w, word(0), 1, ANY, true, d, FutexAbi.CLOCK_MONOTONIC, d, cpus - 1));
        assertEquals(before + 1, w.noSpinSlot, "a CPU is free: it spins");
    }

    @Test
    void hotPathsAllocateNothing() throws InterruptedException {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        set(0, 1);
        Runnable loop = () -> {
            for (int i = 0; i < 20_000; i++) {
                futexWait(0, 2); // EAGAIN
                wake(0, 1); // nobody
                waitFor(0, 1, 0); // queued, spins once, times out
            }
        };
        loop.run();
        long before = mx.getCurrentThreadAllocatedBytes();
        loop.run();
        long after = mx.getCurrentThreadAllocatedBytes();
        assertEquals(0, after - before, "bytes allocated by 60,000 futex operations");
    }
}
