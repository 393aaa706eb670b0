package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.usermem.BadAddresses;

/** poll, ppoll, select and pselect6 over a host pipe, seen at the app's descriptor numbers. */
class SysPollTest {
    private static final short POLLIN = 1, POLLOUT = 4, POLLNVAL = Fcntl.POLLNVAL;
    /** Only a guard against a call that blocks when it must not; no test measures time. */
    private static final Duration HANG = Duration.ofSeconds(60);

    @AutoClose
    private final TestKernel k = new TestKernel();
    private int r, w;
    private long zeroTime;

    @BeforeEach
    void pipe() {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE, fds.address()));
        r = fds.get(JAVA_INT, 0);
        w = fds.get(JAVA_INT, 4);
        zeroTime = k.alloc(16).address(); // timeval and timespec {0, 0}
    }

    private void writeByte() {
        MemorySegment b = k.alloc(1);
        assertEquals(1, k.call(Sysno.SYS_WRITE, w, b.address(), 1));
    }

    private MemorySegment pollfds(int... fdEvents) {
        MemorySegment p = k.alloc(4L * fdEvents.length);
        for (int i = 0; i < fdEvents.length / 2; i++) {
            p.set(JAVA_INT, 8L * i, fdEvents[2 * i]);
            p.set(JAVA_SHORT, 8L * i + 4, (short) fdEvents[2 * i + 1]);
            p.set(JAVA_SHORT, 8L * i + 6, (short) 0x7777); // revents is output only
        }
        return p;
    }

    private static short revents(MemorySegment p, int i) {
        return p.get(JAVA_SHORT, 8L * i + 6);
    }

    @Test
    void pollReportsReadinessAtTheAppsNumbers() {
        int closed = 50;
        MemorySegment p = pollfds(r, POLLIN, w, POLLOUT, closed, POLLIN, -1, POLLIN);
        assertEquals(2, k.call(Sysno.SYS_POLL, p.address(), 4, 0));
        assertEquals(0, revents(p, 0));
        assertEquals(POLLOUT, revents(p, 1));
        assertEquals(POLLNVAL, revents(p, 2), "a descriptor that is not open");
        assertEquals(0, revents(p, 3), "a negative descriptor is ignored");
        writeByte();
        assertEquals(3, k.call(Sysno.SYS_POLL, p.address(), 4, 0));
        assertEquals(POLLIN, revents(p, 0));
        assertEquals(POLLOUT, revents(p, 1));
        assertEquals(POLLNVAL, revents(p, 2));
        // The app's numbers are left as they were (the host's never show).
        assertEquals(r, p.get(JAVA_INT, 0));
        assertEquals(w, p.get(JAVA_INT, 8));
        assertEquals(closed, p.get(JAVA_INT, 16));
        assertEquals(-1, p.get(JAVA_INT, 24));
    }

    @Test
    void pollOfAClosedDescriptorReportsPollnval() {
        MemorySegment p = pollfds(w, POLLOUT);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, w));
        // POLLNVAL is ready: even an infinite timeout returns at once.
        long n = assertTimeoutPreemptively(HANG, () -> k.call(Sysno.SYS_POLL, p.address(), 1, -1));
        assertEquals(1, n);
        assertEquals(POLLNVAL, revents(p, 0));
        long m = assertTimeoutPreemptively(HANG, () -> k.call(Sysno.SYS_PPOLL, p.address(), 1, 0, 0, 8));
        assertEquals(1, m);
        assertEquals(POLLNVAL, revents(p, 0));
    }

    @Test
    void pollOfAHostNumberTheAppDoesNotHave() {
        int host = k.hostFd(hostSocket());
        MemorySegment p = pollfds(host, POLLOUT);
        assertEquals(1, k.call(Sysno.SYS_POLL, p.address(), 1, 0));
        assertEquals(POLLNVAL, revents(p, 0));
    }

    @Test
    void ppoll() {
        MemorySegment p = pollfds(r, POLLIN, w, POLLOUT);
        assertEquals(1, k.call(Sysno.SYS_PPOLL, p.address(), 2, zeroTime, 0, 8));
        assertEquals(0, revents(p, 0));
        assertEquals(POLLOUT, revents(p, 1));
        writeByte();
        assertEquals(2, k.call(Sysno.SYS_PPOLL, p.address(), 2, zeroTime, 0, 8));
        assertEquals(POLLIN, revents(p, 0));
        assertEquals(1, k.call(Sysno.SYS_PPOLL, p.address(), 1, 0, 0, 8), "no timeout: data is there");
    }

    @Test
    void pollArguments() {
        MemorySegment p = pollfds(r, POLLIN);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_POLL, p.address(), k.kernel.fds.max() + 1, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_POLL, p.address(), -1, 0));
        assertEquals(0, k.call(Sysno.SYS_POLL, p.address(), 0, 0));
        assertEquals(0, k.call(Sysno.SYS_PPOLL, 0, 0, zeroTime, 0, 8));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_PPOLL, p.address(), 1, zeroTime, k.alloc(8).address(), 1),
                "bad sigsetsize");
    }

    @Test
    void pollBadPointersAreEfault() {
        for (long bad : BadAddresses.allForWrite()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_POLL, bad, 1, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_POLL, bad, 2, -1), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PPOLL, bad, 1, zeroTime, 0, 8), hex);
        }
        for (long bad : BadAddresses.all()) {
            String hex = Long.toHexString(bad);
            assertEquals(0, k.call(Sysno.SYS_POLL, bad, 0, 0), "no entries: the pointer is not read " + hex);
            // A bad timeout or signal mask is the host's to find.
            MemorySegment p = pollfds(r, POLLIN);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PPOLL, p.address(), 1, bad == 0 ? BadAddresses.LOW : bad, 0, 8), hex);
            if (bad != 0) {
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PPOLL, p.address(), 1, zeroTime, bad, 8), hex);
            }
        }
        // An array that runs off the end of its mapping.
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_POLL, BadAddresses.noAccess() - 8, 2, 0));
    }

    private MemorySegment fdSet(int... fds) {
        MemorySegment s = k.alloc(128);
        for (int fd : fds) {
            s.set(JAVA_LONG, (fd >> 6) * 8L, s.get(JAVA_LONG, (fd >> 6) * 8L) | (1L << fd));
        }
        return s;
    }

    private static boolean isSet(MemorySegment s, int fd) {
        return (s.get(JAVA_LONG, (fd >> 6) * 8L) & (1L << fd)) != 0;
    }

    @Test
    void select() {
        MemorySegment rs = fdSet(r), ws = fdSet(w);
        int nfds = Math.max(r, w) + 1;
        assertEquals(1, k.call(Sysno.SYS_SELECT, nfds, rs.address(), ws.address(), 0, zeroTime));
        assertFalse(isSet(rs, r), "not readable yet");
        assertTrue(isSet(ws, w));
        writeByte();
        rs = fdSet(r);
        ws = fdSet(w);
        MemorySegment es = fdSet(r, w);
        assertEquals(2, k.call(Sysno.SYS_SELECT, nfds, rs.address(), ws.address(), es.address(), zeroTime));
        assertTrue(isSet(rs, r));
        assertTrue(isSet(ws, w));
        assertFalse(isSet(es, r) || isSet(es, w), "no exceptional conditions");
        // Only the app's bits: nothing else appears in the sets.
        for (int fd = 0; fd < 1024; fd++) {
            assertEquals(fd == r, isSet(rs, fd), "read set bit " + fd);
            assertEquals(fd == w, isSet(ws, fd), "write set bit " + fd);
        }
    }

    @Test
    void pselect6() {
        writeByte();
        MemorySegment rs = fdSet(r), ws = fdSet(w);
        assertEquals(2, k.call(Sysno.SYS_PSELECT6, Math.max(r, w) + 1, rs.address(), ws.address(), 0, zeroTime, 0));
        assertTrue(isSet(rs, r));
        assertTrue(isSet(ws, w));
        MemorySegment rs2 = fdSet(r);
        assertEquals(1, k.call(Sysno.SYS_PSELECT6, r + 1, rs2.address(), 0, 0, 0, 0), "no timeout: data is there");
    }

    @Test
    void selectOfAClosedDescriptorIsEbadf() {
        MemorySegment rs = fdSet(r, 40);
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SELECT, 41, rs.address(), 0, 0, zeroTime));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_PSELECT6, 41, rs.address(), 0, 0, zeroTime, 0));
        // Bits at or above nfds are not looked at.
        assertEquals(0, k.call(Sysno.SYS_SELECT, 40, rs.address(), 0, 0, zeroTime));
        int host = k.hostFd(hostSocket());
        // A descriptor above the host's number grows the app's table past it (select ignores bits
        // beyond the table's size, as Linux).
        assertEquals(host + 1, k.call(Sysno.SYS_DUP2, r, host + 1));
        MemorySegment ws = fdSet(host);
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SELECT, host + 1, 0, ws.address(), 0, zeroTime),
                "the host's number is not the app's");
    }

    @Test
    void selectIgnoresBitsBeyondTheTablesSize() {
        // fs/select.c cuts nfds to fdt->max_fds (64 until a descriptor above 63 exists), not to
        // RLIMIT_NOFILE.
        MemorySegment rs = fdSet(r, 100);
        assertEquals(0, k.call(Sysno.SYS_SELECT, 101, rs.address(), 0, 0, zeroTime));
        assertEquals(70, k.call(Sysno.SYS_DUP2, r, 70));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SELECT, 101, fdSet(r, 100).address(), 0, 0, zeroTime));
    }

    @Test
    void selectArguments() {
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SELECT, -1, 0, 0, 0, zeroTime));
        assertEquals(0, k.call(Sysno.SYS_SELECT, 0, 0, 0, 0, zeroTime));
        // As Linux: nfds beyond the table is cut down to it (select with no sets is a sleep).
        assertEquals(Host.call(Sysno.SYS_SELECT, Integer.MAX_VALUE, 0, 0, 0, zeroTime, 0),
                k.call(Sysno.SYS_SELECT, Integer.MAX_VALUE, 0, 0, 0, zeroTime));
        assertEquals(0, k.call(Sysno.SYS_SELECT, 1 << 20, 0, 0, 0, zeroTime));
    }

    @Test
    void selectBadPointersAreEfault() {
        int nfds = Math.max(r, w) + 1;
        for (long bad : BadAddresses.allForWrite()) {
            if (bad == 0) {
                continue; // a NULL set is no set
            }
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SELECT, nfds, bad, 0, 0, zeroTime), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SELECT, nfds, fdSet(r).address(), bad, 0, zeroTime), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SELECT, nfds, 0, 0, bad, zeroTime), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PSELECT6, nfds, bad, 0, 0, zeroTime, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PSELECT6, nfds, 0, bad, 0, zeroTime, 0), hex);
            assertEquals(0, k.call(Sysno.SYS_SELECT, 0, bad, bad, bad, zeroTime), "no bits: nothing read " + hex);
        }
        for (long bad : BadAddresses.all()) {
            if (bad == 0) {
                continue;
            }
            String hex = Long.toHexString(bad);
            // The timeout and signal mask pointers are the host's to check.
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SELECT, nfds, fdSet(w).address(), 0, 0, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PSELECT6, nfds, fdSet(w).address(), 0, 0, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PSELECT6, nfds, fdSet(w).address(), 0, 0, zeroTime, bad), hex);
        }
    }

    /** One end of a socketpair: a description the host serves, so it has a host number. */
    private int hostSocket() {
        MemorySegment sv = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, sv.address()));
        return sv.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
    }
}
