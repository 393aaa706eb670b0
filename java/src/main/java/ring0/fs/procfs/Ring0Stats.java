package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;
import ring0.trace.SyscallStats;

/** /proc/ring0/stats: the JSON document of --stats, live (system calls, kernel threads, housekeeping, futex). */
final class Ring0Stats extends TextFile {
    private final ProcFilesystem proc;

    Ring0Stats(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        return SyscallStats.json(proc.kernel()).getBytes(StandardCharsets.UTF_8);
    }
}
