package ring0.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's periodic and deadline work (timers, writeback, polling), done co-operatively: the
 * kernel keeps no thread per job. An app thread that is about to sleep in the kernel (a Go scheduler
 * thread going idle: futex) first calls {@link #runDue}; one such sleeper at a time may also
 * {@link #claimWatch watch} the next deadline, sleeping no longer than it and running the work when
 * it comes. If no app thread runs a job within {@link #GRACE_NANOS} of its deadline (the app is busy
 * and never idles, or nothing sleeps in the kernel), the single kernel thread "ring0-housekeeping"
 * runs it. The thread starts with the first job.
 *
 * <p>A job is periodic (it is due every period) or on demand (period 0: due when someone calls
 * {@link Job#dueBy}, e.g. "flush dirty data within 1 s" when the first page gets dirty). Work must be
 * short: it runs on a thread the app may need back at any moment, so a long job does a slice and
 * asks to run again ({@link Job#dueBy} with an early deadline).
 *
 * <p>Locking: one job runs at a time ({@code running}, a try-lock: a thread that finds it taken does
 * not wait, the holder runs everything due). {@link Job#dueBy} takes no lock and allocates nothing,
 * so hot paths may call it; register is rare and copies the job array.
 *
 * <p>Times are {@link System#nanoTime} values (CLOCK_MONOTONIC).
 */
public final class Housekeeping {
    /** How late a job may be before the kernel thread runs it instead of an idle app thread. */
    public static final long GRACE_NANOS = 10_000_000L;
    /** "Never": no job is due. */
    public static final long NEVER = Long.MAX_VALUE;

    /** A job's body. Returns, as Agrona's IdleStrategy convention, > 0 if it did work, 0 if none. */
    @FunctionalInterface
    public interface Work {
        int doWork(long nowNanos);
    }

    /** Asked between jobs by runDue: true if the thread running them is needed back (it was woken). */
    @FunctionalInterface
    public interface Interrupt {
        boolean interrupted();
    }

    /** A registered job. */
    public final class Job {
        final String name;
        final long period;
        final Work work;
        volatile long due;
        /** Written by whoever holds {@code running}. */
        long runs, worked, nanos;

        Job(String name, long period, Work work, long due) {
            this.name = name;
            this.period = period;
            this.work = work;
            this.due = due;
        }

        /** Asks for this job to run no later than deadline (a nanoTime). No lock, no allocation. */
        public void dueBy(long deadline) {
            for (long d = due; deadline < d; d = due) {
                if (DUE.compareAndSet(this, d, deadline)) {
                    lowerNextDue(deadline);
                    return;
                }
            }
        }

        public String name() {
            return name;
        }
    }

    /** A job's counters as stats show them. */
    public record JobStats(String name, long periodNanos, long runs, long worked, long nanos) {}

    private static final VarHandle DUE, NEXT_DUE, RUNNING, WATCHER, RUNS_BY_APP, RUNS_BY_KTHREAD, WATCH_WAKEUPS;

    static {
        try {
            var l = MethodHandles.lookup();
            DUE = l.findVarHandle(Job.class, "due", long.class);
            NEXT_DUE = l.findVarHandle(Housekeeping.class, "nextDue", long.class);
            RUNNING = l.findVarHandle(Housekeeping.class, "running", int.class);
            WATCHER = l.findVarHandle(Housekeeping.class, "watcher", Object.class);
            RUNS_BY_APP = l.findVarHandle(Housekeeping.class, "runsByApp", long.class);
            RUNS_BY_KTHREAD = l.findVarHandle(Housekeeping.class, "runsByKernelThread", long.class);
            WATCH_WAKEUPS = l.findVarHandle(Housekeeping.class, "watchWakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KernelThreads threads;
    private final KernelLog log;
    private volatile Job[] jobs = new Job[0];
    /** The earliest due time of any job (NEVER if none): one volatile read tells a sleeper "nothing to do". */
    private volatile long nextDue = NEVER;
    private volatile int running;
    /** The app thread's waiter that watches nextDue while it sleeps, or null. */
    private volatile Object watcher;
    private volatile Thread kthread;
    /** When the kernel thread will look next (NEVER: it sleeps until unparked). */
    private volatile long kthreadWake = NEVER;

    private volatile long runsByApp, runsByKernelThread, watchWakeups;

    public Housekeeping(KernelThreads threads, KernelLog log) {
        this.threads = threads;
        this.log = log;
    }

    /**
     * Registers a job. periodNanos > 0: due every period, first one period from now; 0: due only when
     * asked ({@link Job#dueBy}).
     */
    public Job register(String name, long periodNanos, Work work) {
        if (periodNanos < 0) {
            throw new IllegalArgumentException("period " + periodNanos);
        }
        Job j = new Job(name, periodNanos, work, periodNanos > 0 ? System.nanoTime() + periodNanos : NEVER);
        synchronized (this) {
            Job[] a = Arrays.copyOf(jobs, jobs.length + 1);
            a[a.length - 1] = j;
            jobs = a;
            if (kthread == null) {
                kthread = threads.start("housekeeping", this::kernelThread);
            }
        }
        lowerNextDue(j.due);
        return j;
    }

    /** The earliest deadline of any job, NEVER if none. Hot path: one volatile read. */
    public long nextDue() {
        return nextDue;
    }

    /**
     * Runs the jobs that are due, unless another thread is running them. Called by an app thread about
     * to sleep (not by a kernel thread): its work is counted as co-operative. Stops early if
     * interrupt says the thread is needed back. Returns the number of jobs run.
     */
    public int runDue(long now, Interrupt interrupt) {
        if (nextDue > now) {
            return 0;
        }
        int n = runDueLocked(now, interrupt);
        if (n > 0) {
            RUNS_BY_APP.getAndAdd(this, n);
        }
        return n;
    }

    /**
     * A sleeping app thread asks to watch the next deadline. Returns the time to wake up at (the
     * next due time) if it is, or became, the watcher; NEVER if another thread watches or nothing is
     * registered. The watcher calls {@link #watchExpired} when its sleep times out at that time, and
     * {@link #releaseWatch} when it stops sleeping.
     */
    public long claimWatch(Object who) {
        if (jobs.length == 0) {
            return NEVER;
        }
        Object w = watcher;
        if (w != who && (w != null || !WATCHER.compareAndSet(this, null, who))) {
            return NEVER;
        }
        return nextDue;
    }

    /** The watcher's sleep reached the due time: runs what is due. */
    public void watchExpired(long now, Interrupt interrupt) {
        WATCH_WAKEUPS.getAndAdd(this, 1L);
        runDue(now, interrupt);
    }

    /** The watcher stops sleeping (it was woken, timed out or interrupted). */
    public void releaseWatch(Object who) {
        if (watcher == who) {
            WATCHER.compareAndSet(this, who, null);
        }
    }

    private int runDueLocked(long now, Interrupt interrupt) {
        if (!RUNNING.compareAndSet(this, 0, 1)) {
            return 0;
        }
        int n = 0;
        try {
            for (Job j : jobs) {
                if (interrupt != null && interrupt.interrupted()) {
                    break;
                }
                long d = j.due;
                if (d > now || !DUE.compareAndSet(j, d, j.period > 0 ? now + j.period : NEVER)) {
                    continue;
                }
                long t0 = System.nanoTime();
                int w;
                try {
                    w = j.work.doWork(now);
                } catch (RuntimeException e) {
                    // A job must not take the thread (an app thread!) down with it; it stays registered.
                    w = 0;
                    log.once("housekeeping:" + j.name + ":" + e.getClass().getName(),
                            "ring0: BUG: housekeeping job " + j.name + " threw: " + e);
                }
                j.runs++;
                j.nanos += System.nanoTime() - t0;
                if (w > 0) {
                    j.worked++;
                }
                n++;
            }
            recomputeNextDue();
        } finally {
            RUNNING.setRelease(this, 0);
        }
        return n;
    }

    /** Precondition: holds running. A concurrent dueBy may lower a job's due time meanwhile: rescan. */
    private void recomputeNextDue() {
        Job[] a = jobs;
        long m = NEVER;
        for (Job j : a) {
            m = Math.min(m, j.due);
        }
        nextDue = m;
        for (Job j : a) {
            long d = j.due;
            if (d < m) {
                lowerNextDue(d);
            }
        }
    }

    private void lowerNextDue(long deadline) {
        for (long n = nextDue; deadline < n; n = nextDue) {
            if (NEXT_DUE.compareAndSet(this, n, deadline)) {
                break;
            }
        }
        Thread k = kthread;
        if (k != null && deadline + GRACE_NANOS < kthreadWake) {
            LockSupport.unpark(k);
        }
    }

    /** ring0-housekeeping: runs what idle app threads did not run within GRACE_NANOS of its deadline. */
    private void kernelThread() {
        for (;;) {
            long due = nextDue;
            long now = System.nanoTime();
            if (due == NEVER) {
                kthreadWake = NEVER;
                if (nextDue == NEVER) {
                    LockSupport.park(this);
                }
            } else if (now - due < GRACE_NANOS) {
                long wake = due + GRACE_NANOS;
                kthreadWake = wake;
                if (nextDue >= due) {
                    LockSupport.parkNanos(this, wake - now);
                }
            } else {
                kthreadWake = now;
                int n = runDueLocked(now, null);
                if (n > 0) {
                    RUNS_BY_KTHREAD.getAndAdd(this, n);
                } else if (nextDue <= now) {
                    Thread.yield(); // an app thread is running them right now
                }
            }
        }
    }

    /** Jobs run by app threads about to sleep (co-operatively). */
    public long runsByApp() {
        return runsByApp;
    }

    /** Jobs run by the kernel thread because no app thread did in time. */
    public long runsByKernelThread() {
        return runsByKernelThread;
    }

    /** Times a sleeping app thread woke up for a job's deadline (it watched). */
    public long watchWakeups() {
        return watchWakeups;
    }

    /** Every job with its counters (read racily: they are for people). */
    public List<JobStats> jobs() {
        List<JobStats> out = new ArrayList<>();
        for (Job j : jobs) {
            out.add(new JobStats(j.name, j.period, j.runs, j.worked, j.nanos));
        }
        return out;
    }
}
