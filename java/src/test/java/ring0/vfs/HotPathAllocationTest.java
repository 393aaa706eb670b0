package ring0.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.Mounts;
import ring0.syscall.TestKernel;

/**
 * The file hot paths allocate nothing once warm: read, write, pread and fstat of an open file (host
 * and RAM), the descriptor lookup, and a path walk through cached dentries (stat of a RAM file).
 * Calls go straight to the entry's dispatch (TestKernel.call would allocate its varargs array).
 */
class HotPathAllocationTest {
    private static final int WARM = 30_000, MEASURED = 10_000;

    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    private long call(int nr, long a0, long a1, long a2, long a3) {
        return k.entry.dispatch(k.task, nr, a0, a1, a2, a3, 0, 0);
    }

    /** Bytes the calling thread allocated while running op MEASURED times (the fewest of 5 rounds). */
    private static long allocated(LongSupplier op) {
        return TestKernel.leastAllocated(WARM / MEASURED, 5, () -> {
            for (int i = 0; i < MEASURED; i++) {
                op.getAsLong();
            }
        });
    }

    private void fileCallsAllocateNothing(String path) {
        long fd = call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(path), Fcntl.O_RDWR | Fcntl.O_CREAT, 0644);
        assertTrue(fd >= 0, "open: " + fd);
        long buf = k.alloc(64).address(), st = k.alloc(Stat.STAT_SIZE).address();
        assertEquals(0, allocated(() -> call(Sysno.SYS_PWRITE64, fd, buf, 16, 0)), "pwrite");
        assertEquals(0, allocated(() -> call(Sysno.SYS_PREAD64, fd, buf, 16, 0)), "pread");
        assertEquals(0, allocated(() -> call(Sysno.SYS_READ, fd, buf, 16, 0)), "read");
        assertEquals(0, allocated(() -> call(Sysno.SYS_FSTAT, fd, st, 0, 0)), "fstat");
        assertEquals(0, allocated(() -> call(Sysno.SYS_LSEEK, fd, 0, Fcntl.SEEK_SET, 0)), "lseek");
        assertEquals(0, allocated(() -> call(Sysno.SYS_WRITE, fd, buf, 1, 0)), "write");
    }

    @Test
    void hostFileCalls() {
        fileCallsAllocateNothing(dir + "/host-file");
    }

    @Test
    void ramFileCalls() throws Exception {
        Mounts.apply(k.kernel.vfs, List.of(Mounts.Spec.parse("ram:" + dir)));
        fileCallsAllocateNothing(dir + "/ram-file");
    }

    @Test
    void walkThroughCachedDentries() throws Exception {
        Mounts.apply(k.kernel.vfs, List.of(Mounts.Spec.parse("ram:" + dir)));
        assertEquals(0, call(Sysno.SYS_MKDIRAT, Fcntl.AT_FDCWD, k.cstr(dir + "/a"), 0755, 0));
        assertEquals(0, call(Sysno.SYS_MKDIRAT, Fcntl.AT_FDCWD, k.cstr(dir + "/a/b"), 0755, 0));
        long fd = call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(dir + "/a/b/f"), Fcntl.O_WRONLY | Fcntl.O_CREAT, 0644);
        assertEquals(0, call(Sysno.SYS_CLOSE, fd, 0, 0, 0));
        long path = k.cstr(dir + "/a/./b/../b/f"), st = k.alloc(Stat.STAT_SIZE).address();
        assertEquals(0, call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path, st, 0));
        assertEquals(0, allocated(() -> call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path, st, 0)), "stat of a cached path");
        assertTrue(Files.notExists(dir.resolve("a")), "the RAM filesystem hides the host directory");
    }
}
