package ring0.fs.procfs;

import ring0.vfs.VfsPath;

/** /proc/PID/root: the app's root directory (chroot). */
final class Root extends DirectoryLink {
    Root(ProcFilesystem fs) {
        super(fs);
    }

    @Override
    VfsPath directory() {
        return proc.vfs().root();
    }
}
