package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.kernel.Task;
import ring0.trace.Strace;

/**
 * Attempt mode (ABI 3): a call made without entersyscall is served only if it finishes now; one that
 * would block answers WOULD_BLOCK with nothing done and is not counted; one served counts once.
 */
class SyscallEntryAttemptTest {
    @AutoClose
    private final TestKernel k = new TestKernel();

    @TempDir
    Path dir;

    private int[] pipe(int flags) {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), flags));
        return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
    }

    private long fionread(int fd) {
        MemorySegment n = k.alloc(4);
        assertEquals(0, k.call(Sysno.SYS_IOCTL, fd, Fcntl.FIONREAD, n.address()));
        return n.get(JAVA_INT, 0);
    }

    @Test
    void aWriteToDevNullIsServedAndCountedOnce() {
        int fd = (int) k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/null"), Fcntl.O_WRONLY, 0);
        long before = k.task.calls[Sysno.SYS_WRITE];
        assertEquals(30, k.attempt(Sysno.SYS_WRITE, fd, k.alloc(30).address(), 30));
        assertEquals(before + 1, k.task.calls[Sysno.SYS_WRITE]);
        assertEquals(-1, k.task.syscall, "no call in progress");
        // The call's own checks come first: the access mode, a bad buffer.
        assertEquals(-Errno.EBADF, k.attempt(Sysno.SYS_READ, fd, k.alloc(30).address(), 30));
        assertEquals(-Errno.EFAULT, k.attempt(Sysno.SYS_WRITE, fd, -4096, 30));
        assertEquals(before + 2, k.task.calls[Sysno.SYS_WRITE]);
        // A copy larger than an attempt may make goes the usual way.
        int zero = (int) k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/zero"), Fcntl.O_RDONLY, 0);
        long reads = k.task.calls[Sysno.SYS_READ];
        MemorySegment big = k.alloc(Attempt.MAX_BYTES + 1);
        big.fill((byte) 1);
        assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_READ, zero, big.address(), big.byteSize()));
        assertEquals(1, big.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "nothing copied");
        assertEquals(16, k.attempt(Sysno.SYS_READ, zero, big.address(), 16));
        assertEquals(0, big.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        assertEquals(reads + 1, k.task.calls[Sysno.SYS_READ]);
    }

    @Test
    void anEmptyBlockingPipeWouldBlockWithNothingDone() {
        int[] p = pipe(0);
        MemorySegment buf = k.alloc(16);
        long reads = k.task.calls[Sysno.SYS_READ], writes = k.task.calls[Sysno.SYS_WRITE];
        assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_READ, p[0], buf.address(), 16));
        assertEquals(0, fionread(p[0]));
        assertEquals(reads, k.task.calls[Sysno.SYS_READ], "a would-block attempt is not counted");
        assertEquals(-1, k.task.syscall);
        // A write on a blocking end that fits whole does not wait: served, counted once.
        assertEquals(3, k.attempt(Sysno.SYS_WRITE, p[1], k.cstr("abc"), 3));
        assertEquals(writes + 1, k.task.calls[Sysno.SYS_WRITE]);
        // With data there, the blocking read does not wait: served, counted once.
        assertEquals(3, k.attempt(Sysno.SYS_READ, p[0], buf.address(), 16));
        assertEquals("abc", buf.getString(0, StandardCharsets.US_ASCII).substring(0, 3));
        assertEquals(reads + 1, k.task.calls[Sysno.SYS_READ]);
        // EOF once the writer is gone is what a blocking read answers too.
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[1]));
        assertEquals(0, k.attempt(Sysno.SYS_READ, p[0], buf.address(), 16));
    }

    @Test
    void aBlockingWriteThatWouldWaitIsLeftWithNothingDone() {
        int[] p = pipe(0);
        int size = (int) k.call(Sysno.SYS_FCNTL, p[1], Fcntl.F_GETPIPE_SZ);
        MemorySegment big = k.alloc(size);
        // All but one byte of the pipe: 16 slots, the last one holding a page less one byte.
        assertEquals(size - 1, k.attempt(Sysno.SYS_WRITE, p[1], big.address(), size - 1));
        long writes = k.task.calls[Sysno.SYS_WRITE];
        // Two bytes do not fit: the blocking write would wait for room; nothing goes in.
        assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_WRITE, p[1], big.address(), 2));
        assertEquals(size - 1, fionread(p[0]));
        assertEquals(writes, k.task.calls[Sysno.SYS_WRITE]);
        // One byte merges into the last buffer: served.
        assertEquals(1, k.attempt(Sysno.SYS_WRITE, p[1], big.address(), 1));
        assertEquals(size, fionread(p[0]));
        // No reader left: EPIPE and SIGPIPE are the usual path's, nothing done here.
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[0]));
        assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_WRITE, p[1], big.address(), 1));
    }

    @Test
    void aNonBlockingPipeIsServed() {
        int[] p = pipe(Fcntl.O_NONBLOCK);
        MemorySegment buf = k.alloc(16);
        assertEquals(-Errno.EAGAIN, k.attempt(Sysno.SYS_READ, p[0], buf.address(), 16));
        assertEquals(3, k.attempt(Sysno.SYS_WRITE, p[1], k.cstr("xyz"), 3));
        assertEquals(3, fionread(p[0]));
        assertEquals(-Errno.ESPIPE, k.attempt(Sysno.SYS_PREAD64, p[0], buf.address(), 16));
        // F_GETFL and F_SETFL: what os.Pipe's SetNonblock does.
        long fl = k.attempt(Sysno.SYS_FCNTL, p[0], Fcntl.F_GETFL, 0);
        assertEquals(Fcntl.O_NONBLOCK, fl & Fcntl.O_NONBLOCK);
        assertEquals(0, k.attempt(Sysno.SYS_FCNTL, p[0], Fcntl.F_SETFL, fl & ~Fcntl.O_NONBLOCK));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_GETFL) & Fcntl.O_NONBLOCK);
    }

    @Test
    void fcntlOfTheTableIsServedAndDupIsNot() {
        int[] p = pipe(0);
        long before = k.task.calls[Sysno.SYS_FCNTL];
        int open = k.openCount();
        assertEquals(0, k.attempt(Sysno.SYS_FCNTL, p[0], Fcntl.F_SETFD, Fcntl.FD_CLOEXEC));
        assertEquals(Fcntl.FD_CLOEXEC, k.attempt(Sysno.SYS_FCNTL, p[0], Fcntl.F_GETFD, 0));
        assertEquals(-Errno.EBADF, k.attempt(Sysno.SYS_FCNTL, 1234, Fcntl.F_GETFD, 0));
        assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_FCNTL, p[0], Fcntl.F_DUPFD, 0));
        assertEquals(open, k.openCount(), "no descriptor made");
        assertEquals(before + 3, k.task.calls[Sysno.SYS_FCNTL]);
    }

    @Test
    void aHostFileAndACallWithoutAttemptGoTheUsualWay() throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "hello");
        int fd = (int) k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(file.toString()), Fcntl.O_RDWR, 0);
        assertTrue(fd >= 0);
        MemorySegment buf = k.alloc(16);
        // NEVER: no attempt on this description will be served (Go stops trying the descriptor).
        assertEquals(Attempt.NEVER, k.attempt(Sysno.SYS_WRITE, fd, k.cstr("XY"), 2));
        assertEquals(Attempt.NEVER, k.attempt(Sysno.SYS_READ, fd, buf.address(), 16));
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, 1 /* SEEK_CUR */), "the offset did not move");
        assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_CLOSE, fd, 0, 0));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd), "still open");
        assertEquals("hello", Files.readString(file));
        assertEquals(0, k.task.calls[Sysno.SYS_WRITE] + k.task.calls[Sysno.SYS_READ]);
    }

    /** Through the entry: the frame's flags word says attempt; the answer is in ret. */
    @Test
    void theFramesFlagsSelectAttemptMode() {
        int[] p = pipe(0);
        MemorySegment buf = k.alloc(16);
        MemorySegment f = k.alloc(88);
        f.set(JAVA_LONG, 0, Sysno.SYS_READ);
        f.set(JAVA_LONG, 8, p[0]);
        f.set(JAVA_LONG, 16, buf.address());
        f.set(JAVA_LONG, 24, 16);
        f.set(JAVA_LONG, 80, Attempt.FLAG);
        k.entry.entry(f.address());
        assertEquals(Attempt.WOULD_BLOCK, f.get(JAVA_LONG, 56));
        Task t = k.kernel.tasks.get(f.get(JAVA_LONG, 64));
        assertEquals(0, t.calls[Sysno.SYS_READ]);
        assertEquals(1, k.call(Sysno.SYS_WRITE, p[1], k.cstr("z"), 1));
        k.entry.entry(f.address());
        assertEquals(1, f.get(JAVA_LONG, 56));
        assertEquals(1, t.calls[Sysno.SYS_READ]);
    }

    /**
     * Go marks a descriptor answered NEVER in ring0Shared.noAttempt; the kernel clears the mark when
     * it installs another description at that number. A writable /dev/null gets a discard mark.
     */
    @Test
    void aNewDescriptionClearsTheNoAttemptMark() throws Exception {
        MemorySegment shared = k.alloc(SysRing0.SHARED_SIZE);
        shared.set(JAVA_LONG, 0, ring0.loader.Loader.ABI);
        assertEquals(0, k.call(1000, shared.address()));
        Path file = dir.resolve("g");
        Files.writeString(file, "x");
        int fd = (int) k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(file.toString()), Fcntl.O_RDONLY, 0);
        long word = SysRing0.NO_ATTEMPT + 8L * (fd >> 6), bit = 1L << fd;
        long discardWord = SysRing0.DISCARD + 8L * (fd >> 6);
        assertEquals(0, shared.get(JAVA_LONG, discardWord) & bit, "a regular file's writes are not dropped");
        shared.set(JAVA_LONG, word, shared.get(JAVA_LONG, word) | bit | (bit << 1)); // as Go's ring0Never
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        int again = (int) k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/null"), Fcntl.O_WRONLY, 0);
        assertEquals(fd, again, "the lowest free number again");
        assertEquals(0, shared.get(JAVA_LONG, word) & bit, "cleared: /dev/null may be attempted");
        assertEquals(bit << 1, shared.get(JAVA_LONG, word) & (bit << 1), "other descriptors keep theirs");
        assertEquals(bit, shared.get(JAVA_LONG, discardWord) & bit, "a writable /dev/null: Go may answer its writes");
        assertEquals(1, k.attempt(Sysno.SYS_WRITE, again, k.cstr("a"), 1));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, again));
        assertEquals(0, shared.get(JAVA_LONG, discardWord) & bit, "closed: the mark goes");
    }

    /** strace sees each call once, made the usual way: nothing is attempted while it is on. */
    @Test
    void nothingIsAttemptedUnderStrace() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TestKernel traced = new TestKernel(64, new Strace(new PrintStream(out, true, StandardCharsets.UTF_8)))) {
            long fd = traced.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, traced.cstr("/dev/null"), Fcntl.O_WRONLY, 0);
            out.reset();
            assertEquals(Attempt.WOULD_BLOCK, traced.entry.attempt(traced.task, Sysno.SYS_WRITE, fd, traced.cstr("a"), 1, 0, 0, 0));
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            assertEquals(0, traced.task.calls[Sysno.SYS_WRITE]);
        }
    }
}
