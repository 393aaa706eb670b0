package ring0.vfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.Mounts;
import ring0.syscall.TestKernel;
import ring0.usermem.BadAddresses;

/**
 * What every filesystem must do, through the system calls an app makes (Netty's testsuite style:
 * written once, run on each filesystem by a subclass that says how to mount it). The filesystem is
 * mounted over a fresh temporary directory, {@link #dir}, in a fresh kernel; every path is under it.
 */
public abstract class FilesystemContractTest {
    protected static final int O_RDONLY = Fcntl.O_RDONLY, O_WRONLY = Fcntl.O_WRONLY, O_RDWR = Fcntl.O_RDWR;
    protected static final int O_CREAT = Fcntl.O_CREAT, O_EXCL = Fcntl.O_EXCL, O_TRUNC = Fcntl.O_TRUNC;
    protected static final int O_DIRECTORY = Fcntl.O_DIRECTORY, O_NOFOLLOW = Fcntl.O_NOFOLLOW, O_APPEND = Fcntl.O_APPEND;
    protected static final int AT = Fcntl.AT_FDCWD;

    @TempDir
    protected Path dir;
    protected TestKernel k;

    /** The --mount spec that puts the filesystem under test over dir. */
    protected abstract Mounts.Spec mountOver(Path dir);

    @BeforeEach
    void mount() throws Exception {
        k = new TestKernel();
        Mounts.apply(k.kernel.vfs, List.of(mountOver(dir)));
    }

    @AfterEach
    void unmount() {
        k.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    protected String p(String rel) {
        return dir + "/" + rel;
    }

    protected long path(String rel) {
        return k.cstr(rel.startsWith("/") ? rel : p(rel));
    }

    protected long open(String rel, int flags) {
        return k.call(Sysno.SYS_OPENAT, AT, path(rel), flags | Fcntl.O_CLOEXEC, 0644);
    }

    /** Reads the file at path as the kernel resolves it from the working directory. */
    protected String readRelative(String path) {
        long fd = k.call(Sysno.SYS_OPENAT, AT, k.cstr(path), O_RDONLY, 0);
        assertTrue(fd >= 0, "open " + path + ": " + fd);
        String s = read(fd, 4096);
        close(fd);
        return s;
    }

    protected int openOk(String rel, int flags) {
        long fd = open(rel, flags);
        assertTrue(fd >= 0, "open " + rel + ": " + fd);
        return (int) fd;
    }

    protected long write(long fd, String s) {
        MemorySegment b = k.arena.allocateFrom(s, StandardCharsets.UTF_8);
        return k.call(Sysno.SYS_WRITE, fd, b.address(), b.byteSize() - 1);
    }

    protected String read(long fd, int max) {
        MemorySegment b = k.alloc(max + 1);
        long n = k.call(Sysno.SYS_READ, fd, b.address(), max);
        assertTrue(n >= 0, "read: " + n);
        return new String(b.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    protected String readAll(String rel) {
        int fd = openOk(rel, O_RDONLY);
        StringBuilder b = new StringBuilder();
        for (String s; !(s = read(fd, 4096)).isEmpty(); ) {
            b.append(s);
        }
        close(fd);
        return b.toString();
    }

    protected void create(String rel, String contents) {
        int fd = openOk(rel, O_WRONLY | O_CREAT | O_TRUNC);
        assertEquals(contents.length(), write(fd, contents));
        close(fd);
    }

    protected void close(long fd) {
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
    }

    protected long mkdir(String rel) {
        return k.call(Sysno.SYS_MKDIRAT, AT, path(rel), 0755);
    }

    /** struct stat of rel (lstat if nofollow), or null with the errno in the message of a failure. */
    protected MemorySegment stat(String rel, boolean nofollow) {
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        long r = k.call(Sysno.SYS_NEWFSTATAT, AT, path(rel), st.address(), nofollow ? Fcntl.AT_SYMLINK_NOFOLLOW : 0);
        assertEquals(0, r, "stat " + rel);
        return st;
    }

    protected long statErr(String rel) {
        return k.call(Sysno.SYS_NEWFSTATAT, AT, path(rel), k.alloc(Stat.STAT_SIZE).address(), 0);
    }

    protected static int mode(MemorySegment st) {
        return st.get(JAVA_INT, Stat.ST_MODE);
    }

    protected static long size(MemorySegment st) {
        return st.get(JAVA_LONG, Stat.ST_SIZE);
    }

    protected static long nlink(MemorySegment st) {
        return st.get(JAVA_LONG, Stat.ST_NLINK);
    }

    protected static long ino(MemorySegment st) {
        return st.get(JAVA_LONG, Stat.ST_INO);
    }

    /** The names getdents64 lists in the directory open at fd, in order, with a buffer of size bytes. */
    protected List<String> list(long fd, int size) {
        List<String> names = new ArrayList<>();
        MemorySegment b = k.alloc(size);
        for (;;) {
            long n = k.call(Sysno.SYS_GETDENTS64, fd, b.address(), size);
            assertTrue(n >= 0, "getdents64: " + n);
            if (n == 0) {
                return names;
            }
            for (long off = 0; off < n; ) {
                int reclen = b.get(JAVA_SHORT, off + 16) & 0xffff;
                names.add(b.asSlice(off + 19).getString(0, StandardCharsets.UTF_8));
                off += reclen;
            }
        }
    }

    protected TreeSet<String> listDir(String rel) {
        int fd = openOk(rel, O_RDONLY | O_DIRECTORY);
        TreeSet<String> names = new TreeSet<>(list(fd, 4096));
        close(fd);
        names.remove(".");
        names.remove("..");
        return names;
    }

    // ---- files --------------------------------------------------------------------------------

    @Test
    void createWriteSeekRead() {
        int fd = openOk("f", O_RDWR | O_CREAT | O_EXCL);
        assertEquals(11, write(fd, "hello world"));
        assertEquals(6, k.call(Sysno.SYS_LSEEK, fd, 6, Fcntl.SEEK_SET));
        assertEquals("world", read(fd, 64));
        assertEquals("", read(fd, 64), "end of file");
        assertEquals(11, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_END));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_LSEEK, fd, -1, Fcntl.SEEK_SET));
        MemorySegment b = k.alloc(8);
        assertEquals(5, k.call(Sysno.SYS_PREAD64, fd, b.address(), 5, 0));
        assertEquals("hello", b.getString(0).substring(0, 5));
        assertEquals(11, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_CUR), "pread leaves the offset");
        close(fd);
        assertEquals(-Errno.EEXIST, open("f", O_RDWR | O_CREAT | O_EXCL));
        assertEquals("hello world", readAll("f"));
        assertEquals(-Errno.ENOENT, open("missing", O_RDONLY));
        assertEquals(-Errno.ENOENT, open("missing/x", O_RDWR | O_CREAT));
        assertEquals(-Errno.ENOTDIR, open("f/x", O_RDONLY));
        assertEquals(-Errno.ENOTDIR, open("f", O_RDONLY | O_DIRECTORY));
        assertEquals(-Errno.EISDIR, open(".", O_RDWR));
        assertEquals(-Errno.EISDIR, open("g/", O_RDWR | O_CREAT), "a trailing slash cannot create a file");
        assertEquals(-Errno.EINVAL, open("h", O_RDWR | O_CREAT | O_DIRECTORY));
    }

    @Test
    void appendTruncateAndSparse() {
        create("f", "12345");
        int fd = openOk("f", O_WRONLY | O_APPEND);
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_SET));
        assertEquals(3, write(fd, "678"));
        close(fd);
        assertEquals("12345678", readAll("f"));
        assertEquals(0, k.call(Sysno.SYS_TRUNCATE, path("f"), 3));
        assertEquals("123", readAll("f"));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_TRUNCATE, path("f"), -1));
        assertEquals(-Errno.EISDIR, k.call(Sysno.SYS_TRUNCATE, path("."), 0));
        fd = openOk("f", O_RDWR);
        assertEquals(0, k.call(Sysno.SYS_FTRUNCATE, fd, 1 << 20));
        assertEquals(1 << 20, size(stat("f", false)));
        assertEquals(1 << 20, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_END));
        MemorySegment b = k.alloc(4);
        b.set(JAVA_INT, 0, -1);
        assertEquals(4, k.call(Sysno.SYS_PREAD64, fd, b.address(), 4, 4096));
        assertEquals(0, b.get(JAVA_INT, 0), "a hole reads as zeros");
        close(fd);
        fd = openOk("f", O_WRONLY | O_TRUNC);
        close(fd);
        assertEquals(0, size(stat("f", false)));
    }

    @Test
    void statFields() {
        create("f", "abc");
        MemorySegment st = stat("f", false);
        assertEquals(Stat.S_IFREG, mode(st) & Stat.S_IFMT);
        assertEquals(3, size(st));
        assertEquals(1, nlink(st));
        assertNotEquals(0, ino(st));
        assertTrue(st.get(JAVA_LONG, Stat.ST_BLKSIZE) > 0);
        int fd = openOk("f", O_RDONLY);
        MemorySegment fst = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, fst.address()));
        assertEquals(ino(st), ino(fst), "fstat and stat agree");
        assertEquals(st.get(JAVA_LONG, Stat.ST_DEV), fst.get(JAVA_LONG, Stat.ST_DEV));
        MemorySegment empty = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, fd, k.cstr(""), empty.address(), Fcntl.AT_EMPTY_PATH));
        assertEquals(ino(st), ino(empty));
        MemorySegment stx = k.alloc(Stat.STATX_STRUCT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_STATX, AT, path("f"), 0, Stat.STATX_BASIC_STATS, stx.address()));
        assertEquals(ino(st), stx.get(JAVA_LONG, Stat.STX_INO));
        assertEquals(3, stx.get(JAVA_LONG, Stat.STX_SIZE));
        assertEquals(Stat.STATX_BASIC_STATS, stx.get(JAVA_INT, Stat.STX_MASK) & Stat.STATX_BASIC_STATS);
        close(fd);
        MemorySegment d = stat(".", false);
        assertEquals(Stat.S_IFDIR, mode(d) & Stat.S_IFMT);
        assertTrue(nlink(d) >= 2);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_NEWFSTATAT, AT, path("f"), k.alloc(Stat.STAT_SIZE).address(), 0x8000));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_STATX, AT, path("f"), 0, Stat.STATX__RESERVED, stx.address()));
    }

    @Test
    void chmodChownUtimes() {
        create("f", "x");
        assertEquals(0, k.call(Sysno.SYS_FCHMODAT, AT, path("f"), 0600));
        assertEquals(0600, mode(stat("f", false)) & 07777);
        int fd = openOk("f", O_RDONLY);
        assertEquals(0, k.call(Sysno.SYS_FCHMOD, fd, 0640));
        assertEquals(0640, mode(stat("f", false)) & 07777);
        MemorySegment st = stat("f", false);
        assertEquals(0, k.call(Sysno.SYS_FCHOWNAT, AT, path("f"), -1, -1, 0), "-1 changes nothing");
        assertEquals(st.get(JAVA_INT, Stat.ST_UID), stat("f", false).get(JAVA_INT, Stat.ST_UID));
        MemorySegment times = k.alloc(32);
        times.set(JAVA_LONG, 0, 1_000_000);
        times.set(JAVA_LONG, 8, 5);
        times.set(JAVA_LONG, 16, 2_000_000);
        times.set(JAVA_LONG, 24, 7);
        assertEquals(0, k.call(Sysno.SYS_UTIMENSAT, AT, path("f"), times.address(), 0));
        st = stat("f", false);
        assertEquals(1_000_000, st.get(JAVA_LONG, Stat.ST_ATIME));
        assertEquals(5, st.get(JAVA_LONG, Stat.ST_ATIME + 8));
        assertEquals(2_000_000, st.get(JAVA_LONG, Stat.ST_MTIME));
        assertEquals(7, st.get(JAVA_LONG, Stat.ST_MTIME + 8));
        times.set(JAVA_LONG, 8, Fcntl.UTIME_OMIT);
        times.set(JAVA_LONG, 16, 3_000_000);
        times.set(JAVA_LONG, 24, 0);
        assertEquals(0, k.call(Sysno.SYS_UTIMENSAT, fd, 0, times.address(), 0), "futimens");
        st = stat("f", false);
        assertEquals(1_000_000, st.get(JAVA_LONG, Stat.ST_ATIME), "omitted");
        assertEquals(3_000_000, st.get(JAVA_LONG, Stat.ST_MTIME));
        times.set(JAVA_LONG, 8, 1_000_000_000);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_UTIMENSAT, AT, path("f"), times.address(), 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_UTIMENSAT, fd, 0, 0, Fcntl.AT_SYMLINK_NOFOLLOW));
        close(fd);
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_FCHMODAT, AT, path("missing"), 0600));
    }

    // ---- directories --------------------------------------------------------------------------

    @Test
    void mkdirRmdir() {
        assertEquals(0, mkdir("d"));
        assertEquals(-Errno.EEXIST, mkdir("d"));
        assertEquals(-Errno.EEXIST, mkdir("."));
        assertEquals(0, mkdir("e/"), "mkdir with a trailing slash");
        create("d/f", "x");
        assertEquals(-Errno.ENOTEMPTY, k.call(Sysno.SYS_RMDIR, path("d")));
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_RMDIR, path("d/f")));
        assertEquals(-Errno.EISDIR, k.call(Sysno.SYS_UNLINKAT, AT, path("d"), 0));
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_UNLINKAT, AT, path("d/f/"), 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_RMDIR, path("d/.")));
        assertEquals(-Errno.ENOTEMPTY, k.call(Sysno.SYS_RMDIR, path("d/..")));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_UNLINKAT, AT, path("d"), 0x1));
        assertEquals(0, k.call(Sysno.SYS_UNLINK, path("d/f")));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_UNLINK, path("d/f")));
        assertEquals(0, k.call(Sysno.SYS_UNLINKAT, AT, path("d"), Fcntl.AT_REMOVEDIR));
        assertEquals(-Errno.ENOENT, statErr("d"));
        assertEquals(-Errno.ENOENT, mkdir("x/y"));
        assertEquals(-Errno.ENOENT, mkdir("e/../e/../missing/../e"), "missing is looked up before ..");
        create("file", "");
        assertEquals(-Errno.ENOTDIR, mkdir("file/../e3"));
    }

    @Test
    void getdentsListsEveryEntryOnceWithStableOffsets() {
        assertEquals(0, mkdir("d"));
        TreeSet<String> want = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            String name = "entry-with-a-long-name-" + i;
            create("d/" + name, "");
            want.add(name);
        }
        assertEquals(want, listDir("d"));
        // A small buffer: several calls, the same set; and a buffer too small for one record.
        int fd = openOk("d", O_RDONLY | O_DIRECTORY);
        assertEquals(want.size() + 2, list(fd, 128).size());
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_LSEEK, fd, -1, Fcntl.SEEK_SET));
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_SET), "rewind");
        MemorySegment b = k.alloc(64);
        long n = k.call(Sysno.SYS_GETDENTS64, fd, b.address(), 64);
        assertTrue(n > 0);
        long resume = b.get(JAVA_LONG, 8); // d_off of the first record: where the second starts
        List<String> all = list(fd, 4096);
        assertEquals(resume, k.call(Sysno.SYS_LSEEK, fd, resume, Fcntl.SEEK_SET));
        List<String> again = list(fd, 4096);
        assertTrue(again.size() >= all.size(), "seeking to a d_off resumes the listing");
        assertEquals(0, k.call(Sysno.SYS_GETDENTS64, fd, b.address(), 8), "the end, whatever the size");
        assertEquals(0, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_SET));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_GETDENTS64, fd, b.address(), 8), "no record fits");
        close(fd);
        // Entries removed while listing do not disturb the rest.
        fd = openOk("d", O_RDONLY | O_DIRECTORY);
        assertTrue(k.call(Sysno.SYS_GETDENTS64, fd, k.alloc(512).address(), 512) > 0);
        for (String name : want) {
            if (name.endsWith("7")) {
                assertEquals(0, k.call(Sysno.SYS_UNLINK, path("d/" + name)));
            }
        }
        List<String> rest = list(fd, 4096);
        for (String name : rest) {
            assertTrue(!name.endsWith("7") || name.equals("."), "removed entry listed: " + name);
        }
        close(fd);
        fd = openOk("d/entry-with-a-long-name-1", O_RDONLY);
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_GETDENTS64, fd, b.address(), 64));
        close(fd);
    }

    // ---- names --------------------------------------------------------------------------------

    @Test
    void renameReplacesNoreplaceAndExchange() {
        create("a", "A");
        create("b", "B");
        assertEquals(0, k.call(Sysno.SYS_RENAMEAT2, AT, path("a"), AT, path("c"), 0));
        assertEquals(-Errno.ENOENT, statErr("a"));
        assertEquals("A", readAll("c"));
        assertEquals(0, k.call(Sysno.SYS_RENAMEAT2, AT, path("c"), AT, path("b"), 0), "replaces");
        assertEquals("A", readAll("b"));
        create("c", "C");
        assertEquals(-Errno.EEXIST, k.call(Sysno.SYS_RENAMEAT2, AT, path("c"), AT, path("b"), Fcntl.RENAME_NOREPLACE));
        assertEquals(0, k.call(Sysno.SYS_RENAMEAT2, AT, path("c"), AT, path("b"), Fcntl.RENAME_EXCHANGE));
        assertEquals("C", readAll("b"));
        assertEquals("A", readAll("c"));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_RENAMEAT2, AT, path("c"), AT, path("zz"), Fcntl.RENAME_EXCHANGE));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_RENAMEAT2, AT, path("c"), AT, path("b"),
                Fcntl.RENAME_EXCHANGE | Fcntl.RENAME_NOREPLACE));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_RENAMEAT2, AT, path("c"), AT, path("b"), 0x100));
        // Directories.
        assertEquals(0, mkdir("d"));
        assertEquals(0, mkdir("d/sub"));
        assertEquals(0, mkdir("e"));
        create("e/f", "");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_RENAME, path("d"), path("d/sub/x")), "into itself");
        assertEquals(-Errno.ENOTEMPTY, k.call(Sysno.SYS_RENAME, path("d"), path("e")));
        assertEquals(-Errno.EISDIR, k.call(Sysno.SYS_RENAME, path("b"), path("d")));
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_RENAME, path("d"), path("b")));
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_RENAME, path("b/"), path("q")));
        assertEquals(-Errno.EBUSY, k.call(Sysno.SYS_RENAME, path("d/."), path("q")));
        assertEquals(0, k.call(Sysno.SYS_RENAME, path("d"), path("e/moved")));
        assertEquals(Stat.S_IFDIR, mode(stat("e/moved/sub", false)) & Stat.S_IFMT);
        assertEquals(0, k.call(Sysno.SYS_RENAME, path("c"), path("c")), "onto itself");
    }

    @Test
    void renameWhiteoutLeavesACharacterDevice() {
        create("a", "A");
        long r = k.call(Sysno.SYS_RENAMEAT2, AT, path("a"), AT, path("b"), Fcntl.RENAME_WHITEOUT);
        org.junit.jupiter.api.Assumptions.assumeTrue(r != -Errno.EPERM, "CAP_MKNOD");
        assertEquals(0, r);
        assertEquals("A", readAll("b"));
        MemorySegment st = stat("a", true);
        assertEquals(Stat.S_IFCHR, mode(st), "a whiteout: character device 0:0, mode 0");
        assertEquals(0, st.get(JAVA_LONG, Stat.ST_RDEV));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_RENAMEAT2, AT, path("b"), AT, path("c"),
                Fcntl.RENAME_WHITEOUT | Fcntl.RENAME_EXCHANGE));
    }

    @Test
    void getdentsOfARemovedDirectoryIsEnoent() {
        assertEquals(0, mkdir("d"));
        int fd = openOk("d", O_RDONLY | O_DIRECTORY);
        assertEquals(0, k.call(Sysno.SYS_RMDIR, path("d")));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_GETDENTS64, fd, k.alloc(4096).address(), 4096), "IS_DEADDIR");
        close(fd);
    }

    @Test
    void renameKeepsOpenFilesAndWorkingDirectory() {
        assertEquals(0, mkdir("d"));
        create("d/f", "F");
        int fd = openOk("d/f", O_RDONLY);
        assertEquals(0, k.call(Sysno.SYS_CHDIR, path("d")));
        assertEquals(0, k.call(Sysno.SYS_RENAME, path("d"), path("d2")));
        assertEquals("F", read(fd, 10));
        MemorySegment buf = k.alloc(4096);
        long n = k.call(Sysno.SYS_GETCWD, buf.address(), 4096);
        assertEquals(p("d2"), buf.getString(0));
        assertEquals(p("d2").length() + 1, n);
        assertEquals("F", readRelative("f"), "relative to the moved working directory");
        close(fd);
    }

    @Test
    void linkUnlinkAndLinkCounts() {
        create("a", "data");
        assertEquals(0, k.call(Sysno.SYS_LINKAT, AT, path("a"), AT, path("b"), 0));
        assertEquals(2, nlink(stat("a", false)));
        assertEquals(ino(stat("a", false)), ino(stat("b", false)));
        assertEquals(-Errno.EEXIST, k.call(Sysno.SYS_LINKAT, AT, path("a"), AT, path("b"), 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_LINKAT, AT, path("a"), AT, path("c"), 0x1));
        assertEquals(0, mkdir("d"));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_LINKAT, AT, path("d"), AT, path("d2"), 0), "no links to directories");
        int fd = openOk("a", O_RDONLY);
        assertEquals(0, k.call(Sysno.SYS_UNLINK, path("a")));
        assertEquals(1, nlink(stat("b", false)));
        assertEquals(0, k.call(Sysno.SYS_UNLINK, path("b")));
        assertEquals("data", read(fd, 10), "an unlinked open file is still readable");
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        assertEquals(0, nlink(st));
        close(fd);
        assertEquals(0, mkdir("d/x"));
        assertEquals(3, nlink(stat("d", false)), "a subdirectory's .. links its parent");
    }

    @Test
    void symlinksReadlinkAndLoops() {
        create("target", "T");
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr("target"), AT, path("link")));
        assertEquals("T", readAll("link"));
        assertEquals(Stat.S_IFLNK, mode(stat("link", true)) & Stat.S_IFMT);
        assertEquals(6, size(stat("link", true)));
        assertEquals(Stat.S_IFREG, mode(stat("link", false)) & Stat.S_IFMT);
        MemorySegment b = k.alloc(64);
        assertEquals(6, k.call(Sysno.SYS_READLINKAT, AT, path("link"), b.address(), 64));
        assertEquals("target", new String(b.asSlice(0, 6).toArray(JAVA_BYTE)));
        assertEquals(3, k.call(Sysno.SYS_READLINKAT, AT, path("link"), b.address(), 3), "truncated, no NUL");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_READLINKAT, AT, path("target"), b.address(), 64));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_READLINKAT, AT, path("link"), b.address(), 0));
        assertEquals(-Errno.EEXIST, k.call(Sysno.SYS_SYMLINKAT, k.cstr("x"), AT, path("link")));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_SYMLINKAT, k.cstr(""), AT, path("empty")));
        assertEquals(-Errno.ELOOP, open("link", O_RDONLY | O_NOFOLLOW));
        // Dangling, and O_CREAT through a dangling link creates its target.
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr("made"), AT, path("dangling")));
        assertEquals(-Errno.ENOENT, open("dangling", O_RDONLY));
        close(openOk("dangling", O_WRONLY | O_CREAT));
        assertEquals(0, statErr("made"));
        assertEquals(-Errno.EEXIST, open("dangling", O_WRONLY | O_CREAT | O_EXCL));
        // Directories through links, absolute targets, and .. after a link.
        assertEquals(0, mkdir("d"));
        create("d/inner", "I");
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr(p("d")), AT, path("abs")));
        assertEquals("I", readAll("abs/inner"));
        assertEquals("T", readAll("abs/../target"));
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr("d/"), AT, path("slash")));
        assertEquals(Stat.S_IFDIR, mode(stat("slash/", false)) & Stat.S_IFMT);
        assertEquals(-Errno.ENOTDIR, statErr("link/"));
        // A loop, and a chain longer than 40.
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr("loop2"), AT, path("loop1")));
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr("loop1"), AT, path("loop2")));
        assertEquals(-Errno.ELOOP, open("loop1", O_RDONLY));
        assertEquals(-Errno.ELOOP, statErr("loop1/x"));
        String prev = "target";
        for (int i = 0; i < 41; i++) {
            assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr(prev), AT, path("chain" + i)));
            prev = "chain" + i;
        }
        assertEquals(0, statErr("chain39"), "40 links followed");
        assertEquals(-Errno.ELOOP, statErr("chain40"), "the 41st is one too many");
    }

    @Test
    void longNames() {
        String name255 = "n".repeat(255), name256 = "n".repeat(256);
        create(name255, "ok");
        assertEquals("ok", readAll(name255));
        assertEquals(-Errno.ENAMETOOLONG, open(name256, O_RDWR | O_CREAT));
        assertEquals(-Errno.ENAMETOOLONG, statErr(name256));
        assertEquals(-Errno.ENAMETOOLONG, mkdir(name256));
        assertEquals(-Errno.ENAMETOOLONG, statErr(name256 + "/x"));
        StringBuilder deep = new StringBuilder(dir.toString());
        while (deep.length() < Nameidata.PATH_MAX) {
            deep.append("/.");
        }
        assertEquals(-Errno.ENAMETOOLONG, k.call(Sysno.SYS_NEWFSTATAT, AT, k.cstr(deep.toString()),
                k.alloc(Stat.STAT_SIZE).address(), 0), "a path of PATH_MAX bytes or more");
        String fits = deep.substring(0, Nameidata.PATH_MAX - 1);
        if (fits.endsWith("/")) {
            fits = fits.substring(0, fits.length() - 1);
        }
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, AT, k.cstr(fits), k.alloc(Stat.STAT_SIZE).address(), 0));
    }

    @Test
    void dotDotAndRoots() {
        assertEquals(0, mkdir("d"));
        create("f", "F");
        assertEquals("F", readAll("d/../f"));
        assertEquals("F", readAll("d/./.././d/../f"));
        assertEquals(ino(stat(".", false)), ino(stat("d/..", false)));
        // ".." from the mount's root leaves the mount, to the directory under it: its parent.
        MemorySegment above = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, AT, k.cstr(dir.getParent().toString()), above.address(), 0));
        assertEquals(ino(above), ino(stat("..", false)));
        MemorySegment root = k.alloc(Stat.STAT_SIZE), rootUp = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, AT, k.cstr("/"), root.address(), 0));
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, AT, k.cstr("/../../.."), rootUp.address(), 0));
        assertEquals(ino(root), ino(rootUp), ".. at / stays at /");
    }

    @Test
    void dirfdsAndWorkingDirectory() {
        assertEquals(0, mkdir("d"));
        create("d/f", "F");
        int dfd = openOk("d", O_RDONLY | O_DIRECTORY);
        long fd = k.call(Sysno.SYS_OPENAT, dfd, k.cstr("f"), O_RDONLY, 0);
        assertTrue(fd >= 0);
        assertEquals("F", read(fd, 4));
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_OPENAT, fd, k.cstr("x"), O_RDONLY, 0), "a file as a dirfd");
        long abs = k.call(Sysno.SYS_OPENAT, 9999, k.cstr(p("d/f")), O_RDONLY, 0);
        assertTrue(abs >= 0, "an absolute path ignores the dirfd: " + abs);
        close(abs);
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_OPENAT, 9999, k.cstr("f"), O_RDONLY, 0));
        close(fd);
        assertEquals(0, k.call(Sysno.SYS_FCHDIR, dfd));
        assertEquals("F", readRelative("f"));
        MemorySegment buf = k.alloc(4096);
        assertEquals(p("d").length() + 1, k.call(Sysno.SYS_GETCWD, buf.address(), 4096));
        assertEquals(p("d"), buf.getString(0));
        assertEquals(-Errno.ERANGE, k.call(Sysno.SYS_GETCWD, buf.address(), 3));
        long file = openOk("d/f", O_RDONLY);
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_FCHDIR, file));
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_CHDIR, path("d/f")));
        close(file);
        assertEquals(-Errno.ENOTEMPTY, k.call(Sysno.SYS_RMDIR, path("d")));
        close(dfd);
    }

    @Test
    void removedWorkingDirectory() {
        assertEquals(0, mkdir("gone"));
        assertEquals(0, k.call(Sysno.SYS_CHDIR, path("gone")));
        assertEquals(0, k.call(Sysno.SYS_RMDIR, path("gone")));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_GETCWD, k.alloc(4096).address(), 4096));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_OPENAT, AT, k.cstr("new"), O_WRONLY | O_CREAT, 0644),
                "no files in a removed directory");
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_MKDIRAT, AT, k.cstr("sub"), 0755));
    }

    @Test
    void accessAndPathOpens() {
        create("f", "x");
        assertEquals(0, k.call(Sysno.SYS_FACCESSAT2, AT, path("f"), 4 | 2, 0));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_FACCESSAT2, AT, path("g"), 0, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FACCESSAT2, AT, path("f"), 8, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FACCESSAT2, AT, path("f"), 0, 0x1));
        int fd = openOk("f", Fcntl.O_PATH);
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_READ, fd, k.alloc(4).address(), 4));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FCHMOD, fd, 0600));
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        assertEquals(ino(stat("f", false)), ino(st));
        assertEquals(Fcntl.O_PATH, k.call(Sysno.SYS_FCNTL, fd, 3 /* F_GETFL */));
        close(fd);
    }

    @Test
    void statfsAndSync() {
        MemorySegment sfs = k.alloc(120);
        assertEquals(0, k.call(Sysno.SYS_STATFS, path("."), sfs.address()));
        assertTrue(sfs.get(JAVA_LONG, 64) >= 255, "f_namelen");
        create("f", "x");
        int fd = openOk("f", O_RDWR);
        assertEquals(0, k.call(Sysno.SYS_FSTATFS, fd, sfs.address()));
        assertEquals(0, k.call(Sysno.SYS_FSYNC, fd));
        assertEquals(0, k.call(Sysno.SYS_SYNCFS, fd));
        assertEquals(0, k.call(Sysno.SYS_SYNC));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SYNCFS, 9999));
        close(fd);
    }

    @Test
    void locks() {
        create("f", "x");
        int a = openOk("f", O_RDWR), b = openOk("f", O_RDWR);
        assertEquals(0, k.call(Sysno.SYS_FLOCK, a, Fcntl.LOCK_EX | Fcntl.LOCK_NB));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_FLOCK, b, Fcntl.LOCK_SH | Fcntl.LOCK_NB), "another description");
        assertEquals(0, k.call(Sysno.SYS_FLOCK, a, Fcntl.LOCK_UN));
        assertEquals(0, k.call(Sysno.SYS_FLOCK, b, Fcntl.LOCK_SH | Fcntl.LOCK_NB));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_FLOCK, b, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_FLOCK, 9999, Fcntl.LOCK_SH));
        MemorySegment fl = k.alloc(32);
        fl.set(JAVA_SHORT, 0, Fcntl.F_WRLCK);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, a, Fcntl.F_SETLK, fl.address()));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, b, Fcntl.F_GETLK, fl.address()));
        assertEquals(Fcntl.F_UNLCK, fl.get(JAVA_SHORT, 0), "one process's POSIX locks do not conflict");
        fl.set(JAVA_SHORT, 0, Fcntl.F_UNLCK);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, a, Fcntl.F_SETLK, fl.address()), "(they would conflict with OFD locks)");
        fl.set(JAVA_SHORT, 0, Fcntl.F_WRLCK);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, a, Fcntl.F_OFD_SETLK, fl.address()));
        fl.set(JAVA_SHORT, 0, Fcntl.F_WRLCK);
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_FCNTL, b, Fcntl.F_OFD_SETLK, fl.address()), "OFD locks do");
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FCNTL, a, Fcntl.F_SETLK, BadAddresses.unmapped()));
        close(a);
        close(b);
        int d = openOk(".", O_RDONLY | O_DIRECTORY), e = openOk(".", O_RDONLY | O_DIRECTORY);
        assertEquals(0, k.call(Sysno.SYS_FLOCK, d, Fcntl.LOCK_EX | Fcntl.LOCK_NB));
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_FLOCK, e, Fcntl.LOCK_EX | Fcntl.LOCK_NB));
        close(d);
        assertEquals(0, k.call(Sysno.SYS_FLOCK, e, Fcntl.LOCK_EX | Fcntl.LOCK_NB), "released with its description");
        close(e);
    }

    @Test
    void mmapIsCoherentWithWrite() {
        create("f", "0123456789");
        int fd = openOk("f", O_RDWR);
        long addr = k.call(Sysno.SYS_MMAP, 0, 4096, 3 /* PROT_READ|WRITE */, 1 /* MAP_SHARED */, fd, 0);
        assertTrue(addr > 0, "mmap: " + addr);
        MemorySegment m = MemorySegment.ofAddress(addr).reinterpret(4096);
        assertEquals('0', m.get(JAVA_BYTE, 0));
        m.set(JAVA_BYTE, 1, (byte) 'X');
        assertEquals("0X23456789", readAll("f"), "a store through the mapping shows in read");
        assertEquals(1, k.call(Sysno.SYS_PWRITE64, fd, k.cstr("Y"), 1, 2));
        assertEquals('Y', m.get(JAVA_BYTE, 2), "a write shows in the mapping");
        ring0.host.Host.call(11 /* munmap */, addr, 4096, 0);
        close(fd);
    }

    @Test
    void copyFileRangeAndSendfile() {
        create("src", "copied bytes");
        int in = openOk("src", O_RDONLY), out = openOk("dst", O_WRONLY | O_CREAT);
        assertEquals(12, k.call(Sysno.SYS_COPY_FILE_RANGE, in, 0, out, 0, 100, 0));
        assertEquals("copied bytes", readAll("dst"));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_COPY_FILE_RANGE, in, 0, out, 0, 100, 1));
        int out2 = openOk("dst2", O_WRONLY | O_CREAT);
        MemorySegment off = k.alloc(8);
        off.set(JAVA_LONG, 0, 7);
        assertEquals(5, k.call(Sysno.SYS_SENDFILE, out2, in, off.address(), 100));
        assertEquals(12, off.get(JAVA_LONG, 0));
        assertEquals("bytes", readAll("dst2"));
        close(in);
        close(out);
        close(out2);
    }

    @Test
    void badPointersAreEfault() {
        create("f", "x");
        assertEquals(0, mkdir("d"));
        long st = k.alloc(Stat.STATX_STRUCT_SIZE).address();
        for (long bad : BadAddresses.all()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_OPENAT, AT, bad, O_RDONLY, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_OPEN, bad, O_RDONLY, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_CREAT, bad, 0644), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_OPENAT2, AT, path("f"), bad, 24), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_NEWFSTATAT, AT, bad, st, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_STAT, bad, st), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_LSTAT, bad, st), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_STATX, AT, bad, 0, 0x7ff, st), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_ACCESS, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FACCESSAT2, AT, bad, 0, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_MKDIRAT, AT, bad, 0755), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_MKNODAT, AT, bad, Stat.S_IFREG | 0644, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_UNLINKAT, AT, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_RMDIR, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_RENAMEAT2, AT, bad, AT, path("x"), 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_RENAMEAT2, AT, path("f"), AT, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_LINKAT, AT, bad, AT, path("x"), 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_LINKAT, AT, path("f"), AT, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SYMLINKAT, bad, AT, path("x")), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SYMLINKAT, k.cstr("t"), AT, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READLINKAT, AT, bad, st, 10), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FCHMODAT, AT, bad, 0644), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FCHOWNAT, AT, bad, -1, -1, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_UTIMENSAT, AT, bad, 0, 0), hex);
            if (bad != BadAddresses.NULL) { // NULL times: now
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_UTIMENSAT, AT, path("f"), bad, 0), hex);
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_UTIMES, path("f"), bad), hex);
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_UTIME, path("f"), bad), hex);
            }
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_TRUNCATE, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_CHDIR, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_CHROOT, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_STATFS, bad, st), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_MEMFD_CREATE, bad, 0), hex);
            // The calls of before the *at family.
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_MKDIR, bad, 0755), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_MKNOD, bad, Stat.S_IFREG | 0644, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_UNLINK, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_RENAME, bad, path("x")), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_LINK, path("f"), bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SYMLINK, bad, path("x")), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READLINK, bad, st, 10), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_CHMOD, bad, 0644), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FCHMODAT2, AT, bad, 0644, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_CHOWN, bad, -1, -1), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_LCHOWN, bad, -1, -1), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FACCESSAT, AT, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FUTIMESAT, AT, bad, 0), hex);
        }
        int fd = openOk("f", O_RDWR), dfd = openOk("d", O_RDONLY | O_DIRECTORY);
        int lfd;
        assertEquals(0, k.call(Sysno.SYS_SYMLINKAT, k.cstr("f"), AT, path("l")));
        lfd = openOk("l", Fcntl.O_PATH | O_NOFOLLOW);
        for (long bad : BadAddresses.allForWrite()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_NEWFSTATAT, AT, path("f"), bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_STATX, AT, path("f"), 0, 0x7ff, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FSTAT, fd, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FSTAT, dfd, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FSTAT, lfd, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READLINKAT, AT, path("l"), bad, 10), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_GETCWD, bad, 4096), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_STATFS, path("f"), bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FSTATFS, fd, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_FSTATFS, dfd, bad), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_GETDENTS64, dfd, bad, 4096), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, bad, 4), hex);
        }
        for (long bad : BadAddresses.all()) {
            if (bad != BadAddresses.NULL) { // NULL offsets: the files' own
                String hex = Long.toHexString(bad);
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SENDFILE, fd, fd, bad, 4), hex);
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_COPY_FILE_RANGE, fd, bad, fd, 0, 4, 0), hex);
            }
        }
        close(fd);
        close(dfd);
        close(lfd);
        assertEquals("x", readAll("f"), "nothing changed");
        assertEquals(new TreeSet<>(List.of("d", "f", "l")), listDir("."), "nothing was created");
    }

    @Test
    void memfdIsARamFileThatMapsAndSeals() throws IOException {
        long fd = k.call(Sysno.SYS_MEMFD_CREATE, k.cstr("test"), Fcntl.MFD_CLOEXEC | Fcntl.MFD_ALLOW_SEALING);
        assertTrue(fd >= 0, "memfd_create: " + fd);
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD));
        assertEquals(5, write(fd, "hello"));
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        assertEquals(5, size(st));
        assertEquals(0, nlink(st));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_ADD_SEALS, 8 /* F_SEAL_WRITE */));
        assertEquals(8, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GET_SEALS));
        assertEquals(-Errno.EPERM, write(fd, "x"), "sealed");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_MEMFD_CREATE, k.cstr("x"), 0x1000));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_MEMFD_CREATE, k.cstr("n".repeat(250)), 0));
        close(fd);
        assertTrue(Files.exists(dir), "memfds live nowhere in the tree");
    }
}
