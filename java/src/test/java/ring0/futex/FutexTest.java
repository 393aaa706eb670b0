package ring0.futex;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ring0.abi.FutexAbi.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.syscall.TestKernel;
import ring0.usermem.BadAddresses;

/**
 * futex(2) through the system call table, against the host: every call that cannot block is made
 * both ways with the same arguments, and the results must be equal (decoding, validation order,
 * errno values). Blocking behaviour is FutexTableTest's.
 */
class FutexTest {
    @AutoClose
    private final TestKernel k = new TestKernel();
    private final MemorySegment mem = k.alloc(256);
    /** Two futex words and a timespec. */
    private final long w1 = mem.address(), w2 = mem.address() + 64, ts = mem.address() + 128;
    private final List<String> mismatches = new ArrayList<>();

    private long kernel(long uaddr, int op, long val, long utime, long uaddr2, long val3) {
        return k.call(Sysno.SYS_FUTEX, uaddr, op, val, utime, uaddr2, val3);
    }

    /** The same call in the kernel and on the host, from the same word values; both must agree. */
    private void same(String what, long uaddr, int op, long val, long utime, long uaddr2, long val3) {
        int v1 = mem.get(JAVA_INT, 0), v2 = mem.get(JAVA_INT, 64);
        long host = Host.call(Sysno.SYS_FUTEX, uaddr, op, val, utime, uaddr2, val3);
        int h1 = mem.get(JAVA_INT, 0), h2 = mem.get(JAVA_INT, 64);
        mem.set(JAVA_INT, 0, v1);
        mem.set(JAVA_INT, 64, v2);
        long ours = kernel(uaddr, op, val, utime, uaddr2, val3);
        if (ours != host || mem.get(JAVA_INT, 0) != h1 || mem.get(JAVA_INT, 64) != h2) {
            mismatches.add(what + ": kernel " + ours + " (words " + mem.get(JAVA_INT, 0) + ", " + mem.get(JAVA_INT, 64)
                    + "), host " + host + " (words " + h1 + ", " + h2 + ")");
        }
    }

    private void timespec(long sec, long nsec) {
        mem.set(JAVA_LONG, 128, sec);
        mem.set(JAVA_LONG, 136, nsec);
    }

    private void assertNoMismatch() {
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void waitAndWakeErrorsMatchTheHost() {
        mem.set(JAVA_INT, 0, 7);
        timespec(0, 0);
        same("wait, value differs", w1, FUTEX_WAIT_PRIVATE, 8, 0, 0, 0);
        same("wait, zero timeout", w1, FUTEX_WAIT_PRIVATE, 7, ts, 0, 0);
        same("wait shared, zero timeout", w1, FUTEX_WAIT, 7, ts, 0, 0);
        same("wait, misaligned", w1 + 1, FUTEX_WAIT_PRIVATE, 7, ts, 0, 0);
        same("wait, NULL", 0, FUTEX_WAIT_PRIVATE, 7, ts, 0, 0);
        same("wait, unmapped", BadAddresses.unmapped(), FUTEX_WAIT_PRIVATE, 0, ts, 0, 0);
        same("wait, kernel half", BadAddresses.KERNEL_HALF, FUTEX_WAIT_PRIVATE, 0, ts, 0, 0);
        same("wait, bad timeout pointer", w1, FUTEX_WAIT_PRIVATE, 7, BadAddresses.unmapped(), 0, 0);
        same("wait, bad timeout pointer and misaligned", w1 + 2, FUTEX_WAIT_PRIVATE, 7, BadAddresses.unmapped(), 0, 0);
        timespec(0, 1_000_000_000L);
        same("wait, nsec too big", w1, FUTEX_WAIT_PRIVATE, 7, ts, 0, 0);
        timespec(-1, 0);
        same("wait, negative sec", w1, FUTEX_WAIT_PRIVATE, 7, ts, 0, 0);
        timespec(0, -1);
        same("wait, negative nsec", w1, FUTEX_WAIT_PRIVATE, 7, ts, 0, 0);
        timespec(0, 0);
        same("wait with CLOCK_REALTIME", w1, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 7, ts, 0, 0);
        same("wait_bitset, bitset 0", w1, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 7, ts, 0, 0);
        same("wait_bitset, absolute time passed", w1, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 7, ts, 0, 1);
        same("wait_bitset realtime, absolute time passed", w1,
                FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 7, ts, 0, 1);
        same("wait_bitset, value differs", w1, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 6, ts, 0, -1);
        same("wake, nobody", w1, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
        same("wake shared, nobody", w1, FUTEX_WAKE, 1, 0, 0, 0);
        same("wake, misaligned", w1 + 3, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
        same("wake, NULL", 0, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
        same("wake, unmapped", BadAddresses.unmapped(), FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
        same("wake shared, unmapped", BadAddresses.unmapped(), FUTEX_WAKE, 1, 0, 0, 0);
        same("wake, kernel half", BadAddresses.KERNEL_HALF, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
        same("wake with CLOCK_REALTIME", w1, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0);
        same("wake_bitset, bitset 0", w1, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);
        same("wake_bitset", w1, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, 0, 0, 5);
        same("FUTEX_FD", w1, FUTEX_FD, 0, 0, 0, 0);
        same("unknown op 14", w1, 14, 0, 0, 0, 0);
        same("unknown op 63", w1, 63 | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0);
        assertNoMismatch();
    }

    @Test
    void requeueAndWakeOpMatchTheHost() {
        mem.set(JAVA_INT, 0, 3);
        mem.set(JAVA_INT, 64, 10);
        same("requeue, nobody", w1, FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 5, w2, 0);
        same("cmp_requeue, value differs", w1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 5, w2, 4);
        same("cmp_requeue, value equal", w1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 5, w2, 3);
        same("cmp_requeue, negative nr_wake", w1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, -1, 5, w2, 3);
        same("cmp_requeue, negative nr_requeue", w1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 0x80000000L, w2, 3);
        same("cmp_requeue, misaligned uaddr2", w1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 5, w2 + 1, 3);
        same("cmp_requeue, unmapped uaddr", BadAddresses.unmapped(), FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 5, w2, 3);
        same("requeue, unmapped uaddr2", w1, FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 5, BadAddresses.unmapped(), 0);
        same("requeue shared, unmapped uaddr2", w1, FUTEX_REQUEUE, 1, 5, BadAddresses.unmapped(), 0);
        same("requeue, same address", w1, FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG, 1, 5, w1, 0);
        // FUTEX_WAKE_OP: val3 = op << 28 | cmp << 24 | oparg << 12 | cmparg.
        for (int op = 0; op < 8; op++) {
            for (int cmp = 0; cmp < 8; cmp++) {
                int enc = op << 28 | cmp << 24 | (5 & 0xfff) << 12 | (10 & 0xfff);
                same("wake_op op " + op + " cmp " + cmp, w1, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, w2, enc);
            }
        }
        int shift = (FUTEX_OP_OPARG_SHIFT | FUTEX_OP_OR) << 28 | FUTEX_OP_CMP_GT << 24 | 3 << 12;
        same("wake_op or 1<<3", w1, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, w2, shift);
        same("wake_op negative oparg", w1, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, w2,
                FUTEX_OP_ADD << 28 | FUTEX_OP_CMP_LT << 24 | 0xfff << 12 | 0x800);
        same("wake_op, uaddr2 read-only", w1, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, BadAddresses.readOnly(), 0);
        same("wake_op, uaddr2 unmapped", w1, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, BadAddresses.unmapped(), 0);
        same("wake_op, uaddr unmapped", BadAddresses.unmapped(), FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, w2, 0);
        same("wake_op, uaddr2 misaligned", w1, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, 1, w2 + 2, 0);
        assertNoMismatch();
    }

    @Test
    void priorityInheritanceGoesToTheHost() {
        mem.set(JAVA_INT, 0, 0);
        long before = k.task.passedThrough[Sysno.SYS_FUTEX];
        assertEquals(0, kernel(w1, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0), "takes the free PI lock");
        int tid = (int) Host.fastCall(Sysno.SYS_GETTID, 0, 0, 0);
        assertEquals(tid, mem.get(JAVA_INT, 0), "the owner is the host thread id");
        assertEquals(0, kernel(w1, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0));
        assertEquals(0, mem.get(JAVA_INT, 0));
        assertEquals(before + 2, k.task.passedThrough[Sysno.SYS_FUTEX]);
    }

    @Test
    void servedByTheKernel() {
        assertTrue(k.table.support(Sysno.SYS_FUTEX).startsWith("full"), k.table.support(Sysno.SYS_FUTEX));
        mem.set(JAVA_INT, 0, 1);
        assertEquals(-Errno.EAGAIN, kernel(w1, FUTEX_WAIT_PRIVATE, 2, 0, 0, 0));
        assertEquals(0, k.task.passedThrough[Sysno.SYS_FUTEX], "no host call for a wait that fails");
    }
}
