package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import ring0.abi.Errno;
import ring0.fs.hostfs.HostCaches;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * Calls the host serves that tell the kernel's file caches that files may have changed behind the
 * VFS: wait4 and waitid (kernel/exit.c: a child process of the app, which works on the host's files,
 * has ended), and bind of an AF_UNIX socket to a path (net/unix: the host made a file the VFS did not
 * see). Each is forwarded to the host as the app made it; the caches then ask the host again what
 * they had cached (HostCaches#childReaped, #invalidateAll).
 */
final class SysWait {
    private static final int SYS_BIND = 49, SYS_WAIT4 = 61, SYS_WAITID = 247;
    private static final int AF_UNIX = 1;
    private static final int P_PIDFD = 3;
    private static final long WNOWAIT = 0x01000000L;
    /** siginfo_t.si_pid, which waitid sets to 0 when WNOHANG finds no child ready. */
    private static final int SI_PID = 16;

    private final Kernel kernel;
    private volatile HostCaches caches;

    SysWait(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable t) {
        t.set(SYS_WAIT4, this::wait4, "host; the file caches learn that a child ended");
        t.set(SYS_WAITID, this::waitid, "host; the file caches learn that a child ended; P_PIDFD: the pidfd translated");
        SyscallHandler bind = t.handler(SYS_BIND);
        if (bind != null) {
            t.set(SYS_BIND, (task, a0, a1, a2, a3, a4, a5) -> bind(bind, task, a0, a1, a2, a3, a4, a5),
                    t.support(SYS_BIND) + "; an AF_UNIX path makes the file caches ask again");
        }
    }

    /** The caches of the boot, or null if none (a kernel without them, in tests). */
    private HostCaches caches() {
        HostCaches c = caches;
        if (c == null) {
            c = HostCaches.of(kernel.vfs);
            caches = c;
        }
        return c;
    }

    /** Implements wait4(2) on the host. */
    long wait4(Task t, long pid, long status, long options, long rusage, long a4, long a5) {
        long r = Host.call(SYS_WAIT4, pid, status, options, rusage, 0, 0);
        t.passedThrough[SYS_WAIT4]++;
        HostCaches c = caches();
        if (c != null) {
            if (r > 0) {
                c.childReaped(false);
            } else if (r == -Errno.ECHILD) {
                c.childReaped(true);
            }
        }
        return r;
    }

    /**
     * Implements waitid(2) on the host. With P_PIDFD, id is the app's pidfd: the host's is passed
     * (SysPidfd#hostPidfd: the host's errors are Linux's), with a reference held while the call sleeps, as
     * Linux holds the file; no lock is held.
     */
    long waitid(Task t, long idtype, long id, long infop, long options, long rusage, long a5) {
        long r;
        if ((int) idtype == P_PIDFD) {
            FileDescription[] f = new FileDescription[1];
            try {
                r = Host.call(SYS_WAITID, idtype, SysPidfd.hostPidfd(kernel, id, f), infop, options, rusage, 0);
            } finally {
                if (f[0] != null) {
                    f[0].put();
                }
            }
        } else {
            r = Host.call(SYS_WAITID, idtype, id, infop, options, rusage, 0);
        }
        t.passedThrough[SYS_WAITID]++;
        HostCaches c = caches();
        if (c != null) {
            if (r == 0 && infop != 0 && UserMemory.canRead(infop + SI_PID, 4) && UserMemory.getInt(infop + SI_PID) != 0) {
                if ((options & WNOWAIT) != 0) {
                    c.childChanged(); // it has ended, and will be reaped by a later wait
                } else {
                    c.childReaped(false);
                }
            } else if (r == -Errno.ECHILD) {
                c.childReaped(true);
            }
        }
        return r;
    }

    /** bind(2) as before; a socket bound to a path is a new file on the host. */
    private long bind(SyscallHandler forward, Task t, long fd, long addr, long len, long a3, long a4, long a5) {
        long r = forward.call(t, fd, addr, len, a3, a4, a5);
        if (r == 0 && len > 2 && UserMemory.canRead(addr, 3) && UserMemory.ALL.get(JAVA_SHORT, addr) == AF_UNIX
                && UserMemory.ALL.get(java.lang.foreign.ValueLayout.JAVA_BYTE, addr + 2) != 0) {
            HostCaches c = caches();
            if (c != null) {
                c.invalidateAll();
            }
        }
        return r;
    }
}
