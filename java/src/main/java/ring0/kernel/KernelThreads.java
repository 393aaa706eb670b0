package ring0.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kernel's own threads (Linux: kthreads). There are few by design: work that must happen without
 * the app asking goes to {@link Housekeeping}, which app threads run when they go idle. Each thread is
 * a named daemon ("ring0-" + name) listed here, so that --stats and ps can show what the kernel runs.
 */
public final class KernelThreads {
    /** One thread as stats show it. */
    public record Info(String name, String state, long cpuNanos) {}

    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Starts a daemon thread named "ring0-" + name running body. */
    public Thread start(String name, Runnable body) {
        Thread t = Thread.ofPlatform().name("ring0-" + name).daemon().unstarted(body);
        threads.add(t);
        t.start();
        return t;
    }

    /** Every thread started so far, with its state and CPU time (-1 where the JVM cannot tell). */
    public List<Info> all() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Info> out = new ArrayList<>();
        for (Thread t : threads) {
            long cpu = -1;
            if (t.isAlive() && mx.isThreadCpuTimeSupported()) {
                cpu = mx.getThreadCpuTime(t.threadId());
            }
            out.add(new Info(t.getName(), t.getState().name(), cpu));
        }
        return out;
    }
}
