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
    public static final int O_CLOEXEC = 0x80000;

    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;

    /** ioctl(2) requests that act on the descriptor, not the file. */
    public static final long FIONCLEX = 0x5450;
    public static final long FIOCLEX = 0x5451;

    public static final int CLOSE_RANGE_UNSHARE = 1 << 1;
    public static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int SOL_SOCKET = 1;
    public static final int SCM_RIGHTS = 1;

    public static final int MAP_ANONYMOUS = 0x20;

    public static final short POLLNVAL = 0x20;
}
