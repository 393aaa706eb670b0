package ring0.syscall;

import ring0.abi.ArgKind;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.SyscallInfo;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.HostFile;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.vfs.VfsFile;

/**
 * Forwards a call the kernel does not serve itself to the host, with the app's descriptors
 * translated to the host descriptors behind them, and a new descriptor in the result installed in the
 * app's table. Built from the call's line in syscalls_x86_64.tbl, so every call that touches the
 * descriptor table works from day one; families move into the kernel one by one by registering their
 * own handlers over these.
 *
 * <p>Hot path: no allocation; one reference taken and dropped per descriptor argument.
 */
final class HostPassthrough implements SyscallHandler {
    private final Kernel kernel;
    private final int nr;
    /** Up to two descriptor arguments: their indexes (-1: none) and whether each is a dirfd. */
    private final int fdArg1, fdArg2;
    private final boolean dirfd1, dirfd2;
    private final boolean returnsFd;
    private final int cloexecArg;
    private final long cloexecMask;
    /** A kernel object passed to the call moves to the host (splice on a kernel pipe) instead of EINVAL. */
    private final boolean promote;

    HostPassthrough(Kernel kernel, SyscallInfo info) {
        this(kernel, info, false);
    }

    HostPassthrough(Kernel kernel, SyscallInfo info, boolean promote) {
        this.kernel = kernel;
        this.promote = promote;
        this.nr = info.nr();
        int[] idx = {-1, -1};
        boolean[] dir = {false, false};
        int n = 0;
        for (int i = 0; i < info.args().size(); i++) {
            ArgKind k = info.args().get(i);
            if (k == ArgKind.FD || k == ArgKind.DIRFD) {
                if (n == 2) {
                    throw new IllegalArgumentException(info.name() + ": more than two descriptor arguments");
                }
                idx[n] = i;
                dir[n++] = k == ArgKind.DIRFD;
            }
        }
        this.fdArg1 = idx[0];
        this.fdArg2 = idx[1];
        this.dirfd1 = dir[0];
        this.dirfd2 = dir[1];
        this.returnsFd = info.result() == SyscallInfo.Result.FD;
        this.cloexecArg = info.cloexecArg();
        this.cloexecMask = info.cloexecMask();
    }

    @Override
    public long call(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        FileDescription d1 = null, d2 = null;
        try {
            if (fdArg1 >= 0) {
                long v = Args.pick(fdArg1, a0, a1, a2, a3, a4, a5);
                d1 = lookup(v);
                long h = hostArg(d1, v, dirfd1);
                if (h == UNSERVED) {
                    return unserved(d1);
                }
                switch (fdArg1) {
                    case 0 -> a0 = h;
                    case 1 -> a1 = h;
                    case 2 -> a2 = h;
                    case 3 -> a3 = h;
                    case 4 -> a4 = h;
                    default -> a5 = h;
                }
            }
            if (fdArg2 >= 0) {
                long v = Args.pick(fdArg2, a0, a1, a2, a3, a4, a5);
                d2 = lookup(v);
                long h = hostArg(d2, v, dirfd2);
                if (h == UNSERVED) {
                    return unserved(d2);
                }
                switch (fdArg2) {
                    case 0 -> a0 = h;
                    case 1 -> a1 = h;
                    case 2 -> a2 = h;
                    case 3 -> a3 = h;
                    case 4 -> a4 = h;
                    default -> a5 = h;
                }
            }
            boolean cloexec = false;
            if (cloexecArg >= 0) {
                // The host descriptor is always close-on-exec; the app's wish is kept in its table.
                switch (cloexecArg) {
                    case 0 -> { cloexec = (a0 & cloexecMask) != 0; a0 |= cloexecMask; }
                    case 1 -> { cloexec = (a1 & cloexecMask) != 0; a1 |= cloexecMask; }
                    case 2 -> { cloexec = (a2 & cloexecMask) != 0; a2 |= cloexecMask; }
                    default -> { cloexec = (a3 & cloexecMask) != 0; a3 |= cloexecMask; }
                }
            }
            long r = Host.call(nr, a0, a1, a2, a3, a4, a5);
            t.passedThrough[nr]++;
            if (returnsFd && r >= 0) {
                if (cloexecArg < 0) {
                    Host.fastCall(Sysno.SYS_FCNTL, r, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC);
                }
                return installHost(kernel, (int) r, cloexec);
            }
            return r;
        } finally {
            if (d1 != null) {
                d1.put();
            }
            if (d2 != null) {
                d2.put();
            }
        }
    }

    private static final long UNSERVED = Long.MIN_VALUE;

    private FileDescription lookup(long v) {
        int fd = (int) v;
        return fd == Fcntl.AT_FDCWD ? null : kernel.fds.get(fd);
    }

    /**
     * The host value for a descriptor argument. A descriptor the app does not have becomes -1, which
     * no host descriptor is: the host then fails the call exactly as Linux would for the app's bad
     * descriptor, with the same error in the same order of checks (EFAULT before EBADF, a dirfd
     * ignored for an absolute path, ...).
     */
    private long hostArg(FileDescription d, long v, boolean dirfd) {
        if (d != null) {
            // A file the kernel caches (ring0.fs.hostfs) moves to a host descriptor of its own for the call.
            long h = promote || d instanceof VfsFile ? d.toHost() : d.hostFd();
            return h >= 0 ? h : UNSERVED;
        }
        return dirfd && (int) v == Fcntl.AT_FDCWD ? Fcntl.AT_FDCWD : -1;
    }

    /** A file the kernel serves alone, passed to a call it does not implement for it. */
    private long unserved(FileDescription d) {
        String what = Syscalls.name(nr) + " on " + d.describe();
        kernel.log.once("unserved:" + what, "ring0: " + what + ": not implemented (EINVAL)");
        return -Errno.EINVAL;
    }

    /** Installs a new host descriptor in the app's table; closes it if the table is full. */
    static long installHost(Kernel kernel, int hostFd, boolean cloexec) {
        int fd = kernel.fds.install(new HostFile(hostFd), 0, cloexec);
        if (fd < 0) {
            Host.call(Sysno.SYS_CLOSE, hostFd, 0, 0);
        }
        return fd;
    }
}
