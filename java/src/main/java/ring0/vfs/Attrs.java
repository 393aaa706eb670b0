package ring0.vfs;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.kernel.Task;

/**
 * Changes of attributes at the VFS level (Linux: fs/open.c chmod_common, chown_common,
 * vfs_truncate; fs/utimes.c vfs_utimes; fs/attr.c may_setattr, setattr_prepare, notify_change):
 * the rights of the caller, then the inode's setattr, or the open file's for the f* calls.
 */
public final class Attrs {
    private final Vfs vfs;

    public Attrs(Vfs vfs) {
        this.vfs = vfs;
    }

    /** chmod_common: the permission bits of d (through f if not null). */
    public long chmod(Task t, Dentry d, VfsFile f, int mode) {
        Iattr a = t.nd.iattr.reset();
        a.valid = Iattr.ATTR_MODE | Iattr.ATTR_CTIME;
        a.mode = mode & Stat.S_IALLUGO;
        return notifyChange(t, d, f, a);
    }

    /** chown_common: -1 leaves the owner or the group as it is. */
    public long chown(Task t, Dentry d, VfsFile f, int uid, int gid) {
        Iattr a = t.nd.iattr.reset();
        a.valid = Iattr.ATTR_CTIME;
        if (uid != -1) {
            a.valid |= Iattr.ATTR_UID;
            a.uid = uid;
        }
        if (gid != -1) {
            a.valid |= Iattr.ATTR_GID;
            a.gid = gid;
        }
        return notifyChange(t, d, f, a);
    }

    /**
     * vfs_utimes: atime and mtime as utimensat's timespecs say (tv_nsec UTIME_NOW, UTIME_OMIT or a
     * time); null times (touch) is both UTIME_NOW.
     */
    public long utimes(Task t, Dentry d, VfsFile f, boolean touch, long aSec, long aNsec, long mSec, long mNsec) {
        Iattr a = t.nd.iattr.reset();
        a.valid = Iattr.ATTR_CTIME | Iattr.ATTR_ATIME | Iattr.ATTR_MTIME;
        if (!touch) {
            if (aNsec == Fcntl.UTIME_OMIT && mNsec == Fcntl.UTIME_OMIT) {
                return 0;
            }
            if (aNsec == Fcntl.UTIME_OMIT) {
                a.valid &= ~Iattr.ATTR_ATIME;
            } else if (aNsec != Fcntl.UTIME_NOW) {
                a.valid |= Iattr.ATTR_ATIME_SET;
                a.atimeSec = aSec;
                a.atimeNsec = (int) aNsec;
            }
            if (mNsec == Fcntl.UTIME_OMIT) {
                a.valid &= ~Iattr.ATTR_MTIME;
            } else if (mNsec != Fcntl.UTIME_NOW) {
                a.valid |= Iattr.ATTR_MTIME_SET;
                a.mtimeSec = mSec;
                a.mtimeNsec = (int) mNsec;
            }
            touch = aNsec == Fcntl.UTIME_NOW && mNsec == Fcntl.UTIME_NOW;
        }
        if (touch) {
            a.valid |= Iattr.ATTR_TOUCH;
        }
        return notifyChange(t, d, f, a);
    }

    /** vfs_truncate, for truncate(2): a regular file the caller may write. */
    public long truncate(Task t, Dentry d, long length) {
        Inode i = d.inode();
        if (i.isDirectory()) {
            return -Errno.EISDIR;
        }
        if (!i.isRegular()) {
            return -Errno.EINVAL;
        }
        if (!i.fs().checksPermissions()) {
            long r = i.permission(t, d, vfs.credentials(), Permission.MAY_WRITE);
            if (r < 0) {
                return r;
            }
        }
        Iattr a = t.nd.iattr.reset();
        a.valid = Iattr.ATTR_SIZE | Iattr.ATTR_MTIME | Iattr.ATTR_CTIME;
        a.size = length;
        return d.inode().setattr(t, d, a);
    }

    /** may_setattr and setattr_prepare, then the change. */
    private long notifyChange(Task t, Dentry d, VfsFile f, Iattr a) {
        Inode i = d.inode();
        if ((a.valid & Iattr.ATTR_MODE) != 0 && i.isSymlink()) {
            return -Errno.EOPNOTSUPP; // the mode of a symlink means nothing, and Linux will not change it
        }
        if (!i.fs().checksPermissions()) {
            long r = prepare(t, d, i, a);
            if (r < 0) {
                return r;
            }
        }
        return f != null ? f.setattr(t, a) : i.setattr(t, d, a);
    }

    private long prepare(Task t, Dentry d, Inode i, Iattr a) {
        Credentials c = vfs.credentials();
        boolean owner = Permission.ownerOrCapable(c, i);
        if ((a.valid & Iattr.ATTR_TOUCH) != 0 && !owner) {
            long r = i.permission(t, d, c, Permission.MAY_WRITE);
            if (r < 0) {
                return r;
            }
        }
        if ((a.valid & Iattr.ATTR_UID) != 0 && !(c.fsuid() == i.uid() && a.uid == i.uid())
                && !c.capable(Credentials.CAP_CHOWN)) {
            return -Errno.EPERM;
        }
        if ((a.valid & Iattr.ATTR_GID) != 0 && !(c.fsuid() == i.uid() && (c.inGroup(a.gid) || a.gid == i.gid()))
                && !c.capable(Credentials.CAP_CHOWN)) {
            return -Errno.EPERM;
        }
        if ((a.valid & Iattr.ATTR_MODE) != 0) {
            if (!owner) {
                return -Errno.EPERM;
            }
            int g = (a.valid & Iattr.ATTR_GID) != 0 ? a.gid : i.gid();
            if (!c.inGroup(g) && !c.capable(Credentials.CAP_FSETID)) {
                a.mode &= ~Stat.S_ISGID;
            }
        }
        if ((a.valid & (Iattr.ATTR_ATIME_SET | Iattr.ATTR_MTIME_SET)) != 0 && !owner) {
            return -Errno.EPERM;
        }
        return 0;
    }
}
