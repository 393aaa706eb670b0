package ring0.fs.ramfs;

import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;

/** A RAM symbolic link: its target, as given (mode 0777, as every Linux symlink). */
final class Symlink extends RamInode {
    private final byte[] target;

    Symlink(RamFilesystem fs, int uid, int gid, byte[] target) {
        super(fs, Stat.S_IFLNK | 0777, uid, gid);
        this.target = target;
    }

    @Override
    long getattrData(Task t, Kstat k) {
        k.size = target.length;
        return 0;
    }

    @Override
    public long readlink(Task t, Dentry d, byte[] out) {
        int n = Math.min(target.length, out.length);
        System.arraycopy(target, 0, out, 0, n);
        return n;
    }

    /** Only O_PATH | O_NOFOLLOW opens a link itself (the VFS answers ELOOP to anything else). */
    @Override
    public long open(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = new PathFile(m, d, flags, -1);
        return 0;
    }
}
