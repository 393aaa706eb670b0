package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.CountingFile;
import ring0.usermem.BadAddresses;

/** Calls forwarded to the host with the app's descriptors translated, on real files. */
class HostPassthroughTest {
    private static final int O_DIRECTORY = 0x10000, O_TRUNC = 0x200;
    private static final int SEEK_SET = 0, SEEK_END = 2;
    private static final int STAT_SIZE = 144, ST_MODE = 24, ST_SIZE = 48, ST_INO = 8;
    private static final int S_IFMT = 0xf000, S_IFREG = 0x8000, S_IFDIR = 0x4000;
    private static final int SYS_PREAD64 = 17, SYS_SENDFILE = 40, SYS_NEWFSTATAT = 262, SYS_MKDIRAT = 258;
    private static final int SYS_RENAMEAT = 264, SYS_EPOLL_CREATE1 = 291, SYS_EVENTFD2 = 290;
    private static final int SYS_FADVISE64 = 221, SYS_INOTIFY_INIT1 = 294;

    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private long openat(long dirfd, String path, int flags) {
        return k.call(Sysno.SYS_OPENAT, dirfd, k.cstr(path), flags, 0600);
    }

    private long write(long fd, String s) {
        MemorySegment b = k.arena.allocateFrom(s, StandardCharsets.UTF_8);
        return k.call(Sysno.SYS_WRITE, fd, b.address(), b.byteSize() - 1);
    }

    private String read(long fd, int max) {
        MemorySegment b = k.alloc(max + 1);
        long n = k.call(Sysno.SYS_READ, fd, b.address(), max);
        assertTrue(n >= 0, "read: " + n);
        return b.getString(0, StandardCharsets.UTF_8).substring(0, (int) n);
    }

    private MemorySegment fstat(long fd) {
        MemorySegment st = k.alloc(STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        return st;
    }

    private static long hostGetfd(int hostFd) {
        return Host.fastCall(Sysno.SYS_FCNTL, hostFd, Fcntl.F_GETFD, 0);
    }

    @Test
    void openWriteSeekReadFstat() throws IOException {
        Path p = dir.resolve("file");
        long fd = openat(Fcntl.AT_FDCWD, p.toString(), Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertEquals(0, fd, "the app's first descriptor is 0, whatever the host's number");
        assertNotEquals(0, k.hostFd(0));
        assertEquals(11, write(fd, "hello ring0"));
        assertEquals(11, k.call(Sysno.SYS_LSEEK, fd, 0, SEEK_END));
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, SEEK_SET));
        assertEquals("hello ring0", read(fd, 64));
        assertEquals("", read(fd, 64), "end of file");
        MemorySegment st = fstat(fd);
        assertEquals(11, st.get(JAVA_LONG, ST_SIZE));
        assertEquals(S_IFREG, st.get(JAVA_INT, ST_MODE) & S_IFMT);
        assertEquals(Files.getAttribute(p, "unix:ino"), st.get(JAVA_LONG, ST_INO));
        assertEquals("hello ring0", Files.readString(p), "the host sees the bytes");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_READ, fd, k.alloc(8).address(), 8));
    }

    @Test
    void passedThroughCallsAreCounted() {
        long fd = k.call(SYS_INOTIFY_INIT1, Fcntl.O_CLOEXEC);
        assertEquals(1, k.task.passedThrough[SYS_INOTIFY_INIT1]);
        assertEquals(1, k.task.calls[SYS_INOTIFY_INIT1]);
        k.call(SYS_FADVISE64, fd, 0, 0, 0);
        assertEquals(1, k.task.passedThrough[SYS_FADVISE64]);
        assertEquals(1, k.task.calls[SYS_FADVISE64]);
        openat(Fcntl.AT_FDCWD, "/dev/null", Fcntl.O_RDONLY);
        assertEquals(0, k.task.passedThrough[Sysno.SYS_OPENAT], "the VFS serves open");
    }

    @Test
    void openatRelativeToARealDirfd() throws IOException {
        Files.writeString(dir.resolve("inside"), "in the dir");
        long dirfd = openat(Fcntl.AT_FDCWD, dir.toString(), Fcntl.O_RDONLY | O_DIRECTORY);
        assertTrue(dirfd >= 0, "dirfd: " + dirfd);
        assertEquals(S_IFDIR, fstat(dirfd).get(JAVA_INT, ST_MODE) & S_IFMT);
        long fd = openat(dirfd, "inside", Fcntl.O_RDONLY);
        assertTrue(fd > dirfd, "fd: " + fd);
        assertEquals("in the dir", read(fd, 64));
        assertEquals(-Errno.ENOENT, openat(dirfd, "missing", Fcntl.O_RDONLY));

        // Other *at calls, and one with two dirfds.
        assertEquals(0, k.call(SYS_MKDIRAT, dirfd, k.cstr("sub"), 0700));
        assertTrue(Files.isDirectory(dir.resolve("sub")));
        MemorySegment st = k.alloc(STAT_SIZE);
        assertEquals(0, k.call(SYS_NEWFSTATAT, dirfd, k.cstr("inside"), st.address(), 0));
        assertEquals(10, st.get(JAVA_LONG, ST_SIZE));
        long sub = openat(dirfd, "sub", Fcntl.O_RDONLY | O_DIRECTORY);
        assertEquals(0, k.call(SYS_RENAMEAT, dirfd, k.cstr("inside"), sub, k.cstr("moved")));
        assertEquals("in the dir", Files.readString(dir.resolve("sub/moved")));
    }

    @Test
    void aDescriptorTheAppDoesNotHaveIsEbadf() {
        long fd = openat(Fcntl.AT_FDCWD, "/dev/null", Fcntl.O_RDWR);
        int host = k.hostFd((int) fd);
        assertNotEquals(fd, host);
        long buf = k.alloc(16).address();
        // The host's number for the app's own file means nothing to the app.
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_READ, host, buf, 16));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_WRITE, host, buf, 16));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FSTAT, host, k.alloc(STAT_SIZE).address()));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_LSEEK, 1000, 0, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_READ, -1, buf, 16));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_READ, Fcntl.AT_FDCWD, buf, 16), "AT_FDCWD is no descriptor");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FCNTL, 1000, 3 /* F_GETFL */));
        assertEquals(-Errno.EBADF, openat(1000, "relative", Fcntl.O_RDONLY));
        assertEquals(-Errno.EBADF, openat(host, "relative", Fcntl.O_RDONLY));
        assertEquals(-Errno.EBADF, k.call(SYS_SENDFILE, fd, 1000, 0, 10));
        assertEquals(-Errno.EBADF, k.call(SYS_SENDFILE, 1000, fd, 0, 10));
    }

    @Test
    void aBadDirfdWithAnAbsolutePathWorks() throws IOException {
        Path p = dir.resolve("abs");
        Files.writeString(p, "absolute");
        for (long bad : new long[] {1000, -1, 5}) {
            long fd = openat(bad, p.toString(), Fcntl.O_RDONLY);
            assertTrue(fd >= 0, "dirfd " + bad + ": " + fd);
            assertEquals("absolute", read(fd, 64));
            assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        }
    }

    @Test
    void closeOnExecFollowsTheFlag() {
        // Host files ("/": devfs serves /dev/null itself, with no host descriptor).
        long plain = openat(Fcntl.AT_FDCWD, "/", Fcntl.O_RDONLY);
        long cloexec = openat(Fcntl.AT_FDCWD, "/", Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
        long open = k.call(Sysno.SYS_OPEN, k.cstr("/"), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
        long socket = k.call(Sysno.SYS_SOCKET, 1 /* AF_UNIX */, 1 | Fcntl.SOCK_CLOEXEC, 0);
        long socketPlain = k.call(Sysno.SYS_SOCKET, 1, 1, 0);
        long epoll = k.call(SYS_EPOLL_CREATE1, Fcntl.O_CLOEXEC);
        long epollOld = k.call(Sysno.SYS_EPOLL_CREATE, 1);
        long eventfd = k.call(SYS_EVENTFD2, 0, 0);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, plain, Fcntl.F_GETFD));
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, cloexec, Fcntl.F_GETFD));
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, open, Fcntl.F_GETFD));
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, socket, Fcntl.F_GETFD));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, socketPlain, Fcntl.F_GETFD));
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, epoll, Fcntl.F_GETFD));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, epollOld, Fcntl.F_GETFD), "epoll_create has no flag");
        assertEquals(0, k.call(Sysno.SYS_FCNTL, eventfd, Fcntl.F_GETFD));
        // On the host every one of them is close-on-exec, whatever the app asked (epoll sets and
        // eventfds are the kernel's own: they have no host descriptor to look at).
        for (long fd : new long[] {plain, cloexec, open, socket, socketPlain}) {
            assertTrue(fd >= 0);
            assertEquals(Fcntl.FD_CLOEXEC, hostGetfd(k.hostFd((int) fd)), "host descriptor of " + fd);
        }
        // The type argument keeps its other bits: a SOCK_CLOEXEC socket is still a stream socket.
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SOCKET, 1, 99 | Fcntl.SOCK_CLOEXEC, 0));
    }

    @Test
    void fcntlAndIoctlOnTheFileGoToTheHost() {
        long fd = openat(Fcntl.AT_FDCWD, "/dev/null", Fcntl.O_WRONLY | Fcntl.O_NONBLOCK);
        long fl = k.call(Sysno.SYS_FCNTL, fd, 3 /* F_GETFL */);
        assertEquals(Fcntl.O_WRONLY, fl & Fcntl.O_ACCMODE);
        assertEquals(Fcntl.O_NONBLOCK, fl & Fcntl.O_NONBLOCK);
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE, fds.address()));
        int r = fds.get(JAVA_INT, 0), w = fds.get(JAVA_INT, 4);
        assertEquals(5, write(w, "12345"));
        MemorySegment n = k.alloc(4);
        assertEquals(0, k.call(Sysno.SYS_IOCTL, r, 0x541B /* FIONREAD */, n.address()));
        assertEquals(5, n.get(JAVA_INT, 0));
    }

    @Test
    void twoDescriptorArguments() throws IOException {
        Path src = dir.resolve("src"), dst = dir.resolve("dst");
        Files.writeString(src, "copied by sendfile");
        long in = openat(Fcntl.AT_FDCWD, src.toString(), Fcntl.O_RDONLY);
        long out = openat(Fcntl.AT_FDCWD, dst.toString(), Fcntl.O_WRONLY | Fcntl.O_CREAT | O_TRUNC);
        assertEquals(18, k.call(SYS_SENDFILE, out, in, 0, 100));
        assertEquals("copied by sendfile", Files.readString(dst));
    }

    @Test
    void fullTableIsEmfile() {
        try (TestKernel small = new TestKernel(2)) {
            long a = small.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, small.cstr("/dev/null"), 0, 0);
            long b = small.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, small.cstr("/dev/null"), 0, 0);
            assertEquals(0, a);
            assertEquals(1, b);
            assertEquals(-Errno.EMFILE, small.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, small.cstr("/dev/null"), 0, 0));
            assertEquals(-Errno.EMFILE, small.call(Sysno.SYS_SOCKET, 1, 1, 0));
            assertEquals(2, small.openCount());
        }
    }

    @Test
    void aKernelOnlyDescriptionIsEinvalForHostCalls() {
        int fd = k.kernel.fds.install(new CountingFile(), 0, false);
        assertEquals(-Errno.EINVAL, k.call(SYS_FADVISE64, fd, 0, 0, 0));
        assertEquals(-Errno.EINVAL, k.call(SYS_FADVISE64, fd, 0, 0, 1));
        long logged = k.kernel.log.lines().stream().filter(l -> l.contains("fadvise64 on counting:")).count();
        assertEquals(1, logged, "logged once");
        assertEquals(-Errno.EINVAL, k.call(SYS_SENDFILE, fd, fd, 0, 1));
    }

    @Test
    void badBuffersAreEfaultFromTheHost() throws IOException {
        Path p = dir.resolve("data");
        Files.writeString(p, "some bytes to read");
        long fd = openat(Fcntl.AT_FDCWD, p.toString(), Fcntl.O_RDWR);
        for (long bad : BadAddresses.allForWrite()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(SYS_PREAD64, fd, bad, 8, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, bad, 8), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FSTAT, fd, bad), hex);
        }
        for (long bad : BadAddresses.all()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, fd, bad, 8), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, bad, 0, 0), hex);
        }
        assertEquals("some bytes to read", Files.readString(p), "nothing was written");
        assertEquals(1, k.openCount());
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, 1 /* SEEK_CUR */), "nothing was read");
    }

    @Test
    void everyPassthroughCallTranslatesAtMostTwoDescriptors() {
        // HostPassthrough refuses a call with three; the standard table was built, so none has.
        for (var s : Syscalls.all()) {
            if (s.usesFdTable()) {
                new HostPassthrough(k.kernel, s);
            }
        }
    }
}
