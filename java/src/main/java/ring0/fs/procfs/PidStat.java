package ring0.fs.procfs;

import java.io.ByteArrayOutputStream;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/**
 * /proc/PID/stat (fs/proc/array.c do_task_stat): the host's line for this process, with the app's
 * name in the parentheses of field 2.
 */
final class PidStat extends TextFile {
    private final ProcFilesystem proc;

    PidStat(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        byte[] host = ProcFilesystem.hostFile("/proc/self/stat");
        if (host == null) {
            return new byte[0];
        }
        int open = -1, close = -1;
        for (int i = 0; i < host.length; i++) {
            if (host[i] == '(' && open < 0) {
                open = i;
            } else if (host[i] == ')') {
                close = i;
            }
        }
        if (open < 0 || close < open) {
            return host;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(host, 0, open + 1);
        out.writeBytes(proc.comm());
        out.write(host, close, host.length - close);
        return out.toByteArray();
    }
}
