package ring0.vfs;

import ring0.abi.Errno;
import ring0.abi.Stat;

/**
 * The permission checks of fs/namei.c on a mode, owner and group: generic_permission and the
 * sticky-bit rule of deletion. Each returns 0 or -errno.
 */
public final class Permission {
    private Permission() {}

    public static final int MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;

    /** generic_permission: the owner, group and other bits, then CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH. */
    public static long generic(Credentials c, int mode, int uid, int gid, int mask) {
        mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
        int bits;
        if (uid == c.fsuid()) {
            bits = mode >> 6;
        } else if (c.inGroup(gid)) {
            bits = mode >> 3;
        } else {
            bits = mode;
        }
        if ((mask & ~bits & 7) == 0) {
            return 0;
        }
        if (Stat.type(mode) == Stat.S_IFDIR) {
            if ((mask & MAY_WRITE) == 0 && c.capable(Credentials.CAP_DAC_READ_SEARCH)) {
                return 0;
            }
            return c.capable(Credentials.CAP_DAC_OVERRIDE) ? 0 : -Errno.EACCES;
        }
        if (mask == MAY_READ && c.capable(Credentials.CAP_DAC_READ_SEARCH)) {
            return 0;
        }
        // Root may execute a file only if someone may.
        if (((mask & MAY_EXEC) == 0 || (mode & Stat.S_IXUGO) != 0) && c.capable(Credentials.CAP_DAC_OVERRIDE)) {
            return 0;
        }
        return -Errno.EACCES;
    }

    /** check_sticky: in a sticky directory only the owner of the file or directory may remove it (EPERM). */
    public static long sticky(Credentials c, Inode dir, Inode victim) {
        if ((dir.mode() & Stat.S_ISVTX) == 0 || victim.uid() == c.fsuid() || dir.uid() == c.fsuid()
                || c.capable(Credentials.CAP_FOWNER)) {
            return 0;
        }
        return -Errno.EPERM;
    }

    /** inode_owner_or_capable: the caller owns the inode or has CAP_FOWNER. */
    public static boolean ownerOrCapable(Credentials c, Inode i) {
        return i.uid() == c.fsuid() || c.capable(Credentials.CAP_FOWNER);
    }
}
