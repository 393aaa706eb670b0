package ring0.vfs;

import ring0.kernel.Task;

/**
 * One filesystem instance (Linux: struct super_block with its super_operations and
 * dentry_operations): its root, its device number, and the policies of its dentries.
 */
public abstract class Filesystem {
    private final String type;
    private final int devMajor, devMinor;

    /**
     * @param type the name mounts show ("hostfs", "ramfs")
     * @param devMajor the device of its files (st_dev), unless its inodes give their own
     */
    protected Filesystem(String type, int devMajor, int devMinor) {
        this.type = type;
        this.devMajor = devMajor;
        this.devMinor = devMinor;
    }

    public final String type() {
        return type;
    }

    public final int devMajor() {
        return devMajor;
    }

    public final int devMinor() {
        return devMinor;
    }

    /** The root dentry (one reference is the filesystem's own). */
    public abstract Dentry root();

    /**
     * d_revalidate: does the cached child still mean what its name means? 1 yes, 0 no (the VFS drops
     * it and looks the name up again), or -errno. {@code t.nd.isForChange()} says the name is about to
     * be created, removed or renamed. Default: 1, for a filesystem nobody else changes.
     */
    public int revalidate(Task t, Dentry child) {
        return 1;
    }

    /**
     * {@link #revalidate} for a walk that takes no references and makes no host call (the fast walk of
     * {@link PathWalk}): 0 if it cannot tell at once (the walk goes the usual way), 1 if the child is
     * valid, 2 if it is, and is a hit of the host file caches (counted by the walk when it succeeds).
     * Nothing is counted or changed. Default: 1, as {@link #revalidate}'s default.
     */
    public int revalidateFast(Task t, Dentry child) {
        return 1;
    }

    /** Whether an unused dentry stays cached (the opposite of Linux's d_delete). Default: no. */
    public boolean retain(Dentry d) {
        return false;
    }

    /** The dentry d was killed: release what the filesystem held for it (d_iput). Default: nothing. */
    public void evict(Dentry d) {}

    /**
     * Whether the filesystem's backing store checks the caller's permission for every change itself
     * (the host does, for its files, with the very same credentials), so the VFS need not.
     */
    public boolean checksPermissions() {
        return false;
    }

    /** statfs(2): writes a struct statfs at the app's buf. 0 or -errno (EFAULT for a bad buf). */
    public abstract long statfs(Task t, Dentry d, long buf);

    /** syncfs(2) of this filesystem. Default: nothing to write, 0. */
    public long sync(Task t) {
        return 0;
    }

    /**
     * The app's working directory is now d (a directory of this filesystem). A filesystem of host
     * files makes it the host's working directory too, as children started by the app inherit the
     * host's. Default: nothing.
     */
    public void becameCwd(Dentry d) {}

    /** Releases what the filesystem holds on the host (at the end of a boot). Default: nothing. */
    public void shutdown() {}
}
