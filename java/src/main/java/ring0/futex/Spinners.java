package ring0.futex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count of the waiters spinning now, which callers bound: a spinning waiter does no work, so when
 * the app keeps every CPU busy a spinner only takes CPU time from the threads that do. Padded: every
 * spinning wait touches it twice.
 */
final class Spinners {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    private volatile int spinning;
    long p10, p11, p12, p13, p14, p15, p16, p17;

    private static final VarHandle SPINNING;

    static {
        try {
            SPINNING = MethodHandles.lookup().findVarHandle(Spinners.class, "spinning", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Takes a spinning slot if fewer than max waiters spin. Hot path. */
    boolean tryAcquire(int max) {
        for (int n = spinning; n < max; n = spinning) {
            if (SPINNING.compareAndSet(this, n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** How many waiters spin now. */
    int count() {
        return spinning;
    }

    /** Gives back the slot tryAcquire returned (nothing if it returned false). */
    void release(boolean acquired) {
        if (acquired) {
            SPINNING.getAndAdd(this, -1);
        }
    }
}
