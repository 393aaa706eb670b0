package ring0.fs.kernfs;

import java.util.List;
import ring0.abi.Dirent;
import ring0.abi.Errno;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.VfsFiles;

/**
 * An open kernel directory. The listing is taken when a read starts at offset 0 (opendir, rewinddir)
 * and served from that snapshot by index, so a listing in progress sees each entry once even as
 * descriptors open and close (Linux's proc_readfd walks the table by number, with the same effect).
 *
 * <p>Locking: the offset and snapshot are guarded by this description's monitor (f_pos_lock).
 */
final class KernDirectoryDescription extends KernFile {
    private final KernDirectory dir;
    /** Guarded by this. */
    private long offset;
    private List<KernDirectory.DirEntry> snapshot;

    /** @param dentry takes over the caller's reference */
    KernDirectoryDescription(Mount mount, Dentry dentry, KernDirectory dir, int flags) {
        super(mount, dentry, dir, flags);
        this.dir = dir;
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
        if (!UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        if (snapshot == null || offset == 0) {
            Dentry p = dentry().parent();
            snapshot = dir.list(t, p != null && p.inode() != null ? p.inode().ino() : dir.ino());
        }
        long done = 0;
        while (offset < snapshot.size()) {
            KernDirectory.DirEntry e = snapshot.get((int) offset);
            int len = Dirent.recordLength(e.name().length);
            if (done + len > count) {
                return done == 0 ? -Errno.EINVAL : done;
            }
            if (!UserMemory.canWrite(buf + done, len)) {
                return done == 0 ? -Errno.EFAULT : done; // filldir64: a fault after some records ends the call short
            }
            done += Dirent.write(buf + done, e.ino(), offset + 1, e.type(), e.name());
            offset++;
        }
        return done;
    }

    /** SEEK_SET and SEEK_CUR to an offset that is not negative (proc_readdir's generic llseek). */
    @Override
    public synchronized long lseek(Task t, long off, int whence) {
        long r = VfsFiles.seekSetOrCurrent(offset, off, whence);
        if (r >= 0) {
            offset = r;
        }
        return r;
    }

    @Override
    protected synchronized long position() {
        return offset;
    }

    /** noop_fsync. */
    @Override
    public long fsync(Task t, boolean dataOnly) {
        return 0;
    }
}
