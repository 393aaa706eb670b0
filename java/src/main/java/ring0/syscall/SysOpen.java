package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.ramfs.RamFilesystem;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.Vfs;

/**
 * Calls that open files (fs/open.c: do_sys_openat2, build_open_flags; mm/memfd.c): the flags are
 * checked as Linux checks them, the VFS walks and opens, and the new description gets the lowest
 * free descriptor.
 */
final class SysOpen {
    /** openat2's struct open_how: u64 flags, u64 mode, u64 resolve (OPEN_HOW_SIZE_VER0). */
    private static final int OPEN_HOW_SIZE = 24, PAGE_SIZE = 4096;
    private static final int RESOLVE_ALL = Fcntl.RESOLVE_NO_XDEV | Fcntl.RESOLVE_NO_MAGICLINKS
            | Fcntl.RESOLVE_NO_SYMLINKS | Fcntl.RESOLVE_BENEATH | Fcntl.RESOLVE_IN_ROOT | Fcntl.RESOLVE_CACHED;
    private static final int MFD_NAME_MAX = 249;
    /** __O_TMPFILE: O_TMPFILE without its O_DIRECTORY. */
    private static final int TMPFILE_BIT = Fcntl.O_TMPFILE & ~Fcntl.O_DIRECTORY;

    private final Kernel kernel;
    private final Vfs vfs;
    /** Where memfds live: a RAM filesystem mounted nowhere, made on first use. */
    private volatile Mount memfds;

    SysOpen(Kernel kernel) {
        this.kernel = kernel;
        this.vfs = kernel.vfs;
    }

    void register(SyscallTable t) {
        t.set(Sysno.SYS_OPEN, (task, a0, a1, a2, a3, a4, a5) -> openat(task, Fcntl.AT_FDCWD, a0, a1, a2, 0, false), "full");
        t.set(Sysno.SYS_OPENAT, (task, a0, a1, a2, a3, a4, a5) -> openat(task, a0, a1, a2, a3, 0, false), "full");
        t.setAttempt(Sysno.SYS_OPENAT, (task, a0, a1, a2, a3, a4, a5) -> attemptOpenat(task, a0, a1, a2));
        t.set(Sysno.SYS_CREAT, (task, a0, a1, a2, a3, a4, a5) -> openat(task, Fcntl.AT_FDCWD, a0,
                Fcntl.O_CREAT | Fcntl.O_WRONLY | Fcntl.O_TRUNC, a1, 0, false), "full");
        t.set(Sysno.SYS_OPENAT2, this::openat2, "full; RESOLVE_CACHED is always EAGAIN (no cache), NO_MAGICLINKS is moot");
        t.set(Sysno.SYS_MEMFD_CREATE, this::memfdCreate, "full: a RAM file on a host memfd");
    }

    /**
     * Implements open(2), openat(2) and creat(2); openat2(2) after its own checks (strict: unknown
     * flags are EINVAL there, ignored here).
     */
    private long openat(Task t, long dirfd, long path, long flagsArg, long modeArg, int resolve, boolean strict) {
        int flags = (int) flagsArg & Fcntl.VALID_OPEN_FLAGS;
        if (!strict) {
            flags |= Fcntl.O_LARGEFILE;
            if ((flags & Fcntl.O_PATH) != 0) {
                flags &= Fcntl.O_PATH_FLAGS;
            }
        }
        boolean creates = (flags & (Fcntl.O_CREAT | TMPFILE_BIT)) != 0;
        int mode = creates ? (int) modeArg & Stat.S_IALLUGO : 0;
        long r = buildOpenFlags(flags);
        if (r < 0) {
            return r;
        }
        Nameidata nd = t.nd;
        try {
            r = vfs.namei.open(t, (int) dirfd, path, flags, Stat.S_IFREG | mode, resolve);
            if (r < 0) {
                return r;
            }
            FileDescription f = nd.takeFile();
            int fd = kernel.fds.install(f, 0, (flags & Fcntl.O_CLOEXEC) != 0);
            if (fd < 0) {
                f.put();
            }
            return fd;
        } finally {
            nd.release();
        }
    }

    /** Flags whose opens are never attempted: they create, truncate, or open other than a regular file's data. */
    private static final int NOT_ATTEMPTED = Fcntl.O_CREAT | TMPFILE_BIT | Fcntl.O_TRUNC | Fcntl.O_PATH | Fcntl.O_DIRECT
            | Fcntl.O_DIRECTORY | Fcntl.O_NOATIME;

    /**
     * openat(2) in attempt mode (ring0.abi.Attempt): an open that creates nothing, of a file the VFS
     * reaches and opens with no host call ({@link ring0.vfs.Namei#openAttempt}); else WOULD_BLOCK
     * with nothing done (never NEVER: the first argument is a directory descriptor, which Go would
     * mark). The new description gets the lowest free descriptor, as in {@link #openat}.
     */
    private long attemptOpenat(Task t, long dirfd, long path, long flagsArg) {
        int flags = ((int) flagsArg & Fcntl.VALID_OPEN_FLAGS) | Fcntl.O_LARGEFILE;
        if ((flags & NOT_ATTEMPTED) != 0) {
            return ring0.abi.Attempt.WOULD_BLOCK;
        }
        Nameidata nd = t.nd;
        try {
            long r = vfs.namei.openAttempt(t, (int) dirfd, path, flags);
            if (r != 0) {
                return r;
            }
            FileDescription f = nd.takeFile();
            int fd = kernel.fds.install(f, 0, (flags & Fcntl.O_CLOEXEC) != 0);
            if (fd < 0) {
                f.put();
            }
            return fd;
        } finally {
            nd.release();
        }
    }

    /** build_open_flags: the combinations Linux refuses. */
    private static long buildOpenFlags(int flags) {
        if ((flags & (Fcntl.O_DIRECTORY | Fcntl.O_CREAT)) == (Fcntl.O_DIRECTORY | Fcntl.O_CREAT)) {
            return -Errno.EINVAL; // O_CREAT | O_DIRECTORY (and O_TMPFILE | O_CREAT)
        }
        if ((flags & TMPFILE_BIT) != 0
                && ((flags & Fcntl.O_DIRECTORY) == 0 || (flags & Fcntl.O_ACCMODE) == Fcntl.O_RDONLY)) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /** Implements openat2(2). */
    long openat2(Task t, long dirfd, long path, long howAddr, long size, long a4, long a5) {
        if (Long.compareUnsigned(size, OPEN_HOW_SIZE) < 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(size, PAGE_SIZE) > 0) {
            return -Errno.E2BIG;
        }
        if (!UserMemory.canRead(howAddr, size)) {
            return -Errno.EFAULT;
        }
        for (long p = howAddr + OPEN_HOW_SIZE; p < howAddr + size; p++) {
            if (UserMemory.ALL.get(JAVA_BYTE, p) != 0) {
                return -Errno.E2BIG; // copy_struct_from_user: a field this kernel does not know is set
            }
        }
        long flags = UserMemory.ALL.get(JAVA_LONG, howAddr);
        long mode = UserMemory.ALL.get(JAVA_LONG, howAddr + 8);
        long resolve = UserMemory.ALL.get(JAVA_LONG, howAddr + 16);
        if ((flags & ~(long) Fcntl.VALID_OPEN_FLAGS) != 0 || (resolve & ~(long) RESOLVE_ALL) != 0) {
            return -Errno.EINVAL;
        }
        boolean creates = (flags & (Fcntl.O_CREAT | TMPFILE_BIT)) != 0;
        if ((resolve & (Fcntl.RESOLVE_BENEATH | Fcntl.RESOLVE_IN_ROOT)) == (Fcntl.RESOLVE_BENEATH | Fcntl.RESOLVE_IN_ROOT)) {
            return -Errno.EINVAL;
        }
        if ((mode & ~(long) Stat.S_IALLUGO) != 0 || (!creates && mode != 0)) {
            return -Errno.EINVAL;
        }
        if ((flags & Fcntl.O_PATH) != 0 && (flags & ~(long) Fcntl.O_PATH_FLAGS) != 0) {
            return -Errno.EINVAL;
        }
        long r = buildOpenFlags((int) flags);
        if (r < 0) {
            return r;
        }
        if ((resolve & Fcntl.RESOLVE_CACHED) != 0) {
            return -Errno.EAGAIN; // nothing is known to be cached (hostfs asks the host every time)
        }
        if ((flags & Fcntl.O_PATH) == 0) {
            flags |= Fcntl.O_LARGEFILE;
        }
        return openat(t, dirfd, path, flags, mode, (int) resolve, true);
    }

    /** Implements memfd_create(2): the host checks the name and flags and makes the memfd. */
    long memfdCreate(Task t, long name, long flags, long a2, long a3, long a4, long a5) {
        long h = Host.call(Sysno.SYS_MEMFD_CREATE, name, (flags & 0xffffffffL) | Fcntl.MFD_CLOEXEC, 0);
        t.passedThrough[Sysno.SYS_MEMFD_CREATE]++;
        if (h < 0) {
            return h;
        }
        String display = UserMemory.readCString(name, MFD_NAME_MAX);
        Nameidata nd = t.nd;
        nd.release();
        try {
            RamFilesystem fs = (RamFilesystem) memfdMount().fs;
            long r = fs.openMemfd(t, nd, memfdMount(), (int) h, display == null ? "" : display);
            if (r < 0) {
                return r;
            }
            FileDescription f = nd.takeFile();
            int fd = kernel.fds.install(f, 0, (flags & Fcntl.MFD_CLOEXEC) != 0);
            if (fd < 0) {
                f.put();
            }
            return fd;
        } finally {
            nd.release();
        }
    }

    private Mount memfdMount() {
        Mount m = memfds;
        if (m == null) {
            synchronized (this) {
                m = memfds;
                if (m == null) {
                    m = vfs.internalMount(new RamFilesystem(vfs.credentials()), "memfd");
                    memfds = m;
                }
            }
        }
        return m;
    }
}
