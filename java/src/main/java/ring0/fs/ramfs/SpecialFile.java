package ring0.fs.ramfs;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;

/**
 * A FIFO, socket or device node made by mknod in a RAM filesystem: it exists, with its attributes,
 * but opening it is ENXIO (no driver behind a device number here; a socket is never opened; FIFOs
 * are not served in RAM filesystems yet).
 */
final class SpecialFile extends RamInode {
    private final long rdev;

    SpecialFile(RamFilesystem fs, int mode, int uid, int gid, long rdev) {
        super(fs, mode, uid, gid);
        this.rdev = rdev;
    }

    @Override
    long getattrData(Task t, Kstat k) {
        if (Stat.type(mode) == Stat.S_IFCHR || Stat.type(mode) == Stat.S_IFBLK) {
            k.rdevMajor = Stat.devMajor(rdev);
            k.rdevMinor = Stat.devMinor(rdev);
        }
        return 0;
    }

    @Override
    public long open(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        if ((flags & Fcntl.O_PATH) == 0) {
            return -Errno.ENXIO;
        }
        d.get();
        nd.file = new PathFile(m, d, flags, -1);
        return 0;
    }
}
