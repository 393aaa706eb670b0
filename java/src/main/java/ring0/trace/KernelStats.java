package ring0.trace;

import java.util.Map;
import ring0.fs.hostfs.CacheStats;
import ring0.fs.hostfs.HostCaches;
import ring0.kernel.Housekeeping;
import ring0.kernel.Kernel;
import ring0.kernel.KernelThreads;

/**
 * The kernel's own side of --stats, under the key "kernel": its threads, its housekeeping and its
 * futex table.
 *
 * <pre>
 * "kernel": {
 *   "threads": [{"name": "ring0-housekeeping", "state": "TIMED_WAITING", "cpu_ns": 1234567}],
 *   "housekeeping": {"runs_by_app_threads": 12, "runs_by_kernel_thread": 1, "watch_wakeups": 3,
 *                    "jobs": [{"name": "writeback", "period_ns": 0, "runs": 13, "worked": 5, "ns": 90000}]},
 *   "futex": {"threads": 5, "waits": 1000, "eagain": 3, "woken_spinning": 900, ...},
 *   "hostfs": {"mode": "auto", "lookup_hits": 120, "opens_cached": 40, "dirty_bytes": 0, ...}
 * }
 * </pre>
 */
public final class KernelStats {
    private KernelStats() {}

    /** Whether the kernel has anything of its own to show: a thread, a job, or a thread that used futex. */
    public static boolean any(Kernel kernel) {
        return !kernel.threads.all().isEmpty() || !kernel.housekeeping.jobs().isEmpty()
                || kernel.futexes.stats().get("threads") > 0;
    }

    /** The JSON object (without the key). */
    public static String json(Kernel kernel) {
        StringBuilder b = new StringBuilder("{\n    \"threads\": [");
        String sep = "";
        for (KernelThreads.Info t : kernel.threads.all()) {
            b.append(sep).append("{\"name\": \"").append(t.name()).append("\", \"state\": \"").append(t.state())
                    .append("\", \"cpu_ns\": ").append(t.cpuNanos()).append('}');
            sep = ", ";
        }
        Housekeeping hk = kernel.housekeeping;
        b.append("],\n    \"housekeeping\": {\"runs_by_app_threads\": ").append(hk.runsByApp())
                .append(", \"runs_by_kernel_thread\": ").append(hk.runsByKernelThread())
                .append(", \"watch_wakeups\": ").append(hk.watchWakeups()).append(", \"jobs\": [");
        sep = "";
        for (Housekeeping.JobStats j : hk.jobs()) {
            b.append(sep).append("{\"name\": \"").append(j.name()).append("\", \"period_ns\": ").append(j.periodNanos())
                    .append(", \"runs\": ").append(j.runs()).append(", \"worked\": ").append(j.worked())
                    .append(", \"ns\": ").append(j.nanos()).append('}');
            sep = ", ";
        }
        b.append("]},\n    \"futex\": {");
        sep = "";
        for (Map.Entry<String, Long> e : kernel.futexes.stats().entrySet()) {
            b.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue());
            sep = ", ";
        }
        b.append('}');
        HostCaches caches = HostCaches.of(kernel.vfs);
        if (caches != null) {
            CacheStats cs = caches.stats();
            b.append(",\n    \"hostfs\": {\"mode\": \"").append(cs.mode()).append('"');
            for (Map.Entry<String, Long> e : cs.values().entrySet()) {
                b.append(", \"").append(e.getKey()).append("\": ").append(e.getValue());
            }
            b.append('}');
        }
        return b.append("\n  }").toString();
    }
}
