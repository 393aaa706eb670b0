package ring0.abi;

/** Flags and commands of open(2), fcntl(2), the *at calls and friends (asm-generic/fcntl.h). */
public final class Fcntl {
    private Fcntl() {}

    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0x40;
    public static final int O_NONBLOCK = 0x800;
    /** On a pipe: packet mode (fs/pipe.c is_packetized). */
    public static final int O_DIRECT = 0x4000;
    public static final int O_CLOEXEC = 0x80000;

    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int FD_CLOEXEC = 1;

    /** ioctl(2) requests that act on the descriptor, not the file. */
    public static final long FIONCLEX = 0x5450;
    public static final long FIOCLEX = 0x5451;
    /** ioctl(2): set or clear O_NONBLOCK. */
    public static final long FIONBIO = 0x5421;
    /** ioctl(2): bytes ready to read. */
    public static final long FIONREAD = 0x541b;

    public static final int CLOSE_RANGE_UNSHARE = 1 << 1;
    public static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int SOL_SOCKET = 1;
    public static final int SCM_RIGHTS = 1;

    public static final int MAP_ANONYMOUS = 0x20;

    public static final short POLLNVAL = 0x20;

    // ---- open(2) flags besides the above (the VFS) ----
    public static final int O_EXCL = 0x80;
    public static final int O_NOCTTY = 0x100;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_DSYNC = 0x1000;
    public static final int O_ASYNC = 0x2000;
    public static final int O_LARGEFILE = 0x8000;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_NOFOLLOW = 0x20000;
    public static final int O_NOATIME = 0x40000;
    public static final int O_SYNC = 0x101000;
    public static final int O_PATH = 0x200000;
    /** O_TMPFILE includes O_DIRECTORY (__O_TMPFILE | O_DIRECTORY). */
    public static final int O_TMPFILE = 0x410000;
    /** Every flag open(2) knows (VALID_OPEN_FLAGS); openat2(2) refuses the others. */
    public static final int VALID_OPEN_FLAGS = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND
            | O_NONBLOCK | O_DSYNC | O_ASYNC | 0x4000 /* O_DIRECT */ | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW
            | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | O_TMPFILE;
    /** The only flags O_PATH keeps (O_PATH_FLAGS). */
    public static final int O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;

    // ---- *at(2) flags ----
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    /** faccessat: check with the effective ids (shares its value with AT_REMOVEDIR). */
    public static final int AT_EACCESS = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_STATX_SYNC_TYPE = 0x6000;
    public static final int AT_STATX_FORCE_SYNC = 0x2000;
    public static final int AT_STATX_DONT_SYNC = 0x4000;

    // ---- openat2(2) resolve flags ----
    public static final int RESOLVE_NO_XDEV = 0x01;
    public static final int RESOLVE_NO_MAGICLINKS = 0x02;
    public static final int RESOLVE_NO_SYMLINKS = 0x04;
    public static final int RESOLVE_BENEATH = 0x08;
    public static final int RESOLVE_IN_ROOT = 0x10;
    public static final int RESOLVE_CACHED = 0x20;

    // ---- renameat2(2) ----
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;

    // ---- lseek(2) ----
    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

    // ---- record locks (fcntl) and flock(2) ----
    public static final int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
    public static final int F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    public static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    public static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8, LOCK_MAND = 32;
    public static final int F_ADD_SEALS = 1033, F_GET_SEALS = 1034;

    // ---- memfd_create(2) ----
    public static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4;

    // ---- utimensat(2) ----
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;
}
