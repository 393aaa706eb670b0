package ring0.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.fs.Mounts;
import ring0.fs.hostfs.CacheMode;
import ring0.fs.hostfs.HostCaches;
import ring0.host.Host;

/**
 * mount and umount2: made by the host; the file caches drop what they hold unused, so a mount shows
 * through names cached before it and an unmount is not EBUSY because of a descriptor the cache kept.
 */
class SysMountTest {
    private static final int SYS_MOUNT = 165, SYS_UMOUNT2 = 166, SYS_GETEUID = 107;

    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private long stat(String name) {
        return k.stat(dir + "/" + name);
    }

    @Test
    void theCachesLetGoAroundAMountAndAnUnmount() throws Exception {
        assumeTrue(Host.call(SYS_GETEUID, 0, 0, 0) == 0, "mounting a tmpfs needs root (CI runs as root)");
        Mounts.apply(k.kernel.vfs, List.of(Mounts.Spec.parse("host:" + dir + ":" + dir)));
        HostCaches.install(k.kernel, CacheMode.ALWAYS);
        Files.createDirectory(dir.resolve("m"));
        Files.writeString(dir.resolve("m/under"), "covered");
        assertEquals(0, stat("m/under"));
        assertEquals(-Errno.ENOENT, stat("m/over"), "cached as missing");
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir + "/m/under"), Fcntl.O_RDONLY, 0);
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd)); // the cache may keep its host descriptor

        assertEquals(0, k.call(SYS_MOUNT, k.cstr("tmpfs"), k.cstr(dir + "/m"), k.cstr("tmpfs"), 0, 0));
        Files.writeString(dir.resolve("m/over"), "tmpfs");
        assertEquals(-Errno.ENOENT, stat("m/under"), "the mount covers it");
        assertEquals(0, stat("m/over"));
        // A file written through the kernel: its cache keeps the host descriptor after close.
        fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir + "/m/made"), Fcntl.O_WRONLY | Fcntl.O_CREAT, 0644);
        assertEquals(5, k.call(Sysno.SYS_WRITE, fd, k.cstr("data"), 5));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir + "/m/over"), Fcntl.O_RDONLY, 0);
        assertEquals(5, k.call(Sysno.SYS_READ, fd, k.alloc(16).address(), 16), "read through the cache");
        assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));

        assertEquals(0, k.call(SYS_UMOUNT2, k.cstr(dir + "/m"), 0), "nothing cached keeps the tmpfs busy");
        assertEquals(0, stat("m/under"));
        assertEquals(-Errno.ENOENT, stat("m/over"));
        assertEquals(-Errno.EINVAL, k.call(SYS_UMOUNT2, k.cstr(dir + "/m"), 0), "not a mount point any more");
    }
}
