package ring0.fs.devfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.KernFilesystem;
import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;

/** /dev/fd, /dev/stdin, /dev/stdout, /dev/stderr: symbolic links into /proc/self/fd, as udev makes them. */
final class DevLink extends KernSymlink {
    private final byte[] target;

    DevLink(KernFilesystem fs, String target) {
        super(fs);
        this.target = target.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected byte[] target(Task t) {
        return target;
    }

    @Override
    protected long size(Task t) {
        return target.length;
    }
}
