package ring0.vfs;

/**
 * A change of attributes (Linux: struct iattr): what chmod, chown, utimensat and truncate ask of
 * {@link Inode#setattr}. Mutable and reused (one per {@link Nameidata}).
 */
public final class Iattr {
    public static final int ATTR_MODE = 1, ATTR_UID = 2, ATTR_GID = 4, ATTR_SIZE = 8;
    /** Set atime / mtime: to the given value with ATTR_ATIME_SET / ATTR_MTIME_SET, else to now. */
    public static final int ATTR_ATIME = 0x10, ATTR_MTIME = 0x20, ATTR_CTIME = 0x40;
    public static final int ATTR_ATIME_SET = 0x80, ATTR_MTIME_SET = 0x100;
    /** Both times to now, as utimensat(NULL) asks: write permission suffices (ATTR_TOUCH). */
    public static final int ATTR_TOUCH = 0x20000;

    public int valid;
    public int mode;
    public int uid, gid;
    public long size;
    public long atimeSec, mtimeSec;
    public int atimeNsec, mtimeNsec;

    /** Starts a new change. */
    public Iattr reset() {
        valid = mode = uid = gid = atimeNsec = mtimeNsec = 0;
        size = atimeSec = mtimeSec = 0;
        return this;
    }
}
