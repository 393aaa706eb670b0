package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * Calls whose descriptor arguments need more than the table says: exit_group, mmap (no descriptor
 * when anonymous) and signalfd/signalfd4 (-1 makes a new one).
 */
final class SysMisc {
    private static final int SFD_CLOEXEC = Fcntl.O_CLOEXEC;
    /**
     * The host descriptor passed for one the app does not have: not -1, which would make a new
     * signalfd, and above any host descriptor (fs.nr_open), so the host answers EBADF after its
     * own checks of flags, size and mask, as Linux does.
     */
    private static final int NO_HOST_FD = Integer.MAX_VALUE;

    private final Kernel kernel;

    SysMisc(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_EXIT_GROUP, this::exitGroup, "full");
        table.set(Sysno.SYS_MMAP, this::mmap, "host mapping");
        table.set(Sysno.SYS_SIGNALFD, (t, a0, a1, a2, a3, a4, a5) -> signalfd(t, Sysno.SYS_SIGNALFD, a0, a1, a2, 0), "host signalfd");
        table.set(Sysno.SYS_SIGNALFD4, (t, a0, a1, a2, a3, a4, a5) -> signalfd(t, Sysno.SYS_SIGNALFD4, a0, a1, a2, a3), "host signalfd");
    }

    /** Implements exit_group(2). Never returns. */
    long exitGroup(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        kernel.exitGroup((int) a0);
        return 0;
    }

    /** Implements mmap(2): an anonymous mapping is the host's; a file's is the file's operation. */
    long mmap(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        if ((a3 & Fcntl.MAP_ANONYMOUS) != 0) {
            t.passedThrough[Sysno.SYS_MMAP]++;
            return Host.call(Sysno.SYS_MMAP, a0, a1, a2, a3, a4, a5);
        }
        FileDescription f = kernel.fds.get((int) a4);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return f.mmap(t, a0, a1, (int) a2, (int) a3, a5);
        } finally {
            f.put();
        }
    }

    /**
     * signalfd4 on a file the kernel serves alone (/dev/null): fs/signalfd.c's checks, then EINVAL
     * for a file that is not a signalfd.
     */
    private static long notSignalfd(long flags, long size, long mask) {
        if ((flags & ~(SFD_CLOEXEC | Fcntl.O_NONBLOCK)) != 0 || size != 8) {
            return -Errno.EINVAL;
        }
        return UserMemory.canRead(mask, 8) ? -Errno.EINVAL : -Errno.EFAULT;
    }

    /** Implements signalfd(2) and signalfd4(2): fd -1 makes a new descriptor, another changes its mask. */
    long signalfd(Task t, int nr, long fdArg, long mask, long size, long flags) {
        int fd = (int) fdArg;
        t.passedThrough[nr]++;
        if (fd == -1) {
            long h = Host.call(Sysno.SYS_SIGNALFD4, -1, mask, size, flags | SFD_CLOEXEC, 0, 0);
            return h < 0 ? h : HostPassthrough.installHost(kernel, (int) h, (flags & SFD_CLOEXEC) != 0);
        }
        FileDescription f = kernel.fds.get(fd);
        try {
            if (f != null && f.hostFd() < 0) {
                return notSignalfd(flags, size, mask);
            }
            long h = f != null ? f.hostFd() : NO_HOST_FD;
            long r = Host.call(Sysno.SYS_SIGNALFD4, h, mask, size, flags | SFD_CLOEXEC, 0, 0);
            return r < 0 ? r : fd;
        } finally {
            if (f != null) {
                f.put();
            }
        }
    }
}
