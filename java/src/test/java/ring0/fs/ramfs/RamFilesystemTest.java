package ring0.fs.ramfs;

import java.nio.file.Path;
import ring0.fs.Mounts;
import ring0.vfs.FilesystemContractTest;

/** The filesystem contract on a RAM filesystem mounted over a temporary directory. */
class RamFilesystemTest extends FilesystemContractTest {
    @Override
    protected Mounts.Spec mountOver(Path dir) {
        return Mounts.Spec.parse("ram:" + dir);
    }
}
