package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.kernel.Task;

/** The frame's priority word (ABI 2) reaches the calling Task on every entry. */
class SyscallEntryPriorityTest {
    @AutoClose
    private final TestKernel k = new TestKernel();

    @Test
    void eachCallSetsTheTasksPriority() {
        MemorySegment f = k.alloc(88); // struct ring0Frame, zeroed (flags 0: no attempt): task 0 makes the entry create one
        long frame = f.address();
        for (long prio : new long[] {1, 0, -1, 1}) {
            f.set(JAVA_LONG, 0, Sysno.SYS_FCNTL);
            f.set(JAVA_LONG, 8, 1234); // a descriptor the app does not have: EBADF, no side effect
            f.set(JAVA_LONG, 16, Fcntl.F_GETFD);
            f.set(JAVA_LONG, 72, prio);
            k.entry.entry(frame);
            Task t = k.kernel.tasks.get(f.get(JAVA_LONG, 64));
            assertEquals(prio, t.priority);
        }
        assertEquals(Task.PRIORITY_HIGH, k.kernel.tasks.get(f.get(JAVA_LONG, 64)).priority);
    }
}
