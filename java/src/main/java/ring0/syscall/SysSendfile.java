package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Iovecs;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.HostBackedFile;
import ring0.vfs.VfsFile;
import ring0.vfs.VfsFiles;

/**
 * Copies between two descriptors inside the kernel (fs/read_write.c: sendfile, copy_file_range).
 * When the host holds both files (host files, RAM files' memfds, sockets, host pipes), the host
 * copies, with its own checks and zero-copy paths; when the kernel serves one side alone (a kernel
 * pipe, a file of a kernel filesystem), a loop moves the bytes through the task's scratch memory,
 * with the files' own read and write operations (Linux: do_splice_direct, splice_copy_file_range).
 */
final class SysSendfile {
    /** The part of Task.scratch the copy loop uses as its buffer. */
    private static final long BUF = 32 * 1024, BUF_SIZE = 32 * 1024;

    private final Kernel kernel;

    SysSendfile(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_SENDFILE, this::sendfile, "full; the host copies between host files, the kernel otherwise");
        t.set(Sysno.SYS_COPY_FILE_RANGE, this::copyFileRange, "full; the host copies between host files, the kernel otherwise");
    }

    /** Implements sendfile(2). */
    long sendfile(Task t, long outFd, long inFd, long offset, long count, long a4, long a5) {
        long pos = 0;
        if (offset != 0) {
            if (!UserMemory.canRead(offset, 8)) {
                return -Errno.EFAULT;
            }
            pos = UserMemory.getLong(offset);
        }
        FileDescription in = kernel.fds.get((int) inFd);
        if (in == null) {
            return -Errno.EBADF;
        }
        FileDescription out = null;
        try {
            if (!in.readable()) {
                return -Errno.EBADF;
            }
            if (offset != 0 && pos < 0) {
                return -Errno.EINVAL;
            }
            out = kernel.fds.get((int) outFd);
            if (out == null) {
                return -Errno.EBADF;
            }
            if (!out.writable()) {
                return -Errno.EBADF;
            }
            if (in.hostFd() >= 0 && out.hostFd() >= 0) {
                t.passedThrough[Sysno.SYS_SENDFILE]++;
                return Host.call(Sysno.SYS_SENDFILE, out.hostFd(), in.hostFd(), offset, count, 0, 0);
            }
            if (in.hostFd() < 0 && out.hostFd() >= 0 && (out.statusFlags() & Fcntl.O_APPEND) == 0
                    && in instanceof HostBackedFile hb) {
                long r = sendCached(t, out, in, hb, offset, pos, count);
                if (r != NOT_SENT) {
                    return r;
                }
            }
            if ((out.statusFlags() & Fcntl.O_APPEND) != 0) {
                return -Errno.EINVAL;
            }
            long start = offset != 0 ? pos : in.lseek(t, 0, Fcntl.SEEK_CUR);
            if (start < 0) {
                return start == -Errno.ESPIPE ? -Errno.EINVAL : start;
            }
            long[] moved = {start};
            long r = copy(t, in, moved, out, null, Math.min(count, Iovecs.MAX_RW_COUNT));
            if (offset != 0) {
                if (!UserMemory.canWrite(offset, 8)) {
                    return -Errno.EFAULT;
                }
                UserMemory.putLong(offset, moved[0]);
            } else {
                in.lseek(t, moved[0], Fcntl.SEEK_SET);
            }
            return r;
        } finally {
            in.put();
            if (out != null) {
                out.put();
            }
        }
    }

    private static final long NOT_SENT = Long.MIN_VALUE;

    /**
     * sendfile from a file the kernel caches (hostfs) to a host descriptor: the host copies from the
     * cache's descriptor of the file (flushed), at the kernel's offset, with no copy through the
     * kernel (zero-copy, as natively). NOT_SENT if the file has no such descriptor.
     */
    private static long sendCached(Task t, FileDescription out, FileDescription in, HostBackedFile hb, long offset, long pos,
            long count) {
        int h = hb.syncedHostFd(t);
        if (h < 0) {
            return NOT_SENT;
        }
        long start = offset != 0 ? pos : in.lseek(t, 0, Fcntl.SEEK_CUR);
        if (start < 0) {
            return start;
        }
        long at = t.scratch.address() + BUF;
        t.scratch.set(java.lang.foreign.ValueLayout.JAVA_LONG, BUF, start);
        t.passedThrough[Sysno.SYS_SENDFILE]++;
        long r = Host.call(Sysno.SYS_SENDFILE, out.hostFd(), h, at, count, 0, 0);
        long end = t.scratch.get(java.lang.foreign.ValueLayout.JAVA_LONG, BUF);
        if (offset != 0) {
            if (!UserMemory.canWrite(offset, 8)) {
                return -Errno.EFAULT;
            }
            UserMemory.putLong(offset, end);
        } else if (end != start) {
            in.lseek(t, end, Fcntl.SEEK_SET);
        }
        return r;
    }

    /** Implements copy_file_range(2). */
    long copyFileRange(Task t, long inFd, long offIn, long outFd, long offOut, long len, long flags) {
        FileDescription in = kernel.fds.get((int) inFd);
        if (in == null) {
            return -Errno.EBADF;
        }
        FileDescription out = kernel.fds.get((int) outFd);
        try {
            if (out == null) {
                return -Errno.EBADF;
            }
            if (in.hostFd() >= 0 && out.hostFd() >= 0) {
                t.passedThrough[Sysno.SYS_COPY_FILE_RANGE]++;
                return Host.call(Sysno.SYS_COPY_FILE_RANGE, in.hostFd(), offIn, out.hostFd(), offOut, len, flags);
            }
            if ((offIn != 0 && !UserMemory.canRead(offIn, 8)) || (offOut != 0 && !UserMemory.canRead(offOut, 8))) {
                return -Errno.EFAULT;
            }
            if (flags != 0) {
                return -Errno.EINVAL;
            }
            long r = checkRegular(in, out);
            if (r < 0) {
                return r;
            }
            // Both regular files of one kernel filesystem: splice_copy_file_range.
            long inPos = offIn != 0 ? UserMemory.getLong(offIn) : in.lseek(t, 0, Fcntl.SEEK_CUR);
            long outPos = offOut != 0 ? UserMemory.getLong(offOut) : out.lseek(t, 0, Fcntl.SEEK_CUR);
            VfsFile vi = (VfsFile) in, vo = (VfsFile) out;
            // generic_copy_file_checks: offsets must not wrap (pos + count, unsigned)...
            if (Long.compareUnsigned(inPos + len, inPos) < 0 || Long.compareUnsigned(outPos + len, outPos) < 0) {
                return -Errno.EOVERFLOW;
            }
            // ...the copy stops at the end of the source...
            Kstat k = t.nd.kstat;
            r = VfsFiles.getattr(t, vi.mount(), vi.dentry(), k);
            if (r < 0) {
                return r;
            }
            long count = inPos >= k.size ? 0 : Long.compareUnsigned(len, k.size - inPos) < 0 ? len : k.size - inPos;
            // ...and at the destination filesystem's largest file (generic_write_check_limits)...
            long max = vo.maxBytes();
            if (outPos >= max) {
                return -Errno.EFBIG;
            }
            if (outPos >= 0 && count > max - outPos) {
                count = max - outPos;
            }
            // ...and the ranges of one file must not overlap.
            if (vi.dentry().fs() == vo.dentry().fs() && vi.dentry().inode().ino() == vo.dentry().inode().ino()
                    && Long.compareUnsigned(outPos + count, inPos) > 0 && Long.compareUnsigned(outPos, inPos + count) < 0) {
                return -Errno.EINVAL;
            }
            if (inPos < 0 || outPos < 0 || count < 0) {
                return -Errno.EINVAL; // rw_verify_area
            }
            if (count == 0) {
                return 0;
            }
            long[] in1 = {inPos}, out1 = {outPos};
            r = copy(t, in, in1, out, out1, Math.min(count, Iovecs.MAX_RW_COUNT));
            if (offIn != 0) {
                UserMemory.putLong(offIn, in1[0]);
            } else {
                in.lseek(t, in1[0], Fcntl.SEEK_SET);
            }
            if (offOut != 0) {
                UserMemory.putLong(offOut, out1[0]);
            } else {
                out.lseek(t, out1[0], Fcntl.SEEK_SET);
            }
            return r;
        } finally {
            in.put();
            if (out != null) {
                out.put();
            }
        }
    }

    /** generic_file_rw_checks and the same-filesystem rule of vfs_copy_file_range. */
    private static long checkRegular(FileDescription in, FileDescription out) {
        if (isDir(in) || isDir(out)) {
            return -Errno.EISDIR;
        }
        if (!(in instanceof VfsFile vi && vi.dentry().inode().isRegular())
                || !(out instanceof VfsFile vo && vo.dentry().inode().isRegular())) {
            return -Errno.EINVAL;
        }
        if (!in.readable() || !out.writable() || (out.statusFlags() & Fcntl.O_APPEND) != 0) {
            return -Errno.EBADF;
        }
        return vi.dentry().fs() == vo.dentry().fs() ? 0 : -Errno.EXDEV;
    }

    private static boolean isDir(FileDescription f) {
        return f instanceof VfsFile v && v.dentry().isDirectory();
    }

    /**
     * Moves up to count bytes from in at inPos[0] to out (at outPos[0], or its own offset if null),
     * through the task's scratch memory; advances the positions by what was written. Returns the
     * bytes written, or the first error if none were.
     */
    private static long copy(Task t, FileDescription in, long[] inPos, FileDescription out, long[] outPos, long count) {
        long buf = t.scratch.address() + BUF, done = 0;
        while (done < count) {
            long n = in.pread(t, buf, Math.min(BUF_SIZE, count - done), inPos[0]);
            if (n <= 0) {
                if (done > 0 || n == 0) {
                    return done;
                }
                // A source that cannot be spliced (a directory, an eventfd: no splice_read) is EINVAL.
                return n == -Errno.EISDIR || n == -Errno.ESPIPE ? -Errno.EINVAL : n;
            }
            long w = outPos != null ? out.pwrite(t, buf, n, outPos[0]) : out.write(t, buf, n);
            if (w < 0) {
                return done > 0 ? done : w;
            }
            done += w;
            inPos[0] += w;
            if (outPos != null) {
                outPos[0] += w;
            }
            if (w < n) {
                break;
            }
        }
        return done;
    }
}
