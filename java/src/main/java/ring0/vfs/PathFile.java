package ring0.vfs;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.host.Host;
import ring0.abi.Sysno;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;

/**
 * A description opened with O_PATH: a place in the tree, good as a dirfd, for fchdir, fstat and
 * fstatfs, dup and close; every operation on the file's contents is EBADF, as for Linux, where the
 * calls that look such a descriptor up (fdget) do not see it.
 *
 * <p>Its status flags hold an access mode of 3, so that the read and write entry points let the
 * operation answer EBADF itself; F_GETFL shows the O_PATH flags the app asked for.
 */
public final class PathFile extends FileDescription implements VfsFile {
    private final Mount mount;
    private final Dentry dentry;
    private final int hostFd;
    private final int openFlags;

    /**
     * @param dentry takes over the caller's reference
     * @param hostFd an O_PATH host descriptor of the same file, closed with this description, or -1
     */
    public PathFile(Mount mount, Dentry dentry, int flags, int hostFd) {
        super(Fcntl.O_ACCMODE | (flags & Fcntl.O_PATH_FLAGS & ~Fcntl.O_CLOEXEC));
        this.mount = mount;
        this.dentry = dentry;
        this.hostFd = hostFd;
        this.openFlags = flags & Fcntl.O_PATH_FLAGS & ~Fcntl.O_CLOEXEC;
    }

    @Override
    public Mount mount() {
        return mount;
    }

    @Override
    public Dentry dentry() {
        return dentry;
    }

    @Override
    public int hostFd() {
        return hostFd;
    }

    @Override
    public String describe() {
        return "path:" + VfsFiles.describe(mount, dentry);
    }

    @Override
    protected long release() {
        if (hostFd >= 0) {
            Host.call(Sysno.SYS_CLOSE, hostFd, 0, 0);
        }
        dentry.put();
        return 0;
    }

    @Override
    public long read(Task t, long buf, long count) {
        return -Errno.EBADF;
    }

    @Override
    public long write(Task t, long buf, long count) {
        return -Errno.EBADF;
    }

    @Override
    public long pread(Task t, long buf, long count, long offset) {
        return -Errno.EBADF;
    }

    @Override
    public long pwrite(Task t, long buf, long count, long offset) {
        return -Errno.EBADF;
    }

    @Override
    public long readv(Task t, long iov, int iovcnt, long offset, int flags) {
        return -Errno.EBADF;
    }

    @Override
    public long writev(Task t, long iov, int iovcnt, long offset, int flags) {
        return -Errno.EBADF;
    }

    @Override
    public long lseek(Task t, long offset, int whence) {
        return -Errno.EBADF;
    }

    @Override
    public long getdents64(Task t, long buf, long count) {
        return -Errno.EBADF;
    }

    @Override
    public long fstat(Task t, long buf) {
        return VfsFiles.stat(t, mount, dentry, buf);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return VfsFiles.statx(t, mount, dentry, buf);
    }

    @Override
    public long fsync(Task t, boolean dataOnly) {
        return -Errno.EBADF;
    }

    @Override
    public long ftruncate(Task t, long length) {
        return -Errno.EBADF;
    }

    @Override
    public long fallocate(Task t, int mode, long offset, long length) {
        return -Errno.EBADF;
    }

    @Override
    public long ioctl(Task t, long request, long arg) {
        return -Errno.EBADF;
    }

    /** fs/fcntl.c check_fcntl_cmd: only the descriptor commands and F_GETFL work on an O_PATH file. */
    @Override
    public long fcntl(Task t, int cmd, long arg) {
        return cmd == 3 /* F_GETFL */ ? openFlags : -Errno.EBADF;
    }

    @Override
    public long mmap(Task t, long addr, long length, int prot, int flags, long offset) {
        return -Errno.EBADF;
    }

    @Override
    public int poll(Task t, int events) {
        return Poll.POLLNVAL;
    }

    @Override
    public long setattr(Task t, Iattr a) {
        return -Errno.EBADF;
    }

    @Override
    public long flock(Task t, int cmd) {
        return -Errno.EBADF;
    }
}
