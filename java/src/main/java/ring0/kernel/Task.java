package ring0.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Syscalls;

/**
 * One app thread that has entered the kernel (Linux: task_struct, for a thread). The Go side keeps
 * the task's handle in its per-thread frame, so finding the Task is an array index.
 *
 * <p>Counters are plain fields written only by the task's own thread and summed when someone reads
 * them (stats, ps), so counting costs no atomic operation and no shared cache line.
 */
public final class Task {
    /** Size of the per-task scratch memory for structures passed to the host. */
    public static final int SCRATCH_SIZE = 64 * 1024;

    public final int handle;
    /** The host thread id. */
    public final int tid;
    /** Native scratch memory owned by this task's thread: host-side copies of pollfd arrays etc. */
    public final MemorySegment scratch;
    /** Calls this task made into the kernel, by number. */
    public final long[] calls = new long[Syscalls.MAX];
    /** Of those, calls the kernel forwarded to the host. */
    public final long[] passedThrough = new long[Syscalls.MAX];
    /** The call in progress, or -1 (read racily by ps). */
    public volatile int syscall = -1;

    Task(int handle, int tid) {
        this.handle = handle;
        this.tid = tid;
        this.scratch = Arena.global().allocate(SCRATCH_SIZE, 16);
    }
}
