package ring0.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.kernel.CountingFile;
import ring0.kernel.FileDescription;

/** The descriptor-table calls, through dispatch, on descriptions the kernel serves alone. */
class SysFdTest {
    private static final int MAX = 64;
    @AutoClose
    private final TestKernel k = new TestKernel(MAX);

    private int install(CountingFile f) {
        return k.kernel.fds.install(f, 0, false);
    }

    private FileDescription at(int fd) {
        FileDescription f = k.kernel.fds.get(fd);
        if (f != null) {
            f.put();
        }
        return f;
    }

    private long getfd(int fd) {
        return k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD);
    }

    @Test
    void closeReleasesTheDescription() {
        CountingFile f = new CountingFile();
        int fd = install(f);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertTrue(f.released());
        assertNull(at(fd));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_CLOSE, fd), "double close");
        assertEquals(1, f.releases());
    }

    @Test
    void closeOfBadDescriptors() {
        for (long fd : new long[] {-1, -100, 5, MAX, 1 << 20, Integer.MAX_VALUE, 0xffff_ffffL}) {
            assertEquals(-Errno.EBADF, k.call(Sysno.SYS_CLOSE, fd), Long.toString(fd));
        }
    }

    @Test
    void closeReportsTheReleaseErrorOnlyForTheLastReference() {
        CountingFile f = new CountingFile(null, -Errno.EIO);
        int fd = install(f);
        int dup = (int) k.call(Sysno.SYS_DUP, fd);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertFalse(f.released());
        assertEquals(-Errno.EIO, k.call(Sysno.SYS_CLOSE, dup), "the last close reports what the release said");
        assertTrue(f.released());
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_CLOSE, dup), "the descriptor is gone all the same");
    }

    @Test
    void closeTakesTheLowestNumberForTheNextDescriptor() {
        for (int i = 0; i < 4; i++) {
            install(new CountingFile());
        }
        assertEquals(0, k.call(Sysno.SYS_CLOSE, 1));
        assertEquals(1, k.call(Sysno.SYS_DUP, 3));
        assertEquals(4, k.call(Sysno.SYS_DUP, 3));
    }

    @Test
    void dup() {
        CountingFile f = new CountingFile();
        int fd = k.kernel.fds.install(f, 0, true);
        long d = k.call(Sysno.SYS_DUP, fd);
        assertEquals(1, d);
        assertSame(f, at(1));
        assertEquals(0, getfd(1), "dup clears close-on-exec");
        assertEquals(Fcntl.FD_CLOEXEC, getfd(fd));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertFalse(f.released());
        assertEquals(0, k.call(Sysno.SYS_CLOSE, 1));
        assertTrue(f.released());
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP, fd));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP, -1));
    }

    @Test
    void dupWhenFullIsEmfile() {
        CountingFile f = new CountingFile();
        install(f);
        for (int i = 1; i < MAX; i++) {
            assertEquals(i, k.call(Sysno.SYS_DUP, 0));
        }
        assertEquals(-Errno.EMFILE, k.call(Sysno.SYS_DUP, 0));
        assertEquals(-Errno.EMFILE, k.call(Sysno.SYS_FCNTL, 0, Fcntl.F_DUPFD, 0));
        for (int i = 0; i < MAX; i++) {
            assertEquals(0, k.call(Sysno.SYS_CLOSE, i));
        }
        assertEquals(1, f.releases(), "the failed dups did not keep a reference");
    }

    @Test
    void dup2() {
        CountingFile a = new CountingFile(), b = new CountingFile();
        int fa = install(a);
        int fb = k.kernel.fds.install(b, 0, true);
        assertEquals(fb, k.call(Sysno.SYS_DUP2, fa, fb));
        assertTrue(b.released(), "dup2 closes what was at newfd");
        assertSame(a, at(fb));
        assertEquals(0, getfd(fb), "dup2 clears close-on-exec");
        // Far away, beyond anything open.
        assertEquals(40, k.call(Sysno.SYS_DUP2, fa, 40));
        assertSame(a, at(40));
        assertEquals(3, k.openCount());
    }

    @Test
    void dup2ToItselfReturnsTheDescriptor() {
        CountingFile f = new CountingFile();
        int fd = k.kernel.fds.install(f, 0, true);
        assertEquals(fd, k.call(Sysno.SYS_DUP2, fd, fd));
        assertFalse(f.released());
        assertEquals(Fcntl.FD_CLOEXEC, getfd(fd), "dup2(fd, fd) changes nothing");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP2, 7, 7), "but fd must be open");
    }

    @Test
    void dup2Errors() {
        CountingFile f = new CountingFile();
        int fd = install(f);
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP2, 9, 3));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP2, fd, -1));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP2, fd, MAX), "newfd at the limit");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP2, fd, 0xffff_ffffL));
        assertEquals(1, k.openCount());
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertTrue(f.released(), "failed dup2s kept no reference");
    }

    @Test
    void dup3() {
        CountingFile a = new CountingFile(), b = new CountingFile();
        int fa = install(a), fb = install(b);
        assertEquals(fb, k.call(Sysno.SYS_DUP3, fa, fb, Fcntl.O_CLOEXEC));
        assertTrue(b.released());
        assertSame(a, at(fb));
        assertEquals(Fcntl.FD_CLOEXEC, getfd(fb));
        assertEquals(7, k.call(Sysno.SYS_DUP3, fa, 7, 0));
        assertEquals(0, getfd(7));
    }

    @Test
    void dup3ErrorsInLinuxOrder() {
        CountingFile f = new CountingFile();
        int fd = install(f);
        // fs/file.c: ksys_dup3 checks flags, then oldfd == newfd, then newfd's range, then oldfd.
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_DUP3, fd, fd, 0), "same descriptor");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_DUP3, 30, 30, 0), "same descriptor, not even open");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_DUP3, fd, 5, 1), "bad flags");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_DUP3, fd, 5, Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_DUP3, 30, -1, 1), "flags before descriptors");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP3, 30, -1, 0), "newfd before oldfd: both bad");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP3, fd, MAX, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_DUP3, 30, 5, 0), "oldfd not open");
        assertEquals(1, k.openCount());
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertTrue(f.released());
    }

    @Test
    void fcntlDupfd() {
        CountingFile f = new CountingFile();
        int fd = k.kernel.fds.install(f, 0, true);
        assertEquals(10, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD, 10));
        assertEquals(0, getfd(10));
        assertEquals(11, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD_CLOEXEC, 10));
        assertEquals(Fcntl.FD_CLOEXEC, getfd(11));
        assertEquals(1, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD, 0), "the lowest free at or above the minimum");
        assertSame(f, at(10));
        assertSame(f, at(11));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FCNTL, 20, Fcntl.F_DUPFD, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FCNTL, 20, Fcntl.F_DUPFD, -1), "EBADF before EINVAL");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD, -1));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD_CLOEXEC, MAX));
        assertEquals(MAX - 1, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD, MAX - 1));
        assertEquals(-Errno.EMFILE, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD, MAX - 1));
        assertEquals(5, k.openCount());
        for (int d : new int[] {fd, 1, 10, 11, MAX - 1}) {
            assertEquals(0, k.call(Sysno.SYS_CLOSE, d));
        }
        assertEquals(1, f.releases());
    }

    @Test
    void fcntlGetfdAndSetfd() {
        int fd = install(new CountingFile());
        assertEquals(0, getfd(fd));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC));
        assertEquals(Fcntl.FD_CLOEXEC, getfd(fd));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_SETFD, 0xfe), "only FD_CLOEXEC counts");
        assertEquals(0, getfd(fd));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_SETFD, 0xff));
        assertEquals(Fcntl.FD_CLOEXEC, getfd(fd));
        assertEquals(-Errno.EBADF, getfd(fd + 1));
        assertEquals(-Errno.EBADF, getfd(-1));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FCNTL, fd + 1, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FCNTL, 1 << 20, Fcntl.F_SETFD, 0));
    }

    @Test
    void ioctlFioclexAndFionclex() {
        int fd = install(new CountingFile());
        assertEquals(0, k.call(Sysno.SYS_IOCTL, fd, Fcntl.FIOCLEX));
        assertEquals(Fcntl.FD_CLOEXEC, getfd(fd));
        assertEquals(0, k.call(Sysno.SYS_IOCTL, fd, Fcntl.FIONCLEX));
        assertEquals(0, getfd(fd));
        // The request is an unsigned int: the upper half of the register does not count.
        assertEquals(0, k.call(Sysno.SYS_IOCTL, fd, 0xdead_0000_0000_0000L | Fcntl.FIOCLEX));
        assertEquals(Fcntl.FD_CLOEXEC, getfd(fd));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_IOCTL, fd + 1, Fcntl.FIOCLEX));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_IOCTL, -1, Fcntl.FIONCLEX));
    }

    @Test
    void otherFcntlAndIoctlCommandsGoToTheFile() {
        // A file with Linux's default operations: F_GETFL/F_SETFL and FIONBIO, ENOTTY for the rest.
        int fd = install(new CountingFile());
        assertEquals(Fcntl.O_RDWR, k.call(Sysno.SYS_FCNTL, fd, 3 /* F_GETFL */));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, fd, 4 /* F_SETFL */, Fcntl.O_NONBLOCK | Fcntl.O_WRONLY));
        assertEquals(Fcntl.O_RDWR | Fcntl.O_NONBLOCK, k.call(Sysno.SYS_FCNTL, fd, 3), "the access mode does not change");
        MemorySegment off = k.alloc(4);
        assertEquals(0, k.call(Sysno.SYS_IOCTL, fd, 0x5421 /* FIONBIO */, off.address()));
        assertEquals(Fcntl.O_RDWR, k.call(Sysno.SYS_FCNTL, fd, 3));
        assertEquals(-Errno.ENOTTY, k.call(Sysno.SYS_IOCTL, fd, 0x541B /* FIONREAD */, off.address()));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FCNTL, fd + 1, 3));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_IOCTL, fd + 1, 0x541B, off.address()));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FCNTL, fd, 1234), "unknown command");
    }

    @Test
    void closeRange() {
        CountingFile[] f = new CountingFile[8];
        for (int i = 0; i < f.length; i++) {
            f[i] = new CountingFile();
            install(f[i]);
        }
        k.kernel.fds.installAt(50, f[0], false);
        f[0].get();
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 3, 5, 0));
        for (int i = 0; i < f.length; i++) {
            assertEquals(i >= 3 && i <= 5, f[i].released(), "fd " + i);
        }
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 7, 0xffff_ffffL, 0), "up to ~0U");
        assertTrue(f[7].released());
        assertNull(at(50));
        assertFalse(f[0].released(), "0 is still open");
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 0, 0xffff_ffffL, 0));
        for (CountingFile c : f) {
            assertEquals(1, c.releases());
        }
        assertEquals(0, k.openCount());
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 0, 10, 0), "nothing open is fine");
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 1000, 2000, 0), "beyond the limit is fine");
    }

    @Test
    void closeRangeCloexec() {
        for (int i = 0; i < 6; i++) {
            install(new CountingFile());
        }
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 2, 4, Fcntl.CLOSE_RANGE_CLOEXEC));
        assertEquals(6, k.openCount(), "nothing closed");
        for (int i = 0; i < 6; i++) {
            assertEquals(i >= 2 && i <= 4 ? Fcntl.FD_CLOEXEC : 0, getfd(i), "fd " + i);
        }
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 0, 0xffff_ffffL, Fcntl.CLOSE_RANGE_CLOEXEC | Fcntl.CLOSE_RANGE_UNSHARE));
        for (int i = 0; i < 6; i++) {
            assertEquals(Fcntl.FD_CLOEXEC, getfd(i));
        }
        assertEquals(-Errno.EBADF, getfd(6), "no descriptor was made by setting flags");
    }

    @Test
    void closeRangeErrors() {
        CountingFile f = new CountingFile();
        install(f);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_CLOSE_RANGE, 5, 4, 0), "first > last");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_CLOSE_RANGE, 0, 10, 1), "unknown flag");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_CLOSE_RANGE, 0, 10, 1 << 3));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_CLOSE_RANGE, 0xffff_ffffL, 0, 0), "first is unsigned");
        assertFalse(f.released());
        // The upper halves of the registers do not count: these are unsigned ints.
        assertEquals(0, k.call(Sysno.SYS_CLOSE_RANGE, 0xffff_ffff_0000_0000L, 0xffff_ffff_ffff_ffffL, 0));
        assertTrue(f.released());
    }

    @Test
    void fdArgumentsAreInts() {
        // The upper half of a descriptor register is ignored (Linux takes an unsigned int).
        CountingFile f = new CountingFile();
        int fd = install(f);
        assertEquals(1, k.call(Sysno.SYS_DUP, 0x1234_5678_0000_0000L | fd));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, 0xffff_ffff_0000_0000L | fd));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, 1));
        assertTrue(f.released());
    }

    @Test
    void closeOnAHostDescriptorClosesIt() {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), 0));
        int r = fds.get(ValueLayout.JAVA_INT, 0), w = fds.get(ValueLayout.JAVA_INT, 4);
        int dup = (int) k.call(Sysno.SYS_DUP, w);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, w));
        MemorySegment buf = k.alloc(8);
        assertEquals(1, k.call(Sysno.SYS_WRITE, dup, buf.address(), 1), "the dup still writes");
        assertEquals(1, k.call(Sysno.SYS_READ, r, buf.address(), 8));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, dup));
        assertEquals(0, k.call(Sysno.SYS_READ, r, buf.address(), 8), "end of file: the last writer is closed");
    }
}
