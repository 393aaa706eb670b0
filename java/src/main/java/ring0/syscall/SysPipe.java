package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.pipe.Pipe;
import ring0.usermem.UserMemory;

/**
 * Calls that make two descriptors at once: pipe and pipe2 make kernel pipes ({@link Pipe});
 * socketpair makes host sockets. splice, tee and vmsplice are the host's: a kernel pipe they name
 * moves to the host first ({@link FileDescription#toHost}).
 */
final class SysPipe {
    /** O_NOTIFICATION_PIPE (O_EXCL): a watch-queue pipe, which Ring0 does not have. */
    private static final int O_NOTIFICATION_PIPE = 0x80;
    private static final int PIPE2_FLAGS = Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK | Fcntl.O_DIRECT | O_NOTIFICATION_PIPE;

    private final Kernel kernel;

    SysPipe(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_PIPE, (t, a0, a1, a2, a3, a4, a5) -> pipe2(t, a0, 0), "full: kernel pipe");
        table.set(Sysno.SYS_PIPE2, (t, a0, a1, a2, a3, a4, a5) -> pipe2(t, a0, a1),
                "full: kernel pipe; O_NOTIFICATION_PIPE is ENOPKG (no watch queues)");
        table.set(Sysno.SYS_SOCKETPAIR, this::socketpair, "host sockets");
        for (int nr : new int[] {Sysno.SYS_SPLICE, Sysno.SYS_TEE, Sysno.SYS_VMSPLICE}) {
            table.set(nr, new HostPassthrough(kernel, Syscalls.info(nr), true), "host; kernel pipes move to the host");
        }
    }

    /** Implements pipe(2) and pipe2(2) (fs/pipe.c: do_pipe2). */
    long pipe2(Task t, long fdsPtr, long flagsArg) {
        int flags = (int) flagsArg;
        if ((flags & ~PIPE2_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & O_NOTIFICATION_PIPE) != 0) {
            return -Errno.ENOPKG;
        }
        Pipe p = new Pipe(flags);
        boolean cloexec = (flags & Fcntl.O_CLOEXEC) != 0;
        int r = kernel.fds.install(p.readEnd(), 0, cloexec);
        if (r < 0) {
            p.readEnd().put();
            p.writeEnd().put();
            return r;
        }
        int w = kernel.fds.install(p.writeEnd(), 0, cloexec);
        if (w < 0 || !UserMemory.canWrite(fdsPtr, 8)) {
            if (w >= 0) {
                kernel.fds.remove(w).put();
            } else {
                p.writeEnd().put();
            }
            kernel.fds.remove(r).put();
            return w < 0 ? w : -Errno.EFAULT;
        }
        UserMemory.putInt(fdsPtr, r);
        UserMemory.putInt(fdsPtr + 4, w);
        return 0;
    }

    /**
     * Implements socketpair(2): the pair is made on the host (always close-on-exec there) and both
     * ends installed; the type carries SOCK_CLOEXEC.
     */
    long socketpair(Task t, long domain, long type, long protocol, long sv, long a4, long a5) {
        long scratch = t.scratch.address();
        boolean cloexec = (type & Fcntl.SOCK_CLOEXEC) != 0;
        long r = Host.fastCall(Sysno.SYS_SOCKETPAIR, domain, type | Fcntl.SOCK_CLOEXEC, protocol, scratch, 0, 0);
        t.passedThrough[Sysno.SYS_SOCKETPAIR]++;
        if (r < 0) {
            return r;
        }
        int h0 = t.scratch.get(JAVA_INT, 0), h1 = t.scratch.get(JAVA_INT, 4);
        if (!UserMemory.canWrite(sv, 8)) {
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
        UserMemory.putInt(sv, (int) fd0);
        UserMemory.putInt(sv + 4, (int) fd1);
        return 0;
    }
}
