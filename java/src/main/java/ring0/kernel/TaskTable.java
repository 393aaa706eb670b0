package ring0.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ring0.abi.Sysno;
import ring0.host.Host;

/** The app's threads known to the kernel, by handle (1-based: 0 in a frame means "none yet"). */
public final class TaskTable {
    private volatile Task[] tasks = new Task[64];
    private int next = 1;

    /** The task with this handle; hot path, no lock. Null if there is none. */
    public Task get(long handle) {
        Task[] t = tasks;
        return handle > 0 && handle < t.length ? t[(int) handle] : null;
    }

    /** Makes the Task of the calling host thread, the first time it enters the kernel. */
    public synchronized Task create() {
        int h = next++;
        if (h >= tasks.length) {
            tasks = Arrays.copyOf(tasks, tasks.length * 2);
        }
        Task t = new Task(h, (int) Host.fastCall(Sysno.SYS_GETTID, 0, 0, 0));
        Task[] a = tasks;
        a[h] = t;
        tasks = a; // publish
        return t;
    }

    /** Every task so far, in creation order. */
    public List<Task> all() {
        List<Task> all = new ArrayList<>();
        for (Task t : tasks) {
            if (t != null) {
                all.add(t);
            }
        }
        return all;
    }
}
