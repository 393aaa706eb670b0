package ring0.kernel;

import ring0.abi.Errno;
import ring0.usermem.UserMemory;

/**
 * struct iovec arrays of readv/writev: {@code struct iovec { void *iov_base; size_t iov_len; }}
 * (16 bytes). Validation as Linux's import_iovec: iovcnt in 0..IOV_MAX, the array readable, the
 * total length not above MAX_RW_COUNT.
 */
public final class Iovecs {
    private Iovecs() {}

    public static final int IOV_MAX = 1024;
    /** Linux clamps a transfer to INT_MAX rounded down to a page. */
    public static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~4095L;

    /**
     * Validates an iovec array as import_iovec: iovcnt in 0..IOV_MAX (EINVAL), the array readable
     * (EFAULT), no length negative as a ssize_t (EINVAL, checked for all before any address), every
     * buffer inside the user's half of the address space (access_ok, EFAULT). Returns the total
     * length, each piece cut so that it stays within MAX_RW_COUNT, or -errno.
     */
    public static long check(long iov, int iovcnt) {
        if (iovcnt < 0 || iovcnt > IOV_MAX) {
            return -Errno.EINVAL;
        }
        if (iovcnt > 0 && !UserMemory.canRead(iov, 16L * iovcnt)) {
            return -Errno.EFAULT;
        }
        for (int i = 0; i < iovcnt; i++) {
            if (UserMemory.getLong(iov + 16L * i + 8) < 0) {
                return -Errno.EINVAL;
            }
        }
        long total = 0;
        for (int i = 0; i < iovcnt; i++) {
            long base = UserMemory.getLong(iov + 16L * i), len = UserMemory.getLong(iov + 16L * i + 8);
            if (!UserMemory.accessOk(base, len)) {
                return -Errno.EFAULT;
            }
            total += Math.min(len, MAX_RW_COUNT - total);
        }
        return total;
    }

    static long loop(FileDescription f, Task t, long iov, int iovcnt, long offset, boolean write) {
        long err = check(iov, iovcnt);
        if (err < 0) {
            return err;
        }
        long done = 0;
        for (int i = 0; i < iovcnt; i++) {
            long base = UserMemory.getLong(iov + 16L * i), len = UserMemory.getLong(iov + 16L * i + 8);
            if (len == 0) {
                continue;
            }
            long n;
            if (offset < 0) {
                n = write ? f.write(t, base, len) : f.read(t, base, len);
            } else {
                n = write ? f.pwrite(t, base, len, offset + done) : f.pread(t, base, len, offset + done);
            }
            if (n < 0) {
                return done > 0 ? done : n;
            }
            done += n;
            if (n < len) {
                break;
            }
        }
        return done;
    }
}
