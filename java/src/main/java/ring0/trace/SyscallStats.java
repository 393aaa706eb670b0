package ring0.trace;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ring0.abi.Syscalls;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * --stats: per system call, how many calls the kernel served ("kernel"; of those, "passthrough" were
 * forwarded to the host by the kernel) and how many the Go side sent straight to the host ("host").
 * Per-task counters are summed here, when read.
 *
 * <pre>{"syscalls": {"write": {"kernel": 12, "passthrough": 12, "host": 0}, ...}, "kernel": {...}}</pre>
 *
 * <p>"kernel" is the kernel's own side, once it has one: its threads, housekeeping and futex counters
 * ({@link KernelStats}).
 */
public final class SyscallStats {
    private SyscallStats() {}

    /** One call's counts. */
    public record Counts(long kernel, long passthrough, long host) {}

    /** The counts so far, by call name, for calls made at least once. */
    public static Map<String, Counts> collect(Kernel kernel) {
        long[] k = new long[Syscalls.MAX], p = new long[Syscalls.MAX];
        for (Task t : kernel.tasks.all()) {
            for (int nr = 0; nr < Syscalls.MAX; nr++) {
                k[nr] += t.calls[nr];
                p[nr] += t.passedThrough[nr];
            }
        }
        long counters = kernel.hostCallCounters();
        Map<String, Counts> out = new TreeMap<>();
        for (int nr = 0; nr < Syscalls.MAX; nr++) {
            long h = counters != 0 ? UserMemory.ALL.get(JAVA_LONG, counters + 8L * nr) : 0;
            if (k[nr] != 0 || h != 0) {
                out.put(Syscalls.name(nr), new Counts(k[nr], p[nr], h));
            }
        }
        return out;
    }

    /** The JSON document of --stats. */
    public static String json(Kernel kernel) {
        StringBuilder b = new StringBuilder("{\"syscalls\": {");
        String sep = "\n  ";
        for (var e : collect(kernel).entrySet()) {
            Counts c = e.getValue();
            b.append(sep).append('"').append(e.getKey()).append("\": {\"kernel\": ").append(c.kernel())
                    .append(", \"passthrough\": ").append(c.passthrough())
                    .append(", \"host\": ").append(c.host()).append('}');
            sep = ",\n  ";
        }
        b.append("\n}");
        if (KernelStats.any(kernel)) {
            b.append(",\n\"kernel\": ").append(KernelStats.json(kernel));
        }
        return b.append("}\n").toString();
    }

    public static void write(Kernel kernel, Path file) throws IOException {
        Files.writeString(file, json(kernel));
    }

    private static final Pattern ENTRY = Pattern.compile(
            "\"(\\w+)\": \\{\"kernel\": (\\d+), \"passthrough\": (\\d+), \"host\": (\\d+)\\}");

    /** Reads back the "syscalls" counts of a document {@link #json} wrote (ring0 demo reads a run's --stats). */
    public static Map<String, Counts> parse(String json) {
        Map<String, Counts> out = new TreeMap<>();
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            out.put(m.group(1), new Counts(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
        }
        return out;
    }
}
