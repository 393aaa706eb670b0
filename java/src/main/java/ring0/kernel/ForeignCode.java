package ring0.kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ring0.usermem.UserMemory;

/**
 * C code in the app (cgo) makes its own system calls, straight to the host: the kernel sees neither
 * the files it makes, changes or removes, nor its reads of data the kernel has not yet written to the
 * host. The runtime patch tells the kernel about it through two words of ring0Shared (ABI 5):
 *
 * <ul>
 *   <li>{@code foreign}, set by Go when C code has run (after a cgo call returns, and when C calls
 *       into Go): whoever caches what the host holds asks it again ({@link #ran}, which clears it);
 *   <li>{@code dirty}, set here while the kernel holds data the host has not
 *       ({@link #holdsDirtyData}): before C code runs, Go then has the kernel write it
 *       ({@link #beforeC}, the ring0_flush call).
 * </ul>
 *
 * Both are 0 before the app attaches, and a pure Go app never sets {@code foreign}.
 */
public final class ForeignCode {
    /** Addresses of ring0Shared.foreign and .dirty; 0 before attach. */
    private volatile long ranFlag, dirtyFlag;
    private final List<Runnable> beforeHooks = new CopyOnWriteArrayList<>();

    /** The app attached: its flags are at these addresses. */
    public void attach(long ranFlagAddress, long dirtyFlagAddress) {
        ranFlag = ranFlagAddress;
        dirtyFlag = dirtyFlagAddress;
    }

    /**
     * Whether C code has run since the last call that answered true. The mark is cleared before the
     * answer, so C code that runs after it is seen by a later call. Hot path: a volatile read and a
     * load; only its one consumer (the host file caches) may call it.
     */
    public boolean ran() {
        long a = ranFlag;
        if (a == 0 || UserMemory.getLong(a) == 0) {
            return false;
        }
        UserMemory.putLong(a, 0);
        return true;
    }

    /** Registers work that makes the host current before C code runs (a cache's dirty data). */
    public void onBeforeC(Runnable hook) {
        beforeHooks.add(hook);
    }

    /** Runs the before-C hooks (ring0_flush). */
    public void beforeC() {
        for (Runnable r : beforeHooks) {
            r.run();
        }
    }

    /** Publishes whether the kernel holds data the host has not, so that Go calls {@link #beforeC}. */
    public void holdsDirtyData(boolean dirty) {
        long a = dirtyFlag;
        if (a != 0) {
            UserMemory.putLong(a, dirty ? 1 : 0);
        }
    }
}
