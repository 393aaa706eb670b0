package ring0.fs.devfs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.fs.kernfs.KernFilesystem;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/** /dev/zero, 1:5 (drivers/char/mem.c: read_iter_zero, write_null, mmap_zero). */
final class ZeroDevice extends CharDevice {
    /** What reads copy (a slice of the app's memory to fill would be an allocation per read). */
    private static final MemorySegment ZEROS = Arena.global().allocate(64 * 1024);

    ZeroDevice(KernFilesystem fs, String twin) {
        super(fs, 1, 5, 0666, twin);
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = new ZeroFile(m, d, this, flags);
        return 0;
    }

    /**
     * Fills count bytes of the app's buffer with zeros (read_iter_zero): the count, clamped to
     * MAX_RW_COUNT, or EFAULT if the buffer is not writable.
     */
    static long readZeros(long buf, long count) {
        if (!UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        long n = Math.min(count, DevFile.MAX_RW_COUNT);
        if (!UserMemory.canWrite(buf, n)) {
            return -Errno.EFAULT;
        }
        for (long done = 0; done < n; done += ZEROS.byteSize()) {
            MemorySegment.copy(ZEROS, 0, UserMemory.ALL, buf + done, Math.min(ZEROS.byteSize(), n - done));
        }
        return n;
    }

    /** An open /dev/zero: reads give zeros, writes are dropped, a mapping is anonymous memory. */
    static final class ZeroFile extends DevFile {
        ZeroFile(Mount m, Dentry d, ZeroDevice dev, int flags) {
            super(m, d, dev, flags);
        }

        @Override
        public long read(Task t, long buf, long count) {
            return readZeros(buf, count);
        }

        @Override
        public long write(Task t, long buf, long count) {
            return UserMemory.accessOk(buf, count) ? Math.min(count, MAX_RW_COUNT) : -Errno.EFAULT;
        }

        /**
         * mmap_zero: a private mapping is anonymous memory, a shared one shared anonymous memory
         * (shmem_zero_setup): the host maps it, and the offset does not matter.
         */
        @Override
        public long mmap(Task t, long addr, long length, int prot, int flags, long offset) {
            t.passedThrough[Sysno.SYS_MMAP]++;
            return Host.call(Sysno.SYS_MMAP, addr, length, prot, flags | Fcntl.MAP_ANONYMOUS, -1, 0);
        }
    }
}
