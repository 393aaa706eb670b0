package ring0.vfs;

import ring0.abi.Errno;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.kernel.Task;

/**
 * A file of some filesystem (Linux: struct inode with its inode_operations). The VFS walks paths and
 * checks what Linux checks at its level (fs/namei.c, fs/open.c, fs/attr.c); an inode does what only
 * its filesystem can.
 *
 * <p>The directory operations take the child dentry, whose parent is this directory and whose name
 * is the entry's; they run with the directory's lock held ({@link #dirLock}). Their defaults are what
 * Linux answers when a filesystem lacks the operation (vfs_create: EACCES, vfs_mkdir and the other
 * changes: EPERM, lookup: ENOTDIR). After a successful create, mkdir, mknod, symlink or link the
 * filesystem either instantiates the child ({@link Dentry#instantiate}) or leaves it negative, and
 * the VFS then drops it so that the next lookup asks again.
 *
 * <p>{@code mode}, {@code uid} and {@code gid} are what permission checks read: the truth for a
 * filesystem that keeps its inodes in the kernel, the last answer of the host for one that does
 * not (refreshed by lookups and revalidation).
 */
public abstract class Inode {
    protected final Filesystem fs;
    protected final long ino;
    /** S_IFMT type (fixed) and permission bits. */
    protected volatile int mode;
    protected volatile int uid, gid;
    /** Serializes changes of this directory's entries (Linux: i_rwsem, taken exclusively). */
    private final Object dirLock = new Object();

    protected Inode(Filesystem fs, long ino, int mode, int uid, int gid) {
        this.fs = fs;
        this.ino = ino;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
    }

    public final Filesystem fs() {
        return fs;
    }

    public final long ino() {
        return ino;
    }

    public final int mode() {
        return mode;
    }

    public final int type() {
        return mode & Stat.S_IFMT;
    }

    public final int uid() {
        return uid;
    }

    public final int gid() {
        return gid;
    }

    public final boolean isDirectory() {
        return type() == Stat.S_IFDIR;
    }

    public final boolean isSymlink() {
        return type() == Stat.S_IFLNK;
    }

    public final boolean isRegular() {
        return type() == Stat.S_IFREG;
    }

    /** The lock of this directory's entries. */
    public final Object dirLock() {
        return dirLock;
    }

    // ---- attributes ---------------------------------------------------------------------------

    /**
     * getattr: fills k (cleared by the caller) with the attributes of the file d names. k's device
     * and mount id are the VFS's to fill if the filesystem leaves them 0. Returns 0 or -errno (ENOENT
     * if the file is gone).
     */
    public abstract long getattr(Task t, Dentry d, Kstat k);

    /**
     * setattr: applies the changes in a to the file d names. The VFS has checked the caller's right
     * to make them (setattr_prepare) unless {@link Filesystem#checksPermissions}. Default: EPERM.
     */
    public long setattr(Task t, Dentry d, Iattr a) {
        return -Errno.EPERM;
    }

    /**
     * {@link #getattr} in attempt mode (ring0.abi.Attempt): 0 with k filled if the attributes are at
     * hand (no host call, no lock held long), else Attempt.WOULD_BLOCK with nothing done or counted.
     * Default: would block.
     */
    public long getattrAttempt(Task t, Dentry d, Kstat k) {
        return ring0.abi.Attempt.WOULD_BLOCK;
    }

    /**
     * permission: may c access this file as mask (Permission.MAY_*) says? 0 or -EACCES. Default:
     * generic_permission on mode, uid and gid.
     */
    public long permission(Task t, Dentry d, Credentials c, int mask) {
        return Permission.generic(c, mode, uid, gid, mask);
    }

    /**
     * access(2)'s question (mask: R_OK 4, W_OK 2, X_OK 1, or F_OK 0), answered for c, the real ids
     * (or the effective ones if effective: AT_EACCESS): 0 or -errno. Default: {@link #permission};
     * F_OK is always 0.
     */
    public long access(Task t, Dentry d, Credentials c, int mask, boolean effective) {
        return mask == 0 ? 0 : permission(t, d, c, mask);
    }

    // ---- directories --------------------------------------------------------------------------

    /**
     * lookup: finds child's name in this directory and instantiates child, or leaves it negative if
     * there is no such entry (not an error). 0 or -errno. Default: ENOTDIR.
     */
    public long lookup(Task t, Dentry child) {
        return -Errno.ENOTDIR;
    }

    /** create: a new regular file named by the negative child, with mode (type and bits). Default: EACCES. */
    public long create(Task t, Dentry child, int mode) {
        return -Errno.EACCES;
    }

    /** mknod: a new file of any type but directory and symlink. Default: EPERM. */
    public long mknod(Task t, Dentry child, int mode, long dev) {
        return -Errno.EPERM;
    }

    /** mkdir: a new directory. Default: EPERM. */
    public long mkdir(Task t, Dentry child, int mode) {
        return -Errno.EPERM;
    }

    /** symlink: a new symbolic link to target. Default: EPERM. */
    public long symlink(Task t, Dentry child, byte[] target) {
        return -Errno.EPERM;
    }

    /** link: a new name (child, negative) in this directory for the file old names. Default: EPERM. */
    public long link(Task t, Dentry old, Dentry child) {
        return -Errno.EPERM;
    }

    /** unlink: removes the entry child (not a directory). Default: EPERM. */
    public long unlink(Task t, Dentry child) {
        return -Errno.EPERM;
    }

    /** rmdir: removes the empty directory child (ENOTEMPTY otherwise). Default: EPERM. */
    public long rmdir(Task t, Dentry child) {
        return -Errno.EPERM;
    }

    /**
     * rename: moves the entry old (in this directory) to newChild's name in newDir, with the flags
     * of renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE; others were refused by the VFS). newChild may
     * be positive (it is replaced, or exchanged). The VFS checked the types of both sides. Default:
     * EPERM.
     */
    public long rename(Task t, Dentry old, Inode newDir, Dentry newChild, int flags) {
        return -Errno.EPERM;
    }

    // ---- symbolic links -----------------------------------------------------------------------

    /**
     * readlink: copies the target of the link d names into out (truncated to out.length). Returns
     * the length copied or -errno. Default: EINVAL (not a symbolic link).
     */
    public long readlink(Task t, Dentry d, byte[] out) {
        return -Errno.EINVAL;
    }

    /**
     * For a symbolic link that is not followed by walking its text (Linux's magic links, of procfs:
     * /proc/PID/fd/N, cwd, exe): puts a dentry (referenced) for what the link stands for in
     * nd's child ({@link Nameidata#setChild}: in the link's mount; {@link Nameidata#jumpLink}: in
     * another) and returns 0; returns 1 for an ordinary link, whose target the VFS walks; or -errno.
     * Default: 1.
     */
    public long magicLink(Task t, Dentry link, Nameidata nd) {
        return 1;
    }

    // ---- open ---------------------------------------------------------------------------------

    /**
     * open: a new description of this file at (m, d), opened with flags (the app's, O_CREAT and
     * O_EXCL included). The VFS has walked the path, checked the type against the flags (EISDIR,
     * ENOTDIR, ELOOP) and, unless the filesystem checks permissions itself, the access. On success
     * stores the description (holding references on m's dentry d) in nd.file and returns 0; else
     * returns -errno.
     */
    public abstract long open(Task t, Nameidata nd, Mount m, Dentry d, int flags);

    /**
     * {@link #open} in attempt mode (ring0.abi.Attempt), for an open without O_CREAT, O_TRUNC, O_PATH
     * or O_DIRECT of a regular file the VFS checked as for open: the same result if it needs no host
     * call, else Attempt.WOULD_BLOCK with nothing done or counted. Default: would block.
     */
    public long openAttempt(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        return ring0.abi.Attempt.WOULD_BLOCK;
    }

    /**
     * atomic_open: for a filesystem where creating and opening are one step, creates child
     * (negative, in this directory) and opens it as {@link #open} does. Returns 0, -errno, or
     * {@link #NO_ATOMIC_OPEN} for "create, then open" (the default).
     */
    public long atomicOpen(Task t, Nameidata nd, Mount m, Dentry child, int flags, int mode) {
        return NO_ATOMIC_OPEN;
    }

    public static final long NO_ATOMIC_OPEN = Long.MIN_VALUE;

    /**
     * execve: has the host execute this regular file (the VFS checked that the app may), with the
     * app's argv and envp. Returns only on failure, with -errno. Default: EACCES, a file the host
     * cannot reach.
     */
    public long exec(Task t, Dentry d, long argv, long envp) {
        return -Errno.EACCES;
    }

    /**
     * tmpfile: opens a new unnamed regular file in this directory (O_TMPFILE), as {@link #open}
     * does. Default: EOPNOTSUPP.
     */
    public long tmpfile(Task t, Nameidata nd, Mount m, Dentry dir, int flags, int mode) {
        return -Errno.EOPNOTSUPP;
    }
}
