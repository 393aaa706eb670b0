package ring0.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The host kernel: every system call the kernel makes on the host goes through here.
 *
 * <p>FFM has no raw system call, and libc's {@code syscall()} is variadic and reports through errno.
 * So Host writes the ten-instruction stub below into an executable page once and calls it directly:
 * it takes the number and six arguments in the C ABI registers, moves them where the SYSCALL
 * instruction wants them, and returns the raw Linux result, {@code -errno} on failure. Nothing to
 * capture, nothing allocated per call.
 *
 * <p>{@link #call} may block (read from a terminal, epoll_wait); {@link #fastCall} is a critical
 * downcall for calls that never block, which skips the thread-state transition.
 */
public final class Host {
    private Host() {}

    /*
     * mov rax, rdi; mov rdi, rsi; mov rsi, rdx; mov rdx, rcx; mov r10, r8; mov r8, r9;
     * mov r9, [rsp+8]; syscall; ret
     */
    private static final byte[] STUB_CODE = {
        0x48, (byte) 0x89, (byte) 0xf8,
        0x48, (byte) 0x89, (byte) 0xf7,
        0x48, (byte) 0x89, (byte) 0xd6,
        0x48, (byte) 0x89, (byte) 0xca,
        0x4d, (byte) 0x89, (byte) 0xc2,
        0x4d, (byte) 0x89, (byte) 0xc8,
        0x4c, (byte) 0x8b, 0x4c, 0x24, 0x08,
        0x0f, 0x05,
        (byte) 0xc3,
    };

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor SYSCALL_DESCRIPTOR = FunctionDescriptor.of(
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MemorySegment STUB = makeStub();
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(STUB, SYSCALL_DESCRIPTOR);
    private static final MethodHandle SYSCALL_CRITICAL =
            LINKER.downcallHandle(STUB, SYSCALL_DESCRIPTOR, Linker.Option.critical(false));

    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;

    private static MemorySegment makeStub() {
        try {
            var lookup = LINKER.defaultLookup();
            MethodHandle mmap = LINKER.downcallHandle(lookup.find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
            MethodHandle mprotect = LINKER.downcallHandle(lookup.find("mprotect").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
            MemorySegment page = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, 4096L,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (page.address() == -1L) {
                throw new IllegalStateException("mmap of the system call stub failed");
            }
            page = page.reinterpret(4096);
            MemorySegment.copy(MemorySegment.ofArray(STUB_CODE), 0, page, 0, STUB_CODE.length);
            if ((int) mprotect.invokeExact(page, 4096L, PROT_READ | PROT_EXEC) != 0) {
                throw new IllegalStateException("mprotect of the system call stub failed");
            }
            return page;
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    /** A host system call that may block. Returns the raw result: a value, or -errno. */
    public static long call(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYSCALL.invokeExact(nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A host system call that never blocks (critical downcall). Returns a value, or -errno. */
    public static long fastCall(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYSCALL_CRITICAL.invokeExact(nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long call(long nr, long a1, long a2, long a3) {
        return call(nr, a1, a2, a3, 0, 0, 0);
    }

    public static long fastCall(long nr, long a1, long a2, long a3) {
        return fastCall(nr, a1, a2, a3, 0, 0, 0);
    }

    /** A NUL-terminated copy of s in arena, for host calls made outside the app's memory. */
    public static MemorySegment cString(Arena arena, String s) {
        return arena.allocateFrom(s);
    }

    /** Throws a HostException naming {@code what} if a raw result is -errno; returns it otherwise. */
    public static long check(long result, String what) throws HostException {
        if (result < 0 && result >= -4095) {
            throw new HostException(what, (int) -result);
        }
        return result;
    }
}
