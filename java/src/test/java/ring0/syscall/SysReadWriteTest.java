package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;

/**
 * The file family's checks that come before a file gets a say, in Linux's order: access modes
 * (mode 3 is neither readable nor writable), access_ok of user buffers (EFAULT above TASK_SIZE_MAX
 * even for 0 bytes), preadv2's flags, fallocate's modes and file types, noop_llseek, pipefs,
 * readlinkat of an empty path, and sendfile from a file that cannot be spliced.
 */
class SysReadWriteTest {
    private static final int SYS_READV = 19, SYS_WRITEV = 20, SYS_FALLOCATE = 285, SYS_PREADV2 = 327, SYS_PWRITEV2 = 328;
    /** The first address above the user's half (TASK_SIZE_MAX is a page below it). */
    private static final long ABOVE_USER = 1L << 47;
    private static final long PIPEFS_MAGIC = 0x50495045L;

    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private int open(String rel, int flags) {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir + "/" + rel), flags | Fcntl.O_CLOEXEC, 0644);
        assertTrue(fd >= 0, "open " + rel + ": " + fd);
        return (int) fd;
    }

    private int[] pipe() {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), 0));
        return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
    }

    private MemorySegment iov(long base, long len) {
        MemorySegment v = k.alloc(16);
        v.set(JAVA_LONG, 0, base);
        v.set(JAVA_LONG, 8, len);
        return v;
    }

    @Test
    void accessModeThreeIsNeitherReadableNorWritable() throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        int fd = open("f", Fcntl.O_ACCMODE);
        MemorySegment b = k.alloc(16);
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_READ, fd, b.address(), 4));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_WRITE, fd, b.address(), 4));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_PREAD64, fd, b.address(), 4, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_PWRITE64, fd, b.address(), 4, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FTRUNCATE, fd, 0), "do_ftruncate: not FMODE_WRITE");
        assertEquals(-Errno.EBADF, k.call(SYS_FALLOCATE, fd, 0, 0, 10));
        assertEquals("data", Files.readString(dir.resolve("f")));
    }

    @Test
    void buffersAboveTheUserHalfAreEfaultEvenForNothing() throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        int fd = open("f", Fcntl.O_RDWR);
        assertEquals(4, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_END), "at the end: a read would be 0");
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, ABOVE_USER, 4));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, ABOVE_USER, 0));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, fd, ABOVE_USER, 0));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PREAD64, fd, ABOVE_USER, 4, 100));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PWRITE64, fd, ABOVE_USER, 0, 0));
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, ABOVE_USER - 4096, 4097), "the range's end counts");
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, 4096, -1L), "a count that wraps");
        assertEquals(-Errno.EFAULT, k.call(SYS_READV, fd, iov(ABOVE_USER, 0).address(), 1));
        assertEquals(-Errno.EFAULT, k.call(SYS_WRITEV, fd, iov(ABOVE_USER, 0).address(), 1));
        assertEquals(-Errno.EINVAL, k.call(SYS_READV, fd, iov(ABOVE_USER, -1).address(), 1), "a negative length first");
        MemorySegment b = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_READ, fd, b.address(), 8), "a good buffer at the end");
        int[] p = pipe();
        assertEquals(-Errno.ESPIPE, k.call(Sysno.SYS_PREAD64, p[0], ABOVE_USER, 4, 0), "FMODE_PREAD before access_ok");
        assertEquals(-Errno.ESPIPE, k.call(Sysno.SYS_PWRITE64, p[0], b.address(), 4, 0), "FMODE_PREAD before the access mode");
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, p[0], ABOVE_USER, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_PREAD64, 99, b.address(), 4, -1), "the offset before the descriptor");
    }

    @Test
    void unknownRwfFlagsAreEopnotsupp() throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        int fd = open("f", Fcntl.O_RDWR);
        MemorySegment b = k.alloc(8);
        assertEquals(-Errno.EOPNOTSUPP, k.call(SYS_PREADV2, fd, iov(b.address(), 4).address(), 1, 0, 0, 1L << 30));
        assertEquals(-Errno.EOPNOTSUPP, k.call(SYS_PWRITEV2, fd, iov(b.address(), 4).address(), 1, -1, 0, 1L << 30));
        assertEquals(0, k.call(SYS_PREADV2, fd, iov(b.address(), 0).address(), 1, 0, 0, 1L << 30), "nothing to move: 0 first");
        assertEquals(-Errno.EINVAL, k.call(SYS_PREADV2, fd, iov(b.address(), 4).address(), 1, -2, 0, 1L << 30), "the offset first");
        assertEquals(-Errno.EFAULT, k.call(SYS_PREADV2, fd, iov(ABOVE_USER, 4).address(), 1, 0, 0, 1L << 30), "import_iovec first");
    }

    @Test
    void fallocateChecksInVfsOrder() throws Exception {
        int fd = open("f", Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertEquals(-Errno.EINVAL, k.call(SYS_FALLOCATE, fd, 0x100, 0, 0), "the range first");
        assertEquals(-Errno.EOPNOTSUPP, k.call(SYS_FALLOCATE, fd, 0x100, 0, 10), "an unknown mode");
        assertEquals(-Errno.EOPNOTSUPP, k.call(SYS_FALLOCATE, fd, 0x02, 0, 10), "PUNCH_HOLE needs KEEP_SIZE");
        assertEquals(-Errno.EOPNOTSUPP, k.call(SYS_FALLOCATE, fd, 0x02 | 0x10, 0, 10), "modes are exclusive");
        assertEquals(-Errno.EOPNOTSUPP, k.call(SYS_FALLOCATE, fd, 0x08 | 0x01, 0, 4096), "COLLAPSE_RANGE without KEEP_SIZE");
        assertEquals(0, k.call(SYS_FALLOCATE, fd, 0, 0, 10));
        int[] p = pipe();
        assertEquals(-Errno.ESPIPE, k.call(SYS_FALLOCATE, p[1], 0, 0, 10), "a FIFO");
        assertEquals(-Errno.EBADF, k.call(SYS_FALLOCATE, p[0], 0, 0, 10), "not open for writing, before ESPIPE");
        assertEquals(-Errno.EOPNOTSUPP, k.call(SYS_FALLOCATE, p[1], 0x100, 0, 10), "the mode before the file type");
        long efd = k.call(Sysno.SYS_EVENTFD2, 0, 0);
        assertEquals(-Errno.ENODEV, k.call(SYS_FALLOCATE, efd, 0, 0, 10), "an anonymous inode is not a regular file");
        int path = open("f", Fcntl.O_PATH);
        assertEquals(-Errno.EBADF, k.call(SYS_FALLOCATE, path, 0x100, -1, 0), "fdget does not see O_PATH");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FTRUNCATE, path, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FTRUNCATE, 99, -1), "the length before the descriptor");
    }

    @Test
    void eventfdAndEpollSeekNowhere() {
        long efd = k.call(Sysno.SYS_EVENTFD2, 3, 0);
        assertEquals(0, k.call(Sysno.SYS_LSEEK, efd, 100, Fcntl.SEEK_SET), "noop_llseek");
        assertEquals(0, k.call(Sysno.SYS_LSEEK, efd, 0, 99), "whatever the whence");
        long ep = k.call(Sysno.SYS_EPOLL_CREATE1, 0);
        assertEquals(0, k.call(Sysno.SYS_LSEEK, ep, 5, Fcntl.SEEK_CUR));
        int[] p = pipe();
        assertEquals(-Errno.ESPIPE, k.call(Sysno.SYS_LSEEK, p[0], 0, Fcntl.SEEK_CUR), "a pipe: no_llseek");
    }

    @Test
    void aPipeIsOnPipefs() {
        int[] p = pipe();
        MemorySegment sfs = k.alloc(120);
        assertEquals(0, k.call(Sysno.SYS_FSTATFS, p[0], sfs.address()));
        assertEquals(PIPEFS_MAGIC, sfs.get(JAVA_LONG, 0));
        long efd = k.call(Sysno.SYS_EVENTFD2, 0, 0);
        assertEquals(0, k.call(Sysno.SYS_FSTATFS, efd, sfs.address()));
        assertEquals(0x09041934L, sfs.get(JAVA_LONG, 0), "anon_inodefs");
    }

    @Test
    void readlinkOfAnEmptyPath() throws Exception {
        Files.createSymbolicLink(dir.resolve("l"), Path.of("target"));
        MemorySegment b = k.alloc(64);
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_READLINKAT, Fcntl.AT_FDCWD, k.cstr(""), b.address(), 64));
        int d = open(".", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_READLINKAT, d, k.cstr(""), b.address(), 64), "not a symlink");
        int l = open("l", Fcntl.O_PATH | Fcntl.O_NOFOLLOW);
        assertEquals(6, k.call(Sysno.SYS_READLINKAT, l, k.cstr(""), b.address(), 64), "the link dirfd is");
        assertEquals("target", b.getString(0, StandardCharsets.US_ASCII).substring(0, 6));
    }

    @Test
    void sendfileFromADirectoryIsEinval() throws Exception {
        Files.createDirectory(dir.resolve("d"));
        int d = open("d", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        int[] p = pipe();
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SENDFILE, p[1], d, 0, 10), "no splice_read");
        assertEquals(0, k.call(Sysno.SYS_SENDFILE, p[1], d, 0, 0), "nothing to send: 0 first");
    }
}
