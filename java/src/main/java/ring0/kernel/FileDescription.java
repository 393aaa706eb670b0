package ring0.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An open file description (Linux: struct file): what one or more descriptors refer to. dup(2)
 * shares it; its last reference going away releases it.
 *
 * <p>Reference counting, as Linux's fget/fput: the descriptor table holds one reference; a system
 * call takes another for as long as it uses the description ({@link FdTable#get}), so a concurrent
 * close(2) cannot release it (and let the host reuse its descriptor) while a call is in flight.
 */
public abstract class FileDescription {
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(FileDescription.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through REFS
    private volatile int refs = 1;

    /** The host descriptor behind this description, or -1 if the kernel serves it alone. */
    public abstract int hostFd();

    /** A short description for /proc, strace and ps: "host:7", "pipe:[42]". */
    public abstract String describe();

    /**
     * Called once, when the last reference goes away. Returns 0 or -errno (close(2) reports it when
     * its reference was the last).
     */
    protected abstract long release();

    /** Takes a reference unless the description is already released. Hot path: one CAS. */
    final boolean tryGet() {
        for (;;) {
            int r = (int) REFS.getVolatile(this);
            if (r == 0) {
                return false;
            }
            if (REFS.compareAndSet(this, r, r + 1)) {
                return true;
            }
        }
    }

    /** Takes another reference; the caller holds one already. */
    public final void get() {
        REFS.getAndAdd(this, 1);
    }

    /** Drops a reference. Returns release()'s result if it was the last, 0 otherwise. */
    public final long put() {
        int before = (int) REFS.getAndAdd(this, -1);
        if (before == 1) {
            return release();
        }
        if (before <= 0) {
            throw new IllegalStateException("reference count underflow: " + describe());
        }
        return 0;
    }
}
