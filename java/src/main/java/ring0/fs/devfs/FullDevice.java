package ring0.fs.devfs;

import ring0.abi.Errno;
import ring0.fs.kernfs.KernFilesystem;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/** /dev/full, 1:7 (drivers/char/mem.c: read_iter_zero, write_full): always full. */
final class FullDevice extends CharDevice {
    FullDevice(KernFilesystem fs, String twin) {
        super(fs, 1, 7, 0666, twin);
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = new FullFile(m, d, this, flags);
        return 0;
    }

    /** An open /dev/full: reads give zeros, every write fails with ENOSPC. */
    static final class FullFile extends DevFile {
        FullFile(Mount m, Dentry d, FullDevice dev, int flags) {
            super(m, d, dev, flags);
        }

        @Override
        public long read(Task t, long buf, long count) {
            return ZeroDevice.readZeros(buf, count);
        }

        @Override
        public long write(Task t, long buf, long count) {
            return UserMemory.accessOk(buf, count) ? -Errno.ENOSPC : -Errno.EFAULT;
        }
    }
}
