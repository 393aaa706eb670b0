package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;

/**
 * /proc/thread-self (fs/proc/thread_self.c): a link to "PID/task/TID" of the calling thread; the
 * task directories are the host's.
 */
final class ThreadSelf extends KernSymlink {
    private final ProcFilesystem proc;

    ThreadSelf(ProcFilesystem fs) {
        super(fs);
        this.proc = fs;
    }

    @Override
    protected byte[] target(Task t) {
        return (proc.pid() + "/task/" + t.tid).getBytes(StandardCharsets.US_ASCII);
    }
}
