package ring0.abi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import ring0.usermem.UserMemory;

/**
 * struct statfs of x86-64 (asm-generic/statfs.h) and the magic numbers of the filesystems the kernel
 * serves itself (uapi/linux/magic.h).
 *
 * <pre>
 * struct statfs {               // 120 bytes
 *     s64 f_type;               //   0  magic number
 *     s64 f_bsize;              //   8
 *     u64 f_blocks;             //  16
 *     u64 f_bfree;              //  24
 *     u64 f_bavail;             //  32
 *     u64 f_files;              //  40
 *     u64 f_ffree;              //  48
 *     s32 f_fsid[2];            //  56
 *     s64 f_namelen;            //  64
 *     s64 f_frsize;             //  72
 *     s64 f_flags;              //  80  ST_* mount flags
 *     s64 f_spare[4];           //  88
 * };
 * </pre>
 */
public final class Statfs {
    private Statfs() {}

    public static final int SIZE = 120;
    public static final long TMPFS_MAGIC = 0x01021994L;
    /** f_flags: the mount is read-only, ignores suid, ... (ST_* of statvfs). */
    public static final long ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_RELATIME = 0x1000;

    /** Writes one struct statfs at app address addr (checked writable by the caller). */
    public static void write(long addr, long type, long bsize, long blocks, long bfree, long bavail, long files,
            long ffree, int fsid0, int fsid1, long namelen, long flags) {
        MemorySegment m = UserMemory.ALL;
        m.set(JAVA_LONG, addr, type);
        m.set(JAVA_LONG, addr + 8, bsize);
        m.set(JAVA_LONG, addr + 16, blocks);
        m.set(JAVA_LONG, addr + 24, bfree);
        m.set(JAVA_LONG, addr + 32, bavail);
        m.set(JAVA_LONG, addr + 40, files);
        m.set(JAVA_LONG, addr + 48, ffree);
        m.set(JAVA_INT, addr + 56, fsid0);
        m.set(JAVA_INT, addr + 60, fsid1);
        m.set(JAVA_LONG, addr + 64, namelen);
        m.set(JAVA_LONG, addr + 72, bsize);
        m.set(JAVA_LONG, addr + 80, flags);
        for (int i = 88; i < SIZE; i += 8) {
            m.set(JAVA_LONG, addr + i, 0);
        }
    }
}
