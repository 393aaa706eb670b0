package ring0.fs.ramfs;

import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.HostBackedFile;
import ring0.vfs.Mount;
import ring0.vfs.VfsFiles;

/**
 * An open RAM regular file: a host descriptor of the file's memfd, opened afresh for this
 * description, to which reads, writes, seeks, mappings and locks are forwarded. fstat and statx
 * are the VFS's, since the kernel keeps the inode number, link count, mode and owner.
 */
final class RegularFileDescription extends HostBackedFile {
    private final RegularFile file;

    /** @param dentry takes over the caller's reference; the caller counted this open in file */
    RegularFileDescription(Mount mount, Dentry dentry, int hostFd, int flags, RegularFile file) {
        super(mount, dentry, hostFd, flags);
        this.file = file;
    }

    @Override
    public long fstat(Task t, long buf) {
        return VfsFiles.stat(t, mount(), dentry(), buf);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return VfsFiles.statx(t, mount(), dentry(), buf);
    }

    @Override
    protected long release() {
        long r = super.release();
        file.closed();
        return r;
    }
}
