package ring0.kernel;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.futex.FutexTable;
import ring0.fs.Mounts;
import ring0.host.Host;
import ring0.loader.AppImage;
import ring0.vfs.Vfs;

/**
 * One boot of the kernel: the state of the one application it runs (a Go runtime cannot be unloaded,
 * so, as on Jiny, a kernel runs one application per boot; what must last lives in files).
 */
public final class Kernel {
    /** Where the app's life is. */
    public enum State { BOOTED, RUNNING, EXITED }

    public final KernelLog log = new KernelLog();
    public final TaskTable tasks = new TaskTable();
    public final FdTable fds;
    /** The kernel's own threads (few, named; --stats lists them). */
    public final KernelThreads threads = new KernelThreads();
    /** Periodic and deadline work, run by app threads going idle (see Housekeeping). */
    public final Housekeeping housekeeping = new Housekeeping(threads, log);
    /** futex(2)'s wait queues. */
    public final FutexTable futexes = new FutexTable(housekeeping);
    /** Count the calls the Go side sends straight to the host (--stats). */
    public final boolean countHostCalls;
    /** The app's files: mounts, root and working directory, umask (host / unless options mount more). */
    public final Vfs vfs;
    /** What the app's C code (cgo) needs from the kernel, and tells it (ABI 5). */
    public final ForeignCode foreignCode = new ForeignCode();
    /** Called before a child process or a new program takes the app's host descriptors (beforeFork). */
    private final List<Runnable> beforeForkHooks = new CopyOnWriteArrayList<>();
    /** Called at exit_group, before the exit status is reported (onExit). */
    private final List<Runnable> exitHooks = new CopyOnWriteArrayList<>();

    private final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
    private volatile State state = State.BOOTED;
    private volatile AppImage image;
    /** The Go side's per-number host call counters (ring0Shared.hostCalls), 0 before attach. */
    private volatile long hostCallCounters;

    public Kernel(int maxFds, boolean countHostCalls) {
        this.fds = new FdTable(maxFds);
        this.vfs = Mounts.standardVfs(this);
        this.countHostCalls = countHostCalls;
    }

    /**
     * Registers work to do before the app's host descriptors leave the kernel's hands: os/exec's
     * fork (ring0_hostfds) and execve. A cache flushes there what the host must see.
     */
    public void onBeforeFork(Runnable hook) {
        beforeForkHooks.add(hook);
    }

    /**
     * Registers work to do when the app exits (exit_group), before its status is reported and the
     * process ends: a cache writes there what the host must keep.
     */
    public void onExit(Runnable hook) {
        exitHooks.add(hook);
    }

    /** Runs the before-fork hooks, in the order they were registered. */
    public void beforeFork() {
        for (Runnable r : beforeForkHooks) {
            r.run();
        }
    }

    /** Binds descriptors 0, 1 and 2 to the host's 0, 1 and 2 (the console of whoever started the app). */
    public void attachConsole() {
        for (int fd = 0; fd <= 2; fd++) {
            long h = Host.fastCall(Sysno.SYS_FCNTL, fd, Fcntl.F_DUPFD_CLOEXEC, 3);
            if (h >= 0) {
                fds.installAt(fd, new HostFile((int) h), false);
            }
        }
    }

    /**
     * Binds the descriptors the process inherited beyond 0, 1 and 2 to the same numbers in the app, as a
     * native program inherits them (a parent's ExtraFiles, a shell's {@code 3<file}). The launcher lists
     * them (the ring0 script: open and not close-on-exec when it started), since the JVM opens files of
     * its own before the kernel boots. They stay open across exec on the host, at the app's numbers, so
     * that the app's children inherit them as natively; every other host descriptor of the process (the
     * JVM's jars, opened without O_CLOEXEC) becomes close-on-exec, so that children get nothing else.
     */
    public void adoptInherited(int[] inherited) {
        java.util.BitSet adopted = new java.util.BitSet();
        for (int fd : inherited) {
            long fl = fd > 2 && fd < fds.max() ? Host.fastCall(Sysno.SYS_FCNTL, fd, F_GETFL, 0) : -1;
            if (fl >= 0) {
                fds.installAt(fd, new HostFile(fd, (int) fl), false);
                adopted.set(fd);
            }
        }
        String[] open = new java.io.File("/proc/self/fd").list();
        for (String name : open != null ? open : new String[0]) {
            int fd = Integer.parseInt(name);
            long flags = fd > 2 && !adopted.get(fd) ? Host.fastCall(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD, 0) : -1;
            if (flags >= 0 && (flags & Fcntl.FD_CLOEXEC) == 0) {
                Host.fastCall(Sysno.SYS_FCNTL, fd, Fcntl.F_SETFD, flags | Fcntl.FD_CLOEXEC);
            }
        }
    }

    private static final int F_GETFL = 3;

    public State state() {
        return state;
    }

    /** Marks the app as started; false if this kernel already ran one. */
    public synchronized boolean start() {
        if (state != State.BOOTED) {
            return false;
        }
        state = State.RUNNING;
        return true;
    }

    /** The app this kernel runs (set when it is inserted), or null before: /proc shows its argv and environ. */
    public AppImage image() {
        return image;
    }

    /** Records the app this kernel runs (insexe). */
    public void setImage(AppImage image) {
        this.image = image;
    }

    /** Records where the Go side counts its host calls (at attach). */
    public void setHostCallCounters(long address) {
        hostCallCounters = address;
    }

    public long hostCallCounters() {
        return hostCallCounters;
    }

    /**
     * exit_group(2): ends the app with status. The calling thread never returns to the app; neither
     * does any thread that enters the kernel afterwards ({@link #parkIfExited}).
     */
    public void exitGroup(int status) {
        if (state != State.EXITED) {
            for (Runnable r : exitHooks) {
                r.run();
            }
        }
        synchronized (this) {
            if (state != State.EXITED) {
                state = State.EXITED;
                exitStatus.complete(status & 0xff);
            }
        }
        parkForever();
    }

    /** Hot path: a thread entering the kernel after exit_group stops there, as if killed. */
    /** Whether the app exited (exit_group): a thread entering the kernel now parks for good. */
    public boolean exited() {
        return state == State.EXITED;
    }

    public void parkIfExited() {
        if (state == State.EXITED) {
            parkForever();
        }
    }

    private static void parkForever() {
        for (;;) {
            LockSupport.park();
        }
    }

    /** Waits for the app's exit status (0-255). */
    public int awaitExit() throws InterruptedException {
        try {
            return exitStatus.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
