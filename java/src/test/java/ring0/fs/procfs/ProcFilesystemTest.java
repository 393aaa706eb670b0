package ring0.fs.procfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.syscall.TestKernel;
import ring0.usermem.BadAddresses;

/**
 * procfs through the system calls, one test per entry: content, stat, readlink, listings, the
 * errors of writes and changes, magic links (reopening through /proc/self/fd), the host's /proc
 * showing through, /proc/ring0, and EFAULT for bad buffers.
 */
class ProcFilesystemTest {
    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();
    private final String pid = Long.toString(ProcessHandle.current().pid());

    @BeforeEach
    void setUp() {
        k.kernel.setImage(TestKernel.image());
    }

    private long open(String path, int flags) {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(path), flags, 0);
        assertTrue(fd >= 0, "open " + path + ": " + fd);
        return fd;
    }

    /** The whole content of path, read in small pieces (as a reader that reads in a loop does). */
    private byte[] read(String path) {
        long fd = open(path, Fcntl.O_RDONLY);
        MemorySegment buf = k.alloc(64);
        var out = new java.io.ByteArrayOutputStream();
        for (;;) {
            long n = k.call(Sysno.SYS_READ, fd, buf.address(), 64);
            assertTrue(n >= 0, "read " + path + ": " + n);
            if (n == 0) {
                break;
            }
            out.writeBytes(buf.asSlice(0, n).toArray(JAVA_BYTE));
        }
        k.call(Sysno.SYS_CLOSE, fd);
        return out.toByteArray();
    }

    private String text(String path) {
        return new String(read(path), StandardCharsets.ISO_8859_1);
    }

    private String readlink(String path) {
        MemorySegment buf = k.alloc(4096);
        long n = k.call(Sysno.SYS_READLINK, k.cstr(path), buf.address(), 4096);
        assertTrue(n >= 0, "readlink " + path + ": " + n);
        return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private MemorySegment stat(String path, boolean follow) {
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        long r = k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr(path), st.address(), follow ? 0 : Fcntl.AT_SYMLINK_NOFOLLOW);
        assertEquals(0, r, "stat " + path);
        return st;
    }

    private static int mode(MemorySegment st) {
        return st.get(JAVA_INT, Stat.ST_MODE);
    }

    private List<String> list(String path) {
        long fd = open(path, Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        MemorySegment buf = k.alloc(2048);
        List<String> names = new ArrayList<>();
        for (;;) {
            long n = k.call(Sysno.SYS_GETDENTS64, fd, buf.address(), 2048);
            assertTrue(n >= 0, "getdents64 " + path + ": " + n);
            if (n == 0) {
                break;
            }
            for (long at = 0; at < n; at += buf.get(JAVA_SHORT, at + 16)) {
                names.add(buf.getString(at + 19, StandardCharsets.UTF_8));
            }
        }
        k.call(Sysno.SYS_CLOSE, fd);
        return names;
    }

    @Test
    void selfAndThreadSelf() {
        assertEquals(pid, readlink("/proc/self"));
        assertEquals(pid + "/task/" + k.task.tid, readlink("/proc/thread-self"));
        assertEquals(Stat.S_IFDIR, mode(stat("/proc/self", true)) & Stat.S_IFMT);
        assertEquals("self/mounts", readlink("/proc/mounts"));
    }

    @Test
    void cmdlineAndEnviron() {
        assertEquals("/test/app\0arg1\0", text("/proc/self/cmdline"));
        assertEquals("RING0_TEST=1\0", text("/proc/" + pid + "/environ"));
        assertEquals(Stat.S_IFREG | 0444, mode(stat("/proc/self/cmdline", true)));
        assertEquals(Stat.S_IFREG | 0400, mode(stat("/proc/self/environ", true)));
        assertEquals(0, stat("/proc/self/cmdline", true).get(JAVA_LONG, Stat.ST_SIZE), "proc files have no size");
    }

    @Test
    void statusIsTheHostsWithTheAppsNameAndUmask() {
        String name = TestKernel.image().path().getFileName().toString();
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        String status = text("/proc/self/status");
        assertTrue(status.startsWith("Name:\t" + comm + "\n"), status);
        assertTrue(status.contains(String.format("\nUmask:\t%04o\n", k.kernel.vfs.umask())), status);
        assertTrue(status.contains("\nPid:\t" + pid + "\n"), status);
        assertTrue(status.contains("\nVmRSS:"), status);
        assertTrue(status.contains("\nThreads:"), status);
        String stat = text("/proc/self/stat");
        assertTrue(stat.startsWith(pid + " (" + comm + ") "), stat);
        assertEquals(comm + "\n", text("/proc/self/comm"));
    }

    @Test
    void commCanBeWritten() {
        long fd = open("/proc/self/comm", Fcntl.O_WRONLY);
        MemorySegment name = k.alloc(32);
        name.setString(0, "renamed-process-name\n", StandardCharsets.US_ASCII);
        assertEquals(21, k.call(Sysno.SYS_WRITE, fd, name.address(), 21));
        assertEquals("renamed-process\n", text("/proc/self/comm"), "15 bytes at most");
        assertTrue(text("/proc/self/status").startsWith("Name:\trenamed-process\n"));
        for (long bad : BadAddresses.all()) {
            if (bad != BadAddresses.NULL) {
                assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_WRITE, fd, bad, 8), "write from " + Long.toHexString(bad));
            }
        }
    }

    @Test
    void exeCwdAndRoot() throws Exception {
        assertEquals(TestKernel.image().path().toString(), readlink("/proc/self/exe"));
        MemorySegment buf = k.alloc(4096);
        long n = k.call(Sysno.SYS_GETCWD, buf.address(), 4096);
        assertEquals(buf.getString(0), readlink("/proc/self/cwd"));
        assertTrue(n > 0);
        assertEquals("/", readlink("/proc/self/root"));
        Files.writeString(dir.resolve("in-dir"), "x");
        long d = open(dir.toString(), Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        assertEquals(0, k.call(Sysno.SYS_FCHDIR, d));
        assertEquals(dir.toString(), readlink("/proc/self/cwd"));
        assertEquals("x", text("/proc/self/cwd/in-dir"), "cwd is a magic link into the app's tree");
        assertEquals(Stat.S_IFLNK | 0777, mode(stat("/proc/self/cwd", false)));
        assertEquals(Stat.S_IFDIR, mode(stat("/proc/self/root", true)) & Stat.S_IFMT);
    }

    @Test
    void fdLinksNameWhatTheDescriptorsAre() throws Exception {
        Path f = dir.resolve("file");
        Files.writeString(f, "0123456789");
        long rw = open(f.toString(), Fcntl.O_RDWR);
        long ro = open(f.toString(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
        long wo = open("/dev/null", Fcntl.O_WRONLY);
        MemorySegment p = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, p.address(), 0));
        int pr = p.get(JAVA_INT, 0), pw = p.get(JAVA_INT, 4);
        long ev = k.call(Sysno.SYS_EVENTFD2, 0, 0);
        long ep = k.call(Sysno.SYS_EPOLL_CREATE1, 0);
        assertEquals(f.toString(), readlink("/proc/self/fd/" + rw));
        assertEquals("/dev/null", readlink("/proc/self/fd/" + wo));
        assertTrue(readlink("/proc/self/fd/" + pr).matches("pipe:\\[\\d+]"), readlink("/proc/self/fd/" + pr));
        assertEquals(readlink("/proc/self/fd/" + pr), readlink("/proc/self/fd/" + pw));
        assertEquals("anon_inode:[eventfd]", readlink("/proc/self/fd/" + ev));
        assertEquals("anon_inode:[eventpoll]", readlink("/proc/self/fd/" + ep));
        assertEquals(Stat.S_IFLNK | 0700, mode(stat("/proc/self/fd/" + rw, false)));
        assertEquals(Stat.S_IFLNK | 0500, mode(stat("/proc/self/fd/" + ro, false)));
        assertEquals(Stat.S_IFLNK | 0300, mode(stat("/proc/self/fd/" + wo, false)));
        assertEquals(64, stat("/proc/self/fd/" + rw, false).get(JAVA_LONG, Stat.ST_SIZE));
        assertEquals(Stat.S_IFIFO, mode(stat("/proc/self/fd/" + pr, true)) & Stat.S_IFMT, "stat follows to the pipe");
        assertEquals(Stat.S_IFDIR | 0500, mode(stat("/proc/self/fd", true)));

        List<String> fds = list("/proc/self/fd");
        for (long fd : new long[] {rw, ro, wo, pr, pw, ev, ep}) {
            assertTrue(fds.contains(Long.toString(fd)), fd + " in " + fds);
        }
        assertEquals(0, k.call(Sysno.SYS_CLOSE, ev));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_READLINK, k.cstr("/proc/self/fd/" + ev), k.alloc(64).address(), 64));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_READLINK, k.cstr("/proc/self/fd/007"), k.alloc(64).address(), 64));

        // A file removed (through the kernel) shows as such.
        assertEquals(0, k.call(Sysno.SYS_UNLINK, k.cstr(f.toString())));
        assertEquals(f + " (deleted)", readlink("/proc/self/fd/" + rw));
        MemorySegment b = k.alloc(4);
        assertEquals(-Errno.ENOENT, k.stat(f.toString()));
        long again = open("/proc/self/fd/" + rw, Fcntl.O_RDONLY);
        assertEquals(4, k.call(Sysno.SYS_READ, again, b.address(), 4), "a removed file reopens through its descriptor");
    }

    @Test
    void openingAnFdLinkReopensTheFile() throws Exception {
        Path f = dir.resolve("file");
        Files.writeString(f, "0123456789");
        long fd = open(f.toString(), Fcntl.O_RDONLY);
        MemorySegment buf = k.alloc(16);
        assertEquals(4, k.call(Sysno.SYS_READ, fd, buf.address(), 4));
        long again = open("/proc/self/fd/" + fd, Fcntl.O_RDONLY);
        assertEquals(2, k.call(Sysno.SYS_READ, again, buf.address(), 2));
        assertEquals("01", buf.getString(0).substring(0, 2), "a new description, from the start");
        assertEquals(4, k.call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_CUR), "the first keeps its offset");
        assertEquals(f.toString(), readlink("/proc/self/fd/" + again));

        MemorySegment p = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, p.address(), 0));
        long w2 = open("/proc/self/fd/" + p.get(JAVA_INT, 4), Fcntl.O_WRONLY);
        buf.setString(0, "hi", StandardCharsets.US_ASCII);
        assertEquals(2, k.call(Sysno.SYS_WRITE, w2, buf.address(), 2));
        assertEquals(2, k.call(Sysno.SYS_READ, p.get(JAVA_INT, 0), buf.address() + 8, 2), "the same pipe");
        assertEquals("hi", buf.getString(8).substring(0, 2));

        long ev = k.call(Sysno.SYS_EVENTFD2, 0, 0);
        assertEquals(-Errno.ENXIO, k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/proc/self/fd/" + ev), Fcntl.O_RDONLY, 0));
        long path = open("/proc/self/fd/" + ev, Fcntl.O_PATH);
        assertTrue(path >= 0);
        long dirFd = open(dir.toString(), Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        assertEquals("x", writeAndRead("/proc/self/fd/" + dirFd + "/new", "x"), "a directory's link leads into it");
    }

    private String writeAndRead(String path, String s) {
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(path), Fcntl.O_RDWR | Fcntl.O_CREAT, 0644);
        assertTrue(fd >= 0, "create " + path + ": " + fd);
        MemorySegment b = k.alloc(s.length() + 1);
        b.setString(0, s, StandardCharsets.UTF_8);
        assertEquals(s.length(), k.call(Sysno.SYS_WRITE, fd, b.address(), s.length()));
        k.call(Sysno.SYS_CLOSE, fd);
        return text(path);
    }

    @Test
    void fdinfo() throws Exception {
        Path f = dir.resolve("file");
        Files.writeString(f, "0123456789");
        long fd = open(f.toString(), Fcntl.O_RDWR | Fcntl.O_CLOEXEC | Fcntl.O_APPEND);
        assertEquals(3, k.call(Sysno.SYS_LSEEK, fd, 3, Fcntl.SEEK_SET));
        String info = text("/proc/self/fdinfo/" + fd);
        String[] lines = info.split("\n");
        assertEquals("pos:\t3", lines[0]);
        assertEquals("flags:\t0" + Integer.toOctalString(Fcntl.O_RDWR | Fcntl.O_APPEND | Fcntl.O_LARGEFILE | Fcntl.O_CLOEXEC), lines[1]);
        assertTrue(lines[2].startsWith("mnt_id:\t"), info);
        assertEquals("ino:\t" + Files.getAttribute(f, "unix:ino"), lines[3]);
        assertTrue(list("/proc/self/fdinfo").contains(Long.toString(fd)));
        assertEquals(Stat.S_IFREG | 0444, mode(stat("/proc/self/fdinfo/" + fd, true)));
    }

    @Test
    void mountsAndMountinfo() {
        String mounts = text("/proc/self/mounts");
        assertTrue(mounts.contains("proc /proc proc "), mounts);
        assertTrue(mounts.contains(" /dev devtmpfs "), mounts);
        assertEquals(mounts, text("/proc/mounts"));
        String info = text("/proc/self/mountinfo");
        assertEquals(mounts.split("\n").length, info.split("\n").length, "one line each");
        long procLines = info.lines().filter(l -> l.split(" ")[4].equals("/proc")).count();
        assertEquals(1, procLines, "the host's /proc is hidden by the kernel's:\n" + info);
        for (String line : info.split("\n")) {
            String[] f = line.split(" ");
            assertTrue(f.length >= 10 && line.contains(" - "), line);
            if (!f[4].equals("/")) {
                String parent = f[1];
                assertTrue(info.lines().anyMatch(l -> l.split(" ")[0].equals(parent)), "the parent of " + line + " is listed");
            }
        }
        Map<String, String> parents = new HashMap<>();
        info.lines().forEach(l -> parents.put(l.split(" ")[0], l.split(" ")[1]));
        for (String id : parents.keySet()) {
            String at = id;
            for (int hops = 0; parents.containsKey(at); hops++) {
                assertTrue(hops < parents.size(), "mount " + id + " is its own ancestor:\n" + info);
                at = parents.get(at);
            }
        }
        String hostInfo = new String(ProcFilesystem.hostFile("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1);
        for (String line : hostInfo.split("\n")) {
            String point = line.split(" ")[4];
            if (point.startsWith("/sys")) {
                assertTrue(info.contains(line), "a host mount the kernel does not hide is there: " + line);
            }
        }
    }

    @Test
    void theKernelsOwnMountsAreInTheTable() throws Exception {
        Path host = Files.createDirectory(dir.resolve("host"));
        Files.createDirectory(dir.resolve("ram"));
        ring0.fs.Mounts.apply(k.kernel.vfs, List.of(ring0.fs.Mounts.Spec.parse("ram:" + dir.resolve("ram")),
                ring0.fs.Mounts.Spec.parse("host:" + host + ":" + dir.resolve("ram/in"))));
        String info = text("/proc/self/mountinfo");
        String ram = info.lines().filter(l -> l.split(" ")[4].equals(dir.resolve("ram").toString())).findFirst().orElseThrow();
        String in = info.lines().filter(l -> l.split(" ")[4].equals(dir.resolve("ram/in").toString())).findFirst().orElseThrow();
        assertTrue(ram.endsWith(" - ramfs ram rw"), ram);
        assertEquals(ram.split(" ")[0], in.split(" ")[1], "the host directory is mounted in the RAM filesystem");
        assertTrue(in.split(" ")[3].endsWith("/host"), "its root is the host directory: " + in);
        String mounts = text("/proc/self/mounts");
        assertTrue(mounts.contains("ram " + dir.resolve("ram") + " ramfs "), mounts);
        assertTrue(text("/proc/ring0/mounts").contains(dir.resolve("ram/in").toString()));
    }

    @Test
    void theHostsProcShowsThrough() {
        assertTrue(text("/proc/cpuinfo").contains("processor"));
        assertTrue(text("/proc/sys/net/core/somaxconn").trim().matches("\\d+"));
        assertTrue(text("/proc/self/maps").contains("[stack]") || text("/proc/self/maps").lines().count() > 5);
        List<String> root = list("/proc");
        for (String n : List.of("self", "thread-self", "mounts", "ring0", pid, "cpuinfo", "sys")) {
            assertEquals(1, root.stream().filter(n::equals).count(), n + " listed once");
        }
        List<String> self = list("/proc/self");
        for (String n : List.of("fd", "fdinfo", "cmdline", "environ", "status", "exe", "cwd", "root", "mounts", "maps", "task", "limits")) {
            assertEquals(1, self.stream().filter(n::equals).count(), n + " listed once in " + self);
        }
        assertTrue(list("/proc/self/task").contains(Integer.toString(k.task.tid)), "task/ is the host's, of the same process");
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr("/proc/no-such-entry"), st.address(), 0));
        MemorySegment fs = k.alloc(120);
        assertEquals(0, k.call(Sysno.SYS_STATFS, k.cstr("/proc/self/status"), fs.address()));
        assertEquals(ProcFilesystem.MAGIC, fs.get(JAVA_LONG, 0));
    }

    @Test
    void aHostMagicLinkIsFollowedByTheHost() {
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr("/proc/self/ns/net"), st.address(), 0),
                "ns/net is the host's magic link: no path to walk");
        assertTrue(readlink("/proc/self/ns/net").startsWith("net:["));
    }

    @Test
    void writesAndChangesAreRefused() {
        long fd = open("/proc/self/status", Fcntl.O_WRONLY);
        MemorySegment b = k.alloc(8);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_WRITE, fd, b.address(), 1), "no write operation");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_LSEEK, open("/proc/self/status", Fcntl.O_RDONLY), 0, Fcntl.SEEK_END));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_UNLINK, k.cstr("/proc/self/status")));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_RMDIR, k.cstr("/proc/self/fd")));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_CHMOD, k.cstr("/proc/self/status"), 0600));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_RENAME, k.cstr("/proc/self/status"), k.cstr("/proc/self/x")));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/proc/ring0-test-new"), Fcntl.O_CREAT | Fcntl.O_WRONLY, 0644),
                "the host's /proc refuses to create");
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_MKDIRAT, Fcntl.AT_FDCWD, k.cstr("/proc/ring0-test-new"), 0755));
        assertEquals(-Errno.EPERM, k.call(Sysno.SYS_MKDIRAT, Fcntl.AT_FDCWD, k.cstr("/proc/ring0/new"), 0755), "a kernel directory");
        assertEquals(-Errno.ENOTDIR, k.call(Sysno.SYS_GETDENTS64, open("/proc/self/status", Fcntl.O_RDONLY), b.address(), 8));
        assertEquals(-Errno.EISDIR, k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/proc/self/fd"), Fcntl.O_WRONLY, 0));
    }

    @Test
    void badBuffersAreEfault() {
        long fd = open("/proc/self/status", Fcntl.O_RDONLY);
        for (long bad : BadAddresses.allForWrite()) {
            long dirFd = open("/proc/self", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READ, fd, bad, 64), "read into " + Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_PREAD64, fd, bad, 64, 0), "pread into " + Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_GETDENTS64, dirFd, bad, 4096), "getdents64 into " + Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_READLINK, k.cstr("/proc/self/exe"), bad, 64), "readlink into " + Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_STATFS, k.cstr("/proc/self"), bad), "statfs into " + Long.toHexString(bad));
            k.call(Sysno.SYS_CLOSE, dirFd);
        }
        MemorySegment buf = k.alloc(64);
        assertTrue(k.call(Sysno.SYS_READ, fd, buf.address(), 64) > 0, "a good read after the bad ones");
    }

    @Test
    void ring0Files() throws Exception {
        Path f = dir.resolve("file");
        Files.writeString(f, "x");
        long fd = open(f.toString(), Fcntl.O_RDONLY);
        String files = text("/proc/ring0/files");
        assertTrue(files.lines().anyMatch(l -> l.trim().startsWith(fd + " ") && l.endsWith(f.toString())), files);
        assertTrue(files.contains("TextFileDescription"), "the file being read is there too: " + files);
        String tasks = text("/proc/ring0/tasks");
        assertTrue(tasks.lines().anyMatch(l -> l.trim().startsWith(k.task.tid + " ") && l.contains(" read ")), tasks);
        assertTrue(text("/proc/ring0/mounts").contains("/proc"));
        assertTrue(text("/proc/ring0/syscalls").lines().anyMatch(l -> l.startsWith("openat ")));
        assertTrue(text("/proc/ring0/stats").contains("\"syscalls\""));
        assertTrue(text("/proc/ring0/cache").startsWith("mode "));
        k.kernel.log.log("ring0: a line for the test");
        assertTrue(text("/proc/ring0/dmesg").contains("a line for the test"));
        assertEquals(List.of(".", "..", "mounts", "files", "tasks", "syscalls", "dmesg", "cache", "stats"), list("/proc/ring0"));
    }

    @Test
    void aReadFromTheStartSeesNewContent() {
        long fd = open("/proc/ring0/dmesg", Fcntl.O_RDONLY);
        MemorySegment buf = k.alloc(1 << 16);
        long n1 = k.call(Sysno.SYS_PREAD64, fd, buf.address(), 1 << 16, 0);
        k.kernel.log.log("ring0: another line");
        long n2 = k.call(Sysno.SYS_PREAD64, fd, buf.address(), 1 << 16, 0);
        assertTrue(n2 > n1, n1 + " then " + n2);
    }
}
