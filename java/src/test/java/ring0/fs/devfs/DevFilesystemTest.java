package ring0.fs.devfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.syscall.TestKernel;
import ring0.usermem.BadAddresses;

/**
 * devfs through the system calls: each device's reads, writes, seeks, ioctls, mappings and stat;
 * the links into /proc/self/fd; the host's /dev showing through; EFAULT for bad buffers; and
 * write(/dev/null), Test-1's call, allocating nothing.
 */
class DevFilesystemTest {
    private static final long MAX_RW_COUNT = 0x7fff_f000L;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private long open(String path, int flags) {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(path), flags, 0);
        assertTrue(fd >= 0, "open " + path + ": " + fd);
        return fd;
    }

    private MemorySegment stat(String path) {
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr(path), st.address(), 0), "stat " + path);
        return st;
    }

    private static long rdev(MemorySegment st) {
        return st.get(JAVA_LONG, Stat.ST_RDEV);
    }

    private String readlink(String path) {
        MemorySegment buf = k.alloc(4096);
        long n = k.call(Sysno.SYS_READLINK, k.cstr(path), buf.address(), 4096);
        assertTrue(n >= 0, "readlink " + path + ": " + n);
        return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Test
    void devicesHaveTheirNumbersAndModes() {
        String[] names = {"null", "zero", "full", "random", "urandom", "tty", "console"};
        int[][] numbers = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}};
        for (int i = 0; i < names.length; i++) {
            MemorySegment st = stat("/dev/" + names[i]);
            int mode = st.get(JAVA_INT, Stat.ST_MODE);
            assertEquals(Stat.S_IFCHR, mode & Stat.S_IFMT, names[i]);
            assertEquals(Stat.encodeDev(numbers[i][0], numbers[i][1]), rdev(st), names[i]);
            assertEquals(names[i].equals("console") ? 0600 : 0666, mode & 0777, names[i]);
        }
        long fd = open("/dev/null", Fcntl.O_WRONLY);
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        assertEquals(Stat.encodeDev(1, 3), rdev(st), "fstat of an open /dev/null");
        assertEquals(Fcntl.O_WRONLY | Fcntl.O_LARGEFILE, k.call(Sysno.SYS_FCNTL, fd, 3 /* F_GETFL */));
    }

    @Test
    void aDeviceTheHostHasShowsTheHostsAttributes() throws Exception {
        var host = Files.readAttributes(Path.of("/dev/null"), "unix:ino,uid,gid");
        MemorySegment st = stat("/dev/null");
        assertEquals(((Number) host.get("ino")).longValue(), st.get(JAVA_LONG, Stat.ST_INO));
        assertEquals(((Number) host.get("uid")).intValue(), st.get(JAVA_INT, Stat.ST_UID));
    }

    @Test
    void nullDropsWritesAndReadsNothing() {
        long fd = open("/dev/null", Fcntl.O_RDWR);
        long buf = k.alloc(64).address();
        assertEquals(30, k.call(Sysno.SYS_WRITE, fd, buf, 30));
        assertEquals(0, k.call(Sysno.SYS_READ, fd, buf, 64));
        assertEquals(30, k.call(Sysno.SYS_PWRITE64, fd, buf, 30, 1000));
        assertEquals(0, k.call(Sysno.SYS_PREAD64, fd, buf, 30, 1000));
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 100, Fcntl.SEEK_SET), "null_lseek");
        assertEquals(MAX_RW_COUNT, k.call(Sysno.SYS_WRITE, fd, buf, 1L << 32), "vfs_write clamps the count");
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, fd, buf, -1), "access_ok fails for a count past the user half");
        assertEquals(10, k.call(Sysno.SYS_WRITE, fd, 0, 10), "access_ok is all a write to /dev/null checks");
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, fd, BadAddresses.KERNEL_HALF, 10));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, BadAddresses.KERNEL_HALF, 10));
        assertEquals(-Errno.ENOTTY, k.call(Sysno.SYS_IOCTL, fd, 0x5401 /* TCGETS */, buf), "not a terminal");
        long ro = open("/dev/null", Fcntl.O_RDONLY);
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_WRITE, ro, buf, 1), "the access mode holds without a reference too");
    }

    @Test
    void zeroAndFull() {
        long zero = open("/dev/zero", Fcntl.O_RDWR);
        MemorySegment buf = k.alloc(8192);
        buf.fill((byte) 0x5a);
        assertEquals(8192, k.call(Sysno.SYS_READ, zero, buf.address(), 8192));
        assertEquals(0, countNonZero(buf));
        assertEquals(100, k.call(Sysno.SYS_WRITE, zero, buf.address(), 100));
        long full = open("/dev/full", Fcntl.O_RDWR);
        assertEquals(-Errno.ENOSPC, k.call(Sysno.SYS_WRITE, full, buf.address(), 1));
        buf.fill((byte) 1);
        assertEquals(16, k.call(Sysno.SYS_READ, full, buf.address(), 16));
        assertEquals(8192 - 16, countNonZero(buf), "/dev/full reads zeros");
        for (long bad : BadAddresses.allForWrite()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, zero, bad, 16), "read /dev/zero into " + Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, full, bad, 16), "read /dev/full into " + Long.toHexString(bad));
        }
    }

    private static int countNonZero(MemorySegment s) {
        int n = 0;
        for (long i = 0; i < s.byteSize(); i++) {
            if (s.get(JAVA_BYTE, i) != 0) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aMappingOfZeroIsAnonymousMemory() {
        long zero = open("/dev/zero", Fcntl.O_RDWR);
        for (int flags : new int[] {0x02 /* MAP_PRIVATE */, 0x01 /* MAP_SHARED */}) {
            long a = k.call(Sysno.SYS_MMAP, 0, 8192, 3 /* PROT_READ | PROT_WRITE */, flags, zero, 4096);
            assertTrue(a > 0, "mmap: " + a);
            MemorySegment m = MemorySegment.ofAddress(a).reinterpret(8192);
            assertEquals(0, countNonZero(m));
            m.set(JAVA_BYTE, 5000, (byte) 7);
            assertEquals(7, m.get(JAVA_BYTE, 5000));
            assertEquals(0, Host.call(11 /* munmap: the host's call */, a, 8192, 0));
        }
        assertEquals(-Errno.ENODEV, k.call(Sysno.SYS_MMAP, 0, 4096, 1, 0x02, open("/dev/null", Fcntl.O_RDWR), 0));
    }

    @Test
    void urandomGivesFreshBytes() {
        long fd = open("/dev/urandom", Fcntl.O_RDONLY);
        MemorySegment a = k.alloc(64), b = k.alloc(64);
        assertEquals(64, k.call(Sysno.SYS_READ, fd, a.address(), 64));
        assertEquals(64, k.call(Sysno.SYS_READ, fd, b.address(), 64));
        assertFalse(a.mismatch(b) == -1, "two reads differ");
        assertTrue(countNonZero(a) > 32, "not zeros");
        MemorySegment big = k.alloc(1 << 20);
        assertEquals(1 << 20, k.call(Sysno.SYS_READ, fd, big.address(), 1 << 20));
        assertTrue(countNonZero(big.asSlice((1 << 20) - 4096, 4096)) > 3900, "the end of a large read is filled too");
        long random = open("/dev/random", Fcntl.O_RDWR);
        assertEquals(16, k.call(Sysno.SYS_READ, random, a.address(), 16));
        assertEquals(16, k.call(Sysno.SYS_WRITE, random, a.address(), 16), "writes are taken");
        MemorySegment count = k.alloc(4);
        assertEquals(0, k.call(Sysno.SYS_IOCTL, fd, 0x80045200L /* RNDGETENTCNT */, count.address()));
        assertEquals(256, count.get(JAVA_INT, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_IOCTL, fd, 0x5401 /* TCGETS */, count.address()), "random_ioctl's default");
        for (long bad : BadAddresses.allForWrite()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, bad, 16), "read into " + Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_IOCTL, fd, 0x80045200L, bad), "RNDGETENTCNT to " + Long.toHexString(bad));
        }
        for (long bad : BadAddresses.all()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, random, bad, 16), "write from " + Long.toHexString(bad));
        }
    }

    @Test
    void devicesAreNeitherPollableByEpollNorRemovable() {
        long fd = open("/dev/null", Fcntl.O_RDWR);
        long ep = k.call(Sysno.SYS_EPOLL_CREATE1, 0);
        MemorySegment ev = k.alloc(16);
        ev.set(JAVA_INT, 0, 1);
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_EPOLL_CTL, ep, 1 /* EPOLL_CTL_ADD */, fd, ev.address()),
                "no poll operation, as Linux's /dev/null");
        MemorySegment pfd = k.alloc(8);
        pfd.set(JAVA_INT, 0, (int) fd);
        pfd.set(JAVA_SHORT, 4, (short) 5);
        assertEquals(1, k.call(7 /* poll */, pfd.address(), 1, 0), "poll: always ready");
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_UNLINK, k.cstr("/dev/null")));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_RENAME, k.cstr("/dev/zero"), k.cstr("/dev/zero2")));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_CHMOD, k.cstr("/dev/null"), 0600));
        assertTrue(Files.exists(Path.of("/dev/null")));
    }

    @Test
    void aChildGetsTheHostsDevice() {
        long fd = open("/dev/null", Fcntl.O_WRONLY);
        MemorySegment fds = k.alloc(4);
        fds.set(JAVA_INT, 0, (int) fd);
        assertEquals(0, k.call(1001 /* ring0 hostfds: before a fork */, fds.address(), 1));
        int host = fds.get(JAVA_INT, 0);
        assertTrue(host >= 0, "a host descriptor: " + host);
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, Host.call(Sysno.SYS_FSTAT, host, st.address(), 0));
        assertEquals(Stat.encodeDev(1, 3), rdev(st), "the host's /dev/null");
        assertEquals(Fcntl.O_WRONLY, Host.call(Sysno.SYS_FCNTL, host, 3 /* F_GETFL */, 0) & Fcntl.O_ACCMODE);
        assertEquals(-1, k.hostFd((int) fd), "the kernel still serves the app's own calls");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertEquals(-Errno.EBADF, Host.call(Sysno.SYS_FSTAT, host, st.address(), 0), "closed with the description");
    }

    @Test
    void linksIntoProcSelfFd() {
        assertEquals("/proc/self/fd", readlink("/dev/fd"));
        assertEquals("/proc/self/fd/0", readlink("/dev/stdin"));
        assertEquals("/proc/self/fd/1", readlink("/dev/stdout"));
        assertEquals("/proc/self/fd/2", readlink("/dev/stderr"));
        long fd = open("/dev/zero", Fcntl.O_RDONLY);
        MemorySegment st = stat("/dev/fd/" + fd);
        assertEquals(Stat.encodeDev(1, 5), rdev(st), "/dev/fd/N is the app's descriptor N");
    }

    @Test
    void ttyIsTheHostsControllingTerminal() {
        long host = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/tty"), Fcntl.O_RDWR | Fcntl.O_CLOEXEC, 0, 0, 0);
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/tty"), Fcntl.O_RDWR, 0);
        if (host < 0) {
            assertEquals(host, fd, "no controlling terminal: as natively (ENXIO)");
        } else {
            Host.call(Sysno.SYS_CLOSE, host, 0, 0);
            assertTrue(fd >= 0);
            assertEquals(0, k.call(Sysno.SYS_IOCTL, fd, 0x5401 /* TCGETS */, k.alloc(64).address()));
        }
    }

    @Test
    void theConsoleIsTheStdioOfTheBoot() {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/console"), Fcntl.O_WRONLY, 0);
        assertTrue(fd >= 0 || fd == -Errno.ENXIO || fd == -Errno.EACCES, "open /dev/console: " + fd);
        if (fd >= 0) {
            MemorySegment st = k.alloc(Stat.STAT_SIZE);
            assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
            assertEquals(Stat.encodeDev(5, 1), rdev(st), "fstat shows the console, not the file behind it");
            assertTrue(k.hostFd((int) fd) > 2, "a descriptor of its own on the host");
        }
    }

    @Test
    void theHostsDevShowsThrough() throws Exception {
        List<String> names = list("/dev");
        for (String n : List.of(".", "..", "null", "zero", "full", "random", "urandom", "tty", "console", "fd", "stdin", "stdout", "stderr")) {
            assertEquals(1, names.stream().filter(n::equals).count(), n + " listed once in " + names);
        }
        try (var host = Files.list(Path.of("/dev"))) {
            for (Path p : host.toList()) {
                assertTrue(names.contains(p.getFileName().toString()), p + " shows through");
            }
        }
        if (Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))) {
            String name = "/dev/shm/ring0-devfs-test-" + ProcessHandle.current().pid();
            long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(name), Fcntl.O_RDWR | Fcntl.O_CREAT | Fcntl.O_EXCL, 0600);
            assertTrue(fd >= 0, "create in /dev/shm: " + fd);
            MemorySegment data = k.alloc(8);
            data.setString(0, "shm", StandardCharsets.US_ASCII);
            assertEquals(3, k.call(Sysno.SYS_WRITE, fd, data.address(), 3));
            assertEquals("shm", Files.readString(Path.of(name)), "the host's /dev/shm has it");
            assertTrue(list("/dev/shm").contains(name.substring("/dev/shm/".length())));
            assertEquals(0, k.call(Sysno.SYS_UNLINK, k.cstr(name)));
            assertFalse(Files.exists(Path.of(name)));
        }
        assertEquals(-Errno.ENOENT, k.stat("/dev/no-such-device"));
    }

    /** The names getdents64 gives for the directory at path. */
    private List<String> list(String path) {
        long fd = open(path, Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        MemorySegment buf = k.alloc(4096);
        List<String> names = new ArrayList<>();
        for (;;) {
            long n = k.call(Sysno.SYS_GETDENTS64, fd, buf.address(), 4096);
            assertTrue(n >= 0, "getdents64: " + n);
            if (n == 0) {
                break;
            }
            for (long at = 0; at < n; ) {
                int reclen = buf.get(JAVA_SHORT, at + 16);
                names.add(buf.getString(at + 19, StandardCharsets.UTF_8));
                at += reclen;
            }
        }
        k.call(Sysno.SYS_CLOSE, fd);
        for (long bad : BadAddresses.allForWrite()) {
            long again = open(path, Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_GETDENTS64, again, bad, 4096), "getdents64 into " + Long.toHexString(bad));
            k.call(Sysno.SYS_CLOSE, again);
        }
        return names;
    }

    @Test
    void statfsIsTheHostsDev() {
        MemorySegment buf = k.alloc(120);
        assertEquals(0, k.call(Sysno.SYS_STATFS, k.cstr("/dev/null"), buf.address()));
        assertEquals(0x01021994L, buf.get(JAVA_LONG, 0), "devtmpfs is a tmpfs");
    }

    @Test
    void writeToNullAllocatesNothing() {
        long fd = open("/dev/null", Fcntl.O_WRONLY);
        long buf = k.alloc(64).address();
        LongSupplier write = () -> k.entry.dispatch(k.task, Sysno.SYS_WRITE, fd, buf, 30, 0, 0, 0);
        long zero = open("/dev/zero", Fcntl.O_RDONLY);
        LongSupplier read = () -> k.entry.dispatch(k.task, Sysno.SYS_READ, zero, buf, 30, 0, 0, 0);
        long urandom = open("/dev/urandom", Fcntl.O_RDONLY);
        LongSupplier random = () -> k.entry.dispatch(k.task, Sysno.SYS_READ, urandom, buf, 16, 0, 0, 0);
        assertEquals(0, allocated(write), "write(/dev/null)");
        assertEquals(0, allocated(read), "read(/dev/zero)");
        assertEquals(0, allocated(random), "read(/dev/urandom)");
    }

    /**
     * Bytes the calling thread allocated while running op 10,000 times, after 30,000 runs: the least
     * of three tries, since a deoptimization while the JIT is busy (a loaded machine) may materialize
     * a scalar-replaced object once; an allocation per call shows in every try.
     */
    private static long allocated(LongSupplier op) {
        for (int i = 0; i < 30_000; i++) {
            op.getAsLong();
        }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int tries = 0; tries < 3 && least > 0; tries++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                op.getAsLong();
            }
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    @Test
    void readsArePartialNeverOverTheBuffer() {
        long fd = open("/dev/urandom", Fcntl.O_RDONLY);
        MemorySegment buf = k.alloc(32);
        buf.fill((byte) 0);
        assertEquals(5, k.call(Sysno.SYS_READ, fd, buf.address() + 8, 5));
        assertArrayEquals(new byte[8], buf.asSlice(0, 8).toArray(JAVA_BYTE));
        assertArrayEquals(new byte[19], buf.asSlice(13, 19).toArray(JAVA_BYTE));
    }
}
