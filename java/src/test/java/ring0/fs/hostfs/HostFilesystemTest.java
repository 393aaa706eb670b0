package ring0.fs.hostfs;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import ring0.fs.Mounts;
import ring0.vfs.FilesystemContractTest;

/**
 * The filesystem contract on the host's files: a temporary directory mounted over itself, with the
 * caches in {@link #mode()} ({@code --cache=none} here; the subclasses run it in the other modes).
 */
class HostFilesystemTest extends FilesystemContractTest {
    @Override
    protected Mounts.Spec mountOver(Path dir) {
        return Mounts.Spec.parse("host:" + dir + ":" + dir);
    }

    /** The cache mode the contract runs in. */
    protected CacheMode mode() {
        return CacheMode.NONE;
    }

    @BeforeEach
    void installCaches() {
        HostCaches.install(k.kernel, mode());
    }

    /** The contract with --cache=auto. */
    static class Auto extends HostFilesystemTest {
        @Override
        protected CacheMode mode() {
            return CacheMode.AUTO;
        }
    }

    /** The contract with --cache=always. */
    static class Always extends HostFilesystemTest {
        @Override
        protected CacheMode mode() {
            return CacheMode.ALWAYS;
        }
    }
}
