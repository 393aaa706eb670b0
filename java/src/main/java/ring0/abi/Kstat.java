package ring0.abi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * A file's attributes inside the kernel (Linux: struct kstat): what getattr fills and what
 * {@link Stat#writeStat} and {@link Stat#writeStatx} turn into the app's struct stat or struct
 * statx. Mutable and reused: each Task has one, so stat(2) allocates nothing.
 */
public final class Kstat {
    /** Which fields are valid (STATX_* bits). */
    public int mask;
    public int blksize;
    public long attributes;
    public long attributesMask;
    public int nlink;
    public int uid;
    public int gid;
    /** File type and permission bits (S_IFMT | 07777). */
    public int mode;
    public long ino;
    public long size;
    /** 512-byte blocks allocated. */
    public long blocks;
    public long atimeSec, mtimeSec, ctimeSec, btimeSec;
    public int atimeNsec, mtimeNsec, ctimeNsec, btimeNsec;
    public int rdevMajor, rdevMinor;
    public int devMajor, devMinor;
    public long mntId;
    public int dioMemAlign, dioOffsetAlign;

    /** Forgets everything (the next filler starts from zeros, as Linux's stack kstat after memset). */
    public void clear() {
        mask = blksize = nlink = uid = gid = mode = 0;
        attributes = attributesMask = ino = size = blocks = 0;
        atimeSec = mtimeSec = ctimeSec = btimeSec = 0;
        atimeNsec = mtimeNsec = ctimeNsec = btimeNsec = 0;
        rdevMajor = rdevMinor = devMajor = devMinor = 0;
        mntId = 0;
        dioMemAlign = dioOffsetAlign = 0;
    }

    /** Fills this from a struct statx at offset off of seg (as the host wrote it). */
    public void readStatx(MemorySegment seg, long off) {
        mask = seg.get(JAVA_INT, off + Stat.STX_MASK);
        blksize = seg.get(JAVA_INT, off + Stat.STX_BLKSIZE);
        attributes = seg.get(JAVA_LONG, off + Stat.STX_ATTRIBUTES);
        nlink = seg.get(JAVA_INT, off + Stat.STX_NLINK);
        uid = seg.get(JAVA_INT, off + Stat.STX_UID);
        gid = seg.get(JAVA_INT, off + Stat.STX_GID);
        mode = seg.get(JAVA_SHORT, off + Stat.STX_MODE) & 0xffff;
        ino = seg.get(JAVA_LONG, off + Stat.STX_INO);
        size = seg.get(JAVA_LONG, off + Stat.STX_SIZE);
        blocks = seg.get(JAVA_LONG, off + Stat.STX_BLOCKS);
        attributesMask = seg.get(JAVA_LONG, off + Stat.STX_ATTRIBUTES_MASK);
        atimeSec = seg.get(JAVA_LONG, off + Stat.STX_ATIME);
        atimeNsec = seg.get(JAVA_INT, off + Stat.STX_ATIME + 8);
        btimeSec = seg.get(JAVA_LONG, off + Stat.STX_BTIME);
        btimeNsec = seg.get(JAVA_INT, off + Stat.STX_BTIME + 8);
        ctimeSec = seg.get(JAVA_LONG, off + Stat.STX_CTIME);
        ctimeNsec = seg.get(JAVA_INT, off + Stat.STX_CTIME + 8);
        mtimeSec = seg.get(JAVA_LONG, off + Stat.STX_MTIME);
        mtimeNsec = seg.get(JAVA_INT, off + Stat.STX_MTIME + 8);
        rdevMajor = seg.get(JAVA_INT, off + Stat.STX_RDEV_MAJOR);
        rdevMinor = seg.get(JAVA_INT, off + Stat.STX_RDEV_MINOR);
        devMajor = seg.get(JAVA_INT, off + Stat.STX_DEV_MAJOR);
        devMinor = seg.get(JAVA_INT, off + Stat.STX_DEV_MINOR);
        mntId = seg.get(JAVA_LONG, off + Stat.STX_MNT_ID);
        dioMemAlign = seg.get(JAVA_INT, off + Stat.STX_DIO_MEM_ALIGN);
        dioOffsetAlign = seg.get(JAVA_INT, off + Stat.STX_DIO_OFFSET_ALIGN);
    }
}
