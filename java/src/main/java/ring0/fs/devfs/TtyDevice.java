package ring0.fs.devfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.fs.kernfs.KernFilesystem;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/**
 * /dev/tty, 5:0: the controlling terminal. The app and the kernel are one host process, so its
 * controlling terminal is the host's: opening this opens the host's /dev/tty with the app's flags,
 * and fails as natively (ENXIO) when the process has none.
 */
final class TtyDevice extends CharDevice {
    private static final byte[] HOST_TTY = "/dev/tty\0".getBytes(StandardCharsets.US_ASCII);
    /** Where in Task.scratch the host path goes (apart from the slots of hostfs and kernfs). */
    static final long SCRATCH = 12288 + 1024;

    TtyDevice(KernFilesystem fs, String twin) {
        super(fs, 5, 0, 0666, twin);
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        MemorySegment.copy(HOST_TTY, 0, t.scratch, JAVA_BYTE, SCRATCH, HOST_TTY.length);
        long h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, t.scratch.address() + SCRATCH, hostFlags(flags), 0, 0, 0);
        if (h < 0) {
            return h;
        }
        d.get();
        nd.file = new TerminalFile(m, d, (int) h, flags);
        return 0;
    }

    /** The flags of a host open of a device for the app's open: no creation, and close-on-exec. */
    static int hostFlags(int flags) {
        return (flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_TRUNC | Fcntl.O_NOFOLLOW | Fcntl.O_DIRECTORY
                | Fcntl.O_TMPFILE)) | Fcntl.O_CLOEXEC;
    }
}
