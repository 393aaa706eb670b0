package ring0.poll;

import java.util.Arrays;

/**
 * Who waits for a kernel object to become ready (Linux: wait_queue_head_t). An object calls
 * {@link #wake} with the events that just happened; every waiter registered then is told.
 *
 * <p>Ordering, and why no wake-up is lost: a waiter registers first, then checks the object's state,
 * then sleeps only if nothing was ready; an object changes its state first, then wakes. Either the
 * check sees the new state, or the wake sees the registration (registration and wake both go through
 * the volatile {@code waiters} array, so one happens before the other). A waiter must therefore
 * tolerate being woken with nothing ready, and check again.
 *
 * <p>Locking: add and remove copy the array under the queue's lock; wake reads it without locking and
 * allocates nothing, so a hot object (a pipe, an eventfd) pays one volatile read when nobody waits.
 */
public final class WaitQueue {
    /** A registered interest. Called on the waking thread: must be short and must not block. */
    @FunctionalInterface
    public interface Waiter {
        /** events: the poll bits that just happened (POLLIN when data arrived, POLLOUT when space freed...). */
        void wake(int events);
    }

    private static final Waiter[] NONE = {};
    private volatile Waiter[] waiters = NONE;

    public synchronized void add(Waiter w) {
        Waiter[] a = Arrays.copyOf(waiters, waiters.length + 1);
        a[a.length - 1] = w;
        waiters = a;
    }

    public synchronized void remove(Waiter w) {
        Waiter[] a = waiters;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == w) {
                Waiter[] b = new Waiter[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                waiters = b;
                return;
            }
        }
    }

    /** Tells every waiter that events happened. Hot path: no lock, no allocation. */
    public void wake(int events) {
        for (Waiter w : waiters) {
            w.wake(events);
        }
    }

    public boolean isEmpty() {
        return waiters.length == 0;
    }
}
