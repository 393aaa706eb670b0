package ring0.fs.ramfs;

import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Iattr;
import ring0.vfs.Inode;

/**
 * What every RAM file has in the kernel: its link count and times, besides the mode and owner of any
 * inode. Times are kept to the millisecond of the clock (Linux's are coarse too: a jiffy).
 *
 * <p>Locking: the times and the link count change under the inode's monitor.
 */
abstract class RamInode extends Inode {
    protected int nlink = 1;
    protected long atimeSec, mtimeSec, ctimeSec, btimeSec;
    protected int atimeNsec, mtimeNsec, ctimeNsec, btimeNsec;

    RamInode(RamFilesystem fs, int mode, int uid, int gid) {
        super(fs, fs.nextIno(), mode, uid, gid);
        long now = System.currentTimeMillis();
        atimeSec = mtimeSec = ctimeSec = btimeSec = now / 1000;
        atimeNsec = mtimeNsec = ctimeNsec = btimeNsec = (int) (now % 1000) * 1_000_000;
    }

    /** Fills what getattr shows of the data: the size, and blocks and times where they come from it. */
    abstract long getattrData(Task t, Kstat k);

    synchronized int nlink() {
        return nlink;
    }

    @Override
    public long getattr(Task t, Dentry d, Kstat k) {
        synchronized (this) {
            k.mask = Stat.STATX_BASIC_STATS | Stat.STATX_BTIME;
            k.blksize = 4096;
            k.nlink = nlink;
            k.uid = uid;
            k.gid = gid;
            k.mode = mode;
            k.ino = ino;
            k.atimeSec = atimeSec;
            k.atimeNsec = atimeNsec;
            k.mtimeSec = mtimeSec;
            k.mtimeNsec = mtimeNsec;
            k.ctimeSec = ctimeSec;
            k.ctimeNsec = ctimeNsec;
            k.btimeSec = btimeSec;
            k.btimeNsec = btimeNsec;
        }
        return getattrData(t, k);
    }

    /** simple_setattr: mode, owner and times (sizes are the regular file's). */
    @Override
    public long setattr(Task t, Dentry d, Iattr a) {
        synchronized (this) {
            applyOwnerAndMode(a);
            long now = System.currentTimeMillis();
            if ((a.valid & Iattr.ATTR_ATIME) != 0) {
                atimeSec = (a.valid & Iattr.ATTR_ATIME_SET) != 0 ? a.atimeSec : now / 1000;
                atimeNsec = (a.valid & Iattr.ATTR_ATIME_SET) != 0 ? a.atimeNsec : (int) (now % 1000) * 1_000_000;
            }
            if ((a.valid & Iattr.ATTR_MTIME) != 0) {
                mtimeSec = (a.valid & Iattr.ATTR_MTIME_SET) != 0 ? a.mtimeSec : now / 1000;
                mtimeNsec = (a.valid & Iattr.ATTR_MTIME_SET) != 0 ? a.mtimeNsec : (int) (now % 1000) * 1_000_000;
            }
            if ((a.valid & Iattr.ATTR_CTIME) != 0) {
                ctimeSec = now / 1000;
                ctimeNsec = (int) (now % 1000) * 1_000_000;
            }
        }
        return 0;
    }

    /**
     * The mode and owner parts of a change; a new owner of a file that is not a directory loses the
     * set-user-ID bit and, if group-executable, the set-group-ID bit (ATTR_KILL_SUID, ATTR_KILL_SGID).
     * Preconditions: the inode's monitor is held.
     */
    final void applyOwnerAndMode(Iattr a) {
        if ((a.valid & Iattr.ATTR_MODE) != 0) {
            mode = (mode & Stat.S_IFMT) | (a.mode & Stat.S_IALLUGO);
        }
        if ((a.valid & (Iattr.ATTR_UID | Iattr.ATTR_GID)) != 0) {
            if ((a.valid & Iattr.ATTR_UID) != 0) {
                uid = a.uid;
            }
            if ((a.valid & Iattr.ATTR_GID) != 0) {
                gid = a.gid;
            }
            if (!isDirectory()) {
                int m = mode & ~Stat.S_ISUID;
                if ((m & 0010) != 0) {
                    m &= ~Stat.S_ISGID;
                }
                mode = m;
            }
        }
    }

    /** Sets ctime (and mtime if both) to now. Preconditions: the inode's monitor is held. */
    final void touchLocked(boolean mtimeToo) {
        long now = System.currentTimeMillis();
        ctimeSec = now / 1000;
        ctimeNsec = (int) (now % 1000) * 1_000_000;
        if (mtimeToo) {
            mtimeSec = ctimeSec;
            mtimeNsec = ctimeNsec;
        }
    }

    synchronized void touch(boolean mtimeToo) {
        touchLocked(mtimeToo);
    }

    /** A link was added (+1) or removed (-1). */
    synchronized void addLink(int delta) {
        nlink += delta;
        touchLocked(false);
    }
}
