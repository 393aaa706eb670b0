package ring0.fs.kernfs;

import ring0.abi.Fcntl;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Flock;
import ring0.vfs.Mount;
import ring0.vfs.VfsFile;
import ring0.vfs.VfsFiles;

/**
 * An open kernel entry: a description the kernel serves alone (no host descriptor: epoll answers
 * EPERM for it, as Linux does for a file without a poll operation), with its place in the tree.
 * fstat and statx are the VFS's; flock and record locks are kept in the kernel ({@link Flock}).
 * Every other operation keeps the Linux default of {@link FileDescription} unless the entry's
 * description overrides it.
 */
public abstract class KernFile extends FileDescription implements VfsFile {
    private final Mount mount;
    private final Dentry dentry;
    private final KernInode inode;

    /** @param dentry takes over the caller's reference */
    protected KernFile(Mount mount, Dentry dentry, KernInode inode, int flags) {
        this(mount, dentry, inode, flags, false);
    }

    /**
     * @param dentry takes over the caller's reference
     * @param stateless read and write touch nothing that release frees ({@link FileDescription#stateless})
     */
    protected KernFile(Mount mount, Dentry dentry, KernInode inode, int flags, boolean stateless) {
        super(VfsFiles.statusFlags(flags), stateless);
        this.mount = mount;
        this.dentry = dentry;
        this.inode = inode;
    }

    @Override
    public final Mount mount() {
        return mount;
    }

    @Override
    public final Dentry dentry() {
        return dentry;
    }

    protected final KernInode inode() {
        return inode;
    }

    @Override
    public final int hostFd() {
        return -1;
    }

    @Override
    public String describe() {
        return VfsFiles.describe(mount, dentry);
    }

    @Override
    protected long release() {
        inode.flock().release(this);
        dentry.put();
        return 0;
    }

    @Override
    public long fstat(Task t, long buf) {
        return VfsFiles.stat(t, mount, dentry, buf);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return VfsFiles.statx(t, mount, dentry, buf);
    }

    /** vfs_fallocate for a file without the operation: EISDIR, ENODEV (not regular) or EOPNOTSUPP. */
    @Override
    public long fallocate(Task t, int mode, long offset, long length) {
        if (dentry.isDirectory()) {
            return -ring0.abi.Errno.EISDIR;
        }
        return dentry.inode().isRegular() ? -ring0.abi.Errno.EOPNOTSUPP : -ring0.abi.Errno.ENODEV;
    }

    @Override
    public long flock(Task t, int cmd) {
        return inode.flock().flock(this, cmd);
    }

    /** The offset SEEK_CUR means, for record locks. Default: 0. */
    protected long position() {
        return 0;
    }

    @Override
    public long fcntl(Task t, int cmd, long arg) {
        return switch (cmd) {
            case Fcntl.F_GETLK, Fcntl.F_SETLK, Fcntl.F_SETLKW, Fcntl.F_OFD_GETLK, Fcntl.F_OFD_SETLK, Fcntl.F_OFD_SETLKW ->
                    Flock.recordLock(this, cmd, arg, position(), 0);
            default -> super.fcntl(t, cmd, arg);
        };
    }
}
