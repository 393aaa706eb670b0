package ring0.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.syscall.TestKernel;
import ring0.vfs.Mount;

/** The default mount table, --mount specs, and mounts inside mounts. */
class MountsTest {
    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private long stat(String path, MemorySegment st) {
        return k.call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr(path), st.address(), 0);
    }

    @Test
    void specs() {
        assertEquals(new Mounts.Spec("ram", "ram", "/tmp/x"), Mounts.Spec.parse("ram:/tmp/x"));
        assertEquals(new Mounts.Spec("host", "/srv/data", "/data"), Mounts.Spec.parse("host:/srv/data:/data"));
        assertEquals("host:/srv/data:/data", Mounts.Spec.parse("host:/srv/data:/data").toString());
        for (String bad : List.of("ram:", "ram:relative", "host:/a", "host::/b", "host:/a:rel", "nfs:/x", "")) {
            assertThrows(IllegalArgumentException.class, () -> Mounts.Spec.parse(bad), bad);
        }
    }

    @Test
    void theDefaultTable() {
        List<Mount> mounts = k.kernel.vfs.mounts();
        assertEquals("host:/", mounts.get(0).source);
        assertTrue(mounts.stream().anyMatch(m -> m.source.equals("proc") && m.fs.type().equals("proc")), "procfs on /proc");
        assertTrue(mounts.stream().anyMatch(m -> m.source.equals("devtmpfs") && m.fs.type().equals("devtmpfs")), "devfs on /dev");
        MemorySegment st = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, stat("/proc/self/status", st));
        assertEquals(0, stat("/dev/null", st));
        assertEquals(Stat.S_IFCHR, st.get(java.lang.foreign.ValueLayout.JAVA_INT, Stat.ST_MODE) & Stat.S_IFMT);
    }

    @Test
    void mountsInsideMountsAndCreatedMountPoints() throws Exception {
        Path host = Files.createDirectory(dir.resolve("host"));
        Files.writeString(host.resolve("file"), "from the host");
        Files.createDirectory(dir.resolve("ram"));
        Mounts.apply(k.kernel.vfs, List.of(
                Mounts.Spec.parse("ram:" + dir.resolve("ram")),
                Mounts.Spec.parse("host:" + host + ":" + dir.resolve("ram/made/here"))));
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir + "/ram/made/here/file"), Fcntl.O_RDONLY, 0);
        assertTrue(fd >= 0, "open through both mounts: " + fd);
        assertTrue(Files.notExists(dir.resolve("ram/made")), "the mount point was made in the RAM filesystem only");
        MemorySegment a = k.alloc(Stat.STAT_SIZE), b = k.alloc(Stat.STAT_SIZE);
        assertEquals(0, stat(dir + "/ram/made/here/..", a));
        assertEquals(0, stat(dir + "/ram/made", b));
        assertEquals(a.get(java.lang.foreign.ValueLayout.JAVA_LONG, Stat.ST_INO), b.get(java.lang.foreign.ValueLayout.JAVA_LONG, Stat.ST_INO),
                ".. from a mount's root is its mount point's parent");
        // A mount point cannot be removed or renamed.
        assertEquals(-Errno.EBUSY, k.call(Sysno.SYS_RMDIR, k.cstr(dir + "/ram/made/here")));
        assertEquals(-Errno.EBUSY, k.call(Sysno.SYS_RENAME, k.cstr(dir + "/ram/made/here"), k.cstr(dir + "/ram/x")));
        assertEquals(-Errno.EXDEV, k.call(Sysno.SYS_RENAME, k.cstr(dir + "/ram/made/here/file"), k.cstr(dir + "/ram/x")));
        assertEquals(-Errno.EXDEV, k.call(Sysno.SYS_LINK, k.cstr(dir + "/ram/made/here/file"), k.cstr(dir + "/ram/x")));
    }

    @Test
    void aMissingHostMountPointIsAnError() {
        var e = assertThrows(Mounts.MountException.class,
                () -> Mounts.apply(k.kernel.vfs, List.of(Mounts.Spec.parse("ram:" + dir + "/missing"))));
        assertTrue(e.getMessage().contains("created only inside a RAM filesystem"), e.getMessage());
        var f = assertThrows(Mounts.MountException.class,
                () -> Mounts.apply(k.kernel.vfs, List.of(Mounts.Spec.parse("host:" + dir + "/nope:" + dir))));
        assertTrue(f.getMessage().contains("not a directory on the host"), f.getMessage());
        assertTrue(Files.notExists(dir.resolve("missing")));
    }

    @Test
    void theWorkingDirectoryIsFoundAgainThroughTheMounts() throws Exception {
        String cwd = System.getProperty("user.dir");
        MemorySegment buf = k.alloc(4096);
        long n = k.call(Sysno.SYS_GETCWD, buf.address(), 4096);
        assertTrue(n > 0);
        assertEquals(Path.of(cwd).toRealPath().toString(), buf.getString(0), "the host's working directory");
    }
}
