package ring0.usermem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The process's memory mappings, as last read from /proc/self/maps: sorted, non-overlapping
 * [start, end) ranges with their permissions. A range that is not covered is re-read once before it
 * is declared bad, since the app maps memory without telling the kernel (mmap goes to the host).
 *
 * <p>A mapping that disappears after it was read is not noticed: a pointer into memory the app has
 * since unmapped is the app's bug, and in ring 0 the app can crash the kernel by design.
 */
final class MappedRegions {
    private MappedRegions() {}

    /** Addresses at or above this are the host kernel's half: always bad. */
    static final long USER_TOP = 0x0000_8000_0000_0000L;
    private static final long READ = 1, WRITE = 2;

    /** start, end, perms triples, sorted by start. Replaced whole, never changed in place. */
    private static volatile long[] regions = new long[0];
    /** Index of the triple that matched last: most checks hit the same Go arena again. */
    private static int lastHit;

    static boolean covers(long addr, long len, boolean write) {
        if (len <= 0) {
            return len == 0;
        }
        long end = addr + len;
        if (addr <= 0 || end < addr || end > USER_TOP) {
            return false;
        }
        long need = write ? WRITE : READ;
        long[] r = regions;
        int i = lastHit;
        if (i < r.length && r[i] <= addr && end <= r[i + 1] && (r[i + 2] & need) != 0) {
            return true;
        }
        if (coveredBy(r, addr, end, need)) {
            return true;
        }
        if (coveredBy(refresh(), addr, end, need)) {
            return true;
        }
        // /proc/self/maps is read a page at a time, not atomically (proc(5)): a mapping another thread
        // makes or removes meanwhile can make one read skip regions. A miss is rare (a bad pointer, or
        // a region mapped since the last read), so before EFAULT it reads once more.
        return coveredBy(refresh(), addr, end, need);
    }

    private static boolean coveredBy(long[] r, long addr, long end, long need) {
        int i = find(r, addr);
        if (i < 0) {
            return false;
        }
        lastHit = i;
        long at = addr;
        while (i < r.length && r[i] <= at && (r[i + 2] & need) != 0) {
            at = r[i + 1];
            if (at >= end) {
                return true;
            }
            i += 3;
        }
        return false;
    }

    /** The triple containing addr, or -1. */
    private static int find(long[] r, long addr) {
        int lo = 0, hi = r.length / 3 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int t = mid * 3;
            if (Long.compareUnsigned(addr, r[t]) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(addr, r[t + 1]) >= 0) {
                lo = mid + 1;
            } else {
                return t;
            }
        }
        return -1;
    }

    static synchronized long[] refresh() {
        String maps;
        try {
            maps = Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return regions;
        }
        long[] r = new long[64 * 3];
        int n = 0;
        for (String line : maps.split("\n")) {
            int dash = line.indexOf('-');
            int sp = line.indexOf(' ');
            if (dash < 0 || sp < dash || line.length() < sp + 3) {
                continue;
            }
            long start = Long.parseUnsignedLong(line, 0, dash, 16);
            long end = Long.parseUnsignedLong(line, dash + 1, sp, 16);
            long perms = (line.charAt(sp + 1) == 'r' ? READ : 0) | (line.charAt(sp + 2) == 'w' ? WRITE : 0);
            if (n + 3 > r.length) {
                r = Arrays.copyOf(r, r.length * 2);
            }
            r[n++] = start;
            r[n++] = end;
            r[n++] = perms;
        }
        long[] fresh = Arrays.copyOf(r, n);
        regions = fresh;
        return fresh;
    }
}
