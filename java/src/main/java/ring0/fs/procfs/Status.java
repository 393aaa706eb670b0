package ring0.fs.procfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/**
 * /proc/PID/status (fs/proc/array.c proc_pid_status): the host's own status of this process (it is
 * the same process: ids, memory, threads, signals, capabilities are the host's to tell), with the
 * app's view where the kernel has one: Name is the app's, Umask the kernel's. Threads counts the
 * JVM's threads with the app's.
 */
final class Status extends TextFile {
    private final ProcFilesystem proc;

    Status(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        byte[] host = ProcFilesystem.hostFile("/proc/self/status");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (host == null) {
            out.writeBytes("Name:\t".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(proc.comm());
            out.write('\n');
            return out.toByteArray();
        }
        int start = 0;
        for (int i = 0; i <= host.length; i++) {
            if (i == host.length || host[i] == '\n') {
                if (i > start) {
                    line(out, new String(host, start, i - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return out.toByteArray();
    }

    private void line(ByteArrayOutputStream out, String line) {
        if (line.startsWith("Name:")) {
            out.writeBytes("Name:\t".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(proc.comm());
        } else if (line.startsWith("Umask:")) {
            out.writeBytes(String.format("Umask:\t%04o", proc.vfs().umask()).getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write('\n');
    }
}
