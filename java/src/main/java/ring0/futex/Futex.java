package ring0.futex;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static ring0.abi.FutexAbi.CLOCK_MONOTONIC;
import static ring0.abi.FutexAbi.CLOCK_REALTIME;
import static ring0.abi.FutexAbi.FUTEX_BITSET_MATCH_ANY;
import static ring0.abi.FutexAbi.FUTEX_CLOCK_REALTIME;
import static ring0.abi.FutexAbi.FUTEX_CMD_MASK;
import static ring0.abi.FutexAbi.FUTEX_PRIVATE_FLAG;

import java.util.Arrays;
import ring0.abi.Errno;
import ring0.abi.FutexAbi;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.syscall.SyscallTable;
import ring0.usermem.UserMemory;

/**
 * futex(2), the system call (Linux: kernel/futex/syscalls.c): decodes the operation, reads and checks
 * the timeout, then runs one handler per operation on the kernel's {@link FutexTable}. The checks come
 * in Linux's order: the timeout (EFAULT, EINVAL) before the operation (ENOSYS), then the bitset
 * (EINVAL), the address (EINVAL if misaligned, EFAULT), then the value (EAGAIN).
 *
 * <p>Support: WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE, CMP_REQUEUE and WAKE_OP are served by the
 * kernel. The priority-inheritance operations (LOCK_PI, LOCK_PI2, UNLOCK_PI, TRYLOCK_PI,
 * WAIT_REQUEUE_PI, CMP_REQUEUE_PI) go to the host: their words hold host thread ids, the host's
 * rt-mutexes do the inheritance, and a PI futex must never meet a non-PI waiter anyway (Linux: EINVAL).
 * FUTEX_FD (removed in Linux 2.6.26) is ENOSYS.
 */
public final class Futex {
    /**
     * Whether a wake that found fewer kernel waiters than asked also wakes the host futex for a
     * private futex (it always does for a shared one: other processes). Someone may be asleep on the
     * host that the kernel cannot see: Go code on a signal handler's stack or before attach (it goes
     * to the host directly) or C code (cgo) waiting on the same word. Cost: one host FUTEX_WAKE, which
     * finds nobody, per wake that finds the kernel's waiter already gone (it saw the word change while
     * it spun): 5% of wakes in bench/pingpong, under 2% in bench/test3.
     */
    static final boolean HOST_WAKE_PRIVATE = true;

    /**
     * The Go runtime's futex waits carry a hint in an argument Linux ignores (FUTEX_WAIT's val3;
     * go/patch/files/runtime_ring0.go.tmpl): RUNTIME_HINT | the number of Ps running goroutines. The
     * waiter spins only while a CPU runs no P (FutexTable.spinSlots).
     */
    static final int RUNTIME_HINT = 0x52300000;

    private final Kernel kernel;
    private final FutexTable table;
    /** Each task's waiter, by task handle; made on the task's first futex call. */
    private volatile Waiter[] waiters = new Waiter[64];

    public Futex(Kernel kernel, FutexTable table) {
        this.kernel = kernel;
        this.table = table;
    }

    public void register(SyscallTable t) {
        t.set(Sysno.SYS_FUTEX, this::futex,
                "full: WAIT, WAKE, *_BITSET, REQUEUE, CMP_REQUEUE, WAKE_OP; PI operations on the host");
    }

    /** Hot path: the waiter of task t. */
    private Waiter waiter(Task t) {
        Waiter[] a = waiters;
        int h = t.handle;
        Waiter w = h < a.length ? a[h] : null;
        return w != null ? w : newWaiter(h);
    }

    private synchronized Waiter newWaiter(int h) {
        Waiter[] a = waiters;
        if (h >= a.length) {
            a = Arrays.copyOf(a, Math.max(h + 1, a.length * 2));
        }
        if (a[h] == null) {
            a[h] = table.newWaiter();
        }
        waiters = a;
        return a[h];
    }

    /**
     * Implements futex(2). Arguments: uaddr, op, val, utime (a timeout, or val2 for the operations
     * that take no timeout), uaddr2, val3. Hot path: allocates nothing.
     */
    long futex(Task t, long uaddr, long opArg, long valArg, long utime, long uaddr2, long val3Arg) {
        int op = (int) opArg, cmd = op & FUTEX_CMD_MASK;
        int val = (int) valArg, val3 = (int) val3Arg;
        // SYSCALL_DEFINE6(futex): the timeout first.
        long deadline = Long.MAX_VALUE, hostDeadline = Long.MAX_VALUE;
        int clock = (op & FUTEX_CLOCK_REALTIME) != 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC;
        if (utime != 0 && hasTimeout(cmd)) {
            if (!UserMemory.canRead(utime, 16)) {
                return -Errno.EFAULT;
            }
            long sec = UserMemory.getLong(utime), nsec = UserMemory.getLong(utime + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                return -Errno.EINVAL;
            }
            long ns = sec > Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE - 1 : sec * 1_000_000_000L + nsec;
            if (cmd == FutexAbi.FUTEX_WAIT) {
                // Relative, on CLOCK_MONOTONIC (FUTEX_CLOCK_REALTIME with FUTEX_WAIT is ENOSYS below).
                long now = System.nanoTime();
                deadline = ns >= Long.MAX_VALUE - now ? Long.MAX_VALUE - 1 : now + ns;
                hostDeadline = deadline;
                clock = CLOCK_MONOTONIC;
            } else if (clock == CLOCK_MONOTONIC) {
                deadline = ns;
                hostDeadline = ns;
            } else {
                hostDeadline = ns;
                long left = ns - realtimeNow(t);
                long now = System.nanoTime();
                deadline = left >= Long.MAX_VALUE - now ? Long.MAX_VALUE - 1 : now + left;
            }
        }
        // do_futex.
        if ((op & FUTEX_CLOCK_REALTIME) != 0 && cmd != FutexAbi.FUTEX_WAIT_BITSET
                && cmd != FutexAbi.FUTEX_WAIT_REQUEUE_PI && cmd != FutexAbi.FUTEX_LOCK_PI2) {
            return -Errno.ENOSYS;
        }
        boolean priv = (op & FUTEX_PRIVATE_FLAG) != 0;
        return switch (cmd) {
            case FutexAbi.FUTEX_WAIT -> wait(t, uaddr, val, deadline, clock, hostDeadline, FUTEX_BITSET_MATCH_ANY, priv,
                    (val3 & ~0xffff) == RUNTIME_HINT ? val3 & 0xffff : -1);
            case FutexAbi.FUTEX_WAIT_BITSET -> wait(t, uaddr, val, deadline, clock, hostDeadline, val3, priv, -1);
            case FutexAbi.FUTEX_WAKE -> wake(t, uaddr, val, FUTEX_BITSET_MATCH_ANY, op, priv);
            case FutexAbi.FUTEX_WAKE_BITSET -> wake(t, uaddr, val, val3, op, priv);
            case FutexAbi.FUTEX_REQUEUE -> requeue(t, uaddr, uaddr2, val, (int) utime, false, 0, op, priv);
            case FutexAbi.FUTEX_CMP_REQUEUE -> requeue(t, uaddr, uaddr2, val, (int) utime, true, val3, op, priv);
            case FutexAbi.FUTEX_WAKE_OP -> wakeOp(t, uaddr, uaddr2, val, (int) utime, val3, op, priv);
            case FutexAbi.FUTEX_LOCK_PI, FutexAbi.FUTEX_LOCK_PI2, FutexAbi.FUTEX_UNLOCK_PI, FutexAbi.FUTEX_TRYLOCK_PI,
                    FutexAbi.FUTEX_WAIT_REQUEUE_PI, FutexAbi.FUTEX_CMP_REQUEUE_PI ->
                    pi(t, uaddr, opArg, valArg, utime, uaddr2, val3Arg);
            default -> -Errno.ENOSYS;
        };
    }

    /** syscalls.c: futex_cmd_has_timeout. */
    private static boolean hasTimeout(int cmd) {
        return cmd == FutexAbi.FUTEX_WAIT || cmd == FutexAbi.FUTEX_LOCK_PI || cmd == FutexAbi.FUTEX_LOCK_PI2
                || cmd == FutexAbi.FUTEX_WAIT_BITSET || cmd == FutexAbi.FUTEX_WAIT_REQUEUE_PI;
    }

    /**
     * FUTEX_WAIT and FUTEX_WAIT_BITSET (waitwake.c: futex_wait). busyPs: the Go runtime's hint (see
     * {@link #RUNTIME_HINT}), -1 if none.
     */
    private long wait(Task t, long uaddr, int val, long deadline, int clock, long hostDeadline, int bitset, boolean priv,
            int busyPs) {
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        long r = checkAddress(uaddr, true);
        if (r != 0) {
            return r;
        }
        return table.wait(waiter(t), uaddr, val, bitset, priv, deadline, clock, hostDeadline, busyPs);
    }

    /** FUTEX_WAKE and FUTEX_WAKE_BITSET (waitwake.c: futex_wake). */
    private long wake(Task t, long uaddr, int nr, int bitset, int op, boolean priv) {
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        long r = checkKey(uaddr, priv);
        if (r != 0) {
            return r;
        }
        return table.wake(waiter(t), uaddr, nr, bitset, hostOp(op, priv));
    }

    /** FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (requeue.c: futex_requeue, not PI). */
    private long requeue(Task t, long uaddr, long uaddr2, int nrWake, int nrRequeue, boolean cmp, int cmpval,
            int op, boolean priv) {
        if (nrWake < 0 || nrRequeue < 0) {
            return -Errno.EINVAL;
        }
        long r = checkKey(uaddr, priv);
        if (r == 0) {
            r = checkKey(uaddr2, priv);
        }
        if (r == 0 && cmp && !UserMemory.canRead(uaddr, 4)) {
            r = -Errno.EFAULT;
        }
        if (r != 0) {
            return r;
        }
        int hostOp = priv ? -1 : FutexAbi.FUTEX_WAKE;
        return table.requeue(waiter(t), uaddr, uaddr2, nrWake, nrRequeue, cmp, cmpval, hostOp);
    }

    /** FUTEX_WAKE_OP (waitwake.c: futex_wake_op). */
    private long wakeOp(Task t, long uaddr, long uaddr2, int nr1, int nr2, int encodedOp, int op, boolean priv) {
        long r = checkKey(uaddr, priv);
        if (r == 0) {
            r = checkKey(uaddr2, priv);
        }
        if (r == 0 && !UserMemory.canWrite(uaddr2, 4)) {
            r = -Errno.EFAULT; // futex_atomic_op_inuser faults, and fault_in_user_writeable fails
        }
        if (r != 0) {
            return r;
        }
        int hostOp = priv ? -1 : FutexAbi.FUTEX_WAKE;
        return table.wakeOp(waiter(t), uaddr, uaddr2, nr1, nr2, encodedOp, hostOp);
    }

    /** The priority-inheritance operations: the host's (see the class comment). May block. */
    private static long pi(Task t, long uaddr, long op, long val, long utime, long uaddr2, long val3) {
        t.passedThrough[Sysno.SYS_FUTEX]++;
        return Host.call(Sysno.SYS_FUTEX, uaddr, op, val, utime, uaddr2, val3);
    }

    /** The host wake for waiters only the host knows, or -1 (see {@link FutexTable#wake}). */
    private static int hostOp(int op, boolean priv) {
        return priv && !HOST_WAKE_PRIVATE ? -1 : op & ~FUTEX_CLOCK_REALTIME;
    }

    /**
     * core.c: get_futex_key. A private key needs a 4-aligned address below TASK_SIZE (access_ok);
     * a shared one also needs the page mapped (get_user_pages).
     */
    private static long checkKey(long uaddr, boolean priv) {
        if ((uaddr & 3) != 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(uaddr, FutexAbi.TASK_SIZE_MAX - 4) > 0) {
            return -Errno.EFAULT;
        }
        return priv || UserMemory.canRead(uaddr, 4) ? 0 : -Errno.EFAULT;
    }

    /** The key of a wait, whose value is read: the address must also be mapped. */
    private static long checkAddress(long uaddr, boolean priv) {
        long r = checkKey(uaddr, priv);
        return r != 0 ? r : UserMemory.canRead(uaddr, 4) ? 0 : -Errno.EFAULT;
    }

    /** CLOCK_REALTIME now, in nanoseconds, read with the task's scratch memory. */
    private static long realtimeNow(Task t) {
        Host.fastCall(Sysno.SYS_CLOCK_GETTIME, CLOCK_REALTIME, t.scratch.address(), 0);
        return t.scratch.get(JAVA_LONG, 0) * 1_000_000_000L + t.scratch.get(JAVA_LONG, 8);
    }
}
