package ring0.eventfd;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.AnonInode;
import ring0.kernel.HostFile;
import ring0.kernel.PromotableFile;
import ring0.kernel.Task;
import ring0.poll.PollWaiter;
import ring0.poll.WaitQueue;
import ring0.usermem.UserMemory;

/**
 * An eventfd (Linux: struct eventfd_ctx, fs/eventfd.c): a 64-bit counter that write(2) adds to and
 * read(2) takes (all of it, or 1 with EFD_SEMAPHORE), through 8-byte buffers. The counter never goes
 * past 0xfffffffffffffffe: a write that would blocks, or fails with EAGAIN.
 *
 * <p>Ordering (as a pipe's, see {@link ring0.pipe.Pipe}): the counter changes under the lock and the
 * wait queue is woken after it; whoever waits, a blocked reader or writer ({@link #sleep}), poll or
 * an epoll item, registers on the queue before it tests the counter. The counter is also volatile,
 * for poll, which reads it without the lock: a poller writes the queue's waiters, then reads the
 * counter; a change writes the counter, then reads the waiters; volatile accesses are totally
 * ordered, so one of the two sees the other. Handed to a child process, the eventfd moves to a host
 * eventfd holding the same count ({@link #promote}); the queue is woken with POLLFREE, blocked
 * threads go on on the host, and pollers and epoll items watch the host descriptor.
 */
public final class EventFd extends PromotableFile {
    public static final int EFD_SEMAPHORE = 1;
    /** The flags eventfd2 accepts (EFD_FLAGS_SET). */
    public static final int EFD_FLAGS_SET = Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK | EFD_SEMAPHORE;

    private final boolean semaphore;
    private final WaitQueue wqh = new WaitQueue();
    /** Written under the lock; read without it by poll. */
    private volatile long count;

    /** A new eventfd; flags are eventfd2's, already checked against EFD_FLAGS_SET. */
    public EventFd(long initval, int flags) {
        super(Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK), new Object());
        this.semaphore = (flags & EFD_SEMAPHORE) != 0;
        this.count = initval;
    }

    @Override
    public String describe() {
        HostFile h = host();
        return "anon_inode:[eventfd]" + (h != null ? " on " + h.describe() : "");
    }

    @Override
    protected AnonInode inode() {
        return AnonInode.ANON;
    }

    /** lseek(2) of an eventfd: noop_llseek, the offset (always 0) whatever the arguments. */
    @Override
    public long lseek(Task t, long offset, int whence) {
        HostFile h = host();
        return h != null ? h.lseek(t, offset, whence) : 0;
    }

    /** Implements read(2) of an eventfd. Hot path: no allocation. */
    @Override
    public long read(Task t, long buf, long len) {
        HostFile h = host();
        if (h != null) {
            return h.read(t, buf, len);
        }
        if (!UserMemory.accessOk(buf, len)) {
            return -Errno.EFAULT;
        }
        if (len < 8) {
            return -Errno.EINVAL;
        }
        long value = 0;
        for (boolean took = false; !took; ) {
            boolean moved;
            synchronized (lock()) {
                moved = host() != null;
                long c = count;
                if (!moved && c != 0) {
                    value = semaphore ? 1 : c;
                    count = c - value;
                    took = true;
                } else if (!moved && nonBlocking()) {
                    return -Errno.EAGAIN;
                }
            }
            if (moved) {
                return host().read(t, buf, len);
            }
            if (!took) {
                sleep(true, 0);
            }
        }
        wqh.wake(Poll.POLLOUT);
        // As Linux: the counter is taken before it is copied out, and lost if that faults.
        if (!UserMemory.canWrite(buf, 8)) {
            return -Errno.EFAULT;
        }
        UserMemory.ALL.set(JAVA_LONG_UNALIGNED, buf, value); // a byte buffer: any alignment
        return 8;
    }

    /** Implements write(2) of an eventfd. Hot path: no allocation. */
    @Override
    public long write(Task t, long buf, long len) {
        HostFile h = host();
        if (h != null) {
            return h.write(t, buf, len);
        }
        if (!UserMemory.accessOk(buf, len)) {
            return -Errno.EFAULT;
        }
        if (len < 8) {
            return -Errno.EINVAL;
        }
        if (!UserMemory.canRead(buf, 8)) {
            return -Errno.EFAULT;
        }
        long value = UserMemory.ALL.get(JAVA_LONG_UNALIGNED, buf);
        if (value == -1L) {
            return -Errno.EINVAL;
        }
        for (boolean added = false; !added; ) {
            boolean moved;
            synchronized (lock()) {
                moved = host() != null;
                if (!moved && fits(value)) {
                    count += value;
                    added = true;
                } else if (!moved && nonBlocking()) {
                    return -Errno.EAGAIN;
                }
            }
            if (moved) {
                return host().write(t, buf, len);
            }
            if (!added) {
                sleep(false, value);
            }
        }
        wqh.wake(Poll.POLLIN);
        return 8;
    }

    /** Whether value can be added without passing the largest count. */
    private boolean fits(long value) {
        return Long.compareUnsigned(-1L - count, value) > 0;
    }

    /**
     * Sleeps until a read (readSide) or a write of value can go on, or the eventfd moved: registered
     * on the wait queue, then the test under the lock, then a park ({@link PollWaiter}).
     */
    private void sleep(boolean readSide, long value) {
        PollWaiter w = PollWaiter.current();
        w.arm();
        wqh.add(w);
        try {
            boolean ready;
            synchronized (lock()) {
                ready = host() != null || (readSide ? count != 0 : fits(value));
            }
            if (!ready) {
                w.park(Long.MAX_VALUE, 0, false);
            }
        } finally {
            wqh.remove(w);
        }
    }

    /** eventfd_poll: readable with a count, writable below the largest count, an error at overflow. */
    @Override
    public int poll(Task t, int events) {
        HostFile h = host();
        if (h != null) {
            return h.poll(t, events);
        }
        long c = count;
        int mask = 0;
        if (c != 0) {
            mask |= Poll.POLLIN;
        }
        if (c == -1L) {
            mask |= Poll.POLLERR;
        }
        if (Long.compareUnsigned(c, -2L) < 0) {
            mask |= Poll.POLLOUT;
        }
        return mask;
    }

    @Override
    public WaitQueue waitQueue() {
        return host() != null ? null : wqh;
    }

    @Override
    public long ioctl(Task t, long request, long arg) {
        HostFile h = host();
        return h != null && request != Fcntl.FIONBIO ? h.ioctl(t, request, arg) : super.ioctl(t, request, arg);
    }

    /**
     * Moves the counter to a host eventfd with the same count and EFD_SEMAPHORE, and this
     * description's status flags. Returns the host descriptor, or -errno.
     */
    @Override
    protected long promote() {
        Object lock = lock();
        synchronized (lock) {
            if (host() == null) {
                long fd = Host.fastCall(Sysno.SYS_EVENTFD2, 0, Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK | (semaphore ? EFD_SEMAPHORE : 0), 0);
                if (fd < 0) {
                    return fd;
                }
                if (count != 0) {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment v = arena.allocate(JAVA_LONG);
                        v.set(JAVA_LONG, 0, count);
                        Host.fastCall(Sysno.SYS_WRITE, fd, v.address(), 8);
                    }
                }
                count = 0;
                setHostLocked(new HostFile((int) fd));
            }
        }
        wqh.wake(Poll.POLLFREE);
        return host().hostFd();
    }

    @Override
    protected long release() {
        HostFile h = host();
        if (h != null) {
            return h.put();
        }
        wqh.wake(Poll.POLLHUP);
        return 0;
    }
}
