package ring0.abi;

/**
 * Attempt mode (Ring0 ABI 3): the Go runtime's syscall.Syscall and Syscall6 call the kernel first
 * without entersyscall (runtime.ring0TrySyscall, go/patch/files/runtime_ring0.go.tmpl). The calling
 * goroutine then keeps its P (it stays _Grunning) while the kernel runs, so the kernel serves an
 * attempt only if it finishes now: no blocking, no sleeping, no host call, no lock that can be held
 * long, a bounded copy. Otherwise it answers {@link #WOULD_BLOCK} having done nothing (no side
 * effect, not counted, not traced), and Go makes the call again the usual way, inside entersyscall.
 */
public final class Attempt {
    private Attempt() {}

    /** ring0Frame.flags: this call is an attempt (Go's ring0Attempt). */
    public static final long FLAG = 1;

    /**
     * The answer "would block; nothing done" (Go's ring0WouldBlock): outside -4095..-1 and outside
     * every result of the calls the kernel attempts (counts, offsets and flags are non-negative).
     */
    public static final long WOULD_BLOCK = Long.MIN_VALUE;

    /**
     * The answer "would block, and so would every attempt on this descriptor" (Go's ring0Never): a
     * description that never serves attempts (a host file). Go then marks the descriptor (the call's
     * first argument) in ring0Shared.noAttempt and stops attempting it; the kernel clears the mark
     * when it installs a description at that number ({@link ring0.kernel.FdTable}). Never the answer
     * of a call whose first argument is not the descriptor attempted (newfstatat's and openat's is a
     * directory descriptor, which Go would mark all the same): those answer {@link #WOULD_BLOCK}.
     */
    public static final long NEVER = Long.MIN_VALUE + 1;

    /** Descriptors below this have a bit in ring0Shared's descriptor bitmaps (noAttempt, discard). */
    public static final int SHARED_FDS = 4096;

    /** Whether r is one of the would-block answers. */
    public static boolean wouldBlock(long r) {
        return r == WOULD_BLOCK || r == NEVER;
    }

    /** The most bytes one attempted transfer may copy: more is served the usual way. */
    public static final long MAX_BYTES = 64 * 1024;
}
