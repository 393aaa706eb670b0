package ring0.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Attempt;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.hostfs.CacheMode;
import ring0.fs.hostfs.HostCaches;
import ring0.syscall.TestKernel;

/**
 * The attempt paths of newfstatat and openat walk from a borrowed root or working directory
 * (PathWalk.pathInitBorrowed): whether they serve the call or answer "would block", every dentry's
 * reference count is what it was before.
 */
class BorrowedWalkTest {
    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    @Test
    void attemptedWalksLeaveTheReferencesAsTheyFoundThem() throws Exception {
        HostCaches.install(k.kernel, CacheMode.ALWAYS);
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/f"), "x");
        long st = k.alloc(Stat.STAT_SIZE).address();
        long abs = k.cstr(dir + "/a/b/f"), rel = k.cstr("b/f"), missing = k.cstr(dir + "/a/b/none");
        assertEquals(0, k.stat(dir + "/a/b/f")); // the usual walk caches the names
        assertEquals(0, k.call(Sysno.SYS_CHDIR, k.cstr(dir + "/a")));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, rel, Fcntl.O_RDONLY, 0)));
        Vfs vfs = k.kernel.vfs;
        Dentry root = vfs.root().dentry(), cwd = vfs.cwd().dentry();
        root.put();
        cwd.put();
        int rootRefs = root.refs(), cwdRefs = cwd.refs();
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, k.attempt(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, abs, st, 0));
            assertEquals(0, k.attempt(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, rel, st, 0));
            long r = k.attempt(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, missing, st, 0);
            assertTrue(r == Attempt.WOULD_BLOCK || r == -ring0.abi.Errno.ENOENT, "missing: " + r);
            assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr("/"), st, 0));
            long fd = k.attempt(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, rel, Fcntl.O_RDONLY, 0);
            assertTrue(fd >= 0, "open: " + fd);
            assertEquals(0, k.call(Sysno.SYS_CLOSE, fd));
        }
        assertEquals(rootRefs, root.refs(), "the root's references");
        assertEquals(cwdRefs, cwd.refs(), "the working directory's references");
    }
}
