package ring0.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.BadAddresses;

class StraceTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void tearDown() {
        arena.close();
    }

    private long str(String s) {
        return arena.allocateFrom(s).address();
    }

    private static String line(int nr, long r, long... a) {
        long[] six = new long[6];
        System.arraycopy(a, 0, six, 0, a.length);
        return Strace.line(nr, six, r, false);
    }

    @Test
    void pathsAreQuoted() {
        assertEquals("openat(AT_FDCWD, \"/etc/hosts\", 0x80000, 0) = 3",
                line(Sysno.SYS_OPENAT, 3, Fcntl.AT_FDCWD, str("/etc/hosts"), Fcntl.O_CLOEXEC, 0));
        assertEquals("openat(5, \"rel/x\", 0x241, 0644) = 4",
                line(Sysno.SYS_OPENAT, 4, 5, str("rel/x"), 0x241, 0644));
        assertEquals("openat(AT_FDCWD, \"tab\\there \\\"q\\\" \\\\ \\n\\x01\", 0, 0) = 3",
                line(Sysno.SYS_OPENAT, 3, Fcntl.AT_FDCWD, str("tab\there \"q\" \\ \n\u0001"), 0, 0));
    }

    @Test
    void errorsAreNamedAndExplained() {
        assertEquals("openat(AT_FDCWD, \"/nope\", 0, 0) = -1 ENOENT (No such file or directory)",
                line(Sysno.SYS_OPENAT, -Errno.ENOENT, Fcntl.AT_FDCWD, str("/nope"), 0, 0));
        assertEquals("close(-1) = -1 EBADF (Bad file number)", line(Sysno.SYS_CLOSE, -Errno.EBADF, -1));
        assertEquals("close(3) = -1 E?4000 (errno 4000)", line(Sysno.SYS_CLOSE, -4000, 3));
        assertEquals("close(3) = -4096", line(Sysno.SYS_CLOSE, -4096, 3), "not an errno");
    }

    @Test
    void badPointersAreShownAsAddresses() {
        for (long bad : BadAddresses.all()) {
            String hex = "0x" + Long.toHexString(bad);
            assertEquals("openat(AT_FDCWD, " + hex + ", 0, 0) = -1 EFAULT (Bad address)",
                    line(Sysno.SYS_OPENAT, -Errno.EFAULT, Fcntl.AT_FDCWD, bad, 0, 0));
            assertEquals("write(1, " + hex + ", 10) = -1 EFAULT (Bad address)",
                    line(Sysno.SYS_WRITE, -Errno.EFAULT, 1, bad, 10));
            assertEquals("read(1, " + hex + ", 10) = 10", line(Sysno.SYS_READ, 10, 1, bad, 10));
        }
    }

    @Test
    void buffers() {
        assertEquals("write(1, \"hello\\n\", 6) = 6", line(Sysno.SYS_WRITE, 6, 1, str("hello\n"), 6));
        assertEquals("write(1, \"hel\", 3) = 3", line(Sysno.SYS_WRITE, 3, 1, str("hello\n"), 3));
        String x40 = "x".repeat(40);
        assertEquals("write(2, \"" + "x".repeat(32) + "\"..., 40) = 40", line(Sysno.SYS_WRITE, 40, 2, str(x40), 40));
        // A read shows what was read, not the whole buffer; nothing when it failed.
        long buf = str("hello world");
        assertEquals("read(3, \"hello\", 100) = 5", line(Sysno.SYS_READ, 5, 3, buf, 100));
        assertEquals("read(3, 0x" + Long.toHexString(buf) + ", 100) = -1 EAGAIN (Try again)",
                line(Sysno.SYS_READ, -Errno.EAGAIN, 3, buf, 100));
        assertEquals("read(3, \"\", 100) = 0", line(Sysno.SYS_READ, 0, 3, buf, 100));
        assertEquals("write(1, \"\\x00\\xff\", 2) = 2",
                line(Sysno.SYS_WRITE, 2, 1, arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, (byte) 0, (byte) -1).address(), 2));
    }

    @Test
    void numbersAndResults() {
        assertEquals("mmap(0, 4096, 0x3, 0x22, -1, 0) = 0x7f0012345000",
                line(Sysno.SYS_MMAP, 0x7f0012345000L, 0, 4096, 3, 0x22, -1, 0));
        assertEquals("close_range(3, 4294967295, 0) = 0", line(Sysno.SYS_CLOSE_RANGE, 0, 3, 0xffff_ffffL, 0));
        assertEquals("dup3(3, 4, 0x80000) = 4", line(Sysno.SYS_DUP3, 4, 3, 4, Fcntl.O_CLOEXEC));
        assertEquals("lseek(3, -5, 2) = 10", line(Sysno.SYS_LSEEK, 10, 3, -5, 2));
        assertEquals("fcntl(3, 1, 0) = 1", line(Sysno.SYS_FCNTL, 1, 3, Fcntl.F_GETFD, 0));
        assertEquals("close(3) = 0", line(Sysno.SYS_CLOSE, 0, 0x1234_0000_0003L), "an fd is an int");
        assertEquals("exit_group(3) = ?", Strace.line(Sysno.SYS_EXIT_GROUP, new long[] {3, 0, 0, 0, 0, 0}, 0, true));
        assertEquals("getpid() = 42", line(Sysno.SYS_GETPID, 42));
    }

    @Test
    void undescribedCallsShowSixHexArguments() {
        assertEquals("syscall_500(0x1, 0x2, 0, 0, 0, 0) = -1 ENOSYS (Invalid system call number)",
                line(500, -Errno.ENOSYS, 1, 2));
        assertEquals("shmget(0x1, 0x1000, 0x3b6, 0, 0, 0) = 7", line(29, 7, 1, 4096, 0x3b6));
    }

    @Test
    void enterAndExitPrintOneLineEachWithTheThread() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Strace s = new Strace(new PrintStream(out, true, StandardCharsets.UTF_8));
        Task t = new Kernel(16, false).tasks.create();
        s.enter(t, Sysno.SYS_CLOSE, 3, 0, 0, 0, 0, 0);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "a call that returns is printed when it has");
        s.exit(t, Sysno.SYS_CLOSE, 3, 0, 0, 0, 0, 0, 0);
        s.enter(t, Sysno.SYS_EXIT_GROUP, 1, 0, 0, 0, 0, 0);
        s.exit(t, Sysno.SYS_EXIT_GROUP, 1, 0, 0, 0, 0, 0, 0);
        s.exit(t, 777, 1, 0, 0, 0, 0, 0, -Errno.ENOSYS);
        String p = "[" + t.tid + "] ";
        assertEquals(p + "close(3) = 0\n" + p + "exit_group(1) = ?\n"
                + p + "syscall_777(0x1, 0, 0, 0, 0, 0) = -1 ENOSYS (Invalid system call number)\n",
                out.toString(StandardCharsets.UTF_8));
    }
}
