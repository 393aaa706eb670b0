package ring0.fs.hostfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.Mounts;
import ring0.kernel.FileDescription;
import ring0.loader.Loader;
import ring0.syscall.TestKernel;
import ring0.usermem.BadAddresses;

/**
 * The host file caches: what is cached and when the host is asked again (revalidation, invalidation
 * by the kernel's own changes, children), the tail buffer and its flush points, coherence between the
 * kernel's reads and writes, the host's view and the app's mappings, a truncation by another process
 * under a mapping, the cache modes, bad pointers, and allocation-free hot paths. "Another process"
 * is this JVM's own Java I/O on the same host file, which the kernel does not see.
 */
class FileCacheTest {
    private static final int SYS_READV = 19, SYS_PWRITEV2 = 328;

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

    private long path(String rel) {
        return k.cstr(dir + "/" + rel);
    }

    private int open(String rel, int flags) {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, path(rel), flags | Fcntl.O_CLOEXEC, 0644);
        assertTrue(fd >= 0, "open " + rel + ": " + fd);
        return (int) fd;
    }

    private long write(long fd, String s) {
        MemorySegment b = k.arena.allocateFrom(s, StandardCharsets.UTF_8);
        return k.call(Sysno.SYS_WRITE, fd, b.address(), b.byteSize() - 1);
    }

    private long pwrite(long fd, String s, long off) {
        MemorySegment b = k.arena.allocateFrom(s, StandardCharsets.UTF_8);
        return k.call(Sysno.SYS_PWRITE64, fd, b.address(), b.byteSize() - 1, off);
    }

    private String pread(long fd, int n, long off) {
        MemorySegment b = k.alloc(n + 1);
        long r = k.call(Sysno.SYS_PREAD64, fd, b.address(), n, off);
        assertTrue(r >= 0, "pread: " + r);
        return new String(b.asSlice(0, r).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private void close(long fd) {
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
    }

    private long size(String rel) {
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        long r = k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path(rel), st.address(), 0);
        return r < 0 ? r : st.get(JAVA_LONG, Stat.ST_SIZE);
    }

    /** What the host has, read around the kernel. */
    private String host(String rel) throws IOException {
        return Files.readString(dir.resolve(rel));
    }

    private long stat(String name) {
        return caches.stats().get(name);
    }

    private FileDescription description(int fd) {
        FileDescription f = k.kernel.fds.get(fd);
        f.put();
        return f;
    }

    // ---- what is cached -----------------------------------------------------------------------

    // ---- attempt mode (ring0.abi.Attempt) ------------------------------------------------------

    /**
     * A descriptor of the mount's root, for relative paths: the fast walk does not cross the mount
     * point at dir (an absolute path goes the usual way), as Ring0's root filesystem is not crossed.
     */
    private int root() {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir.toString()), Fcntl.O_PATH | Fcntl.O_DIRECTORY);
        assertTrue(fd >= 0);
        return (int) fd;
    }

    @Test
    void openAndCloseOfACachedFileAreAttemptedWithLinuxsNumbersAndFlags() throws Exception {
        boot(CacheMode.AUTO);
        Files.writeString(dir.resolve("f"), "hello");
        close(open("f", Fcntl.O_RDONLY)); // cached: names, attributes, the data descriptor
        int dirfd = root();
        int low = open("f", Fcntl.O_RDONLY), high = open("f", Fcntl.O_RDONLY);
        close(low);
        long opens = k.task.calls[Sysno.SYS_OPENAT], closes = k.task.calls[Sysno.SYS_CLOSE];
        long fd = k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
        assertEquals(low, fd, "the lowest free descriptor");
        assertEquals(1, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD), "O_CLOEXEC");
        assertEquals(Fcntl.O_RDONLY | Fcntl.O_LARGEFILE, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFL));
        assertEquals("hello", pread(fd, 16, 0));
        long plain = k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_RDONLY);
        assertEquals(high + 1, plain);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, plain, Fcntl.F_GETFD), "no O_CLOEXEC");
        assertEquals(opens + 2, k.task.calls[Sysno.SYS_OPENAT], "each counted once");
        assertEquals(0, k.attempt(Sysno.SYS_CLOSE, fd, 0, 0));
        assertEquals(0, k.attempt(Sysno.SYS_CLOSE, plain, 0, 0));
        assertEquals(-Errno.EBADF, k.attempt(Sysno.SYS_CLOSE, fd, 0, 0));
        assertEquals(closes + 3, k.task.calls[Sysno.SYS_CLOSE]);
        assertEquals(low, open("f", Fcntl.O_RDONLY), "closed: its number is free again");
        assertEquals(-Errno.ENOENT, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr(""), Fcntl.O_RDONLY));
        assertEquals(-Errno.EFAULT, k.attempt(Sysno.SYS_OPENAT, dirfd, 8, Fcntl.O_RDONLY));
    }

    @Test
    void opensAndClosesThatNeedTheHostWouldBlockWithNothingDone() throws Exception {
        boot(CacheMode.AUTO);
        Files.writeString(dir.resolve("f"), "hello");
        close(open("f", Fcntl.O_RDONLY));
        int dirfd = root();
        assertEquals(-Errno.ENOENT, size("missing"));
        long opens = k.task.calls[Sysno.SYS_OPENAT], closes = k.task.calls[Sysno.SYS_CLOSE];
        long wb = ring0.abi.Attempt.WOULD_BLOCK;
        assertEquals(wb, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("missing"), Fcntl.O_RDONLY), "ENOENT is the usual walk's");
        assertEquals(wb, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_RDWR | Fcntl.O_CREAT));
        assertEquals(wb, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_WRONLY | Fcntl.O_TRUNC));
        assertEquals(wb, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_RDONLY | Fcntl.O_DIRECTORY));
        assertEquals(wb, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("."), Fcntl.O_RDONLY), "a directory");
        assertEquals(wb, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_WRONLY), "no writable data descriptor yet");
        int w = open("f", Fcntl.O_WRONLY | Fcntl.O_APPEND);
        assertEquals(6, write(w, " world"));
        assertEquals(wb, k.attempt(Sysno.SYS_CLOSE, w, 0, 0), "dirty: the close writes to the host");
        assertEquals(opens + 1, k.task.calls[Sysno.SYS_OPENAT]);
        assertEquals(closes, k.task.calls[Sysno.SYS_CLOSE]);
        close(w);
        assertEquals("hello world", host("f"));
        // Another open of the file stays: a clean close of the other one needs no host.
        int r1 = open("f", Fcntl.O_RDONLY);
        long r2 = k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_RDONLY);
        assertTrue(r2 > r1);
        assertEquals(0, k.attempt(Sysno.SYS_CLOSE, r1, 0, 0));
        assertEquals("hello world", pread(r2, 32, 0));
        assertEquals(0, k.attempt(Sysno.SYS_CLOSE, r2, 0, 0));
        Files.delete(dir.resolve("f"));
        caches.invalidateAll();
        assertEquals(wb, k.attempt(Sysno.SYS_OPENAT, dirfd, k.cstr("f"), Fcntl.O_RDONLY), "not trusted now");
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, path("f"), Fcntl.O_RDONLY));
    }

    @Test
    void repeatedStatOpenReadNeedNoHost() throws Exception {
        boot(CacheMode.AUTO);
        Files.writeString(dir.resolve("f"), "hello");
        assertEquals(5, size("f"));
        int fd = open("f", Fcntl.O_RDONLY);
        close(fd);
        long misses = stat("lookup_misses") + stat("revalidations") + stat("attr_misses") + stat("opens_host");
        for (int i = 0; i < 100; i++) {
            assertEquals(5, size("f"));
            fd = open("f", Fcntl.O_RDONLY);
            assertEquals("hello", pread(fd, 16, 0));
            close(fd);
        }
        assertEquals(misses, stat("lookup_misses") + stat("revalidations") + stat("attr_misses") + stat("opens_host"),
                "nothing asked the host again");
        assertTrue(stat("opens_cached") >= 100);
        assertTrue(stat("reads_cached") >= 100);
        assertTrue(stat("lookup_hits") >= 200);
        assertTrue(description(open("f", Fcntl.O_RDONLY)) instanceof HostFileDescription d && d.isCached());
    }

    @Test
    void noneAsksTheHostEveryTime() throws Exception {
        boot(CacheMode.NONE);
        Files.writeString(dir.resolve("f"), "hello");
        for (int i = 0; i < 10; i++) {
            assertEquals(5, size("f"));
        }
        int fd = open("f", Fcntl.O_RDWR);
        assertTrue(description(fd) instanceof HostFileDescription d && !d.isCached());
        assertEquals(3, write(fd, "abc"));
        assertEquals("abclo", host("f"), "written through at once");
        Files.writeString(dir.resolve("f"), "longer text");
        assertEquals(11, size("f"), "the host's change is seen at once");
        close(fd);
        assertEquals(0, stat("lookup_hits") + stat("attr_hits") + stat("opens_cached"));
    }

    // ---- revalidation -------------------------------------------------------------------------

    @Test
    void autoRevalidatesAfterTheTimeout() throws Exception {
        boot(CacheMode.AUTO);
        Files.writeString(dir.resolve("f"), "abc");
        assertEquals(3, size("f"));
        Files.writeString(dir.resolve("f"), "abcdef"); // another process
        assertEquals(3, size("f"), "trusted within the timeout");
        Thread.sleep(1600);
        assertEquals(6, size("f"), "asked again after it");
        int fd = open("f", Fcntl.O_RDONLY);
        assertEquals("abcdef", pread(fd, 16, 0));
        // Open revalidates stale attributes: the file grew on the host meanwhile.
        Files.writeString(dir.resolve("f"), "abcdefghi");
        Thread.sleep(1600);
        close(fd);
        fd = open("f", Fcntl.O_RDONLY);
        assertEquals("abcdefghi", pread(fd, 16, 0));
        assertTrue(stat("changed_on_host") >= 1);
        close(fd);
    }

    @Test
    void alwaysTrustsUntilInvalidated() throws Exception {
        boot(CacheMode.ALWAYS);
        Files.writeString(dir.resolve("f"), "abc");
        assertEquals(3, size("f"));
        Files.writeString(dir.resolve("f"), "abcdef");
        Thread.sleep(1200);
        assertEquals(3, size("f"), "nobody else changes the files");
        caches.invalidateAll();
        assertEquals(6, size("f"));
    }

    @Test
    void negativeDentriesAndChanges() throws Exception {
        boot(CacheMode.AUTO);
        assertEquals(-Errno.ENOENT, size("later"));
        Files.writeString(dir.resolve("later"), "x"); // another process makes it
        assertEquals(-Errno.ENOENT, size("later"), "a cached negative entry");
        assertTrue(stat("lookup_negative_hits") >= 1);
        // A change asks the host again: the file is there to remove.
        assertEquals(0, k.call(Sysno.SYS_UNLINKAT, Fcntl.AT_FDCWD, path("later"), 0));
        assertFalse(Files.exists(dir.resolve("later")));
    }

    @Test
    void theKernelsOwnChangesAreSeenAtOnce() throws Exception {
        boot(CacheMode.ALWAYS);
        int fd = open("a", Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertEquals(5, write(fd, "hello"));
        close(fd);
        assertEquals(5, size("a"));
        assertEquals(0, k.call(Sysno.SYS_RENAMEAT2, Fcntl.AT_FDCWD, path("a"), Fcntl.AT_FDCWD, path("b"), 0));
        assertEquals(-Errno.ENOENT, size("a"));
        assertEquals(5, size("b"));
        assertEquals(0, k.call(Sysno.SYS_FCHMODAT, Fcntl.AT_FDCWD, path("b"), 0600));
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path("b"), st.address(), 0));
        assertEquals(0600, st.get(JAVA_INT, Stat.ST_MODE) & 07777);
        assertEquals(0, k.call(Sysno.SYS_LINKAT, Fcntl.AT_FDCWD, path("b"), Fcntl.AT_FDCWD, path("c"), 0));
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path("b"), st.address(), 0));
        assertEquals(2, st.get(JAVA_LONG, Stat.ST_NLINK));
        assertEquals(0, k.call(Sysno.SYS_TRUNCATE, path("c"), 2));
        assertEquals(2, size("b"), "one file, two names, one cache");
        assertEquals(0, k.call(Sysno.SYS_UNLINKAT, Fcntl.AT_FDCWD, path("b"), 0));
        assertEquals(-Errno.ENOENT, size("b"));
        assertEquals(0, k.call(Sysno.SYS_MKDIRAT, Fcntl.AT_FDCWD, path("d"), 0755));
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path("d"), st.address(), 0));
        assertEquals(0, k.call(Sysno.SYS_UNLINKAT, Fcntl.AT_FDCWD, path("d"), Fcntl.AT_REMOVEDIR));
        assertEquals(-Errno.ENOENT, size("d"));
    }

    @Test
    void aDirectoryListingMakesMissingNamesBeAskedAgain() throws Exception {
        boot(CacheMode.ALWAYS);
        assertEquals(-Errno.ENOENT, size("new"));
        Files.writeString(dir.resolve("new"), "x");
        assertEquals(-Errno.ENOENT, size("new"), "cached as missing");
        int d = open(".", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        MemorySegment b = k.alloc(4096);
        assertTrue(k.call(Sysno.SYS_GETDENTS64, d, b.address(), 4096) > 0);
        close(d);
        assertEquals(1, size("new"), "listed, so asked again");
    }

    @Test
    void symlinkTargetsAreCached() throws Exception {
        boot(CacheMode.ALWAYS);
        Files.writeString(dir.resolve("t1"), "1");
        Files.writeString(dir.resolve("t2"), "22");
        Files.createSymbolicLink(dir.resolve("l"), Path.of("t1"));
        assertEquals(1, size("l"));
        Files.delete(dir.resolve("l"));
        Files.createSymbolicLink(dir.resolve("l"), Path.of("t2")); // another process, behind the cache
        assertEquals(1, size("l"), "the cached link");
        caches.invalidateAll();
        assertEquals(2, size("l"));
        assertEquals(0, k.call(Sysno.SYS_UNLINKAT, Fcntl.AT_FDCWD, path("l"), 0));
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr("t1"), Fcntl.AT_FDCWD, path("l")));
        assertEquals(1, size("l"), "the kernel's own change");
    }

    @Test
    void hostDescriptorsAndNamesStayUnderTheirLimits() throws Exception {
        boot(CacheMode.ALWAYS);
        int n = HostCaches.MAX_DATA_FDS + 40;
        for (int i = 0; i < n; i++) {
            Files.writeString(dir.resolve("f" + i), Integer.toString(i));
        }
        for (int i = 0; i < n; i++) {
            int fd = open("f" + i, Fcntl.O_RDONLY);
            assertEquals(Integer.toString(i), pread(fd, 16, 0));
            close(fd);
        }
        assertTrue(stat("data_fds") <= HostCaches.MAX_DATA_FDS, "data_fds " + stat("data_fds"));
        assertTrue(stat("data_fds_evicted") >= 40);
        for (int i = 0; i < n; i++) {
            int fd = open("f" + i, Fcntl.O_RDONLY);
            assertEquals(Integer.toString(i), pread(fd, 16, 0), "reopened after its descriptor was closed");
            close(fd);
        }
        Files.createDirectory(dir.resolve("names"));
        for (int i = 0; i < HostCaches.MAX_DENTRIES + 500; i++) {
            assertEquals(-Errno.ENOENT, size("names/missing" + i));
        }
        assertTrue(stat("cached_dentries") <= HostCaches.MAX_DENTRIES, "cached_dentries " + stat("cached_dentries"));
        assertTrue(stat("dentries_pruned") > 0);
        assertEquals(3, size("f100"));
    }

    @Test
    void sendfileFromACachedFile() throws Exception {
        boot(CacheMode.AUTO);
        Files.writeString(dir.resolve("src"), "0123456789");
        int fd = open("src", Fcntl.O_RDWR | Fcntl.O_APPEND);
        assertEquals(3, write(fd, "abc")); // in the tail: sendfile must flush it first
        MemorySegment pipe = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, pipe.address(), Fcntl.O_CLOEXEC));
        int rd = pipe.get(JAVA_INT, 0), wr = pipe.get(JAVA_INT, 4);
        FileDescription w = description(wr);
        w.toHost(); // a host pipe, as sendfile's host path wants
        MemorySegment off = k.alloc(8);
        off.set(JAVA_LONG, 0, 8);
        assertEquals(5, k.call(Sysno.SYS_SENDFILE, wr, fd, off.address(), 100));
        assertEquals(13, off.get(JAVA_LONG, 0), "the offset moved, the file's did not");
        assertEquals(13, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_CUR));
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 2, Fcntl.SEEK_SET) - 2);
        assertEquals(3, k.call(Sysno.SYS_SENDFILE, wr, fd, 0, 3));
        assertEquals(5, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_CUR), "sendfile without an offset moves the file's");
        MemorySegment b = k.alloc(16);
        assertEquals(8, k.call(Sysno.SYS_READ, rd, b.address(), 16));
        assertEquals("89abc234", new String(b.asSlice(0, 8).toArray(JAVA_BYTE), StandardCharsets.US_ASCII));
        for (long bad : BadAddresses.all()) {
            if (bad != 0) { // NULL: no offset of its own
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SENDFILE, wr, fd, bad, 3), Long.toHexString(bad));
            }
        }
        close(rd);
        close(wr);
        close(fd);
    }

    // ---- the tail and its flush points --------------------------------------------------------

    @Test
    void appendsWaitInTheTailUntilFsync() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("log", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_APPEND);
        for (int i = 0; i < 10; i++) {
            assertEquals(1, write(fd, "x"));
        }
        assertEquals(10, size("log"), "the kernel's size counts the tail");
        assertEquals("", host("log"), "not on the host yet");
        assertTrue(stat("dirty_bytes") == 10 && stat("dirty_files") == 1);
        assertEquals(0, k.call(Sysno.SYS_FSYNC, fd));
        assertEquals("x".repeat(10), host("log"));
        assertEquals(0, stat("dirty_bytes"));
        assertEquals(1, stat("flushes_fsync"));
        assertEquals(1, stat("host_syncs"));
        assertEquals(1, write(fd, "y"));
        close(fd);
        assertEquals("x".repeat(10) + "y", host("log"), "close flushes");
        assertEquals(1, stat("flushes_close"));
    }

    @Test
    void theWritebackJobFlushesWithinASecond() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("f", Fcntl.O_WRONLY | Fcntl.O_CREAT);
        assertEquals(3, write(fd, "abc"));
        assertEquals("", host("f"));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!host("f").equals("abc") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("abc", host("f"), "written by the writeback job");
        assertEquals(1, stat("flushes_timer"));
        close(fd);
    }

    @Test
    void aFullTailIsWrittenAndTheRestContinues() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("f", Fcntl.O_WRONLY | Fcntl.O_CREAT);
        MemorySegment b = k.alloc(4096);
        b.fill((byte) 'z');
        long total = 0;
        while (total < 3 * HostCaches.TAIL_SIZE) {
            assertEquals(4096, k.call(Sysno.SYS_WRITE, fd, b.address(), 4096));
            total += 4096;
        }
        assertTrue(stat("flushes_limit") >= 2);
        assertTrue(Files.size(dir.resolve("f")) >= 2 * HostCaches.TAIL_SIZE);
        assertEquals(total, size("f"));
        close(fd);
        assertEquals(total, Files.size(dir.resolve("f")));
    }

    @Test
    void readsSeeTheTailAndHolesAndOverwrites() throws Exception {
        boot(CacheMode.AUTO);
        Files.writeString(dir.resolve("f"), "0123456789");
        int fd = open("f", Fcntl.O_RDWR);
        assertEquals(4, pwrite(fd, "ABCD", 8), "straddles the host's end");
        assertEquals("01234567ABCD", pread(fd, 64, 0));
        assertEquals("01234567AB", host("f"), "the part inside went through the mapping at once");
        assertEquals(1, pwrite(fd, "!", 20), "past the tail: a hole");
        assertEquals(21, size("f"));
        MemorySegment b = k.alloc(32);
        assertEquals(21, k.call(Sysno.SYS_PREAD64, fd, b.address(), 32, 0));
        assertEquals(0, b.get(JAVA_BYTE, 15), "the hole reads as zeros");
        assertEquals('!', b.get(JAVA_BYTE, 20));
        close(fd);
        byte[] h = Files.readAllBytes(dir.resolve("f"));
        assertEquals(21, h.length);
        assertEquals("01234567ABCD", new String(h, 0, 12, StandardCharsets.US_ASCII));
    }

    @Test
    void largeTransfersGoStraightToTheHost() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("big", Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertEquals(3, write(fd, "abc"));
        int n = 1 << 20;
        MemorySegment b = k.alloc(n);
        for (int i = 0; i < n; i++) {
            b.set(JAVA_BYTE, i, (byte) i);
        }
        assertEquals(n, k.call(Sysno.SYS_WRITE, fd, b.address(), n));
        assertEquals(n + 3, Files.size(dir.resolve("big")), "the tail went first, then the large write");
        MemorySegment r = k.alloc(n);
        assertEquals(n, k.call(Sysno.SYS_PREAD64, fd, r.address(), n, 3));
        assertArrayEquals(b.toArray(JAVA_BYTE), r.toArray(JAVA_BYTE));
        assertEquals(1, stat("writes_direct"));
        assertEquals(1, stat("reads_direct"));
        close(fd);
    }

    @Test
    void syncWritesReachTheHostAtOnce() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("s", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_DSYNC);
        assertEquals(2, write(fd, "ab"));
        assertEquals("ab", host("s"));
        assertTrue(stat("host_syncs") >= 1);
        close(fd);
        fd = open("s", Fcntl.O_WRONLY | Fcntl.O_APPEND);
        MemorySegment iov = k.alloc(16);
        MemorySegment data = k.arena.allocateFrom("cd");
        iov.set(JAVA_LONG, 0, data.address());
        iov.set(JAVA_LONG, 8, 2);
        long rwfDsync = 0x2;
        assertEquals(2, k.call(SYS_PWRITEV2, fd, iov.address(), 1, -1, 0, rwfDsync));
        assertEquals("abcd", host("s"), "RWF_DSYNC");
        close(fd);
    }

    @Test
    void childrenSeeWhatTheAppWroteAndTheirChangesAreSeen() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("f", Fcntl.O_RDWR | Fcntl.O_CREAT | Fcntl.O_APPEND);
        assertEquals(3, write(fd, "abc"));
        assertEquals(3, size("f"));
        k.kernel.beforeFork(); // os/exec's fork
        assertEquals("abc", host("f"), "flushed before the child starts");
        assertEquals(1, stat("flushes_fork"));
        assertEquals(3, write(fd, "def"));
        assertEquals("abcdef", host("f"), "while a child runs, writes go through");
        Files.writeString(dir.resolve("f"), "child!!!", StandardOpenOption.APPEND);
        assertEquals(14, size("f"), "while a child runs, nothing cached is trusted");
        caches.childReaped(false);
        assertEquals(14, size("f"));
        assertEquals("abcdefchild!!!", pread(fd, 64, 0));
        assertEquals(1, write(fd, "z"));
        assertEquals("abcdefchild!!!", host("f"), "the tail is back");
        close(fd);
        assertEquals("abcdefchild!!!z", host("f"));
    }

    // An append lands at the host file's end, after what others appended: never over it.

    @Test
    void anAppendAfterAChildAppendedLandsAfterIt() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("log", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_APPEND);
        assertEquals(4, write(fd, "app\n"));
        k.kernel.beforeFork();
        Files.writeString(dir.resolve("log"), "child\n", StandardOpenOption.APPEND); // the child's own append
        caches.childReaped(true);
        assertEquals(4, write(fd, "app\n"));
        assertEquals(14, k.call(Sysno.SYS_LSEEK, fd, 0, 1 /* SEEK_CUR */), "the offset is the end, the child's line counted");
        close(fd);
        assertEquals("app\nchild\napp\n", host("log"));
    }

    @Test
    void appendsWhileAChildRunsLandAfterItsAppends() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("log", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_APPEND);
        k.kernel.beforeFork();
        assertEquals(2, write(fd, "a\n"));
        Files.writeString(dir.resolve("log"), "child\n", StandardOpenOption.APPEND);
        assertEquals(2, write(fd, "b\n"));
        assertEquals("a\nchild\nb\n", host("log"), "written through, each at the end");
        caches.childReaped(true);
        close(fd);
    }

    @Test
    void aTailOfAppendsIsAppendedAfterAnotherProcesssAppends() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("log", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_APPEND);
        assertEquals(2, write(fd, "a\n"));
        Files.writeString(dir.resolve("log"), "other\n", StandardOpenOption.APPEND); // not a child: the kernel is not told
        assertEquals(2, write(fd, "b\n"));
        assertEquals(0, k.call(Sysno.SYS_FSYNC, fd));
        // The appends waited in the kernel's tail: they land after the other process's, whole and in
        // their order, and its line is kept (a write at the size the kernel knew would overwrite it).
        assertEquals("other\na\nb\n", host("log"));
        assertEquals(10, size("log"), "the kernel learnt the host's end");
        assertEquals(2, write(fd, "c\n"));
        close(fd);
        assertEquals("other\na\nb\nc\n", host("log"));
    }

    @Test
    void exitFlushes() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("f", Fcntl.O_WRONLY | Fcntl.O_CREAT);
        assertEquals(4, write(fd, "last"));
        Thread exiter = Thread.ofPlatform().daemon().start(() -> k.kernel.exitGroup(0));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!host("f").equals("last") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("last", host("f"));
        assertTrue(exiter.isAlive(), "exit_group parks its thread");
        k = null; // the kernel has exited: nothing to close through it
    }

    // ---- C code (cgo): ring0Shared.foreign and .dirty, ring0_flush (ABI 5) ----------------------

    /** ring0_attach and ring0_flush, and the words of ring0Shared they share (Go's offsets, ABI 5). */
    private static final int RING0_ATTACH = 1000, RING0_FLUSH = 1003;
    private static final long FOREIGN = 9512, DIRTY = 9520, SHARED_SIZE = 9528;

    /** Attaches an app: its ring0Shared block. */
    private MemorySegment attach() {
        MemorySegment s = k.alloc(SHARED_SIZE);
        s.set(JAVA_LONG, 0, Loader.ABI);
        assertEquals(0, k.call(RING0_ATTACH, s.address()));
        return s;
    }

    @Test
    void cCodeThatRanMakesNothingCachedTrusted() throws Exception {
        boot(CacheMode.ALWAYS);
        MemorySegment shared = attach();
        assertEquals(-Errno.ENOENT, size("made-by-c"));
        Files.writeString(dir.resolve("made-by-c"), "from C"); // C code's open and write, past the kernel
        assertEquals(-Errno.ENOENT, size("made-by-c"), "the missing name is cached");
        shared.set(JAVA_LONG, FOREIGN, 1); // ring0AfterC
        assertEquals(6, size("made-by-c"));
        assertEquals(0, shared.get(JAVA_LONG, FOREIGN), "the kernel took the mark");
        assertEquals(1, stat("cgo_invalidations"));
        Files.writeString(dir.resolve("made-by-c"), "from C, again");
        assertEquals(6, size("made-by-c"), "trusted again until C code runs again");
        shared.set(JAVA_LONG, FOREIGN, 1);
        assertEquals(13, size("made-by-c"));
        assertEquals(2, stat("cgo_invalidations"));
    }

    @Test
    void dirtyDataReachesTheHostBeforeCCodeRuns() throws Exception {
        boot(CacheMode.AUTO);
        MemorySegment shared = attach();
        int fd = open("log", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_APPEND);
        assertEquals(0, shared.get(JAVA_LONG, DIRTY));
        assertEquals(3, write(fd, "abc"));
        assertEquals(1, shared.get(JAVA_LONG, DIRTY), "the kernel holds data the host has not");
        assertEquals("", host("log"));
        assertEquals(0, k.call(RING0_FLUSH)); // ring0BeforeC
        assertEquals("abc", host("log"), "what C code reads");
        assertEquals(0, shared.get(JAVA_LONG, DIRTY));
        assertEquals(1, stat("flushes_cgo"));
        // The C code appends too; the app's next append lands after it, not over it.
        Files.writeString(dir.resolve("log"), "C", StandardOpenOption.APPEND);
        shared.set(JAVA_LONG, FOREIGN, 1); // ring0AfterC
        assertEquals(3, write(fd, "def"));
        close(fd);
        assertEquals("abcCdef", host("log"));
    }

    // ---- coherence with mappings --------------------------------------------------------------

    @Test
    void kernelWritesAndHostChangesMeetInTheSamePages() throws Exception {
        boot(CacheMode.AUTO);
        Files.write(dir.resolve("f"), new byte[8192]);
        int fd = open("f", Fcntl.O_RDWR);
        assertEquals(5, pwrite(fd, "hello", 100));
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
            raf.seek(100);
            byte[] got = new byte[5];
            raf.readFully(got);
            assertEquals("hello", new String(got, StandardCharsets.US_ASCII), "the host sees the kernel's write at once");
            raf.seek(4000);
            raf.write("other".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("other", pread(fd, 5, 4000), "and the kernel the host's");
        close(fd);
    }

    @Test
    void theAppsMappingIsTheCachesPages() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("m", Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertEquals(3, write(fd, "abc")); // in the tail: the mmap must make the host size exact
        long addr = k.call(Sysno.SYS_MMAP, 0, 4096, 3 /* PROT_READ|PROT_WRITE */, 1 /* MAP_SHARED */, fd, 0);
        assertTrue(addr > 0, "mmap: " + addr);
        MemorySegment m = MemorySegment.ofAddress(addr).reinterpret(4096);
        assertEquals('a', m.get(JAVA_BYTE, 0));
        assertEquals(3, Files.size(dir.resolve("m")));
        assertEquals(1, pwrite(fd, "X", 1));
        assertEquals('X', m.get(JAVA_BYTE, 1), "a kernel write shows in the app's mapping");
        m.set(JAVA_BYTE, 2, (byte) 'Y');
        assertEquals("aXY", pread(fd, 8, 0), "a write through the mapping shows in the kernel's read");
        assertEquals(2, write(fd, "zz"));
        assertEquals(5, Files.size(dir.resolve("m")), "mapped: the host size stays exact");
        // MAP_SHARED writable needs a descriptor that may write.
        int ro = open("m", Fcntl.O_RDONLY);
        assertEquals(-Errno.EACCES, k.call(Sysno.SYS_MMAP, 0, 4096, 3, 1, ro, 0));
        long priv = k.call(Sysno.SYS_MMAP, 0, 4096, 3, 2 /* MAP_PRIVATE */, ro, 0);
        assertTrue(priv > 0);
        k.call(11 /* munmap */, priv, 4096);
        k.call(11, addr, 4096);
        close(ro);
        close(fd);
    }

    @Test
    void aTruncationByAnotherProcessUnderTheMappingIsSurvived() throws Exception {
        boot(CacheMode.AUTO);
        Files.write(dir.resolve("t"), new byte[1 << 20]);
        int fd = open("t", Fcntl.O_RDWR);
        assertEquals("\0\0\0\0", pread(fd, 4, 8192), "mapped now");
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("t").toFile(), "rw")) {
            raf.setLength(0); // the kernel still believes 1 MiB
        }
        MemorySegment b = k.alloc(4096);
        assertEquals(0, k.call(Sysno.SYS_PREAD64, fd, b.address(), 4096, 65536), "the host's answer: the end");
        assertTrue(stat("mapping_faults") >= 1, "the fault was met and survived");
        assertEquals(0, size("t"));
        assertEquals(5, pwrite(fd, "again", 0));
        assertEquals("again", pread(fd, 16, 0));
        close(fd);
        assertEquals("again", host("t"));
    }

    // ---- descriptions on the host -------------------------------------------------------------

    @Test
    void toHostMovesTheDescriptionWithItsOffset() throws Exception {
        boot(CacheMode.AUTO);
        int fd = open("f", Fcntl.O_RDWR | Fcntl.O_CREAT);
        assertEquals(6, write(fd, "parent"));
        FileDescription f = description(fd);
        long h = f.toHost(); // a child inherits it
        assertTrue(h >= 0);
        assertEquals("parent", host("f"));
        assertEquals(6, ring0.host.Host.call(Sysno.SYS_LSEEK, h, 0, Fcntl.SEEK_CUR), "at the kernel's offset");
        assertEquals(1, stat("promoted_files"));
        assertEquals(4, write(fd, "+odd"));
        assertEquals("parent+odd", host("f"), "from now on the host's");
        assertEquals(h, f.hostFd());
        close(fd);
    }

    @Test
    void locksHoldBetweenDescriptions() throws Exception {
        boot(CacheMode.AUTO);
        int a = open("l", Fcntl.O_RDWR | Fcntl.O_CREAT);
        int b = open("l", Fcntl.O_RDWR);
        assertEquals(0, k.call(Sysno.SYS_FLOCK, a, Fcntl.LOCK_EX | Fcntl.LOCK_NB));
        assertEquals(-Errno.EWOULDBLOCK, k.call(Sysno.SYS_FLOCK, b, Fcntl.LOCK_EX | Fcntl.LOCK_NB));
        assertTrue(((HostFileDescription) description(a)).isCached(), "a lock leaves the data cached");
        assertEquals(3, write(a, "abc"));
        assertEquals("abc", pread(b, 8, 0));
        close(a);
        assertEquals(0, k.call(Sysno.SYS_FLOCK, b, Fcntl.LOCK_EX | Fcntl.LOCK_NB));
        close(b);
    }

    @Test
    void concurrentOpensReadsAndAppendsOfOneFile() throws Exception {
        boot(CacheMode.AUTO);
        Files.writeString(dir.resolve("f"), "0123456789");
        int log = open("log", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_APPEND);
        long p = path("f");
        int threads = 4, rounds = 20_000;
        java.util.concurrent.atomic.AtomicReference<String> bad = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ring0.kernel.Task task = k.kernel.tasks.create();
            MemorySegment seg = k.alloc(16);
            long buf = seg.address();
            ts[i] = Thread.ofPlatform().uncaughtExceptionHandler((th, e) -> bad.compareAndSet(null, e.toString())).start(() -> {
                for (int r = 0; r < rounds && bad.get() == null; r++) {
                    long fd = k.entry.dispatch(task, Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, p, Fcntl.O_RDONLY, 0, 0, 0);
                    long a = k.entry.dispatch(task, Sysno.SYS_READ, fd, buf, 4, 0, 0, 0);
                    long b = k.entry.dispatch(task, Sysno.SYS_READ, fd, buf + 4, 4, 0, 0, 0);
                    long w = k.entry.dispatch(task, Sysno.SYS_WRITE, log, buf, 1, 0, 0, 0);
                    long c = k.entry.dispatch(task, Sysno.SYS_CLOSE, fd, 0, 0, 0, 0, 0);
                    String got = new String(seg.asSlice(0, 8).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
                    if (fd < 0 || a != 4 || b != 4 || w != 1 || c != 0 || !got.startsWith("01234567")) {
                        bad.compareAndSet(null, "fd " + fd + " reads " + a + " " + b + " write " + w + " close " + c + " " + got);
                    }
                }
            });
        }
        for (Thread x : ts) {
            x.join();
        }
        assertEquals(null, bad.get());
        assertEquals(threads * rounds, size("log"));
        close(log);
        assertEquals(threads * rounds, Files.size(dir.resolve("log")));
    }

    // ---- bad pointers and allocation ----------------------------------------------------------

    @Test
    void badBuffersAreEfault() throws Exception {
        boot(CacheMode.AUTO);
        Files.write(dir.resolve("f"), new byte[1 << 17]);
        int fd = open("f", Fcntl.O_RDWR);
        for (long bad : BadAddresses.all()) {
            for (long n : new long[] {16, 1 << 16}) {
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PREAD64, fd, bad, n, 0), "pread " + Long.toHexString(bad));
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, bad, n), "read " + Long.toHexString(bad));
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PWRITE64, fd, bad, n, 0), "pwrite " + Long.toHexString(bad));
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PWRITE64, fd, bad, n, 1 << 17), "append " + Long.toHexString(bad));
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, fd, bad, n), "write " + Long.toHexString(bad));
            }
            assertEquals(-Errno.EFAULT, k.call(SYS_READV, fd, bad, 1), "readv " + Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_IOCTL, fd, Fcntl.FIONREAD, bad), "FIONREAD " + Long.toHexString(bad));
        }
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_CUR), "no failed call moved the offset");
        assertEquals(1 << 17, size("f"), "nor wrote anything");
        close(fd);
    }

    /**
     * Bytes the thread allocated running op 10,000 times once warm: the least of three tries, since
     * the JIT may allocate once while it compiles and deoptimizes (re-materializing an object it had
     * scalar-replaced); an allocation per op shows in every try.
     */
    private static long allocated(LongSupplier op) {
        for (int i = 0; i < 30_000; i++) {
            op.getAsLong();
        }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3 && least > 0; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                op.getAsLong();
            }
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    @Test
    void cachedHotPathsAllocateNothing() throws Exception {
        boot(CacheMode.ALWAYS);
        Files.createDirectories(dir.resolve("a/b"));
        Files.write(dir.resolve("a/b/f"), new byte[8192]);
        int fd = open("a/b/f", Fcntl.O_RDWR);
        long buf = k.alloc(4096).address(), st = k.alloc(Stat.STAT_SIZE).address(), p = path("a/b/f");
        var e = k.entry;
        var t = k.task;
        assertEquals(0, allocated(() -> e.dispatch(t, Sysno.SYS_PREAD64, fd, buf, 4096, 0, 0, 0)), "pread");
        assertEquals(0, allocated(() -> e.dispatch(t, Sysno.SYS_PWRITE64, fd, buf, 64, 100, 0, 0)), "pwrite");
        assertEquals(0, allocated(() -> e.dispatch(t, Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_SET, 0, 0, 0)
                + e.dispatch(t, Sysno.SYS_READ, fd, buf, 16, 0, 0, 0)), "read");
        assertEquals(0, allocated(() -> e.dispatch(t, Sysno.SYS_FSTAT, fd, st, 0, 0, 0, 0)), "fstat");
        assertEquals(0, allocated(() -> e.dispatch(t, Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, p, st, 0, 0, 0)), "stat");
        assertEquals(0, allocated(() -> e.dispatch(t, Sysno.SYS_CLOSE,
                e.dispatch(t, Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, p, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0, 0, 0), 0, 0, 0, 0, 0)),
                "open and close (the description is reused)");
        int app = open("a/b/log", Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_APPEND);
        assertEquals(0, allocated(() -> e.dispatch(t, Sysno.SYS_WRITE, app, buf, 1, 0, 0, 0)), "1-byte append");
        close(app);
        close(fd);
    }
}
