package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.usermem.BadAddresses;

class SysPipeTest {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private void roundTrip(int from, int to, String s) {
        MemorySegment b = k.arena.allocateFrom(s, StandardCharsets.US_ASCII);
        assertEquals(s.length(), k.call(Sysno.SYS_WRITE, from, b.address(), s.length()));
        MemorySegment in = k.alloc(64);
        assertEquals(s.length(), k.call(Sysno.SYS_READ, to, in.address(), 64));
        assertEquals(s, in.getString(0, StandardCharsets.US_ASCII));
    }

    private long appFlag(int fd) {
        return k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD);
    }

    private static long hostFlag(int hostFd) {
        return Host.fastCall(Sysno.SYS_FCNTL, hostFd, Fcntl.F_GETFD, 0);
    }

    @Test
    void pipe() {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE, fds.address()));
        int r = fds.get(JAVA_INT, 0), w = fds.get(JAVA_INT, 4);
        assertEquals(0, r, "the app's numbers, lowest free");
        assertEquals(1, w);
        assertEquals(-1, k.hostFd(r), "a kernel pipe: no host descriptor until a child needs one");
        assertEquals(-1, k.hostFd(w));
        roundTrip(w, r, "through the pipe");
        assertEquals(0, appFlag(r));
        assertEquals(0, appFlag(w));
        assertEquals(0, k.task.passedThrough[Sysno.SYS_PIPE2], "the kernel served the pipe itself");
    }

    @Test
    void pipe2Flags() {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK));
        int r = fds.get(JAVA_INT, 0), w = fds.get(JAVA_INT, 4);
        assertEquals(Fcntl.FD_CLOEXEC, appFlag(r));
        assertEquals(Fcntl.FD_CLOEXEC, appFlag(w));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_READ, r, k.alloc(8).address(), 8), "O_NONBLOCK reached the host");
        roundTrip(w, r, "x");
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), 0));
        assertEquals(0, appFlag(fds.get(JAVA_INT, 0)));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_PIPE2, fds.address(), 1), "unknown flag");
        assertEquals(4, k.openCount());
    }

    @Test
    void socketpair() {
        MemorySegment sv = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM, 0, sv.address()));
        int a = sv.get(JAVA_INT, 0), b = sv.get(JAVA_INT, 4);
        assertEquals(0, a);
        assertEquals(1, b);
        roundTrip(a, b, "ping");
        roundTrip(b, a, "pong");
        assertEquals(0, appFlag(a));
        assertEquals(Fcntl.FD_CLOEXEC, hostFlag(k.hostFd(a)));

        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, AF_UNIX, SOCK_DGRAM | Fcntl.SOCK_CLOEXEC, 0, sv.address()));
        assertEquals(Fcntl.FD_CLOEXEC, appFlag(sv.get(JAVA_INT, 0)));
        assertEquals(Fcntl.FD_CLOEXEC, appFlag(sv.get(JAVA_INT, 4)));
        roundTrip(sv.get(JAVA_INT, 0), sv.get(JAVA_INT, 4), "datagram");

        assertEquals(-Errno.EAFNOSUPPORT, k.call(Sysno.SYS_SOCKETPAIR, 9999, SOCK_STREAM, 0, sv.address()));
        assertEquals(-Errno.EOPNOTSUPP, k.call(Sysno.SYS_SOCKETPAIR, 2 /* AF_INET */, SOCK_STREAM, 0, sv.address()));
        assertEquals(4, k.openCount());
    }

    @Test
    void badPointersAreEfaultAndMakeNoDescriptors() {
        for (long bad : BadAddresses.allForWrite()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PIPE, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PIPE2, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PIPE2, bad, Fcntl.O_CLOEXEC), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM, 0, bad), hex);
        }
        // Eight bytes of which the last four are on the PROT_NONE page.
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PIPE, BadAddresses.noAccess() - 4));
        assertEquals(0, k.openCount());
        // The failed calls left the lowest numbers free.
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE, fds.address()));
        assertEquals(0, fds.get(JAVA_INT, 0));
    }

    @Test
    void fullTable() {
        try (TestKernel one = new TestKernel(1)) {
            MemorySegment fds = one.alloc(8);
            fds.set(JAVA_INT, 0, -7);
            fds.set(JAVA_INT, 4, -7);
            assertEquals(-Errno.EMFILE, one.call(Sysno.SYS_PIPE, fds.address()));
            assertEquals(-Errno.EMFILE, one.call(Sysno.SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM, 0, fds.address()));
            assertEquals(0, one.openCount(), "the first end was taken back");
            assertEquals(-7, fds.get(JAVA_INT, 0), "nothing written on failure");
        }
        try (TestKernel none = new TestKernel(0)) {
            assertEquals(-Errno.EMFILE, none.call(Sysno.SYS_PIPE, none.alloc(8).address()));
        }
    }
}
