package ring0.syscall;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ring0.kernel.Task;

/**
 * Another thread of the test app: it has its own Task (made on it, with its host tid) and makes
 * calls through the test kernel's entry, one at a time, in order. For tests where one thread blocks
 * in the kernel and another wakes it.
 */
public final class AppThread implements AutoCloseable {
    private final TestKernel k;
    private final ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "app-thread");
        t.setDaemon(true);
        return t;
    });
    private final Task task;

    public AppThread(TestKernel k) {
        this.k = k;
        this.task = get(exec.submit(() -> k.kernel.tasks.create()));
    }

    public Task task() {
        return task;
    }

    /** Starts one system call on this thread; its result comes through the future. */
    public Future<Long> call(int nr, long... a) {
        long[] x = new long[6];
        System.arraycopy(a, 0, x, 0, a.length);
        return exec.submit(() -> k.entry.dispatch(task, nr, x[0], x[1], x[2], x[3], x[4], x[5]));
    }

    /** Runs any code on this thread. */
    public <T> Future<T> run(java.util.concurrent.Callable<T> c) {
        return exec.submit(c);
    }

    /** The future's value, waiting at most a minute (a guard against a hang, not a timing). */
    public static <T> T get(Future<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the future is still running after a short while: the call blocked. */
    public static boolean blocks(Future<?> f) {
        try {
            f.get(100, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
