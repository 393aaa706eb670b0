/**
 * Fast user-space locking, futex(2), served by the kernel (Linux: kernel/futex/).
 *
 * <ul>
 *   <li>{@link ring0.futex.Futex}: the system call (syscalls.c): decodes the operation, the timeout and
 *       the flags, validates them in Linux's order, and calls one handler per operation;</li>
 *   <li>{@link ring0.futex.FutexTable}: hashed buckets of waiters keyed by address (core.c), wait and wake
 *       (waitwake.c), requeue (requeue.c), with the ordering essay that says why no wake-up is lost;</li>
 *   <li>{@link ring0.futex.Waiter}: one thread's wait: spin, then sleep in a host futex wait;</li>
 *   <li>{@link ring0.futex.Bucket}: one hash bucket: a spin lock, a waiter count and a FIFO list;</li>
 *   <li>{@link ring0.futex.Spinners}: how many waiters spin now.</li>
 * </ul>
 */
package ring0.futex;
