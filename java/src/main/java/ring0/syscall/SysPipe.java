package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/** Calls that make two descriptors at once: pipe, pipe2 and socketpair, served by host pipes and sockets. */
final class SysPipe {
    private final Kernel kernel;

    SysPipe(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_PIPE, (t, a0, a1, a2, a3, a4, a5) -> pair(t, Sysno.SYS_PIPE2, 0, 0, 0, a0, Fcntl.O_CLOEXEC), "host pipe");
        table.set(Sysno.SYS_PIPE2, (t, a0, a1, a2, a3, a4, a5) -> pair(t, Sysno.SYS_PIPE2, a1, 0, 0, a0, Fcntl.O_CLOEXEC), "host pipe");
        table.set(Sysno.SYS_SOCKETPAIR, (t, a0, a1, a2, a3, a4, a5) -> pair(t, Sysno.SYS_SOCKETPAIR, a0, a1, a2, a3, Fcntl.SOCK_CLOEXEC), "host sockets");
    }

    /**
     * Makes the pair on the host (always close-on-exec there) and installs both ends. For pipe2 the
     * flags are the first argument; for socketpair the type (the second) carries SOCK_CLOEXEC.
     */
    private long pair(Task t, int nr, long x0, long x1, long x2, long out, int cloexecBit) {
        long scratch = t.scratch.address();
        boolean cloexec;
        long r;
        if (nr == Sysno.SYS_PIPE2) {
            cloexec = (x0 & cloexecBit) != 0;
            r = Host.fastCall(nr, scratch, x0 | cloexecBit, 0);
        } else {
            cloexec = (x1 & cloexecBit) != 0;
            r = Host.fastCall(nr, x0, x1 | cloexecBit, x2, scratch, 0, 0);
        }
        t.passedThrough[nr]++;
        if (r < 0) {
            return r;
        }
        int h0 = t.scratch.get(JAVA_INT, 0), h1 = t.scratch.get(JAVA_INT, 4);
        if (!UserMemory.canWrite(out, 8)) {
            Host.call(Sysno.SYS_CLOSE, h0, 0, 0);
            Host.call(Sysno.SYS_CLOSE, h1, 0, 0);
            return -Errno.EFAULT;
        }
        long fd0 = HostPassthrough.installHost(kernel, h0, cloexec);
        if (fd0 < 0) {
            Host.call(Sysno.SYS_CLOSE, h1, 0, 0);
            return fd0;
        }
        long fd1 = HostPassthrough.installHost(kernel, h1, cloexec);
        if (fd1 < 0) {
            FileDescription f = kernel.fds.remove((int) fd0);
            if (f != null) {
                f.put();
            }
            return fd1;
        }
        UserMemory.putInt(out, (int) fd0);
        UserMemory.putInt(out + 4, (int) fd1);
        return 0;
    }
}
