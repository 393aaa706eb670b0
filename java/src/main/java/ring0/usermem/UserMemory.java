package ring0.usermem;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import ring0.abi.Errno;

/**
 * The app's memory, seen from the kernel: the app and the kernel share one address space, so a user
 * pointer is a plain address. Touching an unmapped one would crash the JVM, so every access the app's
 * arguments steer is checked first against the process's mappings ({@link MappedRegions}); a bad
 * pointer is {@code -EFAULT}, as on Linux.
 *
 * <p>This is the only place that makes segments over app memory. Hot path: a check is a compare
 * against the last region that matched; only a miss reads /proc/self/maps.
 */
public final class UserMemory {
    private UserMemory() {}

    /** The whole address space. Accesses through it are unchecked: validate with canRead/canWrite. */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** True if [addr, addr+len) is mapped readable. */
    public static boolean canRead(long addr, long len) {
        return MappedRegions.covers(addr, len, false);
    }

    /** True if [addr, addr+len) is mapped writable. */
    public static boolean canWrite(long addr, long len) {
        return MappedRegions.covers(addr, len, true);
    }

    /**
     * Linux's access_ok: [addr, addr+len) lies in the user's half of the address space. It says
     * nothing of whether the memory is mapped: calls that check only this find a fault when they copy
     * (read(2), epoll_wait(2)), after they may have blocked.
     */
    public static boolean accessOk(long addr, long len) {
        return len >= 0 && addr >= 0 && addr <= TASK_SIZE_MAX - len;
    }

    /** The end of the user's half as Linux's access_ok sees it (TASK_SIZE_MAX on x86-64). */
    private static final long TASK_SIZE_MAX = MappedRegions.USER_TOP - 4096;

    /** Reads a long the app gave us, or returns {@code fallback} if addr is bad. */
    public static long readLongOr(long addr, long fallback) {
        return canRead(addr, 8) ? ALL.get(JAVA_LONG, addr) : fallback;
    }

    /** Copies len bytes from app memory at src to dst. Returns 0 or -EFAULT. */
    public static int copyIn(long src, MemorySegment dst, long dstOffset, long len) {
        if (!canRead(src, len)) {
            return -Errno.EFAULT;
        }
        MemorySegment.copy(ALL, src, dst, dstOffset, len);
        return 0;
    }

    /** Copies len bytes from src to app memory at dst. Returns 0 or -EFAULT. */
    public static int copyOut(MemorySegment src, long srcOffset, long dst, long len) {
        if (!canWrite(dst, len)) {
            return -Errno.EFAULT;
        }
        MemorySegment.copy(src, srcOffset, ALL, dst, len);
        return 0;
    }

    /** Reads an int from app memory; the caller checked the range. */
    public static int getInt(long addr) {
        return ALL.get(JAVA_INT, addr);
    }

    /** Writes an int to app memory; the caller checked the range. */
    public static void putInt(long addr, int v) {
        ALL.set(JAVA_INT, addr, v);
    }

    /** Reads a long from app memory; the caller checked the range. */
    public static long getLong(long addr) {
        return ALL.get(JAVA_LONG, addr);
    }

    /** Writes a long to app memory; the caller checked the range. */
    public static void putLong(long addr, long v) {
        ALL.set(JAVA_LONG, addr, v);
    }

    /**
     * Reads a NUL-terminated string of at most max bytes (not counting the NUL), or returns null if it
     * runs into unmapped memory or is longer. Not for hot paths: it allocates the String.
     */
    public static String readCString(long addr, int max) {
        byte[] b = new byte[Math.min(max, 256)];
        int n = 0;
        for (long p = addr; ; p++) {
            if ((p == addr || (p & 4095) == 0) && !canRead(p, 1)) {
                return null;
            }
            byte c = ALL.get(JAVA_BYTE, p);
            if (c == 0) {
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            if (n == max) {
                return null;
            }
            if (n == b.length) {
                b = Arrays.copyOf(b, Math.min(max, b.length * 2));
            }
            b[n++] = c;
        }
    }
}
