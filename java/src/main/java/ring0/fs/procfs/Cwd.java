package ring0.fs.procfs;

import ring0.vfs.VfsPath;

/** /proc/PID/cwd: the app's working directory. */
final class Cwd extends DirectoryLink {
    Cwd(ProcFilesystem fs) {
        super(fs);
    }

    @Override
    VfsPath directory() {
        return proc.vfs().cwd();
    }
}
