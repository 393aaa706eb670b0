package ring0.fs.devfs;

import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.HostBackedFile;
import ring0.vfs.Mount;
import ring0.vfs.VfsFiles;

/**
 * An open /dev/tty or /dev/console: a host descriptor of the terminal (or stdio file) behind it, to
 * which reads, writes, ioctls (TCGETS, TIOCGWINSZ...) and poll go; fstat shows the devfs node, as
 * natively the file opened is the /dev/tty (5:0) or /dev/console (5:1) inode.
 */
final class TerminalFile extends HostBackedFile {
    /** @param dentry takes over the caller's reference */
    TerminalFile(Mount mount, Dentry dentry, int hostFd, int flags) {
        super(mount, dentry, hostFd, flags);
    }

    @Override
    public long fstat(Task t, long buf) {
        return VfsFiles.stat(t, mount(), dentry(), buf);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return VfsFiles.statx(t, mount(), dentry(), buf);
    }
}
