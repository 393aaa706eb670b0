package ring0.fs.ramfs;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Flock;
import ring0.vfs.Mount;
import ring0.vfs.VfsFile;
import ring0.vfs.VfsFiles;

/**
 * An open RAM directory: the kernel serves it alone (no host descriptor), with an offset into the
 * directory's stable listing offsets (fs/libfs.c: offset_readdir, offset_dir_llseek).
 *
 * <p>Locking: the offset is guarded by this description's monitor (f_pos_lock).
 */
final class DirectoryDescription extends FileDescription implements VfsFile {
    private final Mount mount;
    private final Dentry dentry;
    private final Directory dir;
    /** Guarded by this. */
    private long offset;
    /** Where the last listing stopped; guarded by this. */
    private final long[] next = new long[1];

    /** @param dentry takes over the caller's reference */
    DirectoryDescription(Mount mount, Dentry dentry, Directory dir, int flags) {
        super(VfsFiles.statusFlags(flags));
        this.mount = mount;
        this.dentry = dentry;
        this.dir = dir;
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
        return -1;
    }

    @Override
    public String describe() {
        return VfsFiles.describe(mount, dentry);
    }

    @Override
    protected long release() {
        dir.flock.release(this);
        dentry.put();
        return 0;
    }

    /** generic_read_dir. */
    @Override
    public long read(Task t, long buf, long count) {
        return -Errno.EISDIR;
    }

    @Override
    public long pread(Task t, long buf, long count, long offset) {
        return -Errno.EISDIR;
    }

    @Override
    public synchronized long getdents64(Task t, long buf, long count) {
        long n = dir.list(offset, buf, count, next); // ENOENT if removed, then EFAULT for the buffer
        if (n > 0) {
            offset = next[0];
        }
        return n;
    }

    /** offset_dir_llseek: SEEK_SET and SEEK_CUR to an offset that is not negative. */
    @Override
    public synchronized long lseek(Task t, long off, int whence) {
        long r = VfsFiles.seekSetOrCurrent(offset, off, whence);
        if (r >= 0) {
            offset = r;
        }
        return r;
    }

    @Override
    public long fstat(Task t, long buf) {
        return VfsFiles.stat(t, mount, dentry, buf);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return VfsFiles.statx(t, mount, dentry, buf);
    }

    /** noop_fsync: nothing to write. */
    @Override
    public long fsync(Task t, boolean dataOnly) {
        return 0;
    }

    @Override
    public long fcntl(Task t, int cmd, long arg) {
        return switch (cmd) {
            case Fcntl.F_GETLK, Fcntl.F_SETLK, Fcntl.F_SETLKW, Fcntl.F_OFD_GETLK, Fcntl.F_OFD_SETLK, Fcntl.F_OFD_SETLKW -> {
                long pos;
                synchronized (this) {
                    pos = offset;
                }
                yield Flock.recordLock(this, cmd, arg, pos, 0);
            }
            default -> super.fcntl(t, cmd, arg);
        };
    }

    @Override
    public long flock(Task t, int cmd) {
        return dir.flock.flock(this, cmd);
    }
}
