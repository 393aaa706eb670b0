package ring0.fs.devfs;

import ring0.abi.Errno;
import ring0.fs.kernfs.KernFilesystem;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/** /dev/null, 1:3 (drivers/char/mem.c: read_null, write_null). */
final class NullDevice extends CharDevice {
    NullDevice(KernFilesystem fs, String twin) {
        super(fs, 1, 3, 0666, twin);
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = new NullFile(m, d, this, flags);
        return 0;
    }

    /** An open /dev/null: reads find the end, writes are taken whole and dropped. */
    static final class NullFile extends DevFile {
        NullFile(Mount m, Dentry d, NullDevice dev, int flags) {
            super(m, d, dev, flags);
        }

        @Override
        public boolean discardsWrites() {
            return writable();
        }

        /** read_null, after vfs_read's access_ok. */
        @Override
        public long read(Task t, long buf, long count) {
            return UserMemory.accessOk(buf, count) ? 0 : -Errno.EFAULT;
        }

        /**
         * write_null, after vfs_write's access_ok and count clamp: nothing is read. Go answers most
         * writes here itself (ring0Discard in go/patch/files/runtime_ring0.go.tmpl, the same checks):
         * this serves the rest (fds above 4095, --strace, --stats, the runtime's own writes).
         */
        @Override
        public long write(Task t, long buf, long count) {
            return UserMemory.accessOk(buf, count) ? Math.min(count, MAX_RW_COUNT) : -Errno.EFAULT;
        }
    }
}
