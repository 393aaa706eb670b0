package ring0.fs.procfs;

import java.util.Arrays;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/**
 * /proc/PID/comm (fs/proc/base.c comm_show, comm_write): the app's name and a newline; writing renames
 * it (at most 15 bytes, up to a newline), as far as /proc shows it. prctl(PR_SET_NAME) goes to the
 * host and names the host thread only.
 */
final class Comm extends TextFile {
    private final ProcFilesystem proc;

    Comm(ProcFilesystem fs) {
        super(fs, 0644);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        byte[] c = proc.comm();
        byte[] out = Arrays.copyOf(c, c.length + 1);
        out[c.length] = '\n';
        return out;
    }

    @Override
    protected long store(Task t, byte[] data) {
        int n = Math.min(data.length, ProcFilesystem.COMM_MAX);
        for (int i = 0; i < n; i++) {
            if (data[i] == '\n' || data[i] == 0) {
                n = i;
                break;
            }
        }
        proc.setComm(Arrays.copyOf(data, n));
        return data.length;
    }
}
