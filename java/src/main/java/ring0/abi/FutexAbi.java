package ring0.abi;

/** futex(2) operations, flags and encodings (include/uapi/linux/futex.h), and futex_waitv(2)'s struct. */
public final class FutexAbi {
    private FutexAbi() {}

    public static final int FUTEX_WAIT = 0;
    public static final int FUTEX_WAKE = 1;
    /** Removed in Linux 2.6.26: ENOSYS. */
    public static final int FUTEX_FD = 2;
    public static final int FUTEX_REQUEUE = 3;
    public static final int FUTEX_CMP_REQUEUE = 4;
    public static final int FUTEX_WAKE_OP = 5;
    public static final int FUTEX_LOCK_PI = 6;
    public static final int FUTEX_UNLOCK_PI = 7;
    public static final int FUTEX_TRYLOCK_PI = 8;
    public static final int FUTEX_WAIT_BITSET = 9;
    public static final int FUTEX_WAKE_BITSET = 10;
    public static final int FUTEX_WAIT_REQUEUE_PI = 11;
    public static final int FUTEX_CMP_REQUEUE_PI = 12;
    public static final int FUTEX_LOCK_PI2 = 13;

    public static final int FUTEX_PRIVATE_FLAG = 128;
    public static final int FUTEX_CLOCK_REALTIME = 256;
    public static final int FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

    public static final int FUTEX_WAIT_PRIVATE = FUTEX_WAIT | FUTEX_PRIVATE_FLAG;
    public static final int FUTEX_WAKE_PRIVATE = FUTEX_WAKE | FUTEX_PRIVATE_FLAG;

    /** The bitset of FUTEX_WAIT and FUTEX_WAKE: matches every waiter. */
    public static final int FUTEX_BITSET_MATCH_ANY = 0xffffffff;

    /*
     * FUTEX_WAKE_OP's val3: [31] oparg is a shift, [30:28] op, [27:24] cmp, [23:12] oparg, [11:0] cmparg.
     */
    public static final int FUTEX_OP_SET = 0;
    public static final int FUTEX_OP_ADD = 1;
    public static final int FUTEX_OP_OR = 2;
    public static final int FUTEX_OP_ANDN = 3;
    public static final int FUTEX_OP_XOR = 4;
    /** In op: oparg is a shift count, the operand is 1 << oparg. */
    public static final int FUTEX_OP_OPARG_SHIFT = 8;

    public static final int FUTEX_OP_CMP_EQ = 0;
    public static final int FUTEX_OP_CMP_NE = 1;
    public static final int FUTEX_OP_CMP_LT = 2;
    public static final int FUTEX_OP_CMP_LE = 3;
    public static final int FUTEX_OP_CMP_GT = 4;
    public static final int FUTEX_OP_CMP_GE = 5;

    /** futex_waitv's per-futex flags: a 32-bit futex (FUTEX2_SIZE_U32), optionally private. */
    public static final int FUTEX2_SIZE_U32 = 0x02;
    public static final int FUTEX2_PRIVATE = FUTEX_PRIVATE_FLAG;

    /**
     * struct futex_waitv, 24 bytes:
     * <pre>
     * struct futex_waitv {
     *     u64 val;        //  0  the expected value
     *     u64 uaddr;      //  8  the futex word
     *     u32 flags;      // 16  FUTEX2_SIZE_U32 | FUTEX2_PRIVATE
     *     u32 __reserved; // 20  0
     * };
     * </pre>
     */
    public static final int WAITV_SIZE = 24;
    public static final int WAITV_VAL = 0, WAITV_UADDR = 8, WAITV_FLAGS = 16, WAITV_RESERVED = 20;

    /** Clocks (include/uapi/linux/time.h). */
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;

    /** x86-64 TASK_SIZE_MAX with 4-level page tables: access_ok() refuses addresses above it. */
    public static final long TASK_SIZE_MAX = 0x00007ffffffff000L;
}
