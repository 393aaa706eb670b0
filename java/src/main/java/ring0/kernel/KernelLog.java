package ring0.kernel;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's log (dmesg): a bounded ring of lines, optionally copied to a stream as they come.
 * {@link #once} records a distinct message a single time and then only counts repeats, so a hot
 * path that keeps failing the same way cannot flood it.
 */
public final class KernelLog {
    private static final int CAPACITY = 1000;

    private final long bootNanos = System.nanoTime();
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile PrintStream echo;

    /** Copies every new line to out as well (the --log option), or stops if out is null. */
    public void echoTo(PrintStream out) {
        this.echo = out;
    }

    public void log(String message) {
        long us = (System.nanoTime() - bootNanos) / 1000;
        String line = String.format("[%5d.%06d] %s", us / 1_000_000, us % 1_000_000, message);
        synchronized (lines) {
            if (lines.size() == CAPACITY) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
        PrintStream out = echo;
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }

    /** Logs message unless the same key was logged before. Returns true if it logged. */
    public boolean once(String key, String message) {
        if (!seen.add(key)) {
            return false;
        }
        log(message);
        return true;
    }

    /** The lines still in the ring, oldest first. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Time since boot. */
    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - bootNanos);
    }
}
