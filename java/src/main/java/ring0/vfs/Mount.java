package ring0.vfs;

/**
 * A filesystem mounted somewhere (Linux: struct mount): its root dentry shows at mountpoint, a
 * dentry of the parent mount. The root mount has neither parent nor mount point. Mounts are made at
 * boot and live as long as the kernel; they compare by identity.
 */
public final class Mount {
    /** The mount id (statx stx_mnt_id). */
    public final int id;
    public final Filesystem fs;
    public final Dentry root;
    public final Mount parent;
    public final Dentry mountpoint;
    /** What was mounted, as the mount table shows it ("host:/srv/data", "ram"). */
    public final String source;

    Mount(int id, Filesystem fs, Dentry root, Mount parent, Dentry mountpoint, String source) {
        this.id = id;
        this.fs = fs;
        this.root = root;
        this.parent = parent;
        this.mountpoint = mountpoint;
        this.source = source;
    }

    @Override
    public String toString() {
        return "mount(" + id + ", " + fs.type() + ", " + source + ")";
    }
}
