package ring0.syscall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ring0.abi.Errno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;

/**
 * pidfds (kernel/pid.c, kernel/signal.c). A pidfd is a host descriptor: the app's child processes
 * are the host's (Go forks them itself, on the host), so the host makes and serves the pidfds and the
 * kernel's table holds them as HostFiles, which poll, epoll, close, dup, fcntl and fork (ring0_hostfds)
 * already forward. The pidfd that clone(CLONE_PIDFD) writes into the app's memory is a host number:
 * the patched syscall package hands it to the kernel with ring0_adoptfd (SysRing0).
 *
 * <p>A descriptor the app does not have is EBADF, and so is one that is not a pidfd (Linux's
 * pidfd_pid(), whatever the man pages say): the host answers for a host descriptor, and for one the
 * kernel serves alone (a kernel pipe, an eventfd, a cached file) as for a closed one ({@link #hostPidfd}). waitid(P_PIDFD) is in {@link SysWait}.
 */
final class SysPidfd {
    static final int SYS_PIDFD_SEND_SIGNAL = 424, SYS_PIDFD_OPEN = 434, SYS_PIDFD_GETFD = 438;

    private final Kernel kernel;

    SysPidfd(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable t) {
        t.set(SYS_PIDFD_OPEN, this::pidfdOpen, "host; the pidfd is installed in the kernel's table");
        t.set(SYS_PIDFD_SEND_SIGNAL, this::pidfdSendSignal, "host; the pidfd translated");
        t.set(SYS_PIDFD_GETFD, this::pidfdGetfd,
                "host; the pidfd translated, the result installed; of the app's own process, a dup in the kernel's table");
    }

    /** A host descriptor that is never open (past any RLIMIT_NOFILE). */
    static final int NEVER_OPEN = Integer.MAX_VALUE;

    /**
     * The host value for the app's pidfd argument fd. A negative fd goes as it is; one the app does
     * not have, or one the kernel serves alone (never a pidfd), goes as a host descriptor that is never
     * open: the host then fails the call as Linux would, in the same order of checks (flags and options
     * first; EBADF, which is also what Linux answers for a descriptor that is not a pidfd, pidfd_pid();
     * waitid's EINVAL for a negative one). A held description is left in f[0], for the caller to put.
     */
    static long hostPidfd(Kernel kernel, long fd, FileDescription[] f) {
        if ((int) fd < 0) {
            return (int) fd;
        }
        FileDescription d = kernel.fds.get((int) fd);
        if (d == null) {
            return NEVER_OPEN;
        }
        f[0] = d;
        int h = d.hostFd();
        return h >= 0 ? h : NEVER_OPEN;
    }

    /** Implements pidfd_open(2): always close-on-exec. */
    long pidfdOpen(Task t, long pid, long flags, long a2, long a3, long a4, long a5) {
        long r = Host.call(SYS_PIDFD_OPEN, pid, flags, 0);
        t.passedThrough[SYS_PIDFD_OPEN]++;
        return r < 0 ? r : HostPassthrough.installHost(kernel, (int) r, true);
    }

    /** Implements pidfd_send_signal(2). */
    long pidfdSendSignal(Task t, long pidfd, long sig, long info, long flags, long a4, long a5) {
        FileDescription[] f = new FileDescription[1];
        try {
            long h = hostPidfd(kernel, pidfd, f);
            t.passedThrough[SYS_PIDFD_SEND_SIGNAL]++;
            return Host.call(SYS_PIDFD_SEND_SIGNAL, h, sig, info, flags, 0, 0);
        } finally {
            if (f[0] != null) {
                f[0].put();
            }
        }
    }

    /**
     * Implements pidfd_getfd(2): the new descriptor is close-on-exec. targetfd is a number in the
     * target's table, which for another process is the host's; for the app's own process it is the
     * kernel's, and the call is a dup there (after the host has checked flags and permission).
     */
    long pidfdGetfd(Task t, long pidfd, long targetfd, long flags, long a3, long a4, long a5) {
        FileDescription[] f = new FileDescription[1];
        try {
            long h = hostPidfd(kernel, pidfd, f);
            t.passedThrough[SYS_PIDFD_GETFD]++;
            if (h >= 0 && h != NEVER_OPEN && pidOf((int) h) == ProcessHandle.current().pid()) {
                // The host checks flags and ptrace access on one of its own descriptors (the pidfd itself).
                long r = Host.call(SYS_PIDFD_GETFD, h, h, flags, 0, 0, 0);
                if (r < 0) {
                    return r;
                }
                Host.call(ring0.abi.Sysno.SYS_CLOSE, r, 0, 0);
                FileDescription target = kernel.fds.get((int) targetfd);
                if (target == null) {
                    return -Errno.EBADF;
                }
                int fd = kernel.fds.install(target, 0, true); // takes over the reference
                if (fd < 0) {
                    target.put();
                }
                return fd;
            }
            long r = Host.call(SYS_PIDFD_GETFD, h, targetfd, flags, 0, 0, 0);
            return r < 0 ? r : HostPassthrough.installHost(kernel, (int) r, true);
        } finally {
            if (f[0] != null) {
                f[0].put();
            }
        }
    }

    /** The process a host pidfd refers to (its fdinfo's Pid line), or -1. */
    static long pidOf(int hostFd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + hostFd))) {
                if (line.startsWith("Pid:")) {
                    return Long.parseLong(line.substring(4).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a pidfd the host describes: treated as another process's
        }
        return -1;
    }
}
