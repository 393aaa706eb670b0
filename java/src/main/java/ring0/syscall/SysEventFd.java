package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.eventfd.EventFd;
import ring0.kernel.Kernel;
import ring0.kernel.Task;

/** eventfd and eventfd2: kernel eventfds ({@link EventFd}). */
final class SysEventFd {
    private final Kernel kernel;

    SysEventFd(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_EVENTFD, (t, a0, a1, a2, a3, a4, a5) -> eventfd2(t, a0, 0), "full: kernel eventfd");
        table.set(Sysno.SYS_EVENTFD2, (t, a0, a1, a2, a3, a4, a5) -> eventfd2(t, a0, a1), "full: kernel eventfd");
    }

    /** Implements eventfd(2) and eventfd2(2) (fs/eventfd.c: do_eventfd); the count is an unsigned int. */
    long eventfd2(Task t, long count, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flags & ~EventFd.EFD_FLAGS_SET) != 0) {
            return -Errno.EINVAL;
        }
        EventFd e = new EventFd(count & 0xffffffffL, flags);
        int fd = kernel.fds.install(e, 0, (flags & Fcntl.O_CLOEXEC) != 0);
        if (fd < 0) {
            e.put();
        }
        return fd;
    }
}
