package ring0.syscall;

import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.kernel.FdTable;
import ring0.kernel.FileDescription;
import ring0.kernel.Iovecs;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.PathFile;

/**
 * Data transfer and per-file calls on a descriptor (fs/read_write.c, fs/sync.c, fs/open.c): each
 * finds the description, checks what Linux checks before the file gets a say (EBADF for the access
 * mode, EINVAL for a negative offset), then calls the description's operation.
 */
final class SysReadWrite {
    private static final int SYS_PREAD64 = 17, SYS_PWRITE64 = 18, SYS_READV = 19, SYS_WRITEV = 20;
    private static final int SYS_FSYNC = 74, SYS_FDATASYNC = 75, SYS_FTRUNCATE = 77, SYS_GETDENTS64 = 217;
    private static final int SYS_FALLOCATE = 285, SYS_PREADV = 295, SYS_PWRITEV = 296;
    private static final int SYS_PREADV2 = 327, SYS_PWRITEV2 = 328;
    private static final int RWF_SUPPORTED = 0x1f; // RWF_HIPRI | DSYNC | SYNC | NOWAIT | APPEND

    private final FdTable fds;

    SysReadWrite(Kernel kernel) {
        this.fds = kernel.fds;
    }

    void register(SyscallTable t) {
        t.set(0, this::read, "full");
        t.set(1, this::write, "full");
        t.set(SYS_PREAD64, this::pread64, "full");
        t.set(SYS_PWRITE64, this::pwrite64, "full");
        t.set(SYS_READV, (task, a0, a1, a2, a3, a4, a5) -> readv(task, a0, a1, a2, -1, 0, false), "full");
        t.set(SYS_WRITEV, (task, a0, a1, a2, a3, a4, a5) -> readv(task, a0, a1, a2, -1, 0, true), "full");
        t.set(SYS_PREADV, (task, a0, a1, a2, a3, a4, a5) -> positioned(task, a0, a1, a2, a3, 0, false), "full");
        t.set(SYS_PWRITEV, (task, a0, a1, a2, a3, a4, a5) -> positioned(task, a0, a1, a2, a3, 0, true), "full");
        t.set(SYS_PREADV2, (task, a0, a1, a2, a3, a4, a5) -> readv(task, a0, a1, a2, a3, a5, false), "full");
        t.set(SYS_PWRITEV2, (task, a0, a1, a2, a3, a4, a5) -> readv(task, a0, a1, a2, a3, a5, true), "full");
        t.set(8, this::lseek, "full");
        t.set(5, this::fstat, "full");
        t.set(SYS_GETDENTS64, this::getdents64, "full");
        t.set(SYS_FSYNC, (task, a0, a1, a2, a3, a4, a5) -> fsync(task, a0, false), "full");
        t.set(SYS_FDATASYNC, (task, a0, a1, a2, a3, a4, a5) -> fsync(task, a0, true), "full");
        t.set(SYS_FTRUNCATE, this::ftruncate, "full");
        t.set(SYS_FALLOCATE, this::fallocate, "full");
        t.setAttempt(0, this::attemptRead);
        t.setAttempt(1, this::attemptWrite);
        t.setAttempt(SYS_PREAD64, this::attemptPread64);
        t.setAttempt(SYS_PWRITE64, this::attemptPwrite64);
    }

    /*
     * Attempt mode (ring0.abi.Attempt): the same checks as the call, then the file's attempt operation,
     * which may answer WOULD_BLOCK. A descriptor not open is left to the usual path (EBADF there).
     */

    /** read(2) in attempt mode. Hot path. */
    long attemptRead(Task t, long fd, long buf, long count, long a3, long a4, long a5) {
        FileDescription s = fds.peek((int) fd);
        if (s != null && s.stateless()) {
            return s.readable() ? s.attemptRead(t, buf, count) : -Errno.EBADF;
        }
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return Attempt.WOULD_BLOCK;
        }
        try {
            return f.readable() ? f.attemptRead(t, buf, count) : -Errno.EBADF;
        } finally {
            f.put();
        }
    }

    /** write(2) in attempt mode. Hot path (Test-1: /dev/null). */
    long attemptWrite(Task t, long fd, long buf, long count, long a3, long a4, long a5) {
        FileDescription s = fds.peek((int) fd);
        if (s != null && s.stateless()) {
            return s.writable() ? s.attemptWrite(t, buf, count) : -Errno.EBADF;
        }
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return Attempt.WOULD_BLOCK;
        }
        try {
            return f.writable() ? f.attemptWrite(t, buf, count) : -Errno.EBADF;
        } finally {
            f.put();
        }
    }

    /** pread64(2) in attempt mode. */
    long attemptPread64(Task t, long fd, long buf, long count, long offset, long a4, long a5) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return Attempt.WOULD_BLOCK;
        }
        try {
            if (!f.readable()) {
                return -Errno.EBADF;
            }
            return offset < 0 ? -Errno.EINVAL : f.attemptPread(t, buf, count, offset);
        } finally {
            f.put();
        }
    }

    /** pwrite64(2) in attempt mode. */
    long attemptPwrite64(Task t, long fd, long buf, long count, long offset, long a4, long a5) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return Attempt.WOULD_BLOCK;
        }
        try {
            if (!f.writable()) {
                return -Errno.EBADF;
            }
            return offset < 0 ? -Errno.EINVAL : f.attemptPwrite(t, buf, count, offset);
        } finally {
            f.put();
        }
    }

    /** Implements read(2). Hot path. */
    long read(Task t, long fd, long buf, long count, long a3, long a4, long a5) {
        FileDescription s = fds.peek((int) fd);
        if (s != null && s.stateless()) {
            return !s.readable() ? -Errno.EBADF : UserMemory.accessOk(buf, count) ? s.read(t, buf, count) : -Errno.EFAULT;
        }
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return !f.readable() ? -Errno.EBADF : UserMemory.accessOk(buf, count) ? f.read(t, buf, count) : -Errno.EFAULT;
        } finally {
            f.put();
        }
    }

    /** Implements write(2). Hot path (Test-1: /dev/null, stateless, so no reference is taken). */
    long write(Task t, long fd, long buf, long count, long a3, long a4, long a5) {
        FileDescription s = fds.peek((int) fd);
        if (s != null && s.stateless()) {
            return !s.writable() ? -Errno.EBADF : UserMemory.accessOk(buf, count) ? s.write(t, buf, count) : -Errno.EFAULT;
        }
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return !f.writable() ? -Errno.EBADF : UserMemory.accessOk(buf, count) ? f.write(t, buf, count) : -Errno.EFAULT;
        } finally {
            f.put();
        }
    }

    /** Implements pread64(2). */
    long pread64(Task t, long fd, long buf, long count, long offset, long a4, long a5) {
        if (offset < 0) {
            return -Errno.EINVAL; // ksys_pread64 checks it before the descriptor
        }
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f.readable() && UserMemory.accessOk(buf, count)) {
                return f.pread(t, buf, count, offset);
            }
            return refused(f.pread(t, buf, 0, offset), f.readable());
        } finally {
            f.put();
        }
    }

    /** Implements pwrite64(2). */
    long pwrite64(Task t, long fd, long buf, long count, long offset, long a4, long a5) {
        if (offset < 0) {
            return -Errno.EINVAL; // ksys_pwrite64 checks it before the descriptor
        }
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f.writable() && UserMemory.accessOk(buf, count)) {
                return f.pwrite(t, buf, count, offset);
            }
            return refused(f.pwrite(t, buf, 0, offset), f.writable());
        } finally {
            f.put();
        }
    }

    /**
     * pread64 and pwrite64 that fail vfs_read's or vfs_write's first checks (the access mode: EBADF;
     * access_ok of the buffer: EFAULT), unless the file refuses a positioned transfer before them
     * (ESPIPE: Linux checks FMODE_PREAD first). probe is the file's answer to the same call for 0
     * bytes, which moves nothing.
     */
    private static long refused(long probe, boolean permitted) {
        return probe == -Errno.ESPIPE ? probe : permitted ? -Errno.EFAULT : -Errno.EBADF;
    }

    /** preadv(2)/pwritev(2): the offset comes split in two registers; on x86-64 the low one is all of it. */
    private long positioned(Task t, long fd, long iov, long iovcnt, long offset, int flags, boolean write) {
        if (offset < 0) {
            FileDescription f = fds.get((int) fd);
            if (f == null) {
                return -Errno.EBADF;
            }
            f.put();
            return -Errno.EINVAL;
        }
        return readv(t, fd, iov, iovcnt, offset, flags, write);
    }

    /** Implements readv(2), writev(2), preadv2(2), pwritev2(2): offset -1 is the current offset. */
    private long readv(Task t, long fd, long iov, long iovcnt, long offset, long flags, boolean write) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (write ? !f.writable() : !f.readable()) {
                return -Errno.EBADF;
            }
            if (offset < -1) {
                return -Errno.EINVAL;
            }
            if ((flags & ~RWF_SUPPORTED) != 0) {
                // kiocb_set_rw_flags, after import_iovec; an empty transfer returns 0 before it.
                long total = Iovecs.check(iov, (int) iovcnt);
                return total <= 0 ? total : -Errno.EOPNOTSUPP;
            }
            return write ? f.writev(t, iov, (int) iovcnt, offset, (int) flags) : f.readv(t, iov, (int) iovcnt, offset, (int) flags);
        } finally {
            f.put();
        }
    }

    /** Implements lseek(2). */
    long lseek(Task t, long fd, long offset, long whence, long a3, long a4, long a5) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return f.lseek(t, offset, (int) whence);
        } finally {
            f.put();
        }
    }

    /** Implements fstat(2). */
    long fstat(Task t, long fd, long buf, long a2, long a3, long a4, long a5) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return f.fstat(t, buf);
        } finally {
            f.put();
        }
    }

    /** Implements getdents64(2). */
    long getdents64(Task t, long fd, long buf, long count, long a3, long a4, long a5) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return f.getdents64(t, buf, count);
        } finally {
            f.put();
        }
    }

    /** Implements fsync(2) and fdatasync(2). */
    private long fsync(Task t, long fd, boolean dataOnly) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return f.fsync(t, dataOnly);
        } finally {
            f.put();
        }
    }

    /** Implements ftruncate(2) (do_sys_ftruncate: the length first, then the descriptor). */
    long ftruncate(Task t, long fd, long length, long a2, long a3, long a4, long a5) {
        if (length < 0) {
            return -Errno.EINVAL;
        }
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f instanceof PathFile) {
                return -Errno.EBADF; // fdget does not see O_PATH descriptions
            }
            return f.writable() ? f.ftruncate(t, length) : -Errno.EINVAL;
        } finally {
            f.put();
        }
    }

    private static final int FALLOC_FL_KEEP_SIZE = 0x01, FALLOC_FL_PUNCH_HOLE = 0x02, FALLOC_FL_COLLAPSE_RANGE = 0x08;
    private static final int FALLOC_FL_ZERO_RANGE = 0x10, FALLOC_FL_INSERT_RANGE = 0x20, FALLOC_FL_UNSHARE_RANGE = 0x40;
    private static final int FALLOC_FL_WRITE_ZEROES = 0x80;
    private static final int FALLOC_FL_MODE_MASK = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE
            | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES;

    /** vfs_fallocate's mode rules: the modes are exclusive, and KEEP_SIZE goes with some of them only. */
    static boolean fallocateModeOk(int mode) {
        if ((mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE)) != 0) {
            return false;
        }
        return switch (mode & FALLOC_FL_MODE_MASK) {
            case 0, FALLOC_FL_UNSHARE_RANGE, FALLOC_FL_ZERO_RANGE -> true;
            case FALLOC_FL_PUNCH_HOLE -> (mode & FALLOC_FL_KEEP_SIZE) != 0;
            case FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE, FALLOC_FL_WRITE_ZEROES -> (mode & FALLOC_FL_KEEP_SIZE) == 0;
            default -> false;
        };
    }

    /**
     * Implements fallocate(2) (vfs_fallocate): EINVAL for the range, EOPNOTSUPP for the mode, EBADF
     * if not open for writing; then the file's operation, which says ESPIPE (a pipe), EISDIR, ENODEV
     * (not a regular file), EFBIG (past the filesystem's largest file) or EOPNOTSUPP.
     */
    long fallocate(Task t, long fd, long mode, long offset, long length, long a4, long a5) {
        FileDescription f = fds.get((int) fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (f instanceof PathFile) {
                return -Errno.EBADF;
            }
            if (offset < 0 || length <= 0) {
                return -Errno.EINVAL;
            }
            if (!fallocateModeOk((int) mode)) {
                return -Errno.EOPNOTSUPP;
            }
            return f.writable() ? f.fallocate(t, (int) mode, offset, length) : -Errno.EBADF;
        } finally {
            f.put();
        }
    }
}
