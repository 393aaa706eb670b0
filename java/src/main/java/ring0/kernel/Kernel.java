package ring0.kernel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;

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
    /** Count the calls the Go side sends straight to the host (--stats). */
    public final boolean countHostCalls;

    private final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
    private volatile State state = State.BOOTED;
    /** The Go side's per-number host call counters (ring0Shared.hostCalls), 0 before attach. */
    private volatile long hostCallCounters;

    public Kernel(int maxFds, boolean countHostCalls) {
        this.fds = new FdTable(maxFds);
        this.countHostCalls = countHostCalls;
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
        synchronized (this) {
            if (state != State.EXITED) {
                state = State.EXITED;
                exitStatus.complete(status & 0xff);
            }
        }
        parkForever();
    }

    /** Hot path: a thread entering the kernel after exit_group stops there, as if killed. */
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
