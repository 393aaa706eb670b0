package ring0.vfs;

import ring0.kernel.Task;

/**
 * An open file description of a file in the VFS (Linux: a struct file with its f_path): it knows its
 * mount and dentry, so it can be a dirfd, fchdir's target and the subject of fchmod and friends.
 * Implemented by the descriptions of every filesystem; descriptions of pipes and sockets are not.
 */
public interface VfsFile {
    Mount mount();

    /** The dentry opened (the description holds a reference on it). */
    Dentry dentry();

    /**
     * notify_change through this open file (fchmod, fchown, futimens): the VFS checked the caller's
     * rights. Default: the inode's setattr on the dentry.
     */
    default long setattr(Task t, Iattr a) {
        Dentry d = dentry();
        return d.inode().setattr(t, d, a);
    }

    /**
     * The largest size and offset of the file (the filesystem's s_maxbytes), for the checks the VFS
     * makes itself (copy_file_range). Default: MAX_LFS_FILESIZE.
     */
    default long maxBytes() {
        return Long.MAX_VALUE;
    }

    /** flock(2) (the caller checked the descriptor and the command). */
    long flock(Task t, int cmd);
}
