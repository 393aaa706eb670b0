package ring0.eventfd;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.syscall.AppThread;
import ring0.syscall.SyscallEntry;
import ring0.syscall.TestKernel;
import ring0.usermem.BadAddresses;

/** Kernel eventfds through the system calls (fs/eventfd.c), compared with the host's where it helps. */
class EventFdTest {
    private static final long MAX = 0xfffffffffffffffeL;
    @AutoClose
    private final TestKernel k = new TestKernel();
    private final MemorySegment v = k.alloc(8);

    private int eventfd(long initval, int flags) {
        long fd = k.call(Sysno.SYS_EVENTFD2, initval, flags);
        assertTrue(fd >= 0, "eventfd2: " + fd);
        return (int) fd;
    }

    private long write(int fd, long value) {
        v.set(JAVA_LONG, 0, value);
        return k.call(Sysno.SYS_WRITE, fd, v.address(), 8);
    }

    /** The value read, or the -errno. */
    private long read(int fd) {
        long r = k.call(Sysno.SYS_READ, fd, v.address(), 8);
        return r == 8 ? v.get(JAVA_LONG, 0) : r;
    }

    private int poll(int fd) {
        MemorySegment pfd = k.alloc(8);
        pfd.set(JAVA_INT, 0, fd);
        pfd.set(JAVA_SHORT, 4, (short) (Poll.POLLIN | Poll.POLLOUT));
        k.call(Sysno.SYS_POLL, pfd.address(), 1, 0);
        return pfd.get(JAVA_SHORT, 6);
    }

    private FileDescription file(int fd) {
        FileDescription f = k.kernel.fds.get(fd);
        f.put();
        return f;
    }

    @Test
    void counter() {
        int fd = eventfd(3, Fcntl.O_NONBLOCK);
        assertEquals(-1, k.hostFd(fd), "a kernel eventfd");
        assertEquals(Poll.POLLIN | Poll.POLLOUT, poll(fd));
        assertEquals(8, write(fd, 4));
        assertEquals(7, read(fd), "all of it");
        assertEquals(-Errno.EAGAIN, read(fd), "and it is 0 again");
        assertEquals(Poll.POLLOUT, poll(fd));
        assertEquals(Fcntl.O_RDWR | Fcntl.O_NONBLOCK, k.call(Sysno.SYS_FCNTL, fd, 3 /* F_GETFL */));
        assertEquals(0, k.task.passedThrough[Sysno.SYS_WRITE] + k.task.passedThrough[Sysno.SYS_READ]);
    }

    @Test
    void semaphore() {
        int fd = eventfd(2, Fcntl.O_NONBLOCK | EventFd.EFD_SEMAPHORE);
        assertEquals(1, read(fd));
        assertEquals(1, read(fd));
        assertEquals(-Errno.EAGAIN, read(fd));
    }

    @Test
    void flagsAndSizes() {
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EVENTFD2, 0, 4));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_EVENTFD2, 0, Fcntl.O_APPEND));
        int fd = eventfd(0, Fcntl.O_CLOEXEC);
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD));
        long plain = k.call(Sysno.SYS_EVENTFD, 0x1_0000_0005L);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, plain, Fcntl.F_GETFD));
        assertEquals(5, read((int) plain), "the initial count is an unsigned int");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_READ, fd, v.address(), 7), "8 bytes or more");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_WRITE, fd, v.address(), 4));
        assertEquals(-Errno.EINVAL, write(fd, -1L), "0xffffffffffffffff is not a value");
        v.set(JAVA_LONG, 0, 1);
        assertEquals(8, k.call(Sysno.SYS_WRITE, fd, v.address(), 100), "a longer buffer is fine");
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        assertEquals(0600, st.get(JAVA_INT, Stat.ST_MODE), "the anonymous inode: no file type");
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, 0), "noop_llseek: the offset, always 0");
    }

    @Test
    void buffersNeedNoAlignment() {
        int fd = eventfd(0, Fcntl.O_NONBLOCK);
        MemorySegment odd = k.alloc(16).asSlice(3, 8);
        odd.set(JAVA_LONG_UNALIGNED, 0, 0x0102030405060708L);
        assertEquals(8, k.call(Sysno.SYS_WRITE, fd, odd.address(), 8));
        odd.set(JAVA_LONG_UNALIGNED, 0, 0);
        assertEquals(8, k.call(Sysno.SYS_READ, fd, odd.address(), 8));
        assertEquals(0x0102030405060708L, odd.get(JAVA_LONG_UNALIGNED, 0));
    }

    @Test
    void overflow() {
        int fd = eventfd(0, Fcntl.O_NONBLOCK);
        assertEquals(8, write(fd, MAX));
        assertEquals(Poll.POLLIN, poll(fd), "not writable at the largest count");
        assertEquals(-Errno.EAGAIN, write(fd, 1));
        assertEquals(8, write(fd, 0), "adding 0 always fits");
        assertEquals(MAX, read(fd));
    }

    /** The same sequence on a host eventfd gives the same results. */
    @Test
    void sameAsTheHost() {
        long[] ops = {5, -1, 1L << 62, 1L << 62, -1, 3, MAX, -1, -1, 7};
        for (int flags : new int[] {Fcntl.O_NONBLOCK, Fcntl.O_NONBLOCK | EventFd.EFD_SEMAPHORE}) {
            int fd = eventfd(1, flags);
            long h = Host.fastCall(Sysno.SYS_EVENTFD2, 1, flags | Fcntl.O_CLOEXEC, 0);
            for (long op : ops) {
                if (op == -1) {
                    long host = Host.fastCall(Sysno.SYS_READ, h, v.address(), 8);
                    host = host == 8 ? v.get(JAVA_LONG, 0) : host;
                    assertEquals(host, read(fd), "read");
                } else {
                    v.set(JAVA_LONG, 0, op);
                    long host = Host.fastCall(Sysno.SYS_WRITE, h, v.address(), 8);
                    assertEquals(host, write(fd, op), "write " + op);
                }
            }
            Host.call(Sysno.SYS_CLOSE, h, 0, 0);
        }
    }

    @Test
    void badBuffersAreEfault() {
        int fd = eventfd(0, Fcntl.O_NONBLOCK);
        for (long bad : BadAddresses.all()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, fd, bad, 8), Long.toHexString(bad));
        }
        for (long bad : BadAddresses.allForWrite()) {
            assertEquals(8, write(fd, 1));
            long r = k.call(Sysno.SYS_READ, fd, bad, 8);
            assertEquals(-Errno.EFAULT, r, Long.toHexString(bad));
            if (bad != BadAddresses.KERNEL_HALF) {
                assertEquals(-Errno.EAGAIN, read(fd), "as Linux, the count was taken before the copy faulted");
            } else {
                assertEquals(1, read(fd), "a kernel-half buffer is refused first");
            }
        }
    }

    @Test
    void aBlockedReaderWakesOnAWrite() {
        int fd = eventfd(0, 0);
        try (AppThread reader = new AppThread(k)) {
            MemorySegment in = k.alloc(8);
            Future<Long> r = reader.call(Sysno.SYS_READ, fd, in.address(), 8);
            assertTrue(AppThread.blocks(r));
            assertEquals(8, write(fd, 9));
            assertEquals(8, AppThread.get(r));
            assertEquals(9, in.get(JAVA_LONG, 0));
        }
    }

    @Test
    void aBlockedWriterWakesOnARead() {
        int fd = eventfd(0, 0);
        assertEquals(8, write(fd, MAX));
        try (AppThread writer = new AppThread(k)) {
            MemorySegment one = k.alloc(8);
            one.set(JAVA_LONG, 0, 1);
            Future<Long> w = writer.call(Sysno.SYS_WRITE, fd, one.address(), 8);
            assertTrue(AppThread.blocks(w), "the count would overflow");
            assertEquals(MAX, read(fd));
            assertEquals(8, AppThread.get(w));
            assertEquals(1, read(fd));
        }
    }

    @Test
    void promotionKeepsTheCountAndTheFlags() {
        int fd = eventfd(0, Fcntl.O_NONBLOCK | EventFd.EFD_SEMAPHORE);
        assertEquals(8, write(fd, 2));
        long h = file(fd).toHost();
        assertTrue(h >= 0);
        assertEquals(h, k.hostFd(fd));
        assertEquals(1, read(fd), "semaphore, on the host");
        assertEquals(1, Host.fastCall(Sysno.SYS_READ, h, v.address(), 8) == 8 ? v.get(JAVA_LONG, 0) : -1);
        assertEquals(-Errno.EAGAIN, read(fd), "still O_NONBLOCK");
        assertEquals(8, write(fd, 4));
        assertEquals(Poll.POLLIN | Poll.POLLOUT, poll(fd));
    }

    @Test
    void aReaderBlockedInTheKernelContinuesOnTheHost() {
        int fd = eventfd(0, 0);
        try (AppThread reader = new AppThread(k)) {
            MemorySegment in = k.alloc(8);
            Future<Long> r = reader.call(Sysno.SYS_READ, fd, in.address(), 8);
            assertTrue(AppThread.blocks(r));
            long h = file(fd).toHost();
            assertTrue(AppThread.blocks(r));
            MemorySegment three = k.alloc(8);
            three.set(JAVA_LONG, 0, 3);
            assertEquals(8, Host.fastCall(Sysno.SYS_WRITE, h, three.address(), 8), "a child writes");
            assertEquals(8, AppThread.get(r));
            assertEquals(3, in.get(JAVA_LONG, 0));
        }
    }

    /** STYLE.md: eventfd write and read allocate nothing once warm. */
    @Test
    void writeAndReadAllocateNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        int fd = eventfd(0, Fcntl.O_NONBLOCK);
        v.set(JAVA_LONG, 0, 1);
        SyscallEntry e = k.entry;
        Task t = k.task;
        for (int round = 0; round < 40; round++) {
            assertEquals(0, rounds(e, t, fd, v.address(), 20_000));
            mx.getCurrentThreadAllocatedBytes();
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        long bad = rounds(e, t, fd, v.address(), 100_000);
        long after = mx.getCurrentThreadAllocatedBytes();
        assertEquals(0, bad);
        assertEquals(0, after - before);
    }

    /** n rounds of write(1), read (gives 1 back into the buffer), read (EAGAIN). */
    private static long rounds(SyscallEntry e, Task t, int fd, long buf, int n) {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            bad += e.dispatch(t, Sysno.SYS_WRITE, fd, buf, 8, 0, 0, 0) - 8;
            bad += e.dispatch(t, Sysno.SYS_READ, fd, buf, 8, 0, 0, 0) - 8;
            bad += e.dispatch(t, Sysno.SYS_READ, fd, buf, 8, 0, 0, 0) + Errno.EAGAIN;
        }
        return bad;
    }
}
