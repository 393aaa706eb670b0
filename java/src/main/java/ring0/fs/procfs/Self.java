package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;

/** /proc/self (fs/proc/self.c): a link to the app's process directory, "PID". */
final class Self extends KernSymlink {
    private final byte[] target;

    Self(ProcFilesystem fs) {
        super(fs);
        this.target = Integer.toString(fs.pid()).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected byte[] target(Task t) {
        return target;
    }
}
