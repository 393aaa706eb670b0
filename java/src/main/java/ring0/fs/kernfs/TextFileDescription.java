package ring0.fs.kernfs;

import java.lang.foreign.MemorySegment;
import ring0.abi.Errno;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.VfsFiles;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * An open {@link TextFile}: an offset into the text last generated (fs/libfs.c
 * simple_read_from_buffer; fs/seq_file.c seq_lseek, which refuses SEEK_END).
 *
 * <p>Locking: the offset and the text are guarded by this description's monitor (f_pos_lock).
 */
final class TextFileDescription extends KernFile {
    /** MAX_RW_COUNT: the most one write hands to a file. */
    private static final int MAX_WRITE = 1 << 20;

    private final TextFile file;
    /** Guarded by this. */
    private long offset;
    private byte[] text;

    /** @param dentry takes over the caller's reference */
    TextFileDescription(Mount mount, Dentry dentry, TextFile file, int flags) {
        super(mount, dentry, file, flags);
        this.file = file;
    }

    @Override
    public synchronized long read(Task t, long buf, long count) {
        long n = readAt(t, buf, count, offset);
        if (n > 0) {
            offset += n;
        }
        return n;
    }

    @Override
    public synchronized long pread(Task t, long buf, long count, long pos) {
        return readAt(t, buf, count, pos);
    }

    /** simple_read_from_buffer of the text, generated afresh for a read at offset 0. */
    private long readAt(Task t, long buf, long count, long pos) {
        if (count < 0 || !UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        if (text == null || pos == 0) {
            text = file.show(t);
        }
        if (pos >= text.length || count == 0) {
            return 0;
        }
        int n = (int) Math.min(count, text.length - pos);
        if (!UserMemory.canWrite(buf, n)) {
            return -Errno.EFAULT;
        }
        MemorySegment.copy(text, (int) pos, UserMemory.ALL, JAVA_BYTE, buf, n);
        return n;
    }

    @Override
    public long write(Task t, long buf, long count) {
        return store(t, buf, count);
    }

    @Override
    public long pwrite(Task t, long buf, long count, long pos) {
        return store(t, buf, count);
    }

    private long store(Task t, long buf, long count) {
        if (count < 0 || !UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        int n = (int) Math.min(count, MAX_WRITE);
        byte[] data = new byte[n];
        if (!UserMemory.canRead(buf, n)) {
            return -Errno.EFAULT;
        }
        MemorySegment.copy(UserMemory.ALL, JAVA_BYTE, buf, data, 0, n);
        return file.store(t, data);
    }

    /** seq_lseek: SEEK_SET and SEEK_CUR to an offset that is not negative; SEEK_END is EINVAL. */
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
}
