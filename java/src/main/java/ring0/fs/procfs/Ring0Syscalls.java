package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;
import ring0.trace.SyscallStats;

/**
 * /proc/ring0/syscalls: the counts of --stats, live: per system call made so far, the calls the
 * kernel served (of which it passed some to the host) and those the Go side sent straight to the
 * host (counted only with --stats).
 */
final class Ring0Syscalls extends TextFile {
    private final ProcFilesystem proc;

    Ring0Syscalls(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        StringBuilder b = new StringBuilder(String.format("%-24s %12s %12s %12s%n", "SYSCALL", "KERNEL", "PASSTHROUGH", "HOST"));
        for (Map.Entry<String, SyscallStats.Counts> e : SyscallStats.collect(proc.kernel()).entrySet()) {
            SyscallStats.Counts c = e.getValue();
            b.append(String.format("%-24s %12d %12d %12d%n", e.getKey(), c.kernel(), c.passthrough(), c.host()));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
