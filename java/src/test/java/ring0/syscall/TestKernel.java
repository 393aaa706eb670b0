package ring0.syscall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.loader.AppImage;
import ring0.loader.LoadException;
import ring0.trace.Strace;

/**
 * A kernel driven without a Go program: the standard table, an entry, one task, and native memory
 * to pass as the app's pointers. Closing it closes every descriptor the app still has, so the host
 * descriptors behind them go too.
 */
public final class TestKernel implements AutoCloseable {
    public final Kernel kernel;
    public final SyscallTable table;
    public final SyscallEntry entry;
    public final Task task;
    public final Arena arena = Arena.ofShared();

    private static AppImage image;

    public TestKernel() {
        this(1024, null);
    }

    public TestKernel(int maxFds) {
        this(maxFds, null);
    }

    public TestKernel(int maxFds, Strace strace) {
        this(maxFds, false, strace);
    }

    public TestKernel(int maxFds, boolean countHostCalls, Strace strace) {
        kernel = new Kernel(maxFds, countHostCalls);
        table = SyscallTable.standard(kernel, image());
        entry = new SyscallEntry(kernel, table, strace);
        task = kernel.tasks.create();
    }

    /**
     * A ring0 executable as far as AppImage can tell: an ELF magic and the marker of ABI 1. Made once
     * per JVM (the loader never runs it here).
     */
    public static synchronized AppImage image() {
        if (image == null) {
            try {
                Path p = Files.createTempFile("ring0-test", ".ring0");
                p.toFile().deleteOnExit();
                byte[] marker = "\0RING0EXE:abi=1\0".getBytes(StandardCharsets.ISO_8859_1);
                byte[] data = new byte[64 + marker.length];
                data[0] = 0x7f;
                data[1] = 'E';
                data[2] = 'L';
                data[3] = 'F';
                System.arraycopy(marker, 0, data, 40, marker.length);
                Files.write(p, data);
                image = AppImage.open(p, List.of("/test/app", "arg1"), List.of("RING0_TEST=1"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (LoadException e) {
                throw new IllegalStateException(e);
            }
        }
        return image;
    }

    /** One system call with up to six raw arguments (missing ones are 0). */
    public long call(int nr, long... a) {
        long[] x = new long[6];
        System.arraycopy(a, 0, x, 0, a.length);
        return entry.dispatch(task, nr, x[0], x[1], x[2], x[3], x[4], x[5]);
    }

    /** One call in attempt mode (ring0.abi.Attempt), with up to six raw arguments (missing ones are 0). */
    public long attempt(int nr, long... a) {
        long[] x = new long[6];
        System.arraycopy(a, 0, x, 0, a.length);
        return entry.attempt(task, nr, x[0], x[1], x[2], x[3], x[4], x[5]);
    }

    /** The address of a NUL-terminated copy of s in app memory. */
    public long cstr(String s) {
        return arena.allocateFrom(s).address();
    }

    /** stat(2) of path, following symlinks: 0 or -errno (the attributes are dropped). */
    public long stat(String path) {
        return call(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, cstr(path), alloc(Stat.STAT_SIZE).address(), 0);
    }

    /** size bytes of zeroed app memory. */
    public MemorySegment alloc(long size) {
        return arena.allocate(size, 16);
    }

    /** How many descriptors the app has open. */
    public int openCount() {
        int[] n = {0};
        kernel.fds.forEachOpen(fd -> n[0]++);
        return n[0];
    }

    /** The host descriptor behind the app's fd, or -1 if fd is not open. */
    public int hostFd(int fd) {
        FileDescription f = kernel.fds.get(fd);
        if (f == null) {
            return -1;
        }
        try {
            return f.hostFd();
        } finally {
            f.put();
        }
    }

    /** Closes what the app left open straight in the table (not by a call: exit_group may have run). */
    @Override
    public void close() {
        kernel.fds.forEachOpen(fd -> {
            FileDescription f = kernel.fds.remove(fd);
            if (f != null) {
                f.put();
            }
        });
        kernel.vfs.shutdown();
        arena.close();
    }

    /**
     * The fewest bytes the calling thread allocated in one of rounds runs of op (each after warm
     * runs): the JIT compiles in the background, and on a loaded machine a path may still run
     * uncompiled, without escape analysis, when a round starts. A path that allocates on every call
     * allocates in every round.
     */
    public static long leastAllocated(int warm, int rounds, Runnable op) {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        long least = Long.MAX_VALUE;
        for (int r = 0; r < rounds && least != 0; r++) {
            op.run(); // warm: op runs its own loop
            for (int i = 1; i < warm; i++) {
                op.run();
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            op.run();
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }
}
