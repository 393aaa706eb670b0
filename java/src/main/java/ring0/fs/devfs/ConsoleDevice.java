package ring0.fs.devfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.fs.kernfs.KernFilesystem;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/**
 * /dev/console, 5:1: the kernel's console, which is the app's stdio device: the host's descriptors
 * 0, 1 and 2 of the process when the kernel booted (ring0 run's own stdio, or what ring0 insexe
 * passed). An open reopens one of them, as a new open file description with the app's flags (so
 * O_NONBLOCK on it does not reach the shell's): for reading, the host's 0; for writing, the host's 1;
 * for both, the first of 0, 1, 2 that is a terminal, or 1. A descriptor that cannot be reopened (a
 * socket: ENXIO) is duplicated instead, sharing its description.
 */
final class ConsoleDevice extends CharDevice {
    private static final long TCGETS = 0x5401;

    ConsoleDevice(KernFilesystem fs, String twin) {
        super(fs, 5, 1, 0600, twin);
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        int src = switch (flags & Fcntl.O_ACCMODE) {
            case Fcntl.O_RDONLY -> 0;
            case Fcntl.O_WRONLY -> 1;
            default -> firstTerminal(t);
        };
        byte[] p = ("/proc/self/fd/" + src + "\0").getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(p, 0, t.scratch, JAVA_BYTE, TtyDevice.SCRATCH, p.length);
        long h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, t.scratch.address() + TtyDevice.SCRATCH,
                TtyDevice.hostFlags(flags), 0, 0, 0);
        if (h == -Errno.ENXIO) {
            h = Host.fastCall(Sysno.SYS_FCNTL, src, Fcntl.F_DUPFD_CLOEXEC, 3);
        }
        if (h < 0) {
            return h;
        }
        d.get();
        nd.file = new TerminalFile(m, d, (int) h, flags);
        return 0;
    }

    /** The first of the host's 0, 1, 2 that is a terminal; 1 if none is. */
    private static int firstTerminal(Task t) {
        for (int fd = 0; fd <= 2; fd++) {
            if (Host.fastCall(Sysno.SYS_IOCTL, fd, TCGETS, t.scratch.address() + TtyDevice.SCRATCH) == 0) {
                return fd;
            }
        }
        return 1;
    }
}
