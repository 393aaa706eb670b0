package ring0.syscall;

import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.kernel.FdTable;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;

/**
 * The descriptor table itself: close, close_range, dup, dup2, dup3, and the parts of fcntl and ioctl
 * that act on a descriptor rather than on its file (fs/file.c, fs/fcntl.c). The rest of fcntl and
 * ioctl goes to the file.
 */
final class SysFd {
    private final FdTable fds;

    SysFd(Kernel kernel) {
        this.fds = kernel.fds;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_CLOSE, this::close, "full");
        table.set(Sysno.SYS_CLOSE_RANGE, this::closeRange, "full; CLOSE_RANGE_UNSHARE is a no-op (one process)");
        table.set(Sysno.SYS_DUP, this::dup, "full");
        table.set(Sysno.SYS_DUP2, this::dup2, "full");
        table.set(Sysno.SYS_DUP3, this::dup3, "full");
        table.set(Sysno.SYS_FCNTL, this::fcntl, "full: descriptor commands here, the rest by the file");
        table.set(Sysno.SYS_IOCTL, this::ioctl, "full: FIOCLEX/FIONCLEX here, the rest by the file");
        table.setAttempt(Sysno.SYS_FCNTL, this::attemptFcntl);
        table.setAttempt(Sysno.SYS_CLOSE, this::attemptClose);
    }

    /**
     * close(2) in attempt mode (ring0.abi.Attempt): served if the description's release, should this
     * be its last reference, makes no host call ({@link FileDescription#releaseQuiet}); else
     * WOULD_BLOCK with nothing done (never NEVER: the descriptor is going anyway).
     */
    long attemptClose(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        int fd = (int) a0;
        FileDescription f = fds.peek(fd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (!f.releaseQuiet() || !fds.removeIf(fd, f)) {
            return Attempt.WOULD_BLOCK;
        }
        long r = f.put();
        return r < 0 ? r : 0;
    }

    /**
     * fcntl(2) in attempt mode (ring0.abi.Attempt): F_GETFD and F_SETFD are the table's alone; the
     * file's commands go to its attemptFcntl; the rest (F_DUPFD...) the usual way.
     */
    long attemptFcntl(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        int fd = (int) a0;
        switch ((int) a1) {
            case Fcntl.F_GETFD, Fcntl.F_SETFD -> {
                return fcntl(t, a0, a1, a2, a3, a4, a5);
            }
            case Fcntl.F_DUPFD, Fcntl.F_DUPFD_CLOEXEC -> {
                return Attempt.WOULD_BLOCK;
            }
            default -> {
                FileDescription f = fds.get(fd);
                if (f == null) {
                    return Attempt.WOULD_BLOCK;
                }
                try {
                    return f.attemptFcntl(t, (int) a1, a2);
                } finally {
                    f.put();
                }
            }
        }
    }

    /** Implements close(2). */
    long close(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        FileDescription f = fds.remove((int) a0);
        if (f == null) {
            return -Errno.EBADF;
        }
        long r = f.put();
        return r < 0 ? r : 0;
    }

    /** Implements close_range(2). */
    long closeRange(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        long first = a0 & 0xffffffffL, last = a1 & 0xffffffffL;
        int flags = (int) a2;
        if ((flags & ~(Fcntl.CLOSE_RANGE_UNSHARE | Fcntl.CLOSE_RANGE_CLOEXEC)) != 0 || first > last) {
            return -Errno.EINVAL;
        }
        int end = (int) Math.min(last, fds.max() - 1);
        for (int fd = (int) Math.min(first, Integer.MAX_VALUE); fd <= end && fd >= 0; fd++) {
            if ((flags & Fcntl.CLOSE_RANGE_CLOEXEC) != 0) {
                fds.setCloseOnExec(fd, true);
            } else {
                FileDescription f = fds.remove(fd);
                if (f != null) {
                    f.put();
                }
            }
        }
        return 0;
    }

    /** Implements dup(2). */
    long dup(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        return dupFrom((int) a0, 0, false);
    }

    /** Implements dup2(2). */
    long dup2(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        int oldFd = (int) a0, newFd = (int) a1;
        FileDescription f = fds.get(oldFd);
        if (f == null) {
            return -Errno.EBADF;
        }
        if (oldFd == newFd) {
            f.put();
            return newFd;
        }
        return replace(f, newFd, false);
    }

    /** Implements dup3(2). */
    long dup3(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        int oldFd = (int) a0, newFd = (int) a1, flags = (int) a2;
        if ((flags & ~Fcntl.O_CLOEXEC) != 0 || oldFd == newFd) {
            return -Errno.EINVAL;
        }
        if (newFd < 0 || newFd >= fds.max()) {
            return -Errno.EBADF;
        }
        FileDescription f = fds.get(oldFd);
        if (f == null) {
            return -Errno.EBADF;
        }
        return replace(f, newFd, (flags & Fcntl.O_CLOEXEC) != 0);
    }

    /** Implements fcntl(2). */
    long fcntl(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        int fd = (int) a0;
        switch ((int) a1) {
            case Fcntl.F_DUPFD, Fcntl.F_DUPFD_CLOEXEC -> {
                FileDescription f = fds.get(fd);
                if (f == null) {
                    return -Errno.EBADF;
                }
                int min = (int) a2;
                if (min < 0 || min >= fds.max()) {
                    f.put();
                    return -Errno.EINVAL;
                }
                int newFd = fds.install(f, min, (int) a1 == Fcntl.F_DUPFD_CLOEXEC);
                if (newFd < 0) {
                    f.put();
                }
                return newFd;
            }
            case Fcntl.F_GETFD -> {
                int fl = fds.descriptorFlags(fd);
                return fl < 0 ? -Errno.EBADF : fl == 1 ? Fcntl.FD_CLOEXEC : 0;
            }
            case Fcntl.F_SETFD -> {
                return fds.setCloseOnExec(fd, (a2 & Fcntl.FD_CLOEXEC) != 0) ? 0 : -Errno.EBADF;
            }
            default -> {
                FileDescription f = fds.get(fd);
                if (f == null) {
                    return -Errno.EBADF;
                }
                try {
                    return f.fcntl(t, (int) a1, a2);
                } finally {
                    f.put();
                }
            }
        }
    }

    /** Implements ioctl(2). */
    long ioctl(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        long request = a1 & 0xffffffffL;
        if (request == Fcntl.FIOCLEX || request == Fcntl.FIONCLEX) {
            return fds.setCloseOnExec((int) a0, request == Fcntl.FIOCLEX) ? 0 : -Errno.EBADF;
        }
        FileDescription f = fds.get((int) a0);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            return f.ioctl(t, request, a2);
        } finally {
            f.put();
        }
    }

    private long dupFrom(int oldFd, int min, boolean cloexec) {
        FileDescription f = fds.get(oldFd);
        if (f == null) {
            return -Errno.EBADF;
        }
        int fd = fds.install(f, min, cloexec);
        if (fd < 0) {
            f.put();
        }
        return fd;
    }

    private long replace(FileDescription f, int newFd, boolean cloexec) {
        if (newFd < 0 || newFd >= fds.max()) {
            f.put();
            return -Errno.EBADF;
        }
        FileDescription old = fds.installAt(newFd, f, cloexec);
        if (old != null) {
            old.put(); // dup2 ignores errors from closing newfd
        }
        return newFd;
    }
}
