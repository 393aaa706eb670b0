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
    /**
     * Not an event: a wait queue's owner tells its waiters that the queue is going away or no longer
     * says anything (Linux: POLLFREE). In Ring0, also a kernel object that moved to the host.
     */
    public static final int POLLFREE = 0x4000;

    /** Readiness that select(2) counts as readable, writable and exceptional (fs/select.c). */
    public static final int POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
    public static final int POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
    public static final int POLLEX_SET = POLLPRI;

    /** What a file that is always ready reports (Linux DEFAULT_POLLMASK). */
    public static final int DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

    public static final int EPOLLIN = POLLIN;
    public static final int EPOLLOUT = POLLOUT;
    public static final int EPOLLHUP = POLLHUP;
    public static final int EPOLLRDHUP = POLLRDHUP;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    /** The bits epoll keeps for itself in an item's mask (fs/eventpoll.c: EP_PRIVATE_BITS). */
    public static final int EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
    /** What an EPOLLEXCLUSIVE item may ask for (EPOLLEXCLUSIVE_OK_BITS). */
    public static final int EPOLLEXCLUSIVE_OK_BITS = EPOLLIN | EPOLLOUT | POLLERR | EPOLLHUP | EPOLLWAKEUP
            | EPOLLET | EPOLLEXCLUSIVE;

    public static final int EPOLL_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    /** Most nested epoll sets (EP_MAX_NESTS). */
    public static final int EP_MAX_NESTS = 4;
    /** The most events one epoll_wait may ask for: INT_MAX / sizeof(struct epoll_event). */
    public static final int EP_MAX_EVENTS = Integer.MAX_VALUE / 12;
}
