package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;

/** /proc/mounts (fs/proc/root.c): a link to "self/mounts", the mount table the app sees. */
final class MountsLink extends KernSymlink {
    private static final byte[] TARGET = "self/mounts".getBytes(StandardCharsets.US_ASCII);

    MountsLink(ProcFilesystem fs) {
        super(fs);
    }

    @Override
    protected byte[] target(Task t) {
        return TARGET;
    }
}
