package ring0.pipe;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.AnonInode;
import ring0.kernel.HostFile;
import ring0.kernel.Task;
import ring0.poll.PollWaiter;
import ring0.poll.WaitQueue;
import ring0.usermem.UserMemory;

/**
 * A pipe (Linux: struct pipe_inode_info, fs/pipe.c) and its two ends. The data lives in a ring of
 * buffers, one page each, as in Linux, so that capacity, merging and atomicity are Linux's: a write
 * merges into the last buffer if it fits there, otherwise it takes new buffers; the pipe is full when
 * every slot holds a buffer, however little is in each. A write of at most {@link #PIPE_BUF} bytes
 * therefore lands whole in one buffer or waits. In packet mode (O_DIRECT on the writing end) each
 * buffer is one packet and a read takes at most one.
 *
 * <h2>Ordering: blocking, waking, and moving to the host</h2>
 *
 * <p>All state below is guarded by the pipe's monitor; nobody sleeps holding it. Each end has a
 * wait queue: {@link #rdWait} for the read end, {@link #wrWait} for the write end (Linux: rd_wait,
 * wr_wait). Everyone who waits for an end registers there first, then tests the pipe's state under
 * the monitor, then sleeps only if the test failed: a thread blocked in read or write
 * ({@link #sleep}, parked with the thread's {@link PollWaiter}), poll and select
 * (through {@link #poll}), and epoll items. Whoever changes the state does it under the monitor and
 * wakes the queue after releasing it. Either the waiter's test comes after the change (it sees it),
 * or before it, and then the registration, which precedes the test, happens-before the change's
 * monitor section and so the wake that follows it: no wake-up is lost. A wake may be spurious: the
 * woken thread takes the monitor and tries again. Every write that moved bytes wakes the read end's
 * queue, as Linux does for epoll ("poll_usage"): an edge-triggered item sees each write; a read wakes
 * the write end's queue when it frees a slot of a full pipe; the last reader or writer leaving
 * wakes both. Queue callbacks never take a pipe's monitor.
 *
 * <p>Moving to the host ({@link #promote}): under the monitor, the pipe makes a host pipe, moves
 * the buffered bytes into it in order, publishes a host file on each end that is still open and sets
 * {@code promoted}; after the monitor is released, both queues are woken with {@link Poll#POLLFREE}.
 * Every transfer tests {@code promoted} under the monitor before it touches the ring, so no byte
 * enters or leaves the ring after the move, and bytes keep their order: older ones were moved
 * first, newer ones go to the host pipe. An end's fast path reads its published host file first (a
 * volatile read); a thread that missed it finds {@code promoted} under the monitor and returns
 * {@link #MOVED} for its end to forward the call. A thread asleep in read or write wakes and does
 * the same: if nothing moved yet it forwards the whole call to the host, where it may sleep again; a
 * writer that already put some bytes in the ring returns them as a short count (only a write of more
 * than PIPE_BUF bytes can be there, and it was never atomic). Pollers and epoll items find the
 * end's wait queue gone and watch the host descriptor instead.
 *
 * <p>A thread blocked in the kernel is not interrupted by a host signal: its handler runs, and the
 * call goes on, as a call restarted after SA_RESTART (which the Go runtime always sets).
 */
public final class Pipe {
    public static final int PAGE_SIZE = 4096;
    /** Writes of at most this many bytes are atomic. */
    public static final int PIPE_BUF = PAGE_SIZE;
    /** The number of buffers a new pipe has: 64 KiB. */
    public static final int PIPE_DEF_BUFFERS = 16;
    /** From read or write: the pipe moved to the host before anything was transferred; ask the host. */
    static final long MOVED = Long.MIN_VALUE;
    /** Inside read and write: nothing to return yet, sleep and try again. */
    private static final long SLEEP = Long.MIN_VALUE + 1;
    /** From a whole write: it would have waited or met no reader, and did nothing. */
    static final long WOULD_WAIT = Long.MIN_VALUE + 2;

    private static final byte CAN_MERGE = 1, PACKET = 2;
    private static final int SIGPIPE = 13;
    private static final long PID = ProcessHandle.current().pid();

    final AnonInode inode = AnonInode.newPipe();
    /** Pollers of the read end (Linux: rd_wait). */
    final WaitQueue rdWait = new WaitQueue();
    /** Pollers of the write end (Linux: wr_wait). */
    final WaitQueue wrWait = new WaitQueue();
    final PipeFile readEnd, writeEnd;

    // Guarded by this.
    /** Each slot's page, made when the slot is first written and kept; dropped at promotion. */
    private byte[][] pages = new byte[PIPE_DEF_BUFFERS][];
    private int[] offset = new int[PIPE_DEF_BUFFERS], length = new int[PIPE_DEF_BUFFERS];
    private byte[] flags = new byte[PIPE_DEF_BUFFERS];
    /** Unmasked indexes: slots tail..head-1 hold buffers; they wrap as ints do. */
    private int head, tail;
    /** A power of two: the number of slots, and the most buffers the pipe holds (max_usage). */
    private int ringSize = PIPE_DEF_BUFFERS;
    private int readers = 1, writers = 1;
    private boolean promoted;
    /**
     * Bumped under the monitor by every change a blocked reader waits for (bytes written, the last
     * writer leaving, the move to the host); read without it by {@link #awaitChange}.
     */
    private volatile int changes;

    /** A new pipe; its ends have the status flags of pipe2's flags (O_NONBLOCK, O_DIRECT for the writer). */
    public Pipe(int pipe2Flags) {
        readEnd = new PipeFile(this, true, Fcntl.O_RDONLY | (pipe2Flags & Fcntl.O_NONBLOCK));
        writeEnd = new PipeFile(this, false, Fcntl.O_WRONLY | (pipe2Flags & (Fcntl.O_NONBLOCK | Fcntl.O_DIRECT)));
    }

    public PipeFile readEnd() {
        return readEnd;
    }

    public PipeFile writeEnd() {
        return writeEnd;
    }

    /** Whether a write of total bytes now would take no more than the free slots (after merging, as write does). */
    private boolean fitsLocked(long total) {
        long rest = total;
        int chars = (int) (total & (PAGE_SIZE - 1));
        if (chars != 0 && !emptyLocked()) {
            int last = (head - 1) & (ringSize - 1);
            if ((flags[last] & CAN_MERGE) != 0 && offset[last] + length[last] + chars <= PAGE_SIZE) {
                rest -= chars;
            }
        }
        return (rest + PAGE_SIZE - 1) / PAGE_SIZE <= ringSize - (head - tail);
    }

    private boolean emptyLocked() {
        return head == tail;
    }

    private boolean fullLocked() {
        return head - tail >= ringSize;
    }

    /**
     * Reads up to total bytes into the app's destination (buf, or the iovec array iov), as pipe_read:
     * what there is, EOF when no writer is left, EAGAIN if nonBlock, else it sleeps until one of
     * those. Returns the count, -errno, or {@link #MOVED}. Hot path: a read that does not sleep
     * allocates nothing and takes only the monitor.
     *
     * <p>Preconditions: total > 0 and at most MAX_RW_COUNT; the iovec array (if any) was checked.
     */
    long read(long buf, long iov, int iovcnt, long total, boolean nonBlock) {
        for (;;) {
            long done = 0, ret = SLEEP;
            boolean wakeWriters = false;
            synchronized (this) {
                for (;;) {
                    if (promoted) {
                        ret = done > 0 ? done : MOVED;
                        break;
                    }
                    if (!emptyLocked()) {
                        int slot = tail & (ringSize - 1);
                        int chars = (int) Math.min(length[slot], total - done);
                        if (!IovIter.copyOut(pages[slot], offset[slot], buf, iov, iovcnt, done, chars)) {
                            ret = done > 0 ? done : -Errno.EFAULT;
                            break;
                        }
                        done += chars;
                        offset[slot] += chars;
                        length[slot] -= chars;
                        if ((flags[slot] & PACKET) != 0) {
                            total = done; // one packet per read; the rest of it is discarded
                            length[slot] = 0;
                        }
                        if (length[slot] == 0) {
                            wakeWriters |= fullLocked();
                            tail++;
                        }
                        if (done == total) {
                            ret = done;
                            break;
                        }
                        if (!emptyLocked()) {
                            continue;
                        }
                    }
                    if (writers == 0 || done > 0) {
                        ret = done; // EOF, or what there was
                    } else if (nonBlock) {
                        ret = -Errno.EAGAIN;
                    }
                    break;
                }
            }
            if (wakeWriters) {
                wrWait.wake(Poll.POLLOUT | Poll.POLLWRNORM);
            }
            if (ret != SLEEP) {
                return ret;
            }
            sleep(rdWait, true);
        }
    }

    /**
     * Writes total bytes from the app's source, as pipe_write: EPIPE (and SIGPIPE to the task) when
     * no reader is left; a write that does not fit takes what room there is and sleeps for more, or,
     * if nonBlock, returns the count so far or EAGAIN (a write of at most PIPE_BUF bytes goes in whole
     * or not at all). Returns the count, -errno, or {@link #MOVED}. Hot path: a write that does not
     * sleep allocates nothing (once the pipe's pages exist) and takes only the monitor.
     *
     * <p>Preconditions: as {@link #read}.
     */
    long write(Task t, long buf, long iov, int iovcnt, long total, boolean nonBlock, boolean packet) {
        return write(t, buf, iov, iovcnt, total, nonBlock, packet, false);
    }

    /**
     * As {@link #write}; if whole, a write that would not complete at once (it would wait for room,
     * or it meets no reader: EPIPE and SIGPIPE) does nothing and returns {@link #WOULD_WAIT}, for a
     * blocking write tried in attempt mode: one that fits ends as the blocking write would.
     */
    long write(Task t, long buf, long iov, int iovcnt, long total, boolean nonBlock, boolean packet, boolean whole) {
        long done = 0;
        boolean first = true;
        for (;;) {
            long ret = SLEEP, before = done;
            boolean sigpipe = false;
            synchronized (this) {
                write:
                {
                    if (promoted) {
                        ret = done > 0 ? done : MOVED;
                        break write;
                    }
                    if (whole && (readers == 0 || !fitsLocked(total))) {
                        ret = WOULD_WAIT;
                        break write;
                    }
                    if (first && readers > 0) {
                        first = false;
                        // A write that is not a whole number of pages first tries to merge into the last buffer.
                        int chars = (int) (total & (PAGE_SIZE - 1));
                        if (chars != 0 && !emptyLocked()) {
                            int last = (head - 1) & (ringSize - 1);
                            int end = offset[last] + length[last];
                            if ((flags[last] & CAN_MERGE) != 0 && end + chars <= PAGE_SIZE) {
                                if (!IovIter.copyIn(buf, iov, iovcnt, 0, pages[last], end, chars)) {
                                    ret = -Errno.EFAULT;
                                    break write;
                                }
                                length[last] += chars;
                                done = chars;
                                changes++;
                            }
                        }
                    }
                    while (done < total) {
                        if (readers == 0) {
                            sigpipe = true;
                            ret = done > 0 ? done : -Errno.EPIPE;
                            break write;
                        }
                        if (fullLocked()) {
                            if (nonBlock) {
                                ret = done > 0 ? done : -Errno.EAGAIN;
                            }
                            break write; // or sleep for a free slot
                        }
                        int slot = head & (ringSize - 1);
                        int n = (int) Math.min(PAGE_SIZE, total - done);
                        if (pages[slot] == null) {
                            pages[slot] = new byte[PAGE_SIZE];
                        }
                        if (!IovIter.copyIn(buf, iov, iovcnt, done, pages[slot], 0, n)) {
                            ret = done > 0 ? done : -Errno.EFAULT;
                            break write;
                        }
                        offset[slot] = 0;
                        length[slot] = n;
                        flags[slot] = packet ? PACKET : CAN_MERGE;
                        head++;
                        done += n;
                        changes++;
                    }
                    ret = done;
                }
            }
            if (done > before) {
                rdWait.wake(Poll.POLLIN | Poll.POLLRDNORM);
            }
            if (sigpipe) {
                Host.fastCall(Sysno.SYS_TGKILL, PID, t.tid, SIGPIPE);
            }
            if (ret != SLEEP) {
                return ret;
            }
            sleep(wrWait, false);
        }
    }

    /**
     * Sleeps until the read end can make progress (data, no writer, moved), or the write end can
     * (a free slot, no reader, moved): registered on the end's queue first, then the test, then
     * the sleep (see the class comment). The caller tries again, as a wake may be spurious.
     */
    private void sleep(WaitQueue q, boolean readSide) {
        PollWaiter w = PollWaiter.current();
        w.arm();
        q.add(w);
        try {
            boolean ready;
            synchronized (this) {
                ready = promoted || (readSide ? !emptyLocked() || writers == 0 : !fullLocked() || readers == 0);
            }
            if (!ready) {
                w.parkAdaptive();
            }
            if (readSide) {
                w.attemptSpinRetrain();
            }
        } finally {
            q.remove(w);
        }
    }

    /** The count of changes so far, for {@link #awaitChange}. */
    int changes() {
        return changes;
    }

    /**
     * For a blocking read in attempt mode, which must not sleep: spins until the pipe changed since
     * {@link #changes} returned seen, or nanos passed, yielding the CPU every few polls (the writer
     * may be waiting for this very CPU) and giving up when a yield took long (the CPUs are busy).
     * Returns whether it changed.
     */
    boolean awaitChange(int seen, long nanos) {
        long start = System.nanoTime(), end = start + nanos, last = start;
        for (int i = 1; changes == seen; i++) {
            if (i % PollWaiter.POLLS_PER_YIELD == 0) {
                long now = System.nanoTime();
                if (now - end >= 0 || now - last > PollWaiter.LATE_YIELD) {
                    return false;
                }
                Thread.yield();
                last = System.nanoTime();
            } else {
                Thread.onSpinWait();
            }
        }
        return true;
    }

    /** The poll bits of one end (pipe_poll). */
    synchronized int poll(boolean readSide) {
        int mask = 0;
        if (readSide) {
            if (!emptyLocked()) {
                mask |= Poll.POLLIN | Poll.POLLRDNORM;
            }
            if (writers == 0) {
                mask |= Poll.POLLHUP;
            }
        } else {
            if (!fullLocked()) {
                mask |= Poll.POLLOUT | Poll.POLLWRNORM;
            }
            if (readers == 0) {
                mask |= Poll.POLLERR;
            }
        }
        return mask;
    }

    /** Whether the pipe moved to the host (for an end that raced with the move). */
    synchronized boolean promoted() {
        return promoted;
    }

    /** FIONREAD: the bytes buffered, written as an int at arg; {@link #MOVED} if the pipe moved. */
    long fionread(long arg) {
        int count = 0;
        synchronized (this) {
            if (promoted) {
                return MOVED;
            }
            for (int i = tail; i != head; i++) {
                count += length[i & (ringSize - 1)];
            }
        }
        if (!UserMemory.canWrite(arg, 4)) {
            return -Errno.EFAULT;
        }
        UserMemory.putInt(arg, count);
        return 0;
    }

    /** F_GETPIPE_SZ; {@link #MOVED} if the pipe moved. */
    synchronized long size() {
        return promoted ? MOVED : (long) ringSize * PAGE_SIZE;
    }

    /**
     * F_SETPIPE_SZ (pipe_set_size): the size rounds up to a power-of-two number of pages; EBUSY if
     * more buffers are in use than the new size has slots; EPERM beyond /proc/sys/fs/pipe-max-size
     * without CAP_SYS_RESOURCE. Returns the new size, or {@link #MOVED} if the pipe moved.
     */
    long setSize(long arg) {
        long size = arg & 0xffffffffL; // the kernel takes an unsigned int
        if (size > 1L << 31) {
            return -Errno.EINVAL;
        }
        size = size < PAGE_SIZE ? PAGE_SIZE : Long.highestOneBit(size - 1) << 1;
        int slots = (int) (size / PAGE_SIZE);
        boolean wokeWriters;
        synchronized (this) {
            if (promoted) {
                return MOVED;
            }
            if (slots > ringSize && size > Limits.PIPE_MAX_SIZE && !Limits.CAP_SYS_RESOURCE) {
                return -Errno.EPERM;
            }
            int used = head - tail;
            if (slots < used) {
                return -Errno.EBUSY;
            }
            int[] newOffset = new int[slots], newLength = new int[slots];
            byte[] newFlags = new byte[slots];
            byte[][] newPages = new byte[slots][];
            for (int i = 0; i < used; i++) {
                int from = (tail + i) & (ringSize - 1);
                newOffset[i] = offset[from];
                newLength[i] = length[from];
                newFlags[i] = flags[from];
                newPages[i] = pages[from];
            }
            wokeWriters = slots > ringSize;
            offset = newOffset;
            length = newLength;
            flags = newFlags;
            pages = newPages;
            tail = 0;
            head = used;
            ringSize = slots;
        }
        if (wokeWriters) {
            wrWait.wake(Poll.POLLOUT | Poll.POLLWRNORM);
        }
        return size;
    }

    /** An end's last reference went (pipe_release): the other side sees EOF, or EPIPE. */
    long release(PipeFile end) {
        boolean wake = false;
        HostFile host = null;
        synchronized (this) {
            if (promoted) {
                // The end was open when the pipe moved, so it has a host end (published under the monitor).
                host = end.hostEnd();
            } else {
                if (end.readSide) {
                    readers--;
                } else {
                    writers--;
                }
                wake = readers == 0 ^ writers == 0;
                changes++;
            }
        }
        if (host != null) {
            return host.put();
        }
        if (wake) {
            int all = Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLERR | Poll.POLLHUP;
            rdWait.wake(all);
            wrWait.wake(all);
        }
        return 0;
    }

    /**
     * Moves the pipe to the host (see the class comment for the ordering): a host pipe of the same
     * size gets the buffered bytes (packets stay packets), each open end gets its host end with its
     * status flags, and an end already released gets its host end closed at once. Returns the
     * caller's host descriptor, or -errno if the host could not make the pipe (nothing changes then).
     */
    long promote(PipeFile caller) {
        synchronized (this) {
            if (!promoted) {
                long r = moveToHostLocked();
                if (r < 0) {
                    return r;
                }
                promoted = true;
                changes++;
                pages = null;
                head = tail = 0;
            }
        }
        rdWait.wake(Poll.POLLFREE);
        wrWait.wake(Poll.POLLFREE);
        return caller.hostEnd().hostFd();
    }

    private long moveToHostLocked() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(8, 4);
            long r = Host.fastCall(Sysno.SYS_PIPE2, fds.address(), Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK, 0);
            if (r < 0) {
                return r;
            }
            int hr = fds.get(JAVA_INT, 0), hw = fds.get(JAVA_INT, 4);
            r = ringSize == PIPE_DEF_BUFFERS ? 0 : Host.fastCall(Sysno.SYS_FCNTL, hw, Fcntl.F_SETPIPE_SZ, (long) ringSize * PAGE_SIZE);
            MemorySegment page = arena.allocate(PAGE_SIZE);
            for (int i = tail; i != head && r >= 0; i++) {
                int slot = i & (ringSize - 1);
                int packetMode = (flags[slot] & PACKET) != 0 ? Fcntl.O_DIRECT : 0;
                Host.fastCall(Sysno.SYS_FCNTL, hw, Fcntl.F_SETFL, Fcntl.O_NONBLOCK | packetMode);
                MemorySegment.copy(pages[slot], offset[slot], page, JAVA_BYTE, 0, length[slot]);
                r = Host.fastCall(Sysno.SYS_WRITE, hw, page.address(), length[slot]);
                if (r >= 0 && r != length[slot]) {
                    r = -Errno.EIO; // cannot happen: the host pipe is as large as this one
                }
            }
            if (r < 0) {
                Host.call(Sysno.SYS_CLOSE, hr, 0, 0);
                Host.call(Sysno.SYS_CLOSE, hw, 0, 0);
                return r;
            }
            if (readers > 0) {
                readEnd.setHostEndLocked(new HostFile(hr));
            } else {
                Host.call(Sysno.SYS_CLOSE, hr, 0, 0);
            }
            if (writers > 0) {
                writeEnd.setHostEndLocked(new HostFile(hw));
            } else {
                Host.call(Sysno.SYS_CLOSE, hw, 0, 0);
            }
            return 0;
        }
    }

    /** The host's limits on pipe sizes, read once. */
    private static final class Limits {
        static final long PIPE_MAX_SIZE = readLong("/proc/sys/fs/pipe-max-size", 1 << 20);
        static final boolean CAP_SYS_RESOURCE = (capEff() & (1L << 24)) != 0;

        private static long readLong(String file, long fallback) {
            try {
                // Not Files.readString: it trusts the size procfs reports and reads too little.
                return Long.parseLong(Files.readAllLines(Path.of(file)).get(0).trim());
            } catch (IOException | RuntimeException e) {
                return fallback;
            }
        }

        private static long capEff() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("CapEff:")) {
                        return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // no capabilities known: none
            }
            return 0;
        }
    }
}
