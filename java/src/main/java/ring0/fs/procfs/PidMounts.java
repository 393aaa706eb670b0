package ring0.fs.procfs;

import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/** /proc/PID/mounts (fs/proc_namespace.c show_vfsmnt): the app's mount table, as fstab lines. */
final class PidMounts extends TextFile {
    private final ProcFilesystem proc;

    PidMounts(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        return MountTable.mounts(proc);
    }
}
