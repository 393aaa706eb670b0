package ring0.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.CountingFile;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.syscall.AppThread;
import ring0.syscall.SyscallEntry;
import ring0.syscall.TestKernel;
import ring0.usermem.BadAddresses;

/**
 * Kernel epoll sets through the system calls (fs/eventpoll.c): kernel files, host files and both
 * together, blocking and waking, and files that move to the host while watched.
 */
class EventPollTest {
    private static final int IN = Poll.EPOLLIN, OUT = Poll.EPOLLOUT, ET = Poll.EPOLLET;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1;
    @AutoClose
    private final TestKernel k = new TestKernel();
    private final MemorySegment events = k.alloc(12 * 64);
    private final MemorySegment one = k.alloc(8);

    private int epoll() {
        long ep = k.call(Sysno.SYS_EPOLL_CREATE1, 0);
        assertTrue(ep >= 0);
        return (int) ep;
    }

    private long ctl(int ep, int op, int fd, int ev, long data) {
        MemorySegment e = k.alloc(12);
        e.set(JAVA_INT, 0, ev);
        e.set(JAVA_LONG_UNALIGNED, 4, data);
        return k.call(Sysno.SYS_EPOLL_CTL, ep, op, fd, e.address());
    }

    private void add(int ep, int fd, int ev, long data) {
        assertEquals(0, ctl(ep, Poll.EPOLL_CTL_ADD, fd, ev, data));
    }

    /** epoll_wait with a timeout in ms; the events as data -> revents (fails on -errno). */
    private Map<Long, Integer> wait(int ep, int timeout) {
        long n = k.call(Sysno.SYS_EPOLL_WAIT, ep, events.address(), 64, timeout);
        assertTrue(n >= 0, "epoll_wait: " + n);
        return decode(n);
    }

    private Map<Long, Integer> decode(long n) {
        Map<Long, Integer> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(events.get(JAVA_LONG_UNALIGNED, 12L * i + 4), events.get(JAVA_INT, 12L * i));
        }
        assertEquals(n, m.size(), "each item at most once");
        return m;
    }

    private int[] pipe(int flags) {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), flags));
        return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
    }

    /** A host socket pair of the app (host items). */
    private int[] socketpair() {
        MemorySegment sv = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM | 0x800 /* SOCK_NONBLOCK */, 0, sv.address()));
        return new int[] {sv.get(JAVA_INT, 0), sv.get(JAVA_INT, 4)};
    }

    private void put(int fd, int n) {
        assertEquals(n, k.call(Sysno.SYS_WRITE, fd, k.alloc(n).address(), n));
    }

    private void take(int fd, int n) {
        assertEquals(n, k.call(Sysno.SYS_READ, fd, k.alloc(n).address(), n));
    }

    private FileDescription file(int fd) {
        FileDescription f = k.kernel.fds.get(fd);
        f.put();
        return f;
    }

    @Test
    void createErrors() {
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_CREATE, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_CREATE, -1));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_CREATE1, 1));
        long ep = k.call(Sysno.SYS_EPOLL_CREATE1, Poll.EPOLL_CLOEXEC);
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, ep, Fcntl.F_GETFD));
        assertEquals(-1, k.hostFd((int) ep), "a kernel epoll set");
        assertTrue(k.call(Sysno.SYS_EPOLL_CREATE, 1) >= 0);
        assertEquals(0, k.task.passedThrough[Sysno.SYS_EPOLL_CREATE1]);
    }

    @Test
    void ctlErrorsInLinuxsOrder() {
        int ep = epoll();
        int[] p = pipe(0);
        int closed = 77;
        assertEquals(-Errno.EBADF, ctl(closed, Poll.EPOLL_CTL_ADD, p[0], IN, 0));
        assertEquals(-Errno.EBADF, ctl(ep, Poll.EPOLL_CTL_ADD, closed, IN, 0));
        assertEquals(-Errno.EINVAL, ctl(p[1], Poll.EPOLL_CTL_ADD, p[0], IN, 0), "not an epoll set");
        assertEquals(-Errno.EINVAL, ctl(ep, Poll.EPOLL_CTL_ADD, ep, IN, 0), "itself");
        assertEquals(-Errno.ENOENT, ctl(ep, Poll.EPOLL_CTL_MOD, p[0], IN, 0));
        assertEquals(-Errno.ENOENT, ctl(ep, Poll.EPOLL_CTL_DEL, p[0], 0, 0));
        add(ep, p[0], IN, 1);
        assertEquals(-Errno.EEXIST, ctl(ep, Poll.EPOLL_CTL_ADD, p[0], IN, 0));
        assertEquals(-Errno.EINVAL, ctl(ep, 99, p[0], IN, 0), "an unknown op");
        assertEquals(-Errno.EINVAL, ctl(ep, Poll.EPOLL_CTL_MOD, p[0], IN | Poll.EPOLLEXCLUSIVE, 0));
        assertEquals(-Errno.EINVAL, ctl(ep, Poll.EPOLL_CTL_ADD, p[1], OUT | Poll.EPOLLEXCLUSIVE | Poll.EPOLLONESHOT, 0));
        add(ep, p[1], OUT | Poll.EPOLLEXCLUSIVE, 2);
        assertEquals(-Errno.EINVAL, ctl(ep, Poll.EPOLL_CTL_MOD, p[1], OUT, 0), "an exclusive item cannot change");
        assertEquals(0, ctl(ep, Poll.EPOLL_CTL_DEL, p[1], 0, 0));
        // A file whose poll is the always-ready default, with no wait queue: EPERM, as a regular file.
        int plain = k.kernel.fds.install(new CountingFile(), 0, false);
        assertEquals(-Errno.EPERM, ctl(ep, Poll.EPOLL_CTL_ADD, plain, IN, 0));
        assertEquals(-Errno.EPERM, ctl(p[0], Poll.EPOLL_CTL_ADD, plain, IN, 0), "EPERM before EINVAL");
        // A host regular file: the host says EPERM.
        int devnull = (int) k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/proc/self/status"), Fcntl.O_RDONLY, 0);
        assertEquals(-Errno.EPERM, ctl(ep, Poll.EPOLL_CTL_ADD, devnull, IN, 0));
    }

    @Test
    void nestedLoopsAreEloop() {
        int a = epoll(), b = epoll();
        add(a, b, IN, 0);
        assertEquals(-Errno.ELOOP, ctl(b, Poll.EPOLL_CTL_ADD, a, IN, 0));
        assertEquals(-Errno.EINVAL, ctl(a, Poll.EPOLL_CTL_ADD, b, IN | Poll.EPOLLEXCLUSIVE, 0), "no exclusive nesting");
        // A chain deeper than EP_MAX_NESTS.
        int[] chain = new int[7];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = epoll();
        }
        long r = 0;
        int depth = 0;
        for (int i = 1; i < chain.length && r == 0; i++) {
            r = ctl(chain[i], Poll.EPOLL_CTL_ADD, chain[i - 1], IN, 0);
            depth = r == 0 ? i : depth;
        }
        assertEquals(-Errno.ELOOP, r);
        assertEquals(Poll.EP_MAX_NESTS, depth, "nests up to EP_MAX_NESTS");
    }

    @Test
    void levelTriggered() {
        int ep = epoll();
        int[] p = pipe(0);
        add(ep, p[0], IN, 10);
        add(ep, p[1], OUT, 11);
        assertEquals(Map.of(11L, OUT), wait(ep, 0));
        put(p[1], 5);
        assertEquals(Map.of(10L, IN, 11L, OUT), wait(ep, 0));
        assertEquals(Map.of(10L, IN, 11L, OUT), wait(ep, 0), "level-triggered: again");
        take(p[0], 5);
        assertEquals(Map.of(11L, OUT), wait(ep, 0));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[1]));
        assertEquals(Map.of(10L, Poll.EPOLLHUP), wait(ep, 0), "the writer is gone");
    }

    @Test
    void edgeTriggeredAndOneShot() {
        int ep = epoll();
        int[] p = pipe(0);
        add(ep, p[0], IN | ET, 1);
        put(p[1], 1);
        assertEquals(Map.of(1L, IN), wait(ep, 0));
        assertEquals(Map.of(), wait(ep, 0), "once per edge");
        put(p[1], 1);
        assertEquals(Map.of(1L, IN), wait(ep, 0), "every write is an edge, as Linux's pipes");
        int[] q = pipe(0);
        add(ep, q[0], IN | Poll.EPOLLONESHOT, 2);
        put(q[1], 1);
        assertEquals(Map.of(2L, IN), wait(ep, 0));
        put(q[1], 1);
        assertEquals(Map.of(), wait(ep, 0), "disabled after one event");
        assertEquals(0, ctl(ep, Poll.EPOLL_CTL_MOD, q[0], IN | Poll.EPOLLONESHOT, 3));
        assertEquals(Map.of(3L, IN), wait(ep, 0), "enabled again, with the new data");
    }

    @Test
    void maxeventsAndFairness() {
        int ep = epoll();
        int[][] pipes = new int[5][];
        for (int i = 0; i < 5; i++) {
            pipes[i] = pipe(0);
            add(ep, pipes[i][0], IN, i);
            put(pipes[i][1], 1);
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int round = 0; round < 5; round++) {
            assertEquals(2, k.call(Sysno.SYS_EPOLL_WAIT, ep, events.address(), 2, 0));
            seen.addAll(decode(2).keySet());
        }
        assertEquals(5, seen.size(), "level-triggered items take turns");
    }

    @Test
    void mixedKernelAndHostItems() {
        int ep = epoll();
        int[] p = pipe(Fcntl.O_NONBLOCK);
        int[] s = socketpair();
        long efd = k.call(Sysno.SYS_EVENTFD2, 0, Fcntl.O_NONBLOCK);
        add(ep, p[0], IN | ET, 1);
        add(ep, s[0], IN | OUT | Poll.EPOLLRDHUP | ET, 2);
        add(ep, (int) efd, IN, 3);
        assertEquals(Map.of(2L, OUT), wait(ep, 0), "a fresh socket is writable");
        put(s[1], 3);
        put(p[1], 4);
        one.set(JAVA_LONG, 0, 1);
        assertEquals(8, k.call(Sysno.SYS_WRITE, efd, one.address(), 8));
        assertEquals(Map.of(1L, IN, 2L, IN | OUT, 3L, IN), wait(ep, 0));
        assertEquals(Map.of(3L, IN), wait(ep, 0), "only the level-triggered eventfd again");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, s[1]));
        assertEquals(Map.of(2L, IN | OUT | Poll.EPOLLRDHUP | Poll.EPOLLHUP, 3L, IN), wait(ep, 0));
        assertEquals(0, ctl(ep, Poll.EPOLL_CTL_DEL, s[0], 0, 0));
        assertEquals(Map.of(3L, IN), wait(ep, 0));
    }

    @Test
    void anItemGoesWithItsFileNotWithADescriptor() {
        int ep = epoll();
        int[] p = pipe(0);
        add(ep, p[0], IN, 5);
        long dup = k.call(Sysno.SYS_DUP, p[0]);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[0]));
        put(p[1], 1);
        assertEquals(Map.of(5L, IN), wait(ep, 0), "the file is still open through the dup");
        assertEquals(-Errno.EBADF, ctl(ep, Poll.EPOLL_CTL_DEL, p[0], 0, 0), "but the descriptor is gone");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, dup));
        assertEquals(Map.of(), wait(ep, 0), "released: the item went with it");
        // The number comes back as another file: a new item, not the old one.
        int[] q = pipe(0);
        assertEquals(p[0], q[0]);
        add(ep, q[0], IN, 6);
        // A host item goes too, from the host set.
        int[] s = socketpair();
        add(ep, s[0], OUT, 7);
        assertEquals(Map.of(7L, OUT), wait(ep, 0));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, s[0]));
        assertEquals(Map.of(), wait(ep, 0));
    }

    @Test
    void nestedSets() {
        int outer = epoll(), inner = epoll();
        int[] p = pipe(0);
        add(inner, p[0], IN, 1);
        add(outer, inner, IN, 2);
        assertEquals(Map.of(), wait(outer, 0));
        put(p[1], 1);
        assertEquals(Map.of(2L, IN), wait(outer, 0), "the inner set is readable");
        assertEquals(Map.of(1L, IN), wait(inner, 0));
        // The inner set gets a host item: the outer one sees its events too.
        int other = epoll();
        add(other, inner, IN | ET, 3);
        take(p[0], 1);
        wait(other, 0);
        int[] s = socketpair();
        add(inner, s[0], IN, 4);
        assertEquals(Map.of(), wait(other, 0));
        put(s[1], 1);
        assertEquals(Map.of(3L, IN), wait(other, 1000));
        assertEquals(Map.of(4L, IN), wait(inner, 0));
    }

    @Test
    void timeouts() {
        int ep = epoll();
        int[] p = pipe(0);
        add(ep, p[0], IN, 1);
        long start = System.nanoTime();
        assertEquals(Map.of(), wait(ep, 30));
        assertTrue(System.nanoTime() - start >= 30_000_000, "waited the whole timeout (kernel items: in Java)");
        int[] s = socketpair();
        add(ep, s[0], IN, 2);
        start = System.nanoTime();
        assertEquals(Map.of(), wait(ep, 30));
        assertTrue(System.nanoTime() - start >= 30_000_000, "waited the whole timeout (host items: on the host)");
        MemorySegment ts = k.alloc(16);
        ts.set(JAVA_LONG, 8, 20_000_000);
        start = System.nanoTime();
        assertEquals(0, k.call(Sysno.SYS_EPOLL_PWAIT2, ep, events.address(), 64, ts.address(), 0, 8));
        assertTrue(System.nanoTime() - start >= 20_000_000);
    }

    @Test
    void argumentErrors() {
        int ep = epoll();
        int[] p = pipe(0);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_WAIT, ep, events.address(), 0, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_WAIT, ep, events.address(), -1, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_WAIT, ep, events.address(), Poll.EP_MAX_EVENTS + 1, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_WAIT, p[0], events.address(), 1, 0), "not an epoll set");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_EPOLL_WAIT, 99, events.address(), 1, 0));
        MemorySegment mask = k.alloc(8);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_PWAIT, ep, events.address(), 1, 0, mask.address(), 4));
        assertEquals(0, k.call(Sysno.SYS_EPOLL_PWAIT, ep, events.address(), 1, 0, mask.address(), 8));
        MemorySegment ts = k.alloc(16);
        ts.set(JAVA_LONG, 8, 1_000_000_000);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_PWAIT2, ep, events.address(), 1, ts.address(), 0, 8));
        ts.set(JAVA_LONG, 0, -1);
        ts.set(JAVA_LONG, 8, 0);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EPOLL_PWAIT2, ep, events.address(), 1, ts.address(), 0, 8));
    }

    /** Every pointer argument: 0, unmapped, PROT_NONE, kernel half (BadAddresses). */
    @Test
    void badPointersAreEfault() {
        int ep = epoll();
        int[] p = pipe(0);
        MemorySegment zero = k.alloc(16);
        for (long bad : BadAddresses.all()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_ADD, p[0], bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_CTL, ep, 99, p[0], bad), "EFAULT before the op " + hex);
            if (bad != 0) { // NULL is no timeout
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_PWAIT2, ep, events.address(), 1, bad, 0, 8), hex);
            }
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_PWAIT, ep, events.address(), 1, 0, bad == 0 ? BadAddresses.LOW : bad, 8), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_PWAIT2, ep, events.address(), 1, zero.address(), bad == 0 ? BadAddresses.LOW : bad, 8), hex);
        }
        assertEquals(0, ctl(ep, Poll.EPOLL_CTL_ADD, p[0], IN, 9));
        assertEquals(0, k.call(Sysno.SYS_EPOLL_CTL, ep, Poll.EPOLL_CTL_DEL, p[0], 0), "DEL reads no event");
        add(ep, p[0], IN, 9);
        // Nothing ready: as Linux, only a kernel-half array is refused.
        assertEquals(0, k.call(Sysno.SYS_EPOLL_WAIT, ep, BadAddresses.unmapped(), 1, 0));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_WAIT, ep, BadAddresses.KERNEL_HALF, 1, 0));
        put(p[1], 1);
        for (long bad : BadAddresses.allForWrite()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_WAIT, ep, bad, 1, 0), Long.toHexString(bad));
        }
        assertEquals(Map.of(9L, IN), wait(ep, 0), "the event was kept for the next call");
        // A host item's array is the host's to check.
        int[] s = socketpair();
        int ep2 = epoll();
        add(ep2, s[0], OUT, 1);
        for (long bad : BadAddresses.allForWrite()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EPOLL_WAIT, ep2, bad, 1, 0), Long.toHexString(bad));
        }
    }

    // ---- sleeping and waking ------------------------------------------------------------------

    @Test
    void aKernelWriteWakesASleeperWithKernelItemsOnly() {
        int ep = epoll();
        int[] p = pipe(0);
        add(ep, p[0], IN, 1);
        try (AppThread waiter = new AppThread(k)) {
            MemorySegment evs = k.alloc(12 * 4);
            Future<Long> w = waiter.call(Sysno.SYS_EPOLL_WAIT, ep, evs.address(), 4, -1);
            assertTrue(AppThread.blocks(w));
            put(p[1], 1);
            assertEquals(1, AppThread.get(w));
            assertEquals(1, evs.get(JAVA_LONG_UNALIGNED, 4));
        }
    }

    @Test
    void aKernelWriteWakesASleeperOnTheHost() {
        int ep = epoll();
        int[] p = pipe(0);
        int[] s = socketpair();
        add(ep, p[0], IN, 1);
        add(ep, s[0], IN, 2);
        try (AppThread waiter = new AppThread(k)) {
            MemorySegment evs = k.alloc(12 * 4);
            Future<Long> w = waiter.call(Sysno.SYS_EPOLL_WAIT, ep, evs.address(), 4, -1);
            assertTrue(AppThread.blocks(w), "asleep in the host set");
            put(p[1], 1);
            assertEquals(1, AppThread.get(w), "the set's eventfd woke it");
            assertEquals(1, evs.get(JAVA_LONG_UNALIGNED, 4));
            take(p[0], 1);
            w = waiter.call(Sysno.SYS_EPOLL_WAIT, ep, evs.address(), 4, -1);
            assertTrue(AppThread.blocks(w));
            put(s[1], 1);
            assertEquals(1, AppThread.get(w), "a host event wakes it too");
            assertEquals(2, evs.get(JAVA_LONG_UNALIGNED, 4));
        }
    }

    @Test
    void addingAHostItemMovesAJavaSleeperToTheHost() {
        int ep = epoll();
        int[] p = pipe(0);
        add(ep, p[0], IN, 1);
        try (AppThread waiter = new AppThread(k)) {
            MemorySegment evs = k.alloc(12 * 4);
            Future<Long> w = waiter.call(Sysno.SYS_EPOLL_WAIT, ep, evs.address(), 4, -1);
            assertTrue(AppThread.blocks(w), "parked in Java");
            int[] s = socketpair();
            add(ep, s[0], IN, 2);
            assertTrue(AppThread.blocks(w));
            put(s[1], 1);
            assertEquals(1, AppThread.get(w));
            assertEquals(2, evs.get(JAVA_LONG_UNALIGNED, 4));
        }
    }

    @Test
    void aWatchedPipeThatMovesToTheHostStillWakesTheSleeper() {
        int ep = epoll();
        int[] p = pipe(Fcntl.O_NONBLOCK);
        add(ep, p[0], IN | ET, 1);
        try (AppThread waiter = new AppThread(k)) {
            MemorySegment evs = k.alloc(12 * 4);
            Future<Long> w = waiter.call(Sysno.SYS_EPOLL_WAIT, ep, evs.address(), 4, -1);
            assertTrue(AppThread.blocks(w));
            long hw = file(p[1]).toHost(); // os/exec hands the write end to a child
            assertTrue(hw >= 0);
            assertTrue(AppThread.blocks(w), "nothing to read yet, on the host either");
            assertEquals(3, Host.fastCall(Sysno.SYS_WRITE, hw, k.alloc(3).address(), 3), "the child writes");
            assertEquals(1, AppThread.get(w));
            assertEquals(1, evs.get(JAVA_LONG_UNALIGNED, 4));
            assertEquals(IN, evs.get(JAVA_INT, 0));
        }
        assertEquals(Map.of(), wait(ep, 0), "edge-triggered on the host too");
        take(p[0], 3);
    }

    @Test
    void bytesBufferedBeforeTheMoveAreReported() {
        int ep = epoll();
        int[] p = pipe(Fcntl.O_NONBLOCK);
        add(ep, p[0], IN | ET, 1);
        put(p[1], 2);
        assertTrue(file(p[0]).toHost() >= 0);
        assertEquals(Map.of(1L, IN), wait(ep, 0));
    }

    @Test
    void manyWakeupsAreNotLost() {
        int ep = epoll();
        long efd = k.call(Sysno.SYS_EVENTFD2, 0, Fcntl.O_NONBLOCK);
        add(ep, (int) efd, IN | ET, 1);
        int[] s = socketpair();
        add(ep, s[0], IN, 2); // the sleeper sleeps on the host
        int rounds = 2000;
        try (AppThread waiter = new AppThread(k); AppThread poster = new AppThread(k)) {
            Future<Long> w = waiter.run(() -> {
                Task t = waiter.task();
                MemorySegment evs = k.alloc(12 * 4), v = k.alloc(8);
                long got = 0;
                while (got < rounds) {
                    long n = k.entry.dispatch(t, Sysno.SYS_EPOLL_WAIT, ep, evs.address(), 4, -1, 0, 0);
                    if (n < 0) {
                        return n;
                    }
                    while (k.entry.dispatch(t, Sysno.SYS_READ, efd, v.address(), 8, 0, 0, 0) == 8) {
                        got += v.get(JAVA_LONG, 0);
                    }
                }
                return got;
            });
            Future<Long> p = poster.run(() -> {
                Task t = poster.task();
                MemorySegment v = k.alloc(8);
                v.set(JAVA_LONG, 0, 1);
                for (int i = 0; i < rounds; i++) {
                    k.entry.dispatch(t, Sysno.SYS_WRITE, efd, v.address(), 8, 0, 0, 0);
                    if (i % 7 == 0) {
                        Thread.onSpinWait();
                    }
                }
                return 0L;
            });
            AppThread.get(p);
            assertEquals(rounds, AppThread.get(w));
        }
    }

    /**
     * Two threads play ping-pong over two non-blocking pipes, each sleeping in its own epoll set with
     * edge-triggered items, as Go's netpoller does: no wake-up may be lost in thousands of rounds,
     * with the sets parked in Java (kernel items only) and asleep on the host (a socket in each).
     */
    @Test
    void edgeTriggeredPingPongLosesNoWakeup() {
        for (boolean host : new boolean[] {false, true}) {
            int[] a = pipe(Fcntl.O_NONBLOCK), b = pipe(Fcntl.O_NONBLOCK);
            int epA = epoll(), epB = epoll();
            add(epA, b[0], IN | ET, 1);
            add(epB, a[0], IN | ET, 2);
            if (host) {
                add(epA, socketpair()[0], IN | ET, 3);
                add(epB, socketpair()[0], IN | ET, 4);
            }
            int rounds = 3000;
            try (AppThread ping = new AppThread(k); AppThread pong = new AppThread(k)) {
                Future<Long> fa = ping.run(() -> play(ping.task(), epA, b[0], a[1], rounds, true));
                Future<Long> fb = pong.run(() -> play(pong.task(), epB, a[0], b[1], rounds, false));
                assertEquals(rounds, AppThread.get(fa), host ? "host sleeps" : "Java sleeps");
                assertEquals(rounds, AppThread.get(fb));
            }
        }
    }

    /** rounds of: (serve first) write a byte to out, then read one from in, sleeping in ep on EAGAIN. */
    private long play(Task t, int ep, int in, int out, int rounds, boolean serve) {
        SyscallEntry e = k.entry;
        MemorySegment b = k.alloc(1), evs = k.alloc(12 * 4);
        long done = 0;
        for (int i = 0; i < rounds; i++) {
            if (serve && e.dispatch(t, Sysno.SYS_WRITE, out, b.address(), 1, 0, 0, 0) != 1) {
                return -1;
            }
            long r;
            while ((r = e.dispatch(t, Sysno.SYS_READ, in, b.address(), 1, 0, 0, 0)) == -Errno.EAGAIN) {
                if (e.dispatch(t, Sysno.SYS_EPOLL_WAIT, ep, evs.address(), 4, 10_000, 0, 0) == 0) {
                    return -2; // ten seconds without the other side's byte: a lost wake-up
                }
            }
            if (r != 1) {
                return r;
            }
            if (!serve && e.dispatch(t, Sysno.SYS_WRITE, out, b.address(), 1, 0, 0, 0) != 1) {
                return -1;
            }
            done++;
        }
        return done;
    }

    @Test
    void closingTheSetReleasesItsItems() {
        int ep = epoll();
        int[] p = pipe(0);
        int[] s = socketpair();
        add(ep, p[0], IN, 1);
        add(ep, s[0], IN, 2);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, ep));
        put(p[1], 1);
        take(p[0], 1);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[0]), "a watched file closes on its own");
    }

    /** STYLE.md: epoll_wait that finds nothing, and a write + epoll_wait + read round, allocate nothing. */
    @Test
    void epollWaitAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        int ep = epoll();
        int[] p = pipe(Fcntl.O_NONBLOCK);
        long efd = k.call(Sysno.SYS_EVENTFD2, 0, Fcntl.O_NONBLOCK);
        add(ep, p[0], IN | ET, 1);
        add(ep, (int) efd, IN, 2);
        long buf = k.alloc(8).address();
        SyscallEntry e = k.entry;
        Task t = k.task;
        for (int round = 0; round < 40; round++) {
            assertEquals(0, rounds(e, t, ep, p, buf, events.address(), 20_000));
            mx.getCurrentThreadAllocatedBytes();
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        long bad = rounds(e, t, ep, p, buf, events.address(), 100_000);
        long after = mx.getCurrentThreadAllocatedBytes();
        assertEquals(0, bad);
        assertEquals(0, after - before);
    }

    private static long rounds(SyscallEntry e, Task t, int ep, int[] p, long buf, long evs, int n) {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            bad += e.dispatch(t, Sysno.SYS_EPOLL_WAIT, ep, evs, 8, 0, 0, 0);
            bad += e.dispatch(t, Sysno.SYS_WRITE, p[1], buf, 1, 0, 0, 0) - 1;
            bad += e.dispatch(t, Sysno.SYS_EPOLL_WAIT, ep, evs, 8, 0, 0, 0) - 1;
            bad += e.dispatch(t, Sysno.SYS_READ, p[0], buf, 8, 0, 0, 0) - 1;
        }
        return bad;
    }
}
