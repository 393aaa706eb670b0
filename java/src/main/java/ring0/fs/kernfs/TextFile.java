package ring0.fs.kernfs;

import ring0.abi.Errno;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/**
 * A file whose content the kernel generates (Linux: a seq_file's show, served by
 * simple_read_from_buffer): {@link #show} runs when a read starts at offset 0, and reads go on from
 * that text, so a reader that reads in pieces sees one consistent state and a reader that starts
 * again sees a new one. Writes go to {@link #store}, whole.
 */
public abstract class TextFile extends KernInode {
    /** A file with mode (permission bits: 0444 for most, 0400 for secrets, 0644 if writable). */
    protected TextFile(KernFilesystem fs, int mode) {
        super(fs, Stat.S_IFREG | (mode & Stat.S_IALLUGO));
    }

    /** A file with a given inode number (an entry that comes and goes: /proc/PID/fdinfo/N). */
    protected TextFile(KernFilesystem fs, long ino, int mode) {
        super(fs, ino, Stat.S_IFREG | (mode & Stat.S_IALLUGO), null);
    }

    /** The file's content now. Runs in the reading task, not on a hot path: it may allocate. */
    protected abstract byte[] show(Task t);

    /**
     * A write of data (the bytes of one write call): the count accepted, or -errno. Default: EINVAL,
     * as Linux answers a write to a file without a write operation that was opened for writing.
     */
    protected long store(Task t, byte[] data) {
        return -Errno.EINVAL;
    }

    /** The entries of a process that never change stay cached. */
    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = new TextFileDescription(m, d, this, flags);
        return 0;
    }
}
