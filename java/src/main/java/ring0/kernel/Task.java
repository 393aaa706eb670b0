package ring0.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.vfs.Nameidata;

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
    /** The task's path-walk state and file scratch (stat, setattr), reused by every file call. */
    public final Nameidata nd = new Nameidata();
    /** Counters of the host file caches (indexes: ring0.fs.hostfs.CacheStats), written by this task's thread only. */
    public final long[] cacheCounters = new long[CACHE_COUNTERS];

    /** The size of {@link #cacheCounters}. */
    public static final int CACHE_COUNTERS = 64;
    /**
     * The priority of the goroutine making the current (or last) call: {@link #PRIORITY_LOW},
     * {@link #PRIORITY_NORMAL} or {@link #PRIORITY_HIGH} (package ring0.dev/api). Set by the entry
     * on every call, from the frame; written only by this task's thread. A wait queue reads it on
     * the waiting thread as it enqueues, to wake higher priorities first.
     */
    public int priority;

    public static final int PRIORITY_LOW = -1, PRIORITY_NORMAL = 0, PRIORITY_HIGH = 1;

    /**
     * A task for the kernel's own work on files outside any app call (mounting at boot): never in the
     * task table, with the calling thread's id.
     */
    public static Task kernelTask() {
        return new Task(0, (int) Host.fastCall(Sysno.SYS_GETTID, 0, 0, 0));
    }

    Task(int handle, int tid) {
        this.handle = handle;
        this.tid = tid;
        this.scratch = Arena.global().allocate(SCRATCH_SIZE, 16);
    }
}
