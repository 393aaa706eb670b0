package ring0.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.trace.Strace;

class SyscallEntryTest {
    @AutoClose
    private final TestKernel k = new TestKernel();

    @Test
    void aNumberWithoutHandlerIsEnosysAndLoggedOnce() {
        for (int nr : new int[] {Sysno.SYS_GETPID, 500, Syscalls.MAX - 1, 5000, -1}) {
            assertEquals(-Errno.ENOSYS, k.call(nr));
            assertEquals(-Errno.ENOSYS, k.call(nr, 1, 2, 3));
        }
        var lines = k.kernel.log.lines();
        assertEquals(1, lines.stream().filter(l -> l.contains("ring0: getpid reached the kernel, which does not serve it (ENOSYS)")).count());
        assertEquals(1, lines.stream().filter(l -> l.contains("ring0: syscall_500 reached the kernel")).count());
        assertEquals(1, lines.stream().filter(l -> l.contains("ring0: syscall_5000 reached the kernel")).count());
        assertEquals(1, lines.stream().filter(l -> l.contains("ring0: syscall_-1 reached the kernel")).count());
        assertEquals(0, k.task.calls[Sysno.SYS_GETPID], "not counted: the kernel did not serve it");
    }

    @Test
    void callsAreCountedPerTask() {
        Task other = k.kernel.tasks.create();
        k.call(Sysno.SYS_CLOSE, 99);
        k.call(Sysno.SYS_CLOSE, 99);
        k.entry.dispatch(other, Sysno.SYS_CLOSE, 99, 0, 0, 0, 0, 0);
        assertEquals(2, k.task.calls[Sysno.SYS_CLOSE]);
        assertEquals(1, other.calls[Sysno.SYS_CLOSE]);
        assertEquals(-1, k.task.syscall, "no call in progress");
    }

    @Test
    void theCallInProgressIsVisible() {
        SyscallTable t = new SyscallTable();
        Task[] seen = {null};
        int[] during = {0};
        t.set(7, (task, a0, a1, a2, a3, a4, a5) -> {
            seen[0] = task;
            during[0] = task.syscall;
            return a0 + a1 + a2 + a3 + a4 + a5;
        }, "test");
        SyscallEntry e = new SyscallEntry(k.kernel, t, null);
        assertEquals(21, e.dispatch(k.task, 7, 1, 2, 3, 4, 5, 6), "all six arguments reach the handler");
        assertEquals(k.task, seen[0]);
        assertEquals(7, during[0]);
        assertEquals(-1, k.task.syscall);
    }

    @Test
    void anExceptionIsEioAndLoggedOncePerCallAndException() {
        SyscallTable t = new SyscallTable();
        t.set(7, (task, a0, a1, a2, a3, a4, a5) -> {
            throw new IllegalStateException("boom " + a0);
        }, "test");
        t.set(8, (task, a0, a1, a2, a3, a4, a5) -> {
            throw new ArithmeticException();
        }, "test");
        SyscallEntry e = new SyscallEntry(k.kernel, t, null);
        assertEquals(-Errno.EIO, e.dispatch(k.task, 7, 1, 0, 0, 0, 0, 0));
        assertEquals(-Errno.EIO, e.dispatch(k.task, 7, 2, 0, 0, 0, 0, 0));
        assertEquals(-Errno.EIO, e.dispatch(k.task, 8, 0, 0, 0, 0, 0, 0));
        var lines = k.kernel.log.lines();
        assertEquals(1, lines.stream().filter(l -> l.contains("ring0: BUG: poll threw; returning EIO: java.lang.IllegalStateException: boom 1")).count());
        assertEquals(1, lines.stream().filter(l -> l.contains("ring0: BUG: lseek threw; returning EIO: java.lang.ArithmeticException")).count());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\tat ")), "with the stack");
        assertEquals(-1, k.task.syscall);
        assertEquals(2, k.task.calls[7]);
    }

    @Test
    void afterExitGroupAThreadEnteringTheKernelStops() throws InterruptedException {
        Thread exiting = Thread.ofPlatform().daemon().start(() -> k.call(Sysno.SYS_EXIT_GROUP, 0));
        assertEquals(0, k.kernel.awaitExit());
        assertEquals(Kernel.State.EXITED, k.kernel.state());
        Task late = k.kernel.tasks.create();
        long[] result = {Long.MIN_VALUE};
        Thread t = Thread.ofPlatform().daemon().start(() -> result[0] = k.entry.dispatch(late, Sysno.SYS_CLOSE, 5, 0, 0, 0, 0, 0));
        t.join(200);
        assertTrue(t.isAlive(), "parked");
        assertEquals(Long.MIN_VALUE, result[0], "never returned to the app");
        assertEquals(0, late.calls[Sysno.SYS_CLOSE]);
        assertTrue(exiting.isAlive());
    }

    @Test
    void straceSeesEveryServedCall() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TestKernel traced = new TestKernel(64, new Strace(new PrintStream(out, true, StandardCharsets.UTF_8)))) {
            long fd = traced.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, traced.cstr("/dev/null"), Fcntl.O_CLOEXEC, 0);
            traced.call(Sysno.SYS_CLOSE, fd);
            traced.call(Sysno.SYS_CLOSE, fd);
            traced.call(Sysno.SYS_GETPID);
            String tid = "[" + traced.task.tid + "] ";
            assertEquals(tid + "openat(AT_FDCWD, \"/dev/null\", 0x80000, 0) = 0\n"
                    + tid + "close(0) = 0\n"
                    + tid + "close(0) = -1 EBADF (Bad file number)\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The hot paths allocate nothing once warm (STYLE.md: Hot paths): a call the kernel answers
     * itself, fcntl(F_GETFD); write to /dev/null, which the host file forwards; and flock, which
     * HostPassthrough forwards with its descriptor translated.
     */
    @Test
    void hotPathsAllocateNothing() {
        int fd = (int) k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/null"), Fcntl.O_WRONLY, 0);
        long buf = k.alloc(30).address();
        SyscallEntry e = k.entry;
        Task t = k.task;
        long[] bad = {0};
        // Warm up until the JIT has compiled the whole path (the first rounds allocate while
        // method handles and call sites are linked).
        long bytes = TestKernel.leastAllocated(40, 5, () -> bad[0] += calls(e, t, fd, buf, 20_000));
        assertEquals(0, bad[0]);
        assertEquals(0, bytes, "bytes allocated by 20000 x (fcntl + write + flock)");
    }

    private static long calls(SyscallEntry e, Task t, int fd, long buf, int n) {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            bad += e.dispatch(t, Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD, 0, 0, 0, 0);
            bad += e.dispatch(t, Sysno.SYS_WRITE, fd, buf, 30, 0, 0, 0) - 30;
            bad += e.dispatch(t, SYS_FLOCK, fd, LOCK_UN, 0, 0, 0, 0);
        }
        return bad;
    }

    private static final int SYS_FLOCK = 73, LOCK_UN = 8;
}
