package ring0.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import ring0.abi.Sysno;
import ring0.fs.Mounts;
import ring0.fs.hostfs.CacheMode;
import ring0.fs.hostfs.HostCaches;
import ring0.usermem.BadAddresses;

/**
 * wait4, waitid and bind: forwarded to the host, they tell the file caches that the host's files may
 * have changed behind the VFS (a child ended, a socket file was made).
 */
class SysWaitTest {
    private static final int SYS_WAIT4 = 61, SYS_WAITID = 247, SYS_BIND = 49, SYS_SOCKET = 41;
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, P_ALL = 0, WEXITED = 4, WNOHANG = 1;

    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private long stat(String name) {
        return k.stat(dir + "/" + name);
    }

    @Test
    void servedAndForwarded() {
        assertTrue(k.table.handler(SYS_WAIT4) != null && k.table.handler(SYS_WAITID) != null);
        // No child: the host says ECHILD, whatever the pointers.
        assertEquals(-Errno.ECHILD, k.call(SYS_WAIT4, -1, 0, WNOHANG, 0));
        assertEquals(-Errno.ECHILD, k.call(SYS_WAITID, P_ALL, 0, k.alloc(128).address(), WEXITED | WNOHANG, 0));
        for (long bad : BadAddresses.all()) {
            long r = k.call(SYS_WAIT4, -1, bad, WNOHANG, bad);
            assertTrue(r == -Errno.ECHILD || r == -Errno.EFAULT, Long.toHexString(bad) + ": " + r);
            r = k.call(SYS_WAITID, P_ALL, 0, bad, WEXITED | WNOHANG, 0);
            assertTrue(r == -Errno.ECHILD || r == -Errno.EFAULT, Long.toHexString(bad) + ": " + r);
        }
    }

    @Test
    void aChildsEndAndAnAfUnixBindMakeTheCachesAskAgain() throws Exception {
        Mounts.apply(k.kernel.vfs, List.of(Mounts.Spec.parse("host:" + dir + ":" + dir)));
        HostCaches.install(k.kernel, CacheMode.ALWAYS);
        assertEquals(-Errno.ENOENT, stat("made"));
        Files.writeString(dir.resolve("made"), "x");
        assertEquals(-Errno.ENOENT, stat("made"), "cached as missing");
        k.call(SYS_WAIT4, -1, 0, WNOHANG, 0); // ECHILD: no child left, whatever ran
        assertEquals(0, stat("made"));

        assertEquals(-Errno.ENOENT, stat("sock"));
        long s = k.call(SYS_SOCKET, AF_UNIX, SOCK_STREAM | Fcntl.O_CLOEXEC, 0);
        assertTrue(s >= 0);
        MemorySegment addr = k.alloc(110);
        addr.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(k.arena.allocateFrom(dir + "/sock"), 0, addr, 2, (dir + "/sock").length() + 1);
        assertEquals(0, k.call(SYS_BIND, s, addr.address(), 110));
        assertEquals(0, stat("sock"), "the socket file is seen");
        for (long bad : BadAddresses.all()) {
            assertEquals(-Errno.EFAULT, k.call(SYS_BIND, s, bad, 110), Long.toHexString(bad));
        }
        assertEquals(0, k.call(Sysno.SYS_CLOSE, s));
    }
}
