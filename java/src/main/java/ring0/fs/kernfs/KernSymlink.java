package ring0.fs.kernfs;

import ring0.abi.Errno;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.vfs.Dentry;

/**
 * A symbolic link of the kernel: its text is computed when read ({@link #target}); an ordinary one is
 * followed by walking that text; a magic one (/proc/PID/fd/N, cwd, root) overrides
 * {@link #magicLink} to take the walk to the very file it stands for. Mode 0777, as every symlink,
 * unless the subclass says otherwise (/proc/PID/fd/N shows its access mode).
 */
public abstract class KernSymlink extends KernInode {
    protected KernSymlink(KernFilesystem fs, int perm) {
        super(fs, Stat.S_IFLNK | (perm & Stat.S_IALLUGO));
    }

    protected KernSymlink(KernFilesystem fs) {
        this(fs, 0777);
    }

    /** A link with a given inode number (an entry that comes and goes: /proc/PID/fd/N). */
    protected KernSymlink(KernFilesystem fs, long ino, int perm) {
        super(fs, ino, Stat.S_IFLNK | (perm & Stat.S_IALLUGO), null);
    }

    /** The link's text now, or null if it leads nowhere (ENOENT). */
    protected abstract byte[] target(Task t);

    @Override
    public long readlink(Task t, Dentry d, byte[] out) {
        byte[] b = target(t);
        if (b == null) {
            return -Errno.ENOENT;
        }
        int n = Math.min(b.length, out.length);
        System.arraycopy(b, 0, out, 0, n);
        return n;
    }

    @Override
    public boolean persistent() {
        return true;
    }
}
