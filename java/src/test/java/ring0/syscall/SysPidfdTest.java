package ring0.syscall;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.CountingFile;
import ring0.kernel.FileDescription;
import ring0.kernel.HostFile;

/**
 * pidfd_open, pidfd_send_signal, pidfd_getfd, waitid(P_PIDFD) and ring0_adoptfd, with real host
 * children: made with posix_spawn, which the JVM does not know of (its reaper would race our waits).
 */
class SysPidfdTest {
    private static final int SEND_SIGNAL = 424, OPEN = 434, GETFD = 438, WAITID = 247, ADOPTFD = 1002, HOSTFDS = 1001;
    private static final int P_PIDFD = 3, WEXITED = 4, WNOHANG = 1, CLD_EXITED = 1, CLD_KILLED = 2;
    private static final int SIGTERM = 15, POLLIN = 1;
    /** siginfo_t for a child: si_code at 8, si_pid at 16, si_status at 24. */
    private static final long SI_CODE = 8, SI_PID = 16, SI_STATUS = 24;

    private static final MethodHandle POSIX_SPAWN = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("posix_spawn").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    private final TestKernel k = new TestKernel();
    private final List<Integer> children = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (int pid : children) {
            Host.call(Sysno.SYS_KILL, pid, 9, 0);
            Host.call(61 /* wait4 */, pid, 0, 0, 0, 0, 0);
        }
        k.close();
    }

    /** A host child of this process running argv (an absolute path first), with no environment. */
    private int spawn(String... argv) throws Throwable {
        MemorySegment pid = k.alloc(4);
        MemorySegment args = k.alloc(8L * (argv.length + 1));
        for (int i = 0; i < argv.length; i++) {
            args.set(JAVA_LONG, 8L * i, k.cstr(argv[i]));
        }
        MemorySegment env = k.alloc(8);
        int r = (int) POSIX_SPAWN.invokeExact(pid, MemorySegment.ofAddress(k.cstr(argv[0])), MemorySegment.NULL,
                MemorySegment.NULL, args, env);
        assertEquals(0, r, "posix_spawn " + argv[0]);
        children.add(pid.get(JAVA_INT, 0));
        return pid.get(JAVA_INT, 0);
    }

    private long waitid(long pidfd, MemorySegment info, int options) {
        return k.call(WAITID, P_PIDFD, pidfd, info.address(), options, 0);
    }

    /** poll of one descriptor with no timeout: its revents. */
    private int poll(long fd) {
        MemorySegment pfd = k.alloc(8);
        pfd.set(JAVA_INT, 0, (int) fd);
        pfd.set(JAVA_SHORT, 4, (short) POLLIN);
        long r = k.call(Sysno.SYS_POLL, pfd.address(), 1, 0);
        assertTrue(r >= 0, "poll: " + r);
        return pfd.get(JAVA_SHORT, 6);
    }

    @Test
    void theCallsAreServed() {
        for (int nr : new int[] {SEND_SIGNAL, OPEN, GETFD, ADOPTFD}) {
            assertTrue(k.table.handler(nr) != null && !k.table.support(nr).startsWith("ENOSYS"), k.table.support(nr));
        }
    }

    @Test
    void openSignalPollAndWaitOfAChild() throws Throwable {
        int pid = spawn("/bin/sleep", "60");
        long fd = k.call(OPEN, pid, 0);
        assertTrue(fd >= 0, "pidfd_open: " + fd);
        assertTrue(k.kernel.fds.closeOnExec((int) fd), "pidfd_open is close-on-exec");
        FileDescription f = k.kernel.fds.peek((int) fd);
        assertInstanceOf(HostFile.class, f);
        assertEquals(0, poll(fd), "running");
        MemorySegment info = k.alloc(128);
        assertEquals(0, waitid(fd, info, WEXITED | WNOHANG), "WNOHANG: not yet");
        assertEquals(0, info.get(JAVA_INT, SI_PID));

        assertEquals(0, k.call(SEND_SIGNAL, fd, SIGTERM, 0, 0));
        assertEquals(0, waitid(fd, info, WEXITED), "waits for the end");
        assertEquals(pid, info.get(JAVA_INT, SI_PID));
        assertEquals(CLD_KILLED, info.get(JAVA_INT, SI_CODE));
        assertEquals(SIGTERM, info.get(JAVA_INT, SI_STATUS));
        children.remove((Integer) pid);
        assertEquals(POLLIN, poll(fd) & POLLIN, "a pidfd is readable once its process ended");
        assertEquals(-Errno.ECHILD, waitid(fd, info, WEXITED), "reaped");
        assertEquals(-Errno.ESRCH, k.call(SEND_SIGNAL, fd, 0, 0, 0));
        assertEquals(-Errno.ESRCH, k.call(OPEN, pid, 0), "no such process any more");
        int host = f.hostFd();
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertEquals(-Errno.EBADF, Host.call(Sysno.SYS_FCNTL, host, Fcntl.F_GETFD, 0), "the host pidfd is closed with it");
    }

    @Test
    void waitOfAChildThatExits() throws Throwable {
        int pid = spawn("/bin/sh", "-c", "exit 7");
        long fd = k.call(OPEN, pid, 0);
        assertTrue(fd >= 0, "pidfd_open: " + fd);
        MemorySegment info = k.alloc(128);
        assertEquals(0, waitid(fd, info, WEXITED));
        children.remove((Integer) pid);
        assertEquals(CLD_EXITED, info.get(JAVA_INT, SI_CODE));
        assertEquals(7, info.get(JAVA_INT, SI_STATUS));
    }

    @Test
    void errorsAreLinuxs() {
        MemorySegment info = k.alloc(128);
        int kernelOnly = k.kernel.fds.install(new CountingFile(), 0, false);
        long sock = k.call(Sysno.SYS_SOCKET, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0);
        assertTrue(sock >= 0);
        // Not open, a kernel object, a host descriptor that is not a pidfd: EBADF (pidfd_pid() in Linux).
        for (long fd : new long[] {77, kernelOnly, sock}) {
            assertEquals(-Errno.EBADF, k.call(SEND_SIGNAL, fd, 0, 0, 0), "send_signal " + fd);
            assertEquals(-Errno.EBADF, waitid(fd, info, WEXITED | WNOHANG), "waitid " + fd);
            assertEquals(-Errno.EBADF, k.call(GETFD, fd, 0, 0), "getfd " + fd);
            // Flags and options are checked first.
            assertEquals(-Errno.EINVAL, k.call(SEND_SIGNAL, fd, 0, 0, 0x8000), "send_signal flags " + fd);
            assertEquals(-Errno.EINVAL, waitid(fd, info, 0), "waitid without options " + fd);
            assertEquals(-Errno.EINVAL, k.call(GETFD, fd, 0, 1), "getfd flags " + fd);
        }
        assertEquals(-Errno.EBADF, k.call(SEND_SIGNAL, -1, 0, 0, 0));
        assertEquals(-Errno.EINVAL, waitid(-1, info, WEXITED), "waitid checks the sign of a pidfd first");
        assertEquals(-Errno.EINVAL, k.call(OPEN, 0, 0));
        assertEquals(-Errno.EINVAL, k.call(OPEN, ProcessHandle.current().pid(), 0x12345));
        assertEquals(2, k.openCount(), "nothing made");
    }

    @Test
    void getfdOfTheAppsOwnProcessIsADupInTheKernelsTable() {
        long self = k.call(OPEN, ProcessHandle.current().pid(), 0);
        assertTrue(self >= 0, "pidfd_open self: " + self);
        MemorySegment info = k.alloc(128);
        assertEquals(-Errno.ECHILD, waitid(self, info, WEXITED | WNOHANG), "not our child");
        assertEquals(0, k.call(SEND_SIGNAL, self, 0, 0, 0));
        int kernelOnly = k.kernel.fds.install(new CountingFile(), 0, false);
        long dup = k.call(GETFD, self, kernelOnly, 0);
        assertTrue(dup >= 0, "getfd: " + dup);
        assertSame(k.kernel.fds.peek(kernelOnly), k.kernel.fds.peek((int) dup), "the same description");
        assertTrue(k.kernel.fds.closeOnExec((int) dup));
        assertEquals(-Errno.EBADF, k.call(GETFD, self, 99, 0), "the app's 99, not the host's");
        assertEquals(-Errno.EINVAL, k.call(GETFD, self, kernelOnly, 1));
    }

    @Test
    void adoptfdInstallsAHostDescriptor() throws Throwable {
        int pid = spawn("/bin/sleep", "60");
        long host = Host.call(OPEN, pid, 0, 0);
        assertTrue(host >= 0);
        long fd = k.call(ADOPTFD, host);
        assertTrue(fd >= 0, "adoptfd: " + fd);
        assertEquals(host, k.hostFd((int) fd));
        assertTrue(k.kernel.fds.closeOnExec((int) fd));
        assertEquals(0, k.call(SEND_SIGNAL, fd, SIGTERM, 0, 0));
        MemorySegment info = k.alloc(128);
        assertEquals(0, waitid(fd, info, WEXITED));
        children.remove((Integer) pid);
        assertEquals(pid, info.get(JAVA_INT, SI_PID));

        // Handed to a child: its host descriptor.
        MemorySegment list = k.alloc(4);
        list.set(JAVA_INT, 0, (int) fd);
        assertEquals(0, k.call(HOSTFDS, list.address(), 1));
        assertEquals(host, list.get(JAVA_INT, 0));

        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertEquals(-Errno.EBADF, Host.call(Sysno.SYS_FCNTL, host, Fcntl.F_GETFD, 0), "closed with the app's");
        assertEquals(-Errno.EBADF, k.call(ADOPTFD, host), "not open on the host");
        assertEquals(-Errno.EBADF, k.call(ADOPTFD, -1));
    }

    @Test
    void adoptfdIntoAFullTableClosesTheHostDescriptor() {
        try (TestKernel small = new TestKernel(1)) {
            small.kernel.fds.install(new CountingFile(), 0, false);
            long host = Host.call(OPEN, ProcessHandle.current().pid(), 0, 0);
            assertTrue(host >= 0);
            assertEquals(-Errno.EMFILE, small.call(ADOPTFD, host));
            assertEquals(-Errno.EBADF, Host.call(Sysno.SYS_FCNTL, host, Fcntl.F_GETFD, 0));
            assertEquals(-Errno.EMFILE, small.call(OPEN, ProcessHandle.current().pid(), 0));
        }
    }
}
