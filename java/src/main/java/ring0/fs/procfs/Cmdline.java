package ring0.fs.procfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;
import ring0.loader.AppImage;

/** /proc/PID/cmdline (fs/proc/base.c proc_pid_cmdline_read): the app's argv, each argument followed by a NUL. */
final class Cmdline extends TextFile {
    private final ProcFilesystem proc;

    Cmdline(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        AppImage image = proc.kernel().image();
        return image == null ? new byte[0] : nulTerminated(image.argv());
    }

    /** Each byte string (AppImage's ISO-8859-1 convention), followed by a NUL. */
    static byte[] nulTerminated(Iterable<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        return out.toByteArray();
    }
}
