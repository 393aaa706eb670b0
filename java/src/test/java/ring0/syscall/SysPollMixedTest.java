package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.usermem.BadAddresses;

/**
 * poll, ppoll, select and pselect6 over kernel files (pipes, eventfds, epoll sets) with host ones
 * (sockets), and their sleeps: parked in Java with kernel files only, on the host with host ones.
 */
class SysPollMixedTest {
    private static final short IN = Poll.POLLIN, OUT = Poll.POLLOUT;
    @AutoClose
    private final TestKernel k = new TestKernel();
    private int r, w, sock, peer, efd;

    @BeforeEach
    void files() {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), 0));
        r = fds.get(JAVA_INT, 0);
        w = fds.get(JAVA_INT, 4);
        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, fds.address()));
        sock = fds.get(JAVA_INT, 0);
        peer = fds.get(JAVA_INT, 4);
        efd = (int) k.call(Sysno.SYS_EVENTFD2, 0, 0);
    }

    private MemorySegment pollfds(int... fdEvents) {
        MemorySegment p = k.alloc(4L * fdEvents.length);
        for (int i = 0; i < fdEvents.length / 2; i++) {
            p.set(JAVA_INT, 8L * i, fdEvents[2 * i]);
            p.set(JAVA_SHORT, 8L * i + 4, (short) fdEvents[2 * i + 1]);
            p.set(JAVA_SHORT, 8L * i + 6, (short) 0x7777);
        }
        return p;
    }

    private static short revents(MemorySegment p, int i) {
        return p.get(JAVA_SHORT, 8L * i + 6);
    }

    private void put(int fd) {
        MemorySegment one = k.alloc(8);
        one.set(JAVA_LONG, 0, 1);
        assertEquals(fd == efd ? 8 : 1, k.call(Sysno.SYS_WRITE, fd, one.address(), fd == efd ? 8 : 1));
    }

    @Test
    void readinessOfKernelAndHostFiles() {
        MemorySegment p = pollfds(r, IN, w, OUT, sock, IN | OUT, efd, IN, 99, IN, -1, IN);
        assertEquals(3, k.call(Sysno.SYS_POLL, p.address(), 6, 0));
        assertEquals(0, revents(p, 0));
        assertEquals(OUT, revents(p, 1), "only what was asked (and errors)");
        assertEquals(OUT, revents(p, 2));
        assertEquals(0, revents(p, 3));
        assertEquals(Fcntl.POLLNVAL, revents(p, 4));
        assertEquals(0, revents(p, 5));
        put(w);
        put(peer);
        put(efd);
        assertEquals(5, k.call(Sysno.SYS_POLL, p.address(), 6, 0));
        assertEquals(IN, revents(p, 0));
        assertEquals(IN | OUT, revents(p, 2));
        assertEquals(IN, revents(p, 3));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, r));
        MemorySegment q = pollfds(w, OUT);
        assertEquals(1, k.call(Sysno.SYS_POLL, q.address(), 1, 0));
        assertEquals(OUT | Poll.POLLERR, revents(q, 0), "POLLERR comes unasked");
    }

    @Test
    void select() {
        MemorySegment rs = fdSet(r, sock, efd), ws = fdSet(w), es = fdSet(r);
        int nfds = Math.max(Math.max(r, w), Math.max(sock, efd)) + 1;
        MemorySegment zero = k.alloc(16);
        assertEquals(1, k.call(Sysno.SYS_SELECT, nfds, rs.address(), ws.address(), es.address(), zero.address()));
        assertFalse(isSet(rs, r) || isSet(rs, sock) || isSet(rs, efd));
        assertTrue(isSet(ws, w));
        put(w);
        put(peer);
        rs = fdSet(r, sock, efd);
        ws = fdSet(w);
        assertEquals(3, k.call(Sysno.SYS_PSELECT6, nfds, rs.address(), ws.address(), 0, zero.address(), 0));
        assertTrue(isSet(rs, r) && isSet(rs, sock) && !isSet(rs, efd));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SELECT, 60, fdSet(r, 59).address(), 0, 0, zero.address()));
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
    void aKernelWriteWakesAPollParkedInJava() {
        try (AppThread poller = new AppThread(k)) {
            MemorySegment p = pollfds(r, IN, efd, IN);
            Future<Long> f = poller.call(Sysno.SYS_POLL, p.address(), 2, -1);
            assertTrue(AppThread.blocks(f));
            put(efd);
            assertEquals(1, AppThread.get(f));
            assertEquals(IN, revents(p, 1));
        }
    }

    @Test
    void aKernelWriteWakesAPollAsleepOnTheHost() {
        try (AppThread poller = new AppThread(k)) {
            MemorySegment p = pollfds(r, IN, sock, IN);
            Future<Long> f = poller.call(Sysno.SYS_POLL, p.address(), 2, -1);
            assertTrue(AppThread.blocks(f));
            put(w);
            assertEquals(1, AppThread.get(f), "the thread's eventfd woke the host ppoll");
            assertEquals(IN, revents(p, 0));
            MemorySegment q = pollfds(efd, IN, sock, IN);
            f = poller.call(Sysno.SYS_POLL, q.address(), 2, -1);
            assertTrue(AppThread.blocks(f));
            put(peer);
            assertEquals(1, AppThread.get(f), "and a host event");
            assertEquals(IN, revents(q, 1));
        }
    }

    @Test
    void aSelectWakesForAPipeThatMovedToTheHost() {
        try (AppThread selector = new AppThread(k)) {
            MemorySegment rs = fdSet(r);
            Future<Long> f = selector.call(Sysno.SYS_SELECT, r + 1, rs.address(), 0, 0, 0);
            assertTrue(AppThread.blocks(f));
            var writer = k.kernel.fds.get(w);
            long hw = writer.toHost();
            writer.put();
            assertTrue(AppThread.blocks(f));
            MemorySegment b = k.alloc(1);
            assertEquals(1, ring0.host.Host.fastCall(Sysno.SYS_WRITE, hw, b.address(), 1));
            assertEquals(1, AppThread.get(f));
            assertTrue(isSet(rs, r));
        }
    }

    @Test
    void anEpollSetWatchesAHostFileUnderTwoDescriptors() {
        // Linux keys an item by (file, descriptor): a dup of a socket is a second item, as the
        // listener and its File() in net.FileListener. Each reports, and each goes on its own.
        long ep = k.call(Sysno.SYS_EPOLL_CREATE1, 0);
        int dup = (int) k.call(Sysno.SYS_DUP, sock);
        MemorySegment ev = k.alloc(12);
        ev.set(JAVA_INT, 0, Poll.EPOLLIN);
        ev.set(JAVA_LONG_UNALIGNED, 4, sock);
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_ADD, sock, ev.address()));
        ev.set(JAVA_LONG_UNALIGNED, 4, dup);
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_ADD, dup, ev.address()));
        assertEquals(-Errno.EEXIST, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_ADD, dup, ev.address()));
        put(peer);
        MemorySegment out = k.alloc(12 * 4);
        assertEquals(2, k.call(Sysno.SYS_EPOLL_WAIT, ep, out.address(), 4, 0));
        java.util.Set<Long> data = java.util.Set.of(out.get(JAVA_LONG_UNALIGNED, 4), out.get(JAVA_LONG_UNALIGNED, 16));
        assertEquals(java.util.Set.of((long) sock, (long) dup), data);
        ev.set(JAVA_INT, 0, Poll.EPOLLOUT);
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_MOD, dup, ev.address()));
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_DEL, sock, 0));
        assertEquals(1, k.call(Sysno.SYS_EPOLL_WAIT, ep, out.address(), 4, 0));
        assertEquals(Poll.EPOLLOUT, out.get(JAVA_INT, 0));
        assertEquals(dup, out.get(JAVA_LONG_UNALIGNED, 4));
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_DEL, dup, 0));
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_ADD, dup, ev.address()), "its host part went");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, ep));
    }

    @Test
    void pollOfAnEpollSet() {
        long ep = k.call(Sysno.SYS_EPOLL_CREATE1, 0);
        MemorySegment ev = k.alloc(12);
        ev.set(JAVA_INT, 0, Poll.EPOLLIN);
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_ADD, sock, ev.address()));
        try (AppThread poller = new AppThread(k)) {
            MemorySegment p = pollfds((int) ep, IN);
            Future<Long> f = poller.call(Sysno.SYS_POLL, p.address(), 1, 5000);
            assertTrue(AppThread.blocks(f));
            put(peer);
            assertEquals(1, AppThread.get(f), "the set's host part woke the poll");
            assertEquals(IN, revents(p, 0));
        }
    }

    @Test
    void timeoutsAndTheTimeLeft() {
        MemorySegment p = pollfds(r, IN, sock, IN);
        long start = System.nanoTime();
        assertEquals(0, k.call(Sysno.SYS_POLL, p.address(), 2, 30));
        assertTrue(System.nanoTime() - start >= 30_000_000);
        MemorySegment ts = k.alloc(16);
        ts.set(JAVA_LONG, 0, 5);
        put(w);
        assertEquals(1, k.call(Sysno.SYS_PPOLL, p.address(), 2, ts.address(), 0, 8));
        long left = ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
        assertTrue(left > 4_000_000_000L && left <= 5_000_000_000L, "ppoll writes back the time left: " + left);
        MemorySegment tv = k.alloc(16);
        tv.set(JAVA_LONG, 8, 2_500_000); // microseconds carry into seconds, as Linux's select
        assertEquals(1, k.call(Sysno.SYS_SELECT, r + 1, fdSet(r).address(), 0, 0, tv.address()));
        assertTrue(tv.get(JAVA_LONG, 0) == 2 || tv.get(JAVA_LONG, 0) == 1);
        tv.set(JAVA_LONG, 8, -1);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SELECT, r + 1, fdSet(r).address(), 0, 0, tv.address()));
        ts.set(JAVA_LONG, 8, 1_000_000_000);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_PPOLL, p.address(), 2, ts.address(), 0, 8));
    }

    @Test
    void badPointersAreEfault() {
        MemorySegment p = pollfds(r, IN);
        MemorySegment zero = k.alloc(16), mask = k.alloc(8);
        for (long bad : BadAddresses.all()) {
            if (bad == 0) {
                continue; // NULL is no timeout, no mask
            }
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PPOLL, p.address(), 1, bad, 0, 8), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PPOLL, p.address(), 1, zero.address(), bad, 8), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SELECT, r + 1, fdSet(r).address(), 0, 0, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PSELECT6, r + 1, fdSet(r).address(), 0, 0, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PSELECT6, r + 1, fdSet(r).address(), 0, 0, zero.address(), bad), hex);
            MemorySegment sig = k.alloc(16);
            sig.set(JAVA_LONG, 0, bad);
            sig.set(JAVA_LONG, 8, 8);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PSELECT6, r + 1, fdSet(r).address(), 0, 0, zero.address(), sig.address()), hex);
        }
        for (long bad : BadAddresses.allForWrite()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_POLL, bad, 1, 0), hex);
            if (bad != 0) {
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SELECT, r + 1, bad, 0, 0, zero.address()), hex);
            }
        }
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_PPOLL, p.address(), 1, zero.address(), mask.address(), 4));
        // A mask during a sleep parked in Java: set on the host thread, then put back.
        long start = System.nanoTime();
        MemorySegment ts = k.alloc(16);
        ts.set(JAVA_LONG, 8, 10_000_000);
        assertEquals(0, k.call(Sysno.SYS_PPOLL, p.address(), 1, ts.address(), mask.address(), 8));
        assertTrue(System.nanoTime() - start >= 10_000_000);
    }
}
