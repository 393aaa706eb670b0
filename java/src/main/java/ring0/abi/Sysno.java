package ring0.abi;

/** Linux x86-64 system call numbers the kernel refers to by name (all of them: syscalls_x86_64.tbl). */
public final class Sysno {
    private Sysno() {}

    public static final int SYS_READ = 0;
    public static final int SYS_WRITE = 1;
    public static final int SYS_OPEN = 2;
    public static final int SYS_CLOSE = 3;
    public static final int SYS_FSTAT = 5;
    public static final int SYS_POLL = 7;
    public static final int SYS_LSEEK = 8;
    public static final int SYS_MMAP = 9;
    public static final int SYS_IOCTL = 16;
    public static final int SYS_PIPE = 22;
    public static final int SYS_SELECT = 23;
    public static final int SYS_SCHED_YIELD = 24;
    public static final int SYS_DUP = 32;
    public static final int SYS_DUP2 = 33;
    public static final int SYS_NANOSLEEP = 35;
    public static final int SYS_GETPID = 39;
    public static final int SYS_SOCKET = 41;
    public static final int SYS_ACCEPT = 43;
    public static final int SYS_SENDMSG = 46;
    public static final int SYS_RECVMSG = 47;
    public static final int SYS_SOCKETPAIR = 53;
    public static final int SYS_EXECVE = 59;
    public static final int SYS_EXIT = 60;
    public static final int SYS_KILL = 62;
    public static final int SYS_FCNTL = 72;
    public static final int SYS_CREAT = 85;
    public static final int SYS_GETTID = 186;
    public static final int SYS_FUTEX = 202;
    public static final int SYS_EPOLL_CREATE = 213;
    public static final int SYS_EXIT_GROUP = 231;
    public static final int SYS_TGKILL = 234;
    public static final int SYS_OPENAT = 257;
    public static final int SYS_PSELECT6 = 270;
    public static final int SYS_PPOLL = 271;
    public static final int SYS_SIGNALFD = 282;
    public static final int SYS_EVENTFD = 284;
    public static final int SYS_ACCEPT4 = 288;
    public static final int SYS_SIGNALFD4 = 289;
    public static final int SYS_EPOLL_CREATE1 = 291;
    public static final int SYS_DUP3 = 292;
    public static final int SYS_PIPE2 = 293;
    public static final int SYS_INOTIFY_INIT = 253;
    public static final int SYS_RECVMMSG = 299;
    public static final int SYS_SENDMMSG = 307;
    public static final int SYS_EXECVEAT = 322;
    public static final int SYS_FACCESSAT2 = 439;
    public static final int SYS_PIDFD_OPEN = 434;
    public static final int SYS_CLOSE_RANGE = 436;
    public static final int SYS_OPENAT2 = 437;
}
