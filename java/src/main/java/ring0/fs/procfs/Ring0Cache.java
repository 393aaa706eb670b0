package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.hostfs.HostCaches;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/**
 * /proc/ring0/cache: what the host file caches (--cache) did and hold, as "name value" lines
 * ({@link HostCaches#statsText}: the mode, then hits, misses, flushes, dirty bytes, descriptors...);
 * "mode none" when no host filesystem caches.
 */
final class Ring0Cache extends TextFile {
    private final ProcFilesystem proc;

    Ring0Cache(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        HostCaches caches = HostCaches.of(proc.vfs());
        return (caches == null ? "mode none\n" : caches.statsText()).getBytes(StandardCharsets.UTF_8);
    }
}
