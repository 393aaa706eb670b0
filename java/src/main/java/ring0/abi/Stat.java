package ring0.abi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import ring0.usermem.UserMemory;

/**
 * File modes (uapi/linux/stat.h), struct stat of x86-64 (asm/stat.h) and struct statx
 * (uapi/linux/stat.h), with the writers that fill them from a {@link Kstat} (fs/stat.c: cp_new_stat,
 * cp_statx).
 */
public final class Stat {
    private Stat() {}

    public static final int S_IFMT = 0xf000;
    public static final int S_IFSOCK = 0xc000;
    public static final int S_IFLNK = 0xa000;
    public static final int S_IFREG = 0x8000;
    public static final int S_IFBLK = 0x6000;
    public static final int S_IFDIR = 0x4000;
    public static final int S_IFCHR = 0x2000;
    public static final int S_IFIFO = 0x1000;
    public static final int S_ISUID = 0x800;
    public static final int S_ISGID = 0x400;
    public static final int S_ISVTX = 0x200;
    /** Every permission bit (S_IRWXUGO | S_ISUID | S_ISGID | S_ISVTX). */
    public static final int S_IALLUGO = 0xfff;
    public static final int S_IRWXUGO = 0x1ff;
    public static final int S_IXUGO = 0x49;

    /** The type bits of a mode. */
    public static int type(int mode) {
        return mode & S_IFMT;
    }

    /**
     * <pre>
     * struct stat {                 // x86-64: 144 bytes
     *     u64 st_dev;               //   0  new_encode_dev(major, minor)
     *     u64 st_ino;               //   8
     *     u64 st_nlink;             //  16
     *     u32 st_mode;              //  24
     *     u32 st_uid;               //  28
     *     u32 st_gid;               //  32
     *     u32 __pad0;               //  36
     *     u64 st_rdev;              //  40
     *     s64 st_size;              //  48
     *     s64 st_blksize;           //  56
     *     s64 st_blocks;            //  64  512-byte units
     *     s64 st_atime, st_atime_nsec;  //  72, 80
     *     s64 st_mtime, st_mtime_nsec;  //  88, 96
     *     s64 st_ctime, st_ctime_nsec;  // 104, 112
     *     s64 __unused[3];          // 120
     * };
     * </pre>
     */
    public static final int STAT_SIZE = 144;
    public static final int ST_DEV = 0, ST_INO = 8, ST_NLINK = 16, ST_MODE = 24, ST_UID = 28, ST_GID = 32;
    public static final int ST_RDEV = 40, ST_SIZE = 48, ST_BLKSIZE = 56, ST_BLOCKS = 64;
    public static final int ST_ATIME = 72, ST_MTIME = 88, ST_CTIME = 104;

    /**
     * <pre>
     * struct statx {                // 256 bytes
     *     u32 stx_mask;             //   0  STATX_* bits filled
     *     u32 stx_blksize;          //   4
     *     u64 stx_attributes;       //   8
     *     u32 stx_nlink;            //  16
     *     u32 stx_uid;              //  20
     *     u32 stx_gid;              //  24
     *     u16 stx_mode;             //  28
     *     u16 __spare0;             //  30
     *     u64 stx_ino;              //  32
     *     u64 stx_size;             //  40
     *     u64 stx_blocks;           //  48
     *     u64 stx_attributes_mask;  //  56
     *     struct statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 __reserved; }
     *         stx_atime, stx_btime, stx_ctime, stx_mtime;   // 64, 80, 96, 112
     *     u32 stx_rdev_major, stx_rdev_minor;               // 128, 132
     *     u32 stx_dev_major, stx_dev_minor;                 // 136, 140
     *     u64 stx_mnt_id;           // 144
     *     u32 stx_dio_mem_align;    // 152
     *     u32 stx_dio_offset_align; // 156
     *     u64 __spare3[12];         // 160..256  (subvol, atomic write limits: zero here)
     * };
     * </pre>
     */
    public static final int STATX_STRUCT_SIZE = 256;
    public static final int STX_MASK = 0, STX_BLKSIZE = 4, STX_ATTRIBUTES = 8, STX_NLINK = 16, STX_UID = 20;
    public static final int STX_GID = 24, STX_MODE = 28, STX_INO = 32, STX_SIZE = 40, STX_BLOCKS = 48;
    public static final int STX_ATTRIBUTES_MASK = 56, STX_ATIME = 64, STX_BTIME = 80, STX_CTIME = 96;
    public static final int STX_MTIME = 112, STX_RDEV_MAJOR = 128, STX_RDEV_MINOR = 132;
    public static final int STX_DEV_MAJOR = 136, STX_DEV_MINOR = 140, STX_MNT_ID = 144;
    public static final int STX_DIO_MEM_ALIGN = 152, STX_DIO_OFFSET_ALIGN = 156;

    public static final int STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8;
    public static final int STATX_GID = 0x10, STATX_ATIME = 0x20, STATX_MTIME = 0x40, STATX_CTIME = 0x80;
    public static final int STATX_INO = 0x100, STATX_SIZE = 0x200, STATX_BLOCKS = 0x400;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_BTIME = 0x800, STATX_MNT_ID = 0x1000;
    /** Bits no kernel defines yet: asking for one is EINVAL (STATX__RESERVED). */
    public static final int STATX__RESERVED = 0x80000000;

    /** Linux's dev_t as stat(2) shows it (new_encode_dev). */
    public static long encodeDev(int major, int minor) {
        return (minor & 0xffL) | ((major & 0xfffL) << 8) | ((minor & ~0xffL & 0xffffffffL) << 12);
    }

    /** The major number of a dev_t as stat(2) shows it (new_decode_dev). */
    public static int devMajor(long dev) {
        return (int) ((dev & 0xfff00) >>> 8);
    }

    /** The minor number of a dev_t as stat(2) shows it. */
    public static int devMinor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00));
    }

    /**
     * Writes k as a struct stat at app address addr (checked writable by the caller): eight bytes a
     * store, unaligned (no alignment check), and no slice (a slice allocates until escape analysis
     * removes it, and hot paths allocate nothing).
     */
    public static void writeStat(Kstat k, long addr) {
        MemorySegment m = UserMemory.ALL;
        m.set(JAVA_LONG_UNALIGNED, addr + ST_DEV, encodeDev(k.devMajor, k.devMinor));
        m.set(JAVA_LONG_UNALIGNED, addr + ST_INO, k.ino);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_NLINK, k.nlink & 0xffffffffL);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_MODE, (k.mode & 0xffffffffL) | ((long) k.uid << 32));
        m.set(JAVA_LONG_UNALIGNED, addr + ST_GID, k.gid & 0xffffffffL); // and the padding after it
        m.set(JAVA_LONG_UNALIGNED, addr + ST_RDEV, encodeDev(k.rdevMajor, k.rdevMinor));
        m.set(JAVA_LONG_UNALIGNED, addr + ST_SIZE, k.size);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_BLKSIZE, k.blksize);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_BLOCKS, k.blocks);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_ATIME, k.atimeSec);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_ATIME + 8, k.atimeNsec);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_MTIME, k.mtimeSec);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_MTIME + 8, k.mtimeNsec);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_CTIME, k.ctimeSec);
        m.set(JAVA_LONG_UNALIGNED, addr + ST_CTIME + 8, k.ctimeNsec);
        m.set(JAVA_LONG_UNALIGNED, addr + 120, 0);
        m.set(JAVA_LONG_UNALIGNED, addr + 128, 0);
        m.set(JAVA_LONG_UNALIGNED, addr + 136, 0);
    }

    /** Writes k as a struct statx at app address addr (checked writable by the caller). */
    public static void writeStatx(Kstat k, long addr) {
        MemorySegment m = UserMemory.ALL;
        for (int i = 0; i < STATX_STRUCT_SIZE; i += 8) {
            m.set(JAVA_LONG, addr + i, 0);
        }
        m.set(JAVA_INT, addr + STX_MASK, k.mask);
        m.set(JAVA_INT, addr + STX_BLKSIZE, k.blksize);
        m.set(JAVA_LONG, addr + STX_ATTRIBUTES, k.attributes);
        m.set(JAVA_INT, addr + STX_NLINK, k.nlink);
        m.set(JAVA_INT, addr + STX_UID, k.uid);
        m.set(JAVA_INT, addr + STX_GID, k.gid);
        m.set(JAVA_SHORT, addr + STX_MODE, (short) k.mode);
        m.set(JAVA_LONG, addr + STX_INO, k.ino);
        m.set(JAVA_LONG, addr + STX_SIZE, k.size);
        m.set(JAVA_LONG, addr + STX_BLOCKS, k.blocks);
        m.set(JAVA_LONG, addr + STX_ATTRIBUTES_MASK, k.attributesMask);
        timestamp(m, addr + STX_ATIME, k.atimeSec, k.atimeNsec);
        timestamp(m, addr + STX_BTIME, k.btimeSec, k.btimeNsec);
        timestamp(m, addr + STX_CTIME, k.ctimeSec, k.ctimeNsec);
        timestamp(m, addr + STX_MTIME, k.mtimeSec, k.mtimeNsec);
        m.set(JAVA_INT, addr + STX_RDEV_MAJOR, k.rdevMajor);
        m.set(JAVA_INT, addr + STX_RDEV_MINOR, k.rdevMinor);
        m.set(JAVA_INT, addr + STX_DEV_MAJOR, k.devMajor);
        m.set(JAVA_INT, addr + STX_DEV_MINOR, k.devMinor);
        m.set(JAVA_LONG, addr + STX_MNT_ID, k.mntId);
        m.set(JAVA_INT, addr + STX_DIO_MEM_ALIGN, k.dioMemAlign);
        m.set(JAVA_INT, addr + STX_DIO_OFFSET_ALIGN, k.dioOffsetAlign);
    }

    private static void timestamp(MemorySegment m, long at, long sec, int nsec) {
        m.set(JAVA_LONG, at, sec);
        m.set(JAVA_INT, at + 8, nsec);
    }
}
