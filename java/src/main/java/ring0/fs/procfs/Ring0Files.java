package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.abi.Fcntl;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.FdTable;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;

/**
 * /proc/ring0/files: every open app descriptor and its open file description: status flags (octal,
 * O_CLOEXEC for a close-on-exec descriptor), the host descriptor behind it ("-" for a file the
 * kernel serves alone), the kind of description and what it is.
 */
final class Ring0Files extends TextFile {
    private final ProcFilesystem proc;

    Ring0Files(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        FdTable fds = proc.kernel().fds;
        StringBuilder b = new StringBuilder(String.format("%5s %-9s %5s %-22s %s%n", "FD", "FLAGS", "HOST", "KIND", "FILE"));
        fds.forEachOpen(fd -> {
            FileDescription f = fds.get(fd);
            if (f == null) {
                return;
            }
            try {
                long getfl = f.fcntl(t, 3 /* F_GETFL: the host's for a host descriptor */, 0);
                long flags = (getfl < 0 ? f.statusFlags() : getfl) | (fds.closeOnExec(fd) ? Fcntl.O_CLOEXEC : 0);
                int h = f.hostFd();
                b.append(String.format("%5d 0%-8o %5s %-22s %s%n", fd, flags, h >= 0 ? Integer.toString(h) : "-",
                        f.getClass().getSimpleName(), f.describe()));
            } finally {
                f.put();
            }
        });
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
