package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;
import ring0.loader.AppImage;

/**
 * /proc/PID/exe (fs/proc/base.c proc_exe_link): the ring0 executable the kernel runs, by its absolute
 * host path, so that os.Executable() names the file the app was loaded from (natively: the program's
 * executable). It is followed as text, through the app's tree. ENOENT before an app is inserted.
 */
final class Exe extends KernSymlink {
    private final ProcFilesystem proc;

    Exe(ProcFilesystem fs) {
        super(fs);
        this.proc = fs;
    }

    @Override
    protected byte[] target(Task t) {
        AppImage image = proc.kernel().image();
        return image == null ? null : image.path().toString().getBytes(StandardCharsets.UTF_8);
    }
}
