package ring0.trace;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Fcntl;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.kernel.Task;
import ring0.syscall.TestKernel;

class SyscallStatsTest {
    @AutoClose
    private final TestKernel k = new TestKernel();

    private static final int SYS_INOTIFY_INIT1 = 294;

    @Test
    void nothingYet() {
        assertEquals(Map.of(), SyscallStats.collect(k.kernel));
        assertEquals("{\"syscalls\": {\n}}\n", SyscallStats.json(k.kernel));
    }

    @Test
    void countsOfAllTasksAndOfTheGoSide(@TempDir Path dir) throws IOException {
        k.call(Sysno.SYS_CLOSE, 99);
        k.call(Sysno.SYS_CLOSE, 99);
        Task other = k.kernel.tasks.create();
        k.entry.dispatch(other, Sysno.SYS_CLOSE, 99, 0, 0, 0, 0, 0);
        // inotify_init1 is forwarded to the host by the kernel: served and passed through.
        long fd = k.entry.dispatch(other, SYS_INOTIFY_INIT1, Fcntl.O_CLOEXEC, 0, 0, 0, 0, 0);
        assertEquals(0, fd);
        k.call(Sysno.SYS_GETPID); // not served: not counted by the kernel
        // The Go side's counters of calls it sent straight to the host.
        MemorySegment host = k.alloc(8L * Syscalls.MAX);
        host.set(JAVA_LONG, 8L * Sysno.SYS_GETPID, 5);
        host.set(JAVA_LONG, 8L * Sysno.SYS_FUTEX, 7);
        k.kernel.setHostCallCounters(host.address());

        assertEquals(Map.of(
                "close", new SyscallStats.Counts(3, 0, 0),
                "inotify_init1", new SyscallStats.Counts(1, 1, 0),
                "getpid", new SyscallStats.Counts(0, 0, 5),
                "futex", new SyscallStats.Counts(0, 0, 7)), SyscallStats.collect(k.kernel));
        String json = "{\"syscalls\": {\n"
                + "  \"close\": {\"kernel\": 3, \"passthrough\": 0, \"host\": 0},\n"
                + "  \"futex\": {\"kernel\": 0, \"passthrough\": 0, \"host\": 7},\n"
                + "  \"getpid\": {\"kernel\": 0, \"passthrough\": 0, \"host\": 5},\n"
                + "  \"inotify_init1\": {\"kernel\": 1, \"passthrough\": 1, \"host\": 0}\n"
                + "}}\n";
        assertEquals(json, SyscallStats.json(k.kernel));
        Path file = dir.resolve("stats.json");
        SyscallStats.write(k.kernel, file);
        assertEquals(json, Files.readString(file));
        assertEquals(SyscallStats.collect(k.kernel), SyscallStats.parse(Files.readString(file)));
    }

    @Test
    void pseudoCallsAndUnknownNumbersHaveNames() {
        k.call(1001, 0, 0); // ring0_hostfds of nothing
        MemorySegment host = k.alloc(8L * Syscalls.MAX);
        host.set(JAVA_LONG, 8L * 500, 1);
        k.kernel.setHostCallCounters(host.address());
        assertEquals("{\"syscalls\": {\n"
                + "  \"ring0_hostfds\": {\"kernel\": 1, \"passthrough\": 0, \"host\": 0},\n"
                + "  \"syscall_500\": {\"kernel\": 0, \"passthrough\": 0, \"host\": 1}\n"
                + "}}\n", SyscallStats.json(k.kernel));
    }
}
