package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import ring0.abi.Errno;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.epoll.EventPoll;
import ring0.kernel.FdTable;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait and epoll_pwait2 on kernel epoll
 * sets ({@link EventPoll}), which hold kernel and host descriptors together. The argument checks are
 * fs/eventpoll.c's, in its order.
 *
 * <pre>
 * struct epoll_event { u32 events; u64 data; } __attribute__((packed));   // 12 bytes
 * struct timespec { i64 tv_sec; i64 tv_nsec; };                          // epoll_pwait2
 * </pre>
 */
final class SysEpoll {
    private static final int SIGSET_SIZE = 8, EVENT_SIZE = 12;
    private static final long NSEC_PER_SEC = 1_000_000_000L;

    private final FdTable fds;

    SysEpoll(Kernel kernel) {
        this.fds = kernel.fds;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_EPOLL_CREATE, (t, a0, a1, a2, a3, a4, a5) -> epollCreate(t, a0), "full: kernel epoll");
        table.set(Sysno.SYS_EPOLL_CREATE1, (t, a0, a1, a2, a3, a4, a5) -> epollCreate1(t, a0), "full: kernel epoll");
        table.set(Sysno.SYS_EPOLL_CTL, this::epollCtl,
                "full; EPOLLEXCLUSIVE wakes every set on a kernel file; EPOLLWAKEUP dropped for kernel files");
        table.set(Sysno.SYS_EPOLL_WAIT, (t, a0, a1, a2, a3, a4, a5) -> wait(t, a0, a1, a2, millis(a3), 0),
                "full; a wait parked in the kernel is not interrupted by signals");
        table.set(Sysno.SYS_EPOLL_PWAIT, this::epollPwait, "full; the mask is the host thread's while it waits");
        table.set(Sysno.SYS_EPOLL_PWAIT2, this::epollPwait2, "full; the mask is the host thread's while it waits");
    }

    /** Implements epoll_create(2): size is only checked. */
    long epollCreate(Task t, long size) {
        return (int) size <= 0 ? -Errno.EINVAL : epollCreate1(t, 0);
    }

    /** Implements epoll_create1(2). */
    long epollCreate1(Task t, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flags & ~Poll.EPOLL_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        EventPoll ep = new EventPoll();
        int fd = fds.install(ep, 0, (flags & Poll.EPOLL_CLOEXEC) != 0);
        if (fd < 0) {
            ep.put();
        }
        return fd;
    }

    /** Implements epoll_ctl(2). */
    long epollCtl(Task t, long epfdArg, long opArg, long fdArg, long event, long a4, long a5) {
        int op = (int) opArg, fd = (int) fdArg;
        int events = 0;
        long data = 0;
        if (op != Poll.EPOLL_CTL_DEL) {
            if (!UserMemory.canRead(event, EVENT_SIZE)) {
                return -Errno.EFAULT;
            }
            events = UserMemory.ALL.get(JAVA_INT_UNALIGNED, event);
            data = UserMemory.ALL.get(JAVA_LONG_UNALIGNED, event + 4);
        }
        FileDescription f = fds.get((int) epfdArg);
        if (f == null) {
            return -Errno.EBADF;
        }
        FileDescription tf = fds.get(fd);
        try {
            if (tf == null) {
                return -Errno.EBADF;
            }
            if (!EventPoll.canPoll(tf)) {
                return -Errno.EPERM;
            }
            if (f == tf || !(f instanceof EventPoll ep)) {
                return -Errno.EINVAL;
            }
            if (op != Poll.EPOLL_CTL_DEL && (events & Poll.EPOLLEXCLUSIVE) != 0) {
                if (op == Poll.EPOLL_CTL_MOD) {
                    return -Errno.EINVAL;
                }
                if (op == Poll.EPOLL_CTL_ADD
                        && (tf instanceof EventPoll || (events & ~Poll.EPOLLEXCLUSIVE_OK_BITS) != 0)) {
                    return -Errno.EINVAL;
                }
            }
            if (EventPoll.pollHostFd(tf) < 0 || tf instanceof EventPoll) {
                events &= ~Poll.EPOLLWAKEUP; // no wake-up sources here; the host decides for host files
            }
            return ep.ctl(t, op, tf, fd, events, data);
        } finally {
            if (tf != null) {
                tf.put();
            }
            f.put();
        }
    }

    /** Implements epoll_pwait(2). */
    long epollPwait(Task t, long epfd, long events, long maxevents, long timeout, long sigmask, long sigsetsize) {
        long err = checkSigmask(sigmask, sigsetsize);
        return err < 0 ? err : wait(t, epfd, events, maxevents, millis(timeout), sigmask);
    }

    /** Implements epoll_pwait2(2): a timespec, NULL for no limit. */
    long epollPwait2(Task t, long epfd, long events, long maxevents, long tsp, long sigmask, long sigsetsize) {
        long timeout = -1;
        if (tsp != 0) {
            if (!UserMemory.canRead(tsp, 16)) {
                return -Errno.EFAULT;
            }
            long sec = UserMemory.getLong(tsp), nsec = UserMemory.getLong(tsp + 8);
            if (sec < 0 || nsec < 0 || nsec >= NSEC_PER_SEC) {
                return -Errno.EINVAL;
            }
            timeout = sec >= Long.MAX_VALUE / NSEC_PER_SEC ? Long.MAX_VALUE : sec * NSEC_PER_SEC + nsec;
        }
        long err = checkSigmask(sigmask, sigsetsize);
        return err < 0 ? err : wait(t, epfd, events, maxevents, timeout, sigmask);
    }

    /** set_user_sigmask's checks: a mask, if given, is one readable sigset_t. */
    static long checkSigmask(long sigmask, long sigsetsize) {
        if (sigmask == 0) {
            return 0;
        }
        if (sigsetsize != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        return UserMemory.canRead(sigmask, SIGSET_SIZE) ? 0 : -Errno.EFAULT;
    }

    /** An int timeout in milliseconds as nanoseconds: negative is no limit. */
    private static long millis(long timeout) {
        int ms = (int) timeout;
        return ms < 0 ? -1 : ms * 1_000_000L;
    }

    /** do_epoll_wait: ep_check_params, then the wait. timeout: nanoseconds, -1 for no limit. */
    private long wait(Task t, long epfd, long events, long maxeventsArg, long timeout, long sigmask) {
        FileDescription f = fds.get((int) epfd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            int maxevents = (int) maxeventsArg;
            if (maxevents <= 0 || maxevents > Poll.EP_MAX_EVENTS) {
                return -Errno.EINVAL;
            }
            if (!UserMemory.accessOk(events, (long) maxevents * EVENT_SIZE)) {
                return -Errno.EFAULT;
            }
            if (!(f instanceof EventPoll ep)) {
                return -Errno.EINVAL;
            }
            return ep.wait(t, events, maxevents, timeout, sigmask);
        } finally {
            f.put();
        }
    }
}
