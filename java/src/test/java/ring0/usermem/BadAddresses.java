package ring0.usermem;

import ring0.host.Host;

/**
 * Bogus app pointers for EFAULT tests: each of them must make a handler answer -EFAULT without
 * touching it (touching it would crash the JVM). The mappings are made once per JVM and never
 * unmapped, so no later mapping can take their place; after each one is made, the kernel's copy of
 * /proc/self/maps is brought up to date, since it does not notice a mapping that changes after it
 * was read (see {@link MappedRegions}).
 */
public final class BadAddresses {
    private BadAddresses() {}

    public static final long NULL = 0;
    /** A low page that nothing maps (vm.mmap_min_addr keeps at least page 0 free; nobody maps 0x1000). */
    public static final long LOW = 0x1000;
    /** The first address of the host kernel's half: never the app's. */
    public static final long KERNEL_HALF = 0xffff_8000_0000_0000L;

    static final long PAGE = 4096;
    static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
    private static final int SYS_MMAP = 9, SYS_MPROTECT = 10, SYS_MUNMAP = 11;

    private static long unmapped, noAccess, readOnly;

    /**
     * An address with no mapping: a page in the middle of the widest gap in /proc/self/maps, mapped
     * (which proves it is an address the app could use) and unmapped again. New mappings are placed
     * at the edges of gaps (top-down from the mmap base), so none lands there later.
     */
    public static synchronized long unmapped() {
        if (unmapped == 0) {
            long[] r = MappedRegions.refresh();
            long best = 0, bestLen = 0;
            for (int i = 3; i < r.length; i += 3) {
                long start = r[i - 2], end = Math.min(r[i], MappedRegions.USER_TOP);
                if (end - start > bestLen) {
                    best = start;
                    bestLen = end - start;
                }
            }
            long a = (best + bestLen / 2) & ~(PAGE - 1);
            long got = check(Host.call(SYS_MMAP, a, PAGE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), "mmap");
            if (got != a) {
                throw new IllegalStateException("mmap at " + Long.toHexString(a) + " gave " + Long.toHexString(got));
            }
            check(Host.call(SYS_MUNMAP, a, PAGE, 0), "munmap");
            MappedRegions.refresh();
            unmapped = a;
        }
        return unmapped;
    }

    /** A mapped page that can be neither read nor written (PROT_NONE). */
    public static synchronized long noAccess() {
        if (noAccess == 0) {
            noAccess = map(PAGE, PROT_NONE);
        }
        return noAccess;
    }

    /** A mapped page that can be read (it holds zeros) but not written. */
    public static synchronized long readOnly() {
        if (readOnly == 0) {
            readOnly = map(PAGE, PROT_READ);
        }
        return readOnly;
    }

    /** Every pointer no handler may touch: 0, unmapped, PROT_NONE and the kernel half. */
    public static long[] all() {
        return new long[] {NULL, LOW, unmapped(), noAccess(), KERNEL_HALF};
    }

    /** Like {@link #all}, plus the read-only page: pointers that no handler may write through. */
    public static long[] allForWrite() {
        return new long[] {NULL, LOW, unmapped(), noAccess(), KERNEL_HALF, readOnly()};
    }

    /** A fresh anonymous mapping of len bytes with prot, known to the kernel's map cache. */
    static long map(long len, int prot) {
        long a = check(Host.call(SYS_MMAP, 0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap");
        MappedRegions.refresh();
        return a;
    }

    /** Changes the protection of [addr, addr+len) and tells the kernel's map cache. */
    static void protect(long addr, long len, int prot) {
        check(Host.call(SYS_MPROTECT, addr, len, prot), "mprotect");
        MappedRegions.refresh();
    }

    private static long check(long r, String what) {
        if (r < 0 && r >= -4095) {
            throw new IllegalStateException(what + " failed: errno " + -r);
        }
        return r;
    }
}
