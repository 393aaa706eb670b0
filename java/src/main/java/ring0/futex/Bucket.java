package ring0.futex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Cache-line padding before a bucket's fields (Agrona's layout trick: fields of a superclass come first). */
abstract class BucketPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** A bucket's fields. */
abstract class BucketFields extends BucketPadBefore {
    /** 0 free, 1 held. */
    volatile int lock;
    /**
     * Waiters queued here, plus waiters on their way in (Linux: futex_hb_waiters_inc before the value
     * check). A waker that reads 0 after its full fence can return without taking the lock.
     */
    volatile int waiters;
    /** FIFO of queued waiters (Linux: a plist, FIFO among equal priorities). Guarded by lock. */
    Waiter head, tail;
}

/**
 * One hash bucket of the futex table (Linux: struct futex_hash_bucket): a spin lock, a count of
 * waiters and the list of waiters whose addresses hash here. Padded to keep neighbouring buckets off
 * its cache lines.
 *
 * <p>Locking: the lock is held for a few list operations only, never across a host call that blocks,
 * so a plain test-and-test-and-set spin lock fits; a thread that spins on it long yields its CPU (the
 * holder may have been preempted by the host).
 */
final class Bucket extends BucketFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;

    /** The bucket's index in the table: two buckets are locked in index order. */
    final int index;

    Bucket(int index) {
        this.index = index;
    }

    private static final VarHandle LOCK, WAITERS;
    private static final int SPINS_BEFORE_YIELD = 100;

    static {
        try {
            var l = MethodHandles.lookup();
            LOCK = l.findVarHandle(BucketFields.class, "lock", int.class);
            WAITERS = l.findVarHandle(BucketFields.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Hot path. */
    void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockSlow();
        }
    }

    private void lockSlow() {
        for (int i = 1; ; i++) {
            if (lock == 0 && LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            if (i % SPINS_BEFORE_YIELD == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    /** Linux futex_hb_waiters_inc: an atomic add, a full barrier on x86 (the (A) of the essay). */
    void waitersInc() {
        WAITERS.getAndAdd(this, 1);
    }

    void waitersDec() {
        WAITERS.getAndAdd(this, -1);
    }

    /** Appends w. Precondition: locked; w is not queued. */
    void enqueueLocked(Waiter w) {
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.bucket = this;
    }

    /**
     * Removes w, and takes it out of the waiter count. A waker must then mark w WOKEN (its last store
     * to w): a waiter that sees its bucket null waits for that mark before it returns. Precondition:
     * locked; w is queued here.
     */
    void unqueueLocked(Waiter w) {
        unlinkLocked(w);
        w.bucket = null;
    }

    /**
     * Moves w from this bucket to the end of to's queue (requeue). w.bucket goes from this to to without
     * passing through null: a waiter leaving on its own reads null as "a waker dequeued me" (Linux
     * requeue_futex sets lock_ptr to the new bucket's lock directly). Precondition: both locked; w is
     * queued here.
     */
    void moveLocked(Waiter w, Bucket to) {
        unlinkLocked(w);
        to.waitersInc();
        to.enqueueLocked(w);
    }

    private void unlinkLocked(Waiter w) {
        Waiter p = w.prev, n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = w.next = null;
        waitersDec();
    }
}
