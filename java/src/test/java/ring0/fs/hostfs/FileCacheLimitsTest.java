package ring0.fs.hostfs;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.Mounts;
import ring0.syscall.TestKernel;

/**
 * What the cache says of a file where Linux's answer depends on the filesystem: st_blocks of data the
 * host has not allocated yet (ext4's delayed allocation counts it at once), the filesystem's largest
 * file (s_maxbytes) for lseek, write and truncate, and copy_file_range's checks on one file.
 */
class FileCacheLimitsTest {
    private static final int SYS_FALLOCATE = 285;
    private static final long EXT4_MAX_4K = ((1L << 32) - 1) * 4096;

    @TempDir
    Path dir;
    private TestKernel k;
    private HostCaches caches;

    @AfterEach
    void tearDown() {
        if (k != null) {
            k.close();
        }
    }

    private void boot(CacheMode mode) throws Exception {
        k = new TestKernel();
        Mounts.apply(k.kernel.vfs, List.of(Mounts.Spec.parse("host:" + dir + ":" + dir)));
        caches = HostCaches.install(k.kernel, mode);
    }

    private int open(String rel, int flags) {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir + "/" + rel), flags | Fcntl.O_CLOEXEC, 0644);
        assertTrue(fd >= 0, "open " + rel + ": " + fd);
        return (int) fd;
    }

    /** {size, blocks} of fd's fstat. */
    private long[] sizeBlocks(int fd) {
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        return new long[] {st.get(JAVA_LONG, Stat.ST_SIZE), st.get(JAVA_LONG, Stat.ST_BLOCKS)};
    }

    private String fsType() throws Exception {
        return Files.getFileStore(dir).type();
    }

    @Test
    void maxBytesOfHostFilesystems() {
        assertEquals(EXT4_MAX_4K, FileCache.maxBytes(0xef53, 4096), "16 TiB - 4 KiB");
        assertEquals(((1L << 32) - 1) * 1024, FileCache.maxBytes(0xef53, 1024));
        assertEquals(Long.MAX_VALUE, FileCache.maxBytes(0x01021994, 4096), "tmpfs: MAX_LFS_FILESIZE");
        assertEquals(Long.MAX_VALUE, FileCache.maxBytes(0x58465342, 4096), "xfs");
        assertEquals(Long.MAX_VALUE, FileCache.maxBytes(0x9123683eL, 4096), "btrfs");
    }

    @Test
    void blocksCountDataNotWrittenBackYet() throws Exception {
        String type = fsType();
        assumeTrue(type.equals("ext4") || type.equals("tmpfs"), "allocation as ext4's or tmpfs's: " + type);
        boot(CacheMode.ALWAYS);
        int fd = open("f", Fcntl.O_RDWR | Fcntl.O_CREAT);
        MemorySegment w = k.alloc(10000);
        assertEquals(0, sizeBlocks(fd)[1]);
        assertEquals(5, k.call(Sysno.SYS_WRITE, fd, w.address(), 5));
        long misses = caches.stats().get("attr_misses");
        assertEquals(8, sizeBlocks(fd)[1], "one block reserved for the tail's page");
        assertEquals(misses, caches.stats().get("attr_misses"), "computed: the host was not asked");
        assertEquals(10000, k.call(Sysno.SYS_WRITE, fd, w.address(), 10000));
        assertEquals(24, sizeBlocks(fd)[1]);
        assertEquals(0, k.call(Sysno.SYS_FSYNC, fd));
        assertEquals(24, sizeBlocks(fd)[1], "written back: the host's blocks now");
        assertEquals(0, k.call(Sysno.SYS_FTRUNCATE, fd, 1 << 20));
        assertEquals(24, sizeBlocks(fd)[1], "a sparse extension allocates nothing");
        assertEquals(100, k.call(Sysno.SYS_PWRITE64, fd, w.address(), 100, 1 << 19));
        long[] sb = sizeBlocks(fd);
        assertEquals(1 << 20, sb[0]);
        assertEquals(32, sb[1], "a hole filled through the mapping");
        assertEquals(5, k.call(Sysno.SYS_PWRITE64, fd, w.address(), 5, 1 << 20));
        assertEquals(40, sizeBlocks(fd)[1], "an append past the end");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
    }

    @Test
    void ext4LimitsOffsetsAndSizes() throws Exception {
        assumeTrue(fsType().equals("ext4"), "an ext4 directory");
        boot(CacheMode.ALWAYS);
        int fd = open("f", Fcntl.O_RDWR | Fcntl.O_CREAT);
        MemorySegment w = k.alloc(16);
        assertEquals(3, k.call(Sysno.SYS_WRITE, fd, w.address(), 3));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_LSEEK, fd, 1L << 62, Fcntl.SEEK_SET), "past s_maxbytes");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_LSEEK, fd, EXT4_MAX_4K + 1, Fcntl.SEEK_SET));
        assertEquals(EXT4_MAX_4K, k.call(Sysno.SYS_LSEEK, fd, EXT4_MAX_4K, Fcntl.SEEK_SET), "s_maxbytes itself");
        assertEquals(-Errno.EFBIG, k.call(Sysno.SYS_WRITE, fd, w.address(), 1), "a write at s_maxbytes");
        assertEquals(-Errno.EFBIG, k.call(Sysno.SYS_PWRITE64, fd, w.address(), 3, 1L << 62));
        assertEquals(-Errno.EFBIG, k.call(Sysno.SYS_FTRUNCATE, fd, 1L << 62));
        assertEquals(-Errno.EFBIG, k.call(SYS_FALLOCATE, fd, 0, 1L << 62, 10), "the host's own check");
        assertEquals(3, sizeBlocks(fd)[0], "nothing changed");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
    }

    @Test
    void copyFileRangeWithinOneFile() throws Exception {
        Files.writeString(dir.resolve("src"), "0123456789abcdefghij");
        boot(CacheMode.ALWAYS);
        int fd = open("src", Fcntl.O_RDWR);
        assertEquals(-1, k.hostFd(fd), "served by the cache: the kernel copies");
        MemorySegment in = k.alloc(8), out = k.alloc(8);
        in.set(JAVA_LONG, 0, 0);
        out.set(JAVA_LONG, 0, 2);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_COPY_FILE_RANGE, fd, in.address(), fd, out.address(), 5, 0), "overlapping");
        out.set(JAVA_LONG, 0, 10);
        assertEquals(5, k.call(Sysno.SYS_COPY_FILE_RANGE, fd, in.address(), fd, out.address(), 5, 0), "apart");
        assertEquals(5, in.get(JAVA_LONG, 0));
        in.set(JAVA_LONG, 0, -1);
        assertEquals(-Errno.EOVERFLOW, k.call(Sysno.SYS_COPY_FILE_RANGE, fd, in.address(), fd, out.address(), 4, 0),
                "pos + count wraps (unsigned)");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_COPY_FILE_RANGE, fd, in.address(), fd, out.address(), 0, 0),
                "a negative offset (rw_verify_area)");
        out.set(JAVA_LONG, 0, 0);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_COPY_FILE_RANGE, fd, 0, fd, out.address(), 4, 0),
                "the file position (0) and 0 overlap");
        in.set(JAVA_LONG, 0, 100);
        assertEquals(0, k.call(Sysno.SYS_COPY_FILE_RANGE, fd, in.address(), fd, out.address(), 4, 0), "past the end: nothing");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        assertEquals("012345678901234fghij", Files.readString(dir.resolve("src")));
    }
}
