package ring0.vfs;

import java.util.ArrayList;
import java.util.List;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/** What every VFS file shares: getattr with the VFS's part of the answer, stat and statx out, a name. */
public final class VfsFiles {
    private VfsFiles() {}

    /**
     * vfs_getattr: the inode's attributes, with the filesystem's device if the inode gives none and
     * the mount's id if it gives none. k is cleared first. 0 or -errno.
     */
    public static long getattr(Task t, Mount m, Dentry d, Kstat k) {
        k.clear();
        long r = d.inode().getattr(t, d, k);
        if (r < 0) {
            return r;
        }
        if (k.devMajor == 0 && k.devMinor == 0) {
            k.devMajor = d.fs().devMajor();
            k.devMinor = d.fs().devMinor();
        }
        if ((k.mask & Stat.STATX_MNT_ID) == 0) {
            k.mntId = m.id; // the host's own mount id, when it gives one, matches its /proc/self/mountinfo
            k.mask |= Stat.STATX_MNT_ID;
        }
        return 0;
    }

    /** stat(2) of (m, d) into the app's struct stat at buf: 0 or -errno (EFAULT last, as cp_new_stat). */
    public static long stat(Task t, Mount m, Dentry d, long buf) {
        Kstat k = t.nd.kstat;
        long r = getattr(t, m, d, k);
        if (r < 0) {
            return r;
        }
        if (!UserMemory.canWrite(buf, Stat.STAT_SIZE)) {
            return -Errno.EFAULT;
        }
        Stat.writeStat(k, buf);
        return 0;
    }

    /** {@link #stat} in attempt mode: Attempt.WOULD_BLOCK, with nothing done, if the inode would ask the host. */
    public static long statAttempt(Task t, Mount m, Dentry d, long buf) {
        Kstat k = t.nd.kstat;
        k.clear();
        long r = d.inode().getattrAttempt(t, d, k);
        if (r != 0) {
            return r;
        }
        if (k.devMajor == 0 && k.devMinor == 0) {
            k.devMajor = d.fs().devMajor();
            k.devMinor = d.fs().devMinor();
        }
        if ((k.mask & Stat.STATX_MNT_ID) == 0) {
            k.mntId = m.id;
            k.mask |= Stat.STATX_MNT_ID;
        }
        if (!UserMemory.canWrite(buf, Stat.STAT_SIZE)) {
            return -Errno.EFAULT;
        }
        Stat.writeStat(k, buf);
        return 0;
    }

    /** statx(2) of (m, d) into the app's struct statx at buf. */
    public static long statx(Task t, Mount m, Dentry d, long buf) {
        Kstat k = t.nd.kstat;
        long r = getattr(t, m, d, k);
        if (r < 0) {
            return r;
        }
        if (!UserMemory.canWrite(buf, Stat.STATX_STRUCT_SIZE)) {
            return -Errno.EFAULT;
        }
        Stat.writeStatx(k, buf);
        return 0;
    }

    /**
     * The status flags of a file opened with flags, as F_GETFL shows them: what open(2) keeps
     * (do_dentry_open drops O_CREAT, O_EXCL, O_NOCTTY and O_TRUNC; O_CLOEXEC belongs to the
     * descriptor), with O_LARGEFILE, which a 64-bit open always adds.
     */
    public static int statusFlags(int flags) {
        return (flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOCTTY | Fcntl.O_TRUNC | Fcntl.O_CLOEXEC))
                | Fcntl.O_LARGEFILE;
    }

    /** A path for logs and strace: up through the mounts to the top of the tree, chroot or not. */
    public static String describe(Mount m, Dentry d) {
        List<Name> names = new ArrayList<>();
        for (int guard = 0; guard < 10_000; guard++) {
            if (d == m.root) {
                if (m.parent == null) {
                    break;
                }
                d = m.mountpoint;
                m = m.parent;
                continue;
            }
            Dentry p = d.parent();
            if (p == null) {
                break;
            }
            names.add(d.name());
            d = p;
        }
        StringBuilder b = new StringBuilder();
        for (int i = names.size() - 1; i >= 0; i--) {
            b.append('/').append(names.get(i));
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    /**
     * lseek of a file whose offset is a position in a sequence (seq_lseek, offset_dir_llseek, a
     * directory's readdir position): SEEK_SET or SEEK_CUR to an offset that is not negative. Returns
     * the new offset, or -EINVAL (also for SEEK_END and the others).
     */
    public static long seekSetOrCurrent(long position, long off, int whence) {
        switch (whence) {
            case Fcntl.SEEK_CUR -> off += position;
            case Fcntl.SEEK_SET -> { }
            default -> {
                return -Errno.EINVAL;
            }
        }
        return off < 0 ? -Errno.EINVAL : off;
    }
}
