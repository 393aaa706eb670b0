package ring0.syscall;

import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.loader.AppImage;
import ring0.loader.Loader;
import ring0.usermem.UserMemory;

/**
 * Ring0's own pseudo system calls, made by the patched Go runtime and syscall package
 * (go/patch/files). Numbers from {@link Syscalls#RING0_BASE}; outside Ring0 the host answers ENOSYS.
 *
 * <pre>
 * struct ring0Shared {          // runtime/ring0_linux_amd64.go
 *     u64 abi;                  //   0  set by Go
 *     u64 flags;                //   8  set here: 1 = count host calls
 *     u64 argc;                 //  16  set here
 *     u64 argv;                 //  24  set here: argv..., NULL, envp..., NULL, auxv
 *     u64 marker;               //  32  set by Go
 *     u64 served[16];           //  40  set here: bitmap of the numbers this kernel serves
 *     u64 hostCalls[1024];      // 168  counted by Go
 *     u64 attempt[16];          // 8360 set here: the served numbers answered in attempt mode (ABI 3)
 *     u64 noAttempt[64];        // 8488 set by Go (a NEVER answer), cleared here (a new description): descriptors 0..4095
 *     u64 discard[64];          // 9000 set here: descriptors 0..4095 whose writes are dropped (ABI 4; FdTable)
 *     u64 foreign;              // 9512 set by Go when C code ran, cleared here (ABI 5; ForeignCode)
 *     u64 dirty;                // 9520 set here while the kernel holds data the host has not (ABI 5)
 * };
 * </pre>
 */
final class SysRing0 {
    static final int SYS_RING0_ATTACH = Syscalls.RING0_BASE;
    static final int SYS_RING0_HOSTFDS = Syscalls.RING0_BASE + 1;
    static final int SYS_RING0_ADOPTFD = Syscalls.RING0_BASE + 2;
    static final int SYS_RING0_FLUSH = Syscalls.RING0_BASE + 3;

    private static final long ABI_OFF = 0, FLAGS = 8, ARGC = 16, ARGV = 24, SERVED = 40, HOST_CALLS = 168;
    private static final long ATTEMPT = HOST_CALLS + 8L * Syscalls.MAX;
    static final long NO_ATTEMPT = ATTEMPT + 8L * (Syscalls.MAX / 64);
    static final long DISCARD = NO_ATTEMPT + Attempt.SHARED_FDS / 8;
    static final long FOREIGN = DISCARD + Attempt.SHARED_FDS / 8, DIRTY = FOREIGN + 8;
    static final long SHARED_SIZE = DIRTY + 8;

    private final Kernel kernel;
    private final SyscallTable table;
    private final AppImage image;

    SysRing0(Kernel kernel, SyscallTable table, AppImage image) {
        this.kernel = kernel;
        this.table = table;
        this.image = image;
    }

    void register(SyscallTable table) {
        table.set(SYS_RING0_ATTACH, this::attach, "Ring0: the Go runtime attaches");
        table.set(SYS_RING0_HOSTFDS, this::hostFds, "Ring0: host descriptors for a fork");
        table.set(SYS_RING0_ADOPTFD, this::adoptFd, "Ring0: a host descriptor made behind the kernel's back joins its table");
        table.set(SYS_RING0_FLUSH, this::flush, "Ring0: C code is about to run: the host gets the kernel's dirty file data");
    }

    /** The runtime attaches, before any package init: it gets argv, envp and the served bitmap. */
    long attach(Task t, long shared, long a1, long a2, long a3, long a4, long a5) {
        if (!UserMemory.canWrite(shared, SHARED_SIZE)) {
            return -Errno.EFAULT;
        }
        long abi = UserMemory.getLong(shared + ABI_OFF);
        if (abi != Loader.ABI) {
            kernel.log.log("ring0: refused a program built for Ring0 ABI " + abi + "; this kernel speaks " + Loader.ABI);
            return -Errno.EPROTO;
        }
        UserMemory.putLong(shared + FLAGS, kernel.countHostCalls ? 1 : 0);
        UserMemory.putLong(shared + ARGC, image.argc());
        UserMemory.putLong(shared + ARGV, image.argvBlock());
        long[] served = table.servedBitmap();
        for (int i = 0; i < served.length; i++) {
            UserMemory.putLong(shared + SERVED + 8L * i, served[i]);
        }
        long[] attempt = table.attemptBitmap();
        for (int i = 0; i < attempt.length; i++) {
            UserMemory.putLong(shared + ATTEMPT + 8L * i, attempt[i]);
        }
        kernel.setHostCallCounters(shared + HOST_CALLS);
        kernel.fds.setNoAttemptBitmap(shared + NO_ATTEMPT);
        kernel.foreignCode.attach(shared + FOREIGN, shared + DIRTY);
        if (!table.traced() && !kernel.countHostCalls) {
            // Writes Go answers itself reach neither the tracer nor the call counts.
            kernel.fds.setDiscardBitmap(shared + DISCARD);
        }
        kernel.log.log("ring0: " + image.path() + " attached (thread " + t.tid + ")");
        return 0;
    }

    /**
     * Replaces n int32 descriptors at ptr by the host descriptors behind them, before a fork: the
     * child never enters the kernel. -1 stays -1. A kernel object that can live on the host moves
     * there ({@link FileDescription#toHost}).
     */
    long hostFds(Task t, long ptr, long n, long a2, long a3, long a4, long a5) {
        if (n < 0 || n > kernel.fds.max() || !UserMemory.canWrite(ptr, 4 * n)) {
            return -Errno.EFAULT;
        }
        kernel.beforeFork();
        for (long p = ptr; p < ptr + 4 * n; p += 4) {
            int fd = UserMemory.getInt(p);
            if (fd == -1) {
                continue;
            }
            FileDescription f = kernel.fds.get(fd);
            if (f == null) {
                return -Errno.EBADF;
            }
            long h = f.toHost(); // a kernel pipe or eventfd moves to the host here
            f.put();
            if (h < 0) {
                kernel.log.once("hostfds:" + f.describe(), "ring0: cannot hand " + f.describe() + " to a child process");
                return h;
            }
            UserMemory.putInt(p, (int) h);
        }
        return 0;
    }

    /** C code is about to run (ring0BeforeC): what the kernel holds for the host goes there first. */
    long flush(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        kernel.foreignCode.beforeC();
        return 0;
    }

    /**
     * Installs a host descriptor that the app was given by the host itself (the pidfd of a
     * clone(CLONE_PIDFD), which Go makes on the host) in the app's table, close-on-exec, and returns
     * its number there; the host descriptor is the kernel's from then on (closed with it). A table
     * that is full closes it: EMFILE.
     */
    long adoptFd(Task t, long hostFd, long a1, long a2, long a3, long a4, long a5) {
        if (hostFd < 0 || hostFd > Integer.MAX_VALUE) {
            return -Errno.EBADF;
        }
        // The host's own check that it is an open descriptor, and close-on-exec there as every host descriptor the kernel holds.
        long r = Host.fastCall(Sysno.SYS_FCNTL, hostFd, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC);
        if (r < 0) {
            return r;
        }
        return HostPassthrough.installHost(kernel, (int) hostFd, true);
    }
}
