package ring0.abi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import ring0.usermem.UserMemory;

/**
 * struct linux_dirent64, the records of getdents64(2) (fs/readdir.c: filldir64), and the d_type
 * values.
 *
 * <pre>
 * struct linux_dirent64 {
 *     u64  d_ino;               //  0
 *     s64  d_off;               //  8  where the next record starts (lseek there to resume)
 *     u16  d_reclen;            // 16  this record's size, a multiple of 8
 *     u8   d_type;              // 18  DT_*
 *     char d_name[];            // 19  NUL-terminated
 * };
 * </pre>
 */
public final class Dirent {
    private Dirent() {}

    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8;
    public static final int DT_LNK = 10, DT_SOCK = 12;
    private static final int NAME = 19;

    /** The d_type of a file mode (fs_umode_to_dtype). */
    public static int type(int mode) {
        return (mode & Stat.S_IFMT) >>> 12;
    }

    /** The size of the record for a name of nameLen bytes. */
    public static int recordLength(int nameLen) {
        return (NAME + nameLen + 1 + 7) & ~7;
    }

    /**
     * Writes one record at app address addr (the caller checked that recordLength(name.length)
     * bytes there are writable). Returns the record's length.
     */
    public static int write(long addr, long ino, long nextOffset, int type, byte[] name) {
        MemorySegment m = UserMemory.ALL;
        int len = recordLength(name.length);
        m.set(JAVA_LONG, addr, ino);
        m.set(JAVA_LONG, addr + 8, nextOffset);
        m.set(JAVA_SHORT, addr + 16, (short) len);
        m.set(JAVA_BYTE, addr + 18, (byte) type);
        MemorySegment.copy(name, 0, m, JAVA_BYTE, addr + NAME, name.length);
        for (long p = addr + NAME + name.length; p < addr + len; p++) {
            m.set(JAVA_BYTE, p, (byte) 0);
        }
        return len;
    }
}
