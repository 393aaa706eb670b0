package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.io.PrintWriter;
import java.io.StringWriter;
import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.abi.Syscalls;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.trace.Strace;
import ring0.usermem.UserMemory;

/**
 * The kernel's entry point: the function the Go runtime calls, on its system stack, for every system
 * call the kernel serves (an FFM upcall, C signature {@code void entry(struct ring0Frame *f)}).
 *
 * <pre>
 * struct ring0Frame {           // runtime/ring0_linux_amd64.go, one per thread
 *     u64 nr;                   //  0
 *     u64 a1, a2, a3, a4, a5, a6; //  8..48
 *     u64 ret;                  // 56  out: the raw Linux result (value, or -errno)
 *     u64 task;                 // 64  kept here: the Task handle of this thread, 0 at first
 *     i64 prio;                 // 72  the calling goroutine's priority: -1 low, 0 normal, 1 high (ABI 2)
 *     u64 flags;                // 80  Attempt.FLAG: an attempt, made without entersyscall (ABI 3)
 * };
 * </pre>
 *
 * <p>An attempt ({@link Attempt}) runs the call's attempt handler, if it has one: a call that would
 * block answers {@link Attempt#WOULD_BLOCK} with nothing done and is neither counted nor traced (Go
 * makes it again, and that call counts). With strace on, nothing is attempted.
 *
 * <p>No exception crosses the upcall: anything thrown is logged once per (call, exception) and the
 * call returns -EIO. Hot path: no allocation unless strace is on.
 */
public final class SyscallEntry {
    private static final long A1 = 8, A2 = 16, A3 = 24, A4 = 32, A5 = 40, A6 = 48, RET = 56, TASK = 64, PRIO = 72, FLAGS = 80;

    /**
     * Task.syscall, written opaque: ps reads it racily, and a volatile store costs a full fence
     * (x86: StoreLoad), twice per call (measured in the kernel alone: write(/dev/null) went from 33
     * to 19 ns).
     */
    private static final VarHandle SYSCALL;

    static {
        try {
            SYSCALL = MethodHandles.lookup().findVarHandle(Task.class, "syscall", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Kernel kernel;
    private final SyscallTable table;
    private final Strace strace;

    public SyscallEntry(Kernel kernel, SyscallTable table, Strace strace) {
        this.kernel = kernel;
        this.table = table;
        this.strace = strace;
        table.setTraced(strace != null);
    }

    /** The C function pointer the Go runtime calls. Lives as long as arena. */
    public MemorySegment upcallStub(Arena arena) {
        try {
            var handle = MethodHandles.lookup()
                    .findVirtual(SyscallEntry.class, "entry", MethodType.methodType(void.class, long.class))
                    .bindTo(this);
            return Linker.nativeLinker().upcallStub(handle, FunctionDescriptor.ofVoid(JAVA_LONG), arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hot path: one system call. */
    void entry(long frame) {
        MemorySegment m = UserMemory.ALL;
        Task t = kernel.tasks.get(m.get(JAVA_LONG, frame + TASK));
        if (t == null) {
            t = kernel.tasks.create();
            m.set(JAVA_LONG, frame + TASK, t.handle);
        }
        t.priority = (int) m.get(JAVA_LONG, frame + PRIO);
        int nr = (int) m.get(JAVA_LONG, frame);
        long a0 = m.get(JAVA_LONG, frame + A1), a1 = m.get(JAVA_LONG, frame + A2), a2 = m.get(JAVA_LONG, frame + A3);
        long a3 = m.get(JAVA_LONG, frame + A4), a4 = m.get(JAVA_LONG, frame + A5), a5 = m.get(JAVA_LONG, frame + A6);
        long r = (m.get(JAVA_LONG, frame + FLAGS) & Attempt.FLAG) != 0
                ? attempt(t, nr, a0, a1, a2, a3, a4, a5)
                : dispatch(t, nr, a0, a1, a2, a3, a4, a5);
        m.set(JAVA_LONG, frame + RET, r);
    }

    /**
     * Attempts one call for task t: its result if the kernel finished it now, or
     * {@link Attempt#WOULD_BLOCK} with nothing done (not counted, not traced). Public for tests.
     */
    public long attempt(Task t, int nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        SyscallHandler h = table.attempt(nr);
        if (h == null || strace != null || kernel.exited()) {
            return Attempt.WOULD_BLOCK; // the usual path traces, or parks a thread after exit_group
        }
        SYSCALL.setOpaque(t, nr);
        long r;
        try {
            r = h.call(t, a0, a1, a2, a3, a4, a5);
        } catch (Throwable e) {
            r = -Errno.EIO;
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            kernel.log.once("exception:" + nr + ":" + e.getClass().getName(),
                    "ring0: BUG: " + Syscalls.name(nr) + " (attempt) threw; returning EIO: " + trace);
        }
        SYSCALL.setOpaque(t, -1);
        if (!Attempt.wouldBlock(r)) {
            t.calls[nr]++;
        }
        return r;
    }

    /** Runs one call for task t. Public for tests, which call the kernel without a Go program. */
    public long dispatch(Task t, int nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        kernel.parkIfExited();
        SyscallHandler h = table.handler(nr);
        if (h == null) {
            kernel.log.once("enosys:" + nr, "ring0: " + Syscalls.name(nr) + " reached the kernel, which does not serve it (ENOSYS)");
            return -Errno.ENOSYS;
        }
        Strace s = strace;
        if (s != null) {
            s.enter(t, nr, a0, a1, a2, a3, a4, a5);
        }
        SYSCALL.setOpaque(t, nr);
        long r;
        try {
            r = h.call(t, a0, a1, a2, a3, a4, a5);
        } catch (Throwable e) {
            r = -Errno.EIO;
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            kernel.log.once("exception:" + nr + ":" + e.getClass().getName(),
                    "ring0: BUG: " + Syscalls.name(nr) + " threw; returning EIO: " + trace);
        }
        SYSCALL.setOpaque(t, -1);
        t.calls[nr]++;
        if (s != null) {
            s.exit(t, nr, a0, a1, a2, a3, a4, a5, r);
        }
        return r;
    }
}
