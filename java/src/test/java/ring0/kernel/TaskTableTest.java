package ring0.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.abi.Sysno;
import ring0.host.Host;

class TaskTableTest {
    @Test
    void handlesStartAtOneAndFindTheirTask() {
        TaskTable t = new TaskTable();
        Task a = t.create(), b = t.create();
        assertEquals(1, a.handle);
        assertEquals(2, b.handle);
        assertSame(a, t.get(1));
        assertSame(b, t.get(2));
        assertNull(t.get(0), "0 in a frame means no task yet");
        assertNull(t.get(3));
        assertNull(t.get(-1));
        assertNull(t.get(1L << 40));
        assertEquals(List.of(a, b), t.all());
    }

    @Test
    void aTaskIsItsThread() throws InterruptedException {
        TaskTable t = new TaskTable();
        Task mine = t.create();
        assertEquals(Host.fastCall(Sysno.SYS_GETTID, 0, 0, 0), mine.tid);
        Task[] other = {null};
        long[] otherTid = {0};
        Thread th = Thread.ofPlatform().start(() -> {
            other[0] = t.create();
            otherTid[0] = Host.fastCall(Sysno.SYS_GETTID, 0, 0, 0);
        });
        th.join();
        assertEquals(otherTid[0], other[0].tid);
        assertNotEquals(mine.tid, other[0].tid);
        assertEquals(-1, mine.syscall);
        assertEquals(Task.SCRATCH_SIZE, mine.scratch.byteSize());
        assertEquals(0, mine.scratch.address() % 16);
    }

    @Test
    void growsPastItsFirstArray() {
        TaskTable t = new TaskTable();
        List<Task> made = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            made.add(t.create());
        }
        for (Task task : made) {
            assertSame(task, t.get(task.handle));
        }
        assertEquals(made, t.all());
    }
}
