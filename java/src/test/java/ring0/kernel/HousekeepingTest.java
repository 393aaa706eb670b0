package ring0.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HousekeepingTest {
    private final KernelThreads threads = new KernelThreads();
    private final Housekeeping hk = new Housekeeping(threads, new KernelLog());

    private static long ms(long n) {
        return TimeUnit.MILLISECONDS.toNanos(n);
    }

    @Test
    void noJobsNoThread() {
        assertEquals(Housekeeping.NEVER, hk.nextDue());
        assertEquals(0, hk.runDue(System.nanoTime(), null));
        assertEquals(Housekeeping.NEVER, hk.claimWatch(this), "nothing to watch");
        assertTrue(threads.all().isEmpty(), "the kernel thread starts with the first job");
    }

    @Test
    void anIdleAppThreadRunsWhatIsDue() {
        AtomicInteger runs = new AtomicInteger();
        Housekeeping.Job j = hk.register("job", ms(10_000), now -> runs.incrementAndGet());
        assertEquals(0, hk.runDue(System.nanoTime(), null), "not due yet");
        j.dueBy(System.nanoTime());
        assertEquals(1, hk.runDue(System.nanoTime(), null));
        assertEquals(1, runs.get());
        assertEquals(1, hk.runsByApp());
        assertTrue(hk.nextDue() - System.nanoTime() > ms(9_000), "periodic again, one period on");
        assertEquals(1, threads.all().size());
        assertEquals("ring0-housekeeping", threads.all().get(0).name());
    }

    @Test
    void theKernelThreadRunsWhatNobodyRan() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        Housekeeping.Job j = hk.register("on-demand", 0, now -> runs.incrementAndGet());
        assertEquals(Housekeeping.NEVER, hk.nextDue(), "on demand: not due until asked");
        long t0 = System.nanoTime();
        j.dueBy(t0 + ms(20));
        while (runs.get() == 0 && System.nanoTime() - t0 < ms(5_000)) {
            Thread.sleep(1);
        }
        long took = System.nanoTime() - t0;
        assertEquals(1, runs.get());
        while (hk.runsByKernelThread() == 0 && System.nanoTime() - t0 < ms(5_000)) {
            Thread.sleep(1); // counted just after the job returns
        }
        assertTrue(took >= ms(20) + Housekeeping.GRACE_NANOS - ms(2), "ran before its grace ended: " + took);
        assertEquals(1, hk.runsByKernelThread());
        assertEquals(Housekeeping.NEVER, hk.nextDue(), "an on-demand job is done until asked again");
    }

    @Test
    void oneWatcherAtATime() {
        hk.register("job", ms(50), now -> 1);
        Object a = new Object(), b = new Object();
        long due = hk.claimWatch(a);
        assertTrue(due != Housekeeping.NEVER);
        assertEquals(due, hk.claimWatch(a), "the watcher may ask again");
        assertEquals(Housekeeping.NEVER, hk.claimWatch(b), "another thread does not watch too");
        hk.releaseWatch(a);
        assertTrue(hk.claimWatch(b) != Housekeeping.NEVER);
    }

    @Test
    void aWokenThreadStopsBetweenJobs() {
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            hk.register("job" + i, 0, now -> runs.incrementAndGet()).dueBy(System.nanoTime());
        }
        assertEquals(1, hk.runDue(System.nanoTime(), () -> runs.get() >= 1), "stops after the first");
        assertEquals(2, hk.runDue(System.nanoTime(), null), "the others are still due");
    }

    @Test
    void aThrowingJobIsLoggedAndKept() {
        KernelLog log = new KernelLog();
        Housekeeping h = new Housekeeping(new KernelThreads(), log);
        Housekeeping.Job j = h.register("bad", 0, now -> {
            throw new IllegalStateException("boom");
        });
        j.dueBy(System.nanoTime()); // now: the kernel thread would wait out its grace first
        assertEquals(1, h.runDue(System.nanoTime(), null));
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("housekeeping job bad threw")), log.lines().toString());
        j.dueBy(System.nanoTime());
        assertEquals(1, h.runDue(System.nanoTime(), null), "still registered");
    }
}
