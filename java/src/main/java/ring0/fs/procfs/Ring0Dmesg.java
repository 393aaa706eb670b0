package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/** /proc/ring0/dmesg: the kernel log's ring (KernelLog), oldest line first. */
final class Ring0Dmesg extends TextFile {
    private final ProcFilesystem proc;

    Ring0Dmesg(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        StringBuilder b = new StringBuilder();
        for (String line : proc.kernel().log.lines()) {
            b.append(line).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
