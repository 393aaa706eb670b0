package ring0.abi;

/** poll(2) and epoll(7) event bits (asm-generic/poll.h, eventpoll.h). */
public final class Poll {
    private Poll() {}

    public static final int POLLIN = 0x001;
    public static final int POLLPRI = 0x002;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;
    public static final int POLLRDNORM = 0x040;
    public static final int POLLRDBAND = 0x080;
    public static final int POLLWRNORM = 0x100;
    public static final int POLLWRBAND = 0x200;
    public static final int POLLRDHUP = 0x2000;

    /** What a file that is always ready reports (Linux DEFAULT_POLLMASK). */
    public static final int DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
}
