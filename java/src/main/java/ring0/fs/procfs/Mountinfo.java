package ring0.fs.procfs;

import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/**
 * /proc/PID/mountinfo (fs/proc_namespace.c show_mountinfo): the app's mount table with ids, devices
 * and roots. Go's runtime reads it at start to find its cgroup's CPU limit (GOMAXPROCS), so the
 * host's cgroup mounts are here as natively.
 */
final class Mountinfo extends TextFile {
    private final ProcFilesystem proc;

    Mountinfo(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        return MountTable.mountinfo(proc);
    }
}
