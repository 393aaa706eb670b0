package ring0.fs.procfs;

import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;
import ring0.loader.AppImage;

/**
 * /proc/PID/environ (fs/proc/base.c environ_read): the app's initial environment, each "NAME=value"
 * followed by a NUL; later setenv calls do not show, as on Linux. Mode 0400.
 */
final class Environ extends TextFile {
    private final ProcFilesystem proc;

    Environ(ProcFilesystem fs) {
        super(fs, 0400);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        AppImage image = proc.kernel().image();
        return image == null ? new byte[0] : Cmdline.nulTerminated(image.env());
    }
}
