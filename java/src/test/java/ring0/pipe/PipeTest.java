package ring0.pipe;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Random;
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

/** Kernel pipes through the system calls: Linux's semantics (fs/pipe.c), blocking, and the move to the host. */
class PipeTest {
    private static final int PAGE = 4096, SYS_READV = 19, SYS_WRITEV = 20;
    @AutoClose
    private final TestKernel k = new TestKernel();

    /** A pipe of the app: {read end, write end}. */
    private int[] pipe(int flags) {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), flags));
        return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
    }

    private MemorySegment bytes(int n, int seed) {
        MemorySegment m = k.alloc(n);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            m.set(JAVA_BYTE, i, (byte) r.nextInt());
        }
        return m;
    }

    private FileDescription file(int fd) {
        FileDescription f = k.kernel.fds.get(fd);
        f.put();
        return f;
    }

    @Test
    void aKernelPipeMovesBytesWithoutTheHost() {
        int[] p = pipe(0);
        assertEquals(-1, k.hostFd(p[0]), "no host descriptor behind a kernel pipe");
        assertEquals(-1, k.hostFd(p[1]));
        MemorySegment out = bytes(100, 1), in = k.alloc(100);
        assertEquals(100, k.call(Sysno.SYS_WRITE, p[1], out.address(), 100));
        assertEquals(100, k.call(Sysno.SYS_READ, p[0], in.address(), 1000));
        assertEquals(-1, out.mismatch(in));
        assertEquals(0, k.task.passedThrough[Sysno.SYS_PIPE2] + k.task.passedThrough[Sysno.SYS_WRITE]
                + k.task.passedThrough[Sysno.SYS_READ]);
        assertTrue(file(p[0]).describe().startsWith("pipe:["));
        assertEquals(Fcntl.O_RDONLY, k.call(Sysno.SYS_FCNTL, p[0], 3 /* F_GETFL */));
        assertEquals(Fcntl.O_WRONLY, k.call(Sysno.SYS_FCNTL, p[1], 3));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_WRITE, p[0], out.address(), 1), "the read end is O_RDONLY");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_READ, p[1], in.address(), 1));
        assertEquals(-Errno.ESPIPE, k.call(Sysno.SYS_LSEEK, p[0], 0, 0));
        assertEquals(-Errno.ESPIPE, k.call(17 /* pread64 */, p[0], in.address(), 1, 0));
    }

    @Test
    void fstatSaysFifo() {
        int[] p = pipe(0);
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, p[0], st.address()));
        assertEquals(Stat.S_IFIFO | 0600, st.get(JAVA_INT, Stat.ST_MODE));
        assertEquals(1, st.get(JAVA_LONG, Stat.ST_NLINK));
        assertEquals(PAGE, st.get(JAVA_LONG, Stat.ST_BLKSIZE));
        long ino = st.get(JAVA_LONG, Stat.ST_INO);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, p[1], st.address()));
        assertEquals(ino, st.get(JAVA_LONG, Stat.ST_INO), "both ends are one inode");
    }

    @Test
    void pipe2Flags() {
        int[] p = pipe(Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK);
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_GETFD));
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, p[1], Fcntl.F_GETFD));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_READ, p[0], k.alloc(8).address(), 8));
        MemorySegment fds = k.alloc(8);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_PIPE2, fds.address(), 1));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_PIPE2, fds.address(), Fcntl.O_APPEND));
        assertEquals(-Errno.ENOPKG, k.call(Sysno.SYS_PIPE2, fds.address(), 0x80 /* O_NOTIFICATION_PIPE */));
        assertEquals(2, k.openCount());
    }

    /**
     * How many bytes of writes of size n fit in a non-blocking pipe before EAGAIN (or EAGAIN's
     * short write): the same for a kernel pipe and for the host's, since both count pages, not bytes.
     */
    @Test
    void capacityAndMergingAreLinuxs() {
        for (int n : new int[] {1, 100, 3000, PAGE, PAGE + 1, 10_000, 65536, 100_000}) {
            int[] p = pipe(Fcntl.O_NONBLOCK);
            MemorySegment buf = bytes(n, n);
            long kernel = fill(p[1], buf.address(), n, false);
            MemorySegment hp = k.alloc(8);
            assertEquals(0, Host.fastCall(Sysno.SYS_PIPE2, hp.address(), Fcntl.O_NONBLOCK | Fcntl.O_CLOEXEC, 0));
            long host = fill(hp.get(JAVA_INT, 4), buf.address(), n, true);
            Host.call(Sysno.SYS_CLOSE, hp.get(JAVA_INT, 0), 0, 0);
            Host.call(Sysno.SYS_CLOSE, hp.get(JAVA_INT, 4), 0, 0);
            assertEquals(host, kernel, "bytes that fit in writes of " + n);
            MemorySegment count = k.alloc(4);
            assertEquals(0, k.call(Sysno.SYS_IOCTL, p[0], Fcntl.FIONREAD, count.address()));
            assertEquals(kernel, count.get(JAVA_INT, 0), "FIONREAD");
        }
    }

    private long fill(int fd, long buf, int n, boolean host) {
        long total = 0;
        for (;;) {
            long r = host ? Host.fastCall(Sysno.SYS_WRITE, fd, buf, n) : k.call(Sysno.SYS_WRITE, fd, buf, n);
            if (r < 0) {
                assertEquals(-Errno.EAGAIN, r);
                return total;
            }
            total += r;
            if (r < n) {
                return total;
            }
        }
    }

    @Test
    void writesUpToPipeBufAreAtomic() {
        int[] p = pipe(Fcntl.O_NONBLOCK);
        MemorySegment buf = bytes(2 * PAGE, 7);
        // Fifteen full pages and one with 100 bytes: 3996 bytes of room in the last page, no free slot.
        for (int i = 0; i < 15; i++) {
            assertEquals(PAGE, k.call(Sysno.SYS_WRITE, p[1], buf.address(), PAGE));
        }
        assertEquals(100, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 100));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 3997), "no room for it whole: nothing");
        assertEquals(3996, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 3996), "merges into the last page");
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 1));
        MemorySegment in = k.alloc(PAGE);
        assertEquals(PAGE, k.call(Sysno.SYS_READ, p[0], in.address(), PAGE));
        assertEquals(PAGE, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 2 * PAGE), "more than PIPE_BUF: a short write");
    }

    @Test
    void pipeSize() {
        int[] p = pipe(Fcntl.O_NONBLOCK);
        assertEquals(65536, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_GETPIPE_SZ));
        assertEquals(131072, k.call(Sysno.SYS_FCNTL, p[1], Fcntl.F_SETPIPE_SZ, 100_000), "rounded up to a power of two pages");
        assertEquals(131072, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_GETPIPE_SZ));
        assertEquals(PAGE, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_SETPIPE_SZ, 0), "at least a page");
        MemorySegment buf = bytes(PAGE, 3);
        assertEquals(PAGE, k.call(Sysno.SYS_WRITE, p[1], buf.address(), PAGE));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 1), "one page, full");
        assertEquals(2 * PAGE, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_SETPIPE_SZ, 2 * PAGE));
        assertEquals(10, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 10));
        assertEquals(-Errno.EBUSY, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_SETPIPE_SZ, PAGE), "two buffers in use");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_SETPIPE_SZ, (1L << 31) + 1));
        MemorySegment in = k.alloc(2 * PAGE);
        assertEquals(PAGE + 10, k.call(Sysno.SYS_READ, p[0], in.address(), 2 * PAGE), "the data survived the resizes");
        assertEquals(-1, buf.mismatch(in.asSlice(0, PAGE)));
    }

    @Test
    void eofAndEpipe() {
        int[] p = pipe(0);
        MemorySegment buf = bytes(10, 1);
        assertEquals(10, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 10));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[1]));
        assertEquals(10, k.call(Sysno.SYS_READ, p[0], buf.address(), 100), "what was written is still there");
        assertEquals(0, k.call(Sysno.SYS_READ, p[0], buf.address(), 100), "then end of file, without blocking");
        int[] q = pipe(0);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, q[0]));
        // SIGPIPE goes to this thread: the JVM ignores it.
        assertEquals(-Errno.EPIPE, k.call(Sysno.SYS_WRITE, q[1], buf.address(), 10));
        MemorySegment pfd = k.alloc(8);
        pfd.set(JAVA_INT, 0, q[1]);
        pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, (short) Poll.POLLOUT);
        assertEquals(1, k.call(Sysno.SYS_POLL, pfd.address(), 1, 0));
        assertEquals(Poll.POLLOUT | Poll.POLLERR, pfd.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 6));
    }

    @Test
    void aDupKeepsTheEndOpen() {
        int[] p = pipe(Fcntl.O_NONBLOCK);
        long dup = k.call(Sysno.SYS_DUP, p[1]);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[1]));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_READ, p[0], k.alloc(1).address(), 1), "a writer is left: no EOF");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, dup));
        assertEquals(0, k.call(Sysno.SYS_READ, p[0], k.alloc(1).address(), 1));
    }

    @Test
    void packetMode() {
        int[] p = pipe(Fcntl.O_DIRECT);
        MemorySegment buf = bytes(100, 2), in = k.alloc(100);
        assertEquals(10, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 10));
        assertEquals(20, k.call(Sysno.SYS_WRITE, p[1], buf.address() + 10, 20));
        assertEquals(10, k.call(Sysno.SYS_READ, p[0], in.address(), 100), "one packet per read");
        assertEquals(5, k.call(Sysno.SYS_READ, p[0], in.address(), 5), "a short read discards the rest of the packet");
        MemorySegment count = k.alloc(4);
        assertEquals(0, k.call(Sysno.SYS_IOCTL, p[0], Fcntl.FIONREAD, count.address()));
        assertEquals(0, count.get(JAVA_INT, 0));
        // O_DIRECT is the writer's: without it, writes merge again.
        assertEquals(0, k.call(Sysno.SYS_FCNTL, p[1], Fcntl.F_SETFL, 0));
        assertEquals(10, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 10));
        assertEquals(10, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 10));
        assertEquals(20, k.call(Sysno.SYS_READ, p[0], in.address(), 100));
    }

    @Test
    void readvAndWritevAreOneTransfer() {
        int[] p = pipe(Fcntl.O_NONBLOCK);
        MemorySegment data = bytes(300, 4);
        MemorySegment iov = k.alloc(48);
        long[][] pieces = {{0, 100}, {100, 0}, {100, 200}};
        for (int i = 0; i < 3; i++) {
            iov.set(JAVA_LONG, 16L * i, data.address() + pieces[i][0]);
            iov.set(JAVA_LONG, 16L * i + 8, pieces[i][1]);
        }
        assertEquals(300, k.call(SYS_WRITEV, p[1], iov.address(), 3));
        MemorySegment a = k.alloc(50), b = k.alloc(250), riov = k.alloc(32);
        riov.set(JAVA_LONG, 0, a.address());
        riov.set(JAVA_LONG, 8, 50);
        riov.set(JAVA_LONG, 16, b.address());
        riov.set(JAVA_LONG, 24, 250);
        assertEquals(300, k.call(SYS_READV, p[0], riov.address(), 2));
        assertEquals(-1, data.asSlice(0, 50).mismatch(a));
        assertEquals(-1, data.asSlice(50, 250).mismatch(b));
        assertEquals(-Errno.ESPIPE, k.call(295 /* preadv */, p[0], riov.address(), 2, 0));
        assertEquals(-Errno.EINVAL, k.call(SYS_READV, p[0], riov.address(), -1));
    }

    @Test
    void badBuffersAreEfault() {
        int[] p = pipe(Fcntl.O_NONBLOCK);
        MemorySegment buf = bytes(10, 5);
        for (long bad : BadAddresses.allForWrite()) {
            String hex = Long.toHexString(bad);
            if (bad != BadAddresses.readOnly()) {
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, p[1], bad, 10), hex);
            }
            assertEquals(10, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 10));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, p[0], bad, 10), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_IOCTL, p[0], Fcntl.FIONREAD, bad), hex);
            assertEquals(10, k.call(Sysno.SYS_READ, p[0], buf.address(), 10), "nothing was taken " + hex);
        }
        // As Linux: an empty non-blocking pipe says EAGAIN before it looks at a user-half buffer,
        // and a kernel-half one is refused at once.
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_READ, p[0], BadAddresses.unmapped(), 10));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, p[0], BadAddresses.KERNEL_HALF, 10));
        assertEquals(0, k.call(Sysno.SYS_READ, p[0], 0, 0), "a null read succeeds");
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, p[0], buf.address(), -1L), "a count past the user's half");
        // A write that faults after a page went in: the count of what went in.
        MemorySegment iov = k.alloc(32);
        iov.set(JAVA_LONG, 0, bytes(PAGE, 6).address());
        iov.set(JAVA_LONG, 8, PAGE);
        iov.set(JAVA_LONG, 16, BadAddresses.unmapped());
        iov.set(JAVA_LONG, 24, 10);
        assertEquals(PAGE, k.call(SYS_WRITEV, p[1], iov.address(), 2));
    }

    @Test
    void aBlockedReaderWakesForData() {
        int[] p = pipe(0);
        try (AppThread reader = new AppThread(k)) {
            MemorySegment in = k.alloc(100);
            Future<Long> r = reader.call(Sysno.SYS_READ, p[0], in.address(), 100);
            assertTrue(AppThread.blocks(r), "an empty pipe blocks its reader");
            MemorySegment out = bytes(42, 9);
            assertEquals(42, k.call(Sysno.SYS_WRITE, p[1], out.address(), 42));
            assertEquals(42, AppThread.get(r));
            assertEquals(-1, out.mismatch(in.asSlice(0, 42)));
        }
    }

    @Test
    void closingTheWriterWakesABlockedReaderWithEof() {
        int[] p = pipe(0);
        try (AppThread reader = new AppThread(k)) {
            Future<Long> r = reader.call(Sysno.SYS_READ, p[0], k.alloc(10).address(), 10);
            assertTrue(AppThread.blocks(r));
            assertEquals(0, k.call(Sysno.SYS_CLOSE, p[1]));
            assertEquals(0, AppThread.get(r));
        }
    }

    @Test
    void closingTheReaderWakesABlockedWriterWithEpipe() {
        int[] p = pipe(0);
        MemorySegment big = bytes(65536 + 100, 10);
        try (AppThread writer = new AppThread(k)) {
            Future<Long> w = writer.call(Sysno.SYS_WRITE, p[1], big.address(), 65536 + 100);
            assertTrue(AppThread.blocks(w), "more than the pipe holds");
            assertEquals(0, k.call(Sysno.SYS_CLOSE, p[0]));
            assertEquals(65536, AppThread.get(w), "what went in before the reader left");
        }
    }

    @Test
    void closingTheDescriptorABlockedReaderUsesDoesNotWakeIt() {
        int[] p = pipe(0);
        try (AppThread reader = new AppThread(k)) {
            Future<Long> r = reader.call(Sysno.SYS_READ, p[0], k.alloc(10).address(), 10);
            assertTrue(AppThread.blocks(r));
            assertEquals(0, k.call(Sysno.SYS_CLOSE, p[0]));
            assertTrue(AppThread.blocks(r), "the read holds the file: it goes on, as on Linux");
            assertEquals(3, k.call(Sysno.SYS_WRITE, p[1], bytes(3, 1).address(), 3));
            assertEquals(3, AppThread.get(r));
        }
    }

    /** Blocking producer and consumer with odd sizes: every byte arrives, in order. */
    @Test
    void producerAndConsumer() {
        int[] p = pipe(0);
        int total = 8 << 20;
        MemorySegment src = bytes(total, 11), dst = k.alloc(total);
        try (AppThread producer = new AppThread(k); AppThread consumer = new AppThread(k)) {
            Future<Long> prod = producer.run(() -> {
                Task t = producer.task();
                Random r = new Random(1);
                long off = 0;
                while (off < total) {
                    int n = (int) Math.min(1 + r.nextInt(70_000), total - off);
                    long w = k.entry.dispatch(t, Sysno.SYS_WRITE, p[1], src.address() + off, n, 0, 0, 0);
                    if (w <= 0) {
                        return w;
                    }
                    off += w;
                }
                return off;
            });
            Future<Long> cons = consumer.run(() -> {
                Task t = consumer.task();
                Random r = new Random(2);
                long off = 0;
                while (off < total) {
                    int n = (int) Math.min(1 + r.nextInt(9000), total - off);
                    long got = k.entry.dispatch(t, Sysno.SYS_READ, p[0], dst.address() + off, n, 0, 0, 0);
                    if (got <= 0) {
                        return got;
                    }
                    off += got;
                }
                return off;
            });
            assertEquals(total, AppThread.get(prod));
            assertEquals(total, AppThread.get(cons));
        }
        assertEquals(-1, src.mismatch(dst));
    }

    /** Several writers of PIPE_BUF-sized records: no record is split or mixed with another. */
    @Test
    void concurrentAtomicWrites() {
        int[] p = pipe(0);
        int writers = 3, records = 300;
        try (AppThread a = new AppThread(k); AppThread b = new AppThread(k); AppThread c = new AppThread(k);
                AppThread reader = new AppThread(k)) {
            AppThread[] ws = {a, b, c};
            Future<?>[] fs = new Future<?>[writers];
            for (int i = 0; i < writers; i++) {
                int id = i;
                MemorySegment rec = k.alloc(PAGE);
                rec.fill((byte) ('A' + id));
                fs[i] = ws[i].run(() -> {
                    for (int j = 0; j < records; j++) {
                        assertEquals(PAGE, k.entry.dispatch(ws[id].task(), Sysno.SYS_WRITE, p[1], rec.address(), PAGE, 0, 0, 0));
                    }
                    return null;
                });
            }
            MemorySegment in = k.alloc(writers * records * (long) PAGE);
            Future<Long> r = reader.run(() -> {
                long off = 0;
                while (off < in.byteSize()) {
                    long got = k.entry.dispatch(reader.task(), Sysno.SYS_READ, p[0], in.address() + off, 1 + (off % 7000), 0, 0, 0);
                    if (got <= 0) {
                        return got;
                    }
                    off += got;
                }
                return off;
            });
            for (Future<?> f : fs) {
                AppThread.get(f);
            }
            assertEquals(in.byteSize(), AppThread.get(r));
            for (long rec = 0; rec < in.byteSize(); rec += PAGE) {
                byte first = in.get(JAVA_BYTE, rec);
                for (int i = 1; i < PAGE; i++) {
                    assertEquals(first, in.get(JAVA_BYTE, rec + i), "record at " + rec + " is whole");
                }
            }
        }
    }

    // ---- moving to the host -------------------------------------------------------------------

    @Test
    void promotionMovesTheBufferedBytes() {
        int[] p = pipe(0);
        MemorySegment data = bytes(10_000, 12);
        assertEquals(10_000, k.call(Sysno.SYS_WRITE, p[1], data.address(), 10_000));
        long hr = file(p[0]).toHost();
        assertTrue(hr >= 0);
        assertEquals(hr, k.hostFd(p[0]), "the read end forwards to the host now");
        int hw = k.hostFd(p[1]);
        assertTrue(hw >= 0, "the write end too");
        assertEquals(hr, file(p[0]).toHost(), "only once");
        // The host pipe has the bytes, then takes new ones, through either side.
        MemorySegment more = bytes(50, 13);
        assertEquals(50, Host.fastCall(Sysno.SYS_WRITE, hw, more.address(), 50));
        assertEquals(50, k.call(Sysno.SYS_WRITE, p[1], more.address(), 50));
        MemorySegment in = k.alloc(20_000);
        long got = 0;
        while (got < 10_100) {
            long r = k.call(Sysno.SYS_READ, p[0], in.address() + got, 20_000 - got);
            assertTrue(r > 0);
            got += r;
        }
        assertEquals(-1, data.mismatch(in.asSlice(0, 10_000)), "the old bytes first, in order");
        assertEquals(-1, more.mismatch(in.asSlice(10_000, 50)));
        assertEquals(-1, more.mismatch(in.asSlice(10_050, 50)));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[1]));
        assertEquals(0, k.call(Sysno.SYS_READ, p[0], in.address(), 10), "EOF through the host");
        assertEquals(65536, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_GETPIPE_SZ));
    }

    @Test
    void promotionKeepsFlagsPacketsAndSize() {
        int[] p = pipe(Fcntl.O_NONBLOCK | Fcntl.O_DIRECT);
        assertEquals(4 * 65536, k.call(Sysno.SYS_FCNTL, p[1], Fcntl.F_SETPIPE_SZ, 4 * 65536));
        MemorySegment buf = bytes(100, 14);
        assertEquals(30, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 30));
        assertEquals(40, k.call(Sysno.SYS_WRITE, p[1], buf.address(), 40));
        assertTrue(file(p[1]).toHost() >= 0);
        int hr = k.hostFd(p[0]);
        assertEquals(Fcntl.O_NONBLOCK, Host.fastCall(Sysno.SYS_FCNTL, hr, 3, 0) & Fcntl.O_NONBLOCK);
        assertEquals(4 * 65536, Host.fastCall(Sysno.SYS_FCNTL, hr, Fcntl.F_GETPIPE_SZ, 0));
        MemorySegment in = k.alloc(100);
        assertEquals(30, k.call(Sysno.SYS_READ, p[0], in.address(), 100), "still packets");
        assertEquals(40, k.call(Sysno.SYS_READ, p[0], in.address(), 100));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_READ, p[0], in.address(), 100), "still O_NONBLOCK");
        assertEquals(0, k.call(Sysno.SYS_FCNTL, p[0], Fcntl.F_SETFL, 0));
        assertEquals(0, Host.fastCall(Sysno.SYS_FCNTL, hr, 3, 0) & Fcntl.O_NONBLOCK, "F_SETFL reaches the host");
    }

    @Test
    void promotionWithAnEndAlreadyClosed() {
        int[] p = pipe(0);
        assertEquals(5, k.call(Sysno.SYS_WRITE, p[1], bytes(5, 1).address(), 5));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, p[1]));
        assertTrue(file(p[0]).toHost() >= 0);
        MemorySegment in = k.alloc(10);
        assertEquals(5, k.call(Sysno.SYS_READ, p[0], in.address(), 10));
        assertEquals(0, k.call(Sysno.SYS_READ, p[0], in.address(), 10), "the host pipe has no writer either");
        int[] q = pipe(0);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, q[0]));
        assertTrue(file(q[1]).toHost() >= 0);
        assertEquals(-Errno.EPIPE, k.call(Sysno.SYS_WRITE, q[1], in.address(), 1));
    }

    @Test
    void aReaderBlockedInTheKernelContinuesOnTheHost() {
        int[] p = pipe(0);
        try (AppThread reader = new AppThread(k)) {
            MemorySegment in = k.alloc(100);
            Future<Long> r = reader.call(Sysno.SYS_READ, p[0], in.address(), 100);
            assertTrue(AppThread.blocks(r));
            assertTrue(file(p[1]).toHost() >= 0);
            assertTrue(AppThread.blocks(r), "still waiting, on the host now");
            MemorySegment out = bytes(7, 15);
            assertEquals(7, Host.fastCall(Sysno.SYS_WRITE, k.hostFd(p[1]), out.address(), 7), "a child writes");
            assertEquals(7, AppThread.get(r));
            assertEquals(-1, out.mismatch(in.asSlice(0, 7)));
        }
    }

    @Test
    void aWriterBlockedInTheKernelContinuesOnTheHost() {
        int[] p = pipe(0);
        MemorySegment full = bytes(65536, 16), small = bytes(100, 17);
        assertEquals(65536, k.call(Sysno.SYS_WRITE, p[1], full.address(), 65536));
        try (AppThread writer = new AppThread(k)) {
            Future<Long> w = writer.call(Sysno.SYS_WRITE, p[1], small.address(), 100);
            assertTrue(AppThread.blocks(w));
            assertTrue(file(p[0]).toHost() >= 0);
            MemorySegment in = k.alloc(65536 + 100);
            long got = 0;
            int hr = k.hostFd(p[0]);
            while (got < 65536 + 100) {
                long r = Host.call(Sysno.SYS_READ, hr, in.address() + got, 65536 + 100 - got);
                assertTrue(r > 0);
                got += r;
            }
            assertEquals(100, AppThread.get(w));
            assertEquals(-1, full.mismatch(in.asSlice(0, 65536)));
            assertEquals(-1, small.mismatch(in.asSlice(65536, 100)));
        }
    }

    @Test
    void spliceMovesAKernelPipeToTheHost() {
        int[] p = pipe(0);
        MemorySegment sv = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, sv.address()));
        MemorySegment data = bytes(64, 18);
        assertEquals(64, k.call(Sysno.SYS_WRITE, sv.get(JAVA_INT, 0), data.address(), 64));
        assertEquals(64, k.call(Sysno.SYS_SPLICE, sv.get(JAVA_INT, 4), 0, p[1], 0, 64, 0));
        assertTrue(k.hostFd(p[1]) >= 0);
        MemorySegment in = k.alloc(64);
        assertEquals(64, k.call(Sysno.SYS_READ, p[0], in.address(), 64));
        assertEquals(-1, data.mismatch(in));
    }

    /** STYLE.md: a read or write that does not block allocates nothing once warm. */
    @Test
    void readAndWriteAllocateNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        int[] p = pipe(Fcntl.O_NONBLOCK);
        long buf = bytes(64, 19).address();
        SyscallEntry e = k.entry;
        Task t = k.task;
        for (int round = 0; round < 40; round++) {
            assertEquals(0, rounds(e, t, p, buf, 20_000));
            mx.getCurrentThreadAllocatedBytes();
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        long bad = rounds(e, t, p, buf, 100_000);
        long after = mx.getCurrentThreadAllocatedBytes();
        assertEquals(0, bad);
        assertEquals(0, after - before, "bytes allocated by 100000 x (write + read + empty read)");
    }

    private static long rounds(SyscallEntry e, Task t, int[] p, long buf, int n) {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            bad += e.dispatch(t, Sysno.SYS_WRITE, p[1], buf, 64, 0, 0, 0) - 64;
            bad += e.dispatch(t, Sysno.SYS_READ, p[0], buf, 64, 0, 0, 0) - 64;
            bad += e.dispatch(t, Sysno.SYS_READ, p[0], buf, 64, 0, 0, 0) + Errno.EAGAIN;
        }
        return bad;
    }
}
