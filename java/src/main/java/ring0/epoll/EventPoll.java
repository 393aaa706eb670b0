package ring0.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.AnonInode;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.poll.PollWaiter;
import ring0.poll.WaitQueue;
import ring0.usermem.UserMemory;

/**
 * An epoll set (Linux: struct eventpoll, fs/eventpoll.c) that holds kernel and host descriptors
 * together. A kernel file's item waits on the file's wait queue and reaches the ready list through
 * {@link #callback}, as in Linux; a host file's item lives in a host epoll set that this set owns
 * (made with the first one), with the item's slot as its data, so the host does the host files'
 * edge triggering and one-shots itself and a host event is turned back into the app's data.
 *
 * <pre>
 * struct epoll_event { u32 events; u64 data; } __attribute__((packed));   // 12 bytes on x86-64
 * </pre>
 *
 * <h2>Ordering: waiting, waking, and the two kinds of items</h2>
 *
 * <p>Locks, outer to inner: {@link #NESTED} (adding an epoll set to another), an outer set's
 * {@code mtx} before an inner set's, a set's {@code mtx} (items, scans, arming), a file's own lock
 * (a pipe's monitor, taken by its poll), a set's {@code lock} (the ready list, the waiters' count).
 * Wake-up callbacks take only {@code lock}, and may run with a file's lock held; nothing under
 * {@code lock} calls out but {@link WaitQueue#wake} of this set's own queues, after it is released.
 *
 * <p>A kernel item: a change of its file is made first, then the file's queue is woken, and the
 * callback links the item on the ready list under {@code lock}. A scan ({@link #scan}) takes the
 * whole list under {@code lock}, polls each item without it (items woken meanwhile go to a side
 * list, Linux's ovflist, and are put back when the scan ends), reports those ready, and queues
 * level-triggered ones again. An item is registered on its file's queue before the file is first
 * polled, so a change either shows in that poll or wakes the item.
 *
 * <p>Sleeping: with no host items, a waiter registers its {@link PollWaiter} on {@link #wq}, checks
 * the ready list, and parks; a callback wakes {@code wq} after linking an item, so either the check
 * sees the item or the callback sees the waiter (see PollWaiter). With host items, a waiter counts
 * itself in {@code hostWaiters} under {@code lock}, where it also checks the ready list, and sleeps
 * in a host epoll_pwait on the host set, which holds a host eventfd ({@code wakeFd}); a callback,
 * under the same {@code lock}, sees the count and writes the eventfd once ({@code kicked}) when it
 * links an item. The woken waiter drains the eventfd, clears {@code kicked} and scans. Adding the
 * first host item wakes waiters parked in Java, so that they sleep on the host from then on. The
 * common paths make no host call: a set without host items never makes one, and with host items
 * only a sleeper's eventfd write and the host epoll_wait itself do.
 *
 * <p>Kernel objects that move to the host (a pipe handed to a child) wake their queues with
 * POLLFREE: the item is marked to be armed again and linked; the next scan moves it to the host set
 * before it could report, and the host set reports it from then on. A file's release removes its
 * items at once, host part included, before the host descriptor closes
 * ({@link FileDescription#releaseWatchers}).
 *
 * <p>Differences from Linux: a wait parked in Java is not interrupted by a host signal (no EINTR);
 * EPOLLEXCLUSIVE on a kernel file wakes every set that watches it ("one or more", as epoll_ctl(2)
 * allows); EPOLLWAKEUP is dropped for kernel files; the limits on wake-up paths through nested sets
 * (reverse_path_check) are not enforced, only loops and depth.
 */
public final class EventPoll extends FileDescription {
    static final int EVENT_SIZE = 12;
    /** The host data of the set's own eventfd: no slot has it. */
    private static final long WAKE = -1L;
    /** Serializes the loop checks of nested sets (Linux: epnested_mutex). */
    private static final Object NESTED = new Object();
    private static final MemorySegment ONE = Arena.global().allocate(JAVA_LONG);
    private static final boolean HAS_EPOLL_PWAIT2 =
            Host.fastCall(Sysno.SYS_EPOLL_PWAIT2, -1, 0, 0, 0, 0, 0) != -Errno.ENOSYS;

    static {
        ONE.set(JAVA_LONG, 0, 1);
    }

    private final Object mtx = new Object();
    private final Object lock = new Object();
    /** Java-parked epoll_wait callers (Linux: ep->wq). */
    private final WaitQueue wq = new WaitQueue();
    /** poll(2) callers and outer sets watching this one (Linux: ep->poll_wait). */
    private final WaitQueue pollWait = new WaitQueue();
    /** Items of other sets that watch this one (Linux: ep->refs), for the loop check. Guarded by itself. */
    private final List<Epitem> refs = new ArrayList<>();

    // Guarded by mtx.
    private Epitem[] byFd = new Epitem[16];
    private Epitem[] slots = new Epitem[16];
    private int[] generation = new int[16];
    private int[] freeSlots = new int[16];
    private int freeCount, nextSlot;
    private int wakeFd = -1;
    /** epoll_ctl's struct epoll_event for the host set. */
    private final MemorySegment ctlEvent = Arena.ofAuto().allocate(16, 8);
    private boolean closed;
    /** The host set, made with the first host item; read by outer sets and poll(2) without mtx. */
    private volatile int hostEpfd = -1;
    /** Items with a part in the host set; read racily to choose how to sleep. */
    private volatile int hostParts;

    // Guarded by lock.
    /** Read racily by epoll_wait: the ready list's first item. */
    private volatile Epitem readyHead;
    private Epitem readyTail;
    private volatile boolean scanning;
    private Epitem ovf;
    private int hostWaiters;
    private boolean kicked;

    public EventPoll() {
        super(Fcntl.O_RDWR);
    }

    @Override
    public int hostFd() {
        return -1;
    }

    @Override
    public String describe() {
        return "anon_inode:[eventpoll]";
    }

    @Override
    public long fstat(Task t, long buf) {
        return AnonInode.ANON.fstat(buf);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return AnonInode.ANON.statx(buf);
    }

    @Override
    public WaitQueue waitQueue() {
        return pollWait;
    }

    /** lseek(2) of an epoll set: noop_llseek, the offset (always 0). */
    @Override
    public long lseek(Task t, long offset, int whence) {
        return 0;
    }

    /**
     * The host descriptor whose readiness is part of f's: f's own for a host file, an epoll set's
     * host set, or -1.
     */
    public static int pollHostFd(FileDescription f) {
        if (f instanceof EventPoll ep) {
            return ep.hostEpfd;
        }
        return f.waitQueue() == null ? f.hostFd() : -1;
    }

    /** Whether epoll can watch f (file_can_poll): it has a wait queue or a host descriptor. */
    public static boolean canPoll(FileDescription f) {
        return f.waitQueue() != null || f.hostFd() >= 0;
    }

    // ---- epoll_ctl ----------------------------------------------------------------------------

    /**
     * EPOLL_CTL_ADD, _MOD and _DEL of (file, fd) with events and data (do_epoll_ctl after its
     * argument checks): EEXIST, ENOENT, ELOOP for a loop or nesting deeper than EP_MAX_NESTS,
     * EINVAL for an unknown op or a MOD of an exclusive item; a host item's errors are the host's.
     */
    public long ctl(Task t, int op, FileDescription file, int fd, int events, long data) {
        if (op == Poll.EPOLL_CTL_ADD && file instanceof EventPoll inner) {
            synchronized (NESTED) {
                if (loops(this, inner)) {
                    return -Errno.ELOOP;
                }
                synchronized (mtx) {
                    return ctlLocked(t, op, file, fd, events, data);
                }
            }
        }
        synchronized (mtx) {
            return ctlLocked(t, op, file, fd, events, data);
        }
    }

    private long ctlLocked(Task t, int op, FileDescription file, int fd, int events, long data) {
        Epitem it = findLocked(file, fd);
        return switch (op) {
            case Poll.EPOLL_CTL_ADD -> it != null ? -Errno.EEXIST : insertLocked(t, file, fd, events | Poll.POLLERR | Poll.POLLHUP, data);
            case Poll.EPOLL_CTL_DEL -> {
                if (it == null) {
                    yield -Errno.ENOENT;
                }
                removeLocked(it);
                yield 0;
            }
            case Poll.EPOLL_CTL_MOD -> {
                if (it == null) {
                    yield -Errno.ENOENT;
                }
                yield (it.events & Poll.EPOLLEXCLUSIVE) != 0 ? -Errno.EINVAL
                        : modifyLocked(t, it, events | Poll.POLLERR | Poll.POLLHUP, data);
            }
            default -> -Errno.EINVAL;
        };
    }

    private Epitem findLocked(FileDescription file, int fd) {
        if (fd < 0 || fd >= byFd.length) {
            return null;
        }
        for (Epitem it = byFd[fd]; it != null; it = it.sameFd) {
            if (it.file == file) {
                return it;
            }
        }
        return null;
    }

    /** ep_insert. Preconditions: mtx is held. */
    private long insertLocked(Task t, FileDescription file, int fd, int events, long data) {
        if (closed) {
            return -Errno.EBADF;
        }
        int slot = allocSlotLocked();
        Epitem it = new Epitem(this, file, fd, slot, (long) generation[slot] << 32 | slot, events, data);
        long r = armLocked(it);
        if (r < 0) {
            if (it.queue != null) {
                it.queue.remove(it);
            }
            freeSlots[freeCount++] = slot;
            generation[slot]++;
            return r;
        }
        slots[slot] = it;
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        it.sameFd = byFd[fd];
        byFd[fd] = it;
        file.releaseWatchers().add(it.releaseWatcher);
        if (file instanceof EventPoll inner) {
            synchronized (inner.refs) {
                inner.refs.add(it);
            }
        }
        if (it.queue != null && (file.poll(t, events) & events) != 0) {
            readyNow(it);
        }
        return 0;
    }

    /** ep_modify. Preconditions: mtx is held. */
    private long modifyLocked(Task t, Epitem it, int events, long data) {
        it.events = events; // volatile: ordered before the poll below, as Linux's smp_mb
        it.data = data;
        long r = armLocked(it);
        if (r < 0) {
            return r;
        }
        if (it.hostFd >= 0 && !it.dual) {
            // A host item: the host keeps its own copy of the mask.
            return it.inHost ? hostCtlLocked(Poll.EPOLL_CTL_MOD, hostKeyFd(it), events, it.key) : hostAddLocked(it);
        }
        if ((it.file.poll(t, events) & events) != 0) {
            readyNow(it);
        }
        return 0;
    }

    /** ep_remove. Preconditions: mtx is held. */
    private void removeLocked(Epitem it) {
        if (it.queue != null) {
            it.queue.remove(it);
            it.queue = null;
        }
        it.file.releaseWatchers().remove(it.releaseWatcher);
        dropHostPartLocked(it);
        if (it.file instanceof EventPoll inner) {
            synchronized (inner.refs) {
                inner.refs.remove(it);
            }
        }
        synchronized (lock) {
            it.removed = true;
            if (it.linked) {
                unlinkLocked(it);
            }
        }
        slots[it.slot] = null;
        generation[it.slot]++;
        freeSlots[freeCount++] = it.slot;
        Epitem prev = null;
        for (Epitem e = byFd[it.fd]; e != null; prev = e, e = e.sameFd) {
            if (e == it) {
                if (prev == null) {
                    byFd[it.fd] = e.sameFd;
                } else {
                    prev.sameFd = e.sameFd;
                }
                break;
            }
        }
    }

    private int allocSlotLocked() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        int s = nextSlot++;
        if (s >= slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
            generation = Arrays.copyOf(generation, slots.length);
            freeSlots = Arrays.copyOf(freeSlots, slots.length);
        }
        return s;
    }

    /**
     * Puts the item where its file's readiness shows now: on the file's wait queue, in the host set,
     * or both; moves it when that changed (a file that moved to the host, a nested set that got a host
     * set). A disabled one-shot item gets its host part when EPOLL_CTL_MOD enables it. Returns 0 or
     * the host's -errno (EPERM for a host file epoll cannot watch).
     *
     * <p>Preconditions: mtx is held.
     */
    private long armLocked(Epitem it) {
        FileDescription f = it.file;
        WaitQueue q = f.waitQueue();
        if (q != it.queue) {
            if (it.queue != null) {
                it.queue.remove(it);
            }
            if (q != null) {
                q.add(it);
            }
            it.queue = q;
        }
        int hfd = pollHostFd(f);
        if (hfd != it.hostFd) {
            dropHostPartLocked(it);
            it.hostFd = hfd;
            it.dual = f instanceof EventPoll;
            if (hfd >= 0 && (it.dual || (it.events & ~Poll.EP_PRIVATE_BITS) != 0)) {
                long r = hostAddLocked(it);
                if (r < 0) {
                    it.hostFd = -1;
                    return r;
                }
            }
        }
        return 0;
    }

    /** Adds the item's host part to the host set, making the set if needed. Preconditions: mtx is held. */
    private long hostAddLocked(Epitem it) {
        long r = ensureHostSetLocked();
        if (r < 0) {
            return r;
        }
        int ev = it.dual ? Poll.EPOLLIN | Poll.EPOLLET : it.events;
        r = hostCtlLocked(Poll.EPOLL_CTL_ADD, it.hostFd, ev, it.key);
        if (r == -Errno.EEXIST) {
            // Another item holds this host descriptor: the same file under another app descriptor.
            long dup = Host.fastCall(Sysno.SYS_FCNTL, it.hostFd, Fcntl.F_DUPFD_CLOEXEC, 0);
            if (dup < 0) {
                return dup;
            }
            r = hostCtlLocked(Poll.EPOLL_CTL_ADD, (int) dup, ev, it.key);
            if (r < 0) {
                Host.call(Sysno.SYS_CLOSE, dup, 0, 0);
                return r;
            }
            it.hostDup = (int) dup;
        }
        if (r < 0) {
            return r;
        }
        it.inHost = true;
        hostParts++;
        wq.wake(Poll.POLLIN); // waiters parked in Java sleep on the host from now on
        return 0;
    }

    /** The host descriptor the host set holds for the item's host part. */
    private static int hostKeyFd(Epitem it) {
        return it.hostDup >= 0 ? it.hostDup : it.hostFd;
    }

    /** Takes the item's host part out of the host set, if it is there. Preconditions: mtx is held. */
    private void dropHostPartLocked(Epitem it) {
        if (!it.inHost) {
            return;
        }
        hostCtlLocked(Poll.EPOLL_CTL_DEL, hostKeyFd(it), 0, 0);
        if (it.hostDup >= 0) {
            Host.call(Sysno.SYS_CLOSE, it.hostDup, 0, 0);
            it.hostDup = -1;
        }
        it.inHost = false;
        hostParts--;
    }

    private long ensureHostSetLocked() {
        if (hostEpfd >= 0) {
            return 0;
        }
        long e = Host.fastCall(Sysno.SYS_EPOLL_CREATE1, Poll.EPOLL_CLOEXEC, 0, 0);
        if (e < 0) {
            return e;
        }
        long w = Host.fastCall(Sysno.SYS_EVENTFD2, 0, Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK, 0);
        if (w < 0) {
            Host.call(Sysno.SYS_CLOSE, e, 0, 0);
            return w;
        }
        ctlEvent.set(JAVA_INT, 0, Poll.EPOLLIN);
        ctlEvent.set(JAVA_LONG_UNALIGNED, 4, WAKE);
        Host.fastCall(Sysno.SYS_EPOLL_CTL, e, Poll.EPOLL_CTL_ADD, w, ctlEvent.address(), 0, 0);
        wakeFd = (int) w;
        hostEpfd = (int) e;
        pollWait.wake(Poll.POLLFREE); // outer sets and pollers watch the host set too from now on
        return 0;
    }

    private long hostCtlLocked(int op, int fd, int events, long key) {
        ctlEvent.set(JAVA_INT, 0, events);
        ctlEvent.set(JAVA_LONG_UNALIGNED, 4, key);
        return Host.fastCall(Sysno.SYS_EPOLL_CTL, hostEpfd, op, fd, ctlEvent.address(), 0, 0);
    }

    /** Loop check (ep_loop_check): whether adding `to` into `ep` makes a loop or too deep a nest. Preconditions: NESTED is held. */
    private static boolean loops(EventPoll ep, EventPoll to) {
        int down = depthBelow(to, ep, 0);
        return down > Poll.EP_MAX_NESTS || down + 1 + depthAbove(ep) > Poll.EP_MAX_NESTS;
    }

    private static int depthBelow(EventPoll ep, EventPoll inserting, int depth) {
        int result = 0;
        synchronized (ep.mtx) {
            for (Epitem it : ep.slots) {
                if (it != null && it.file instanceof EventPoll sub) {
                    result = sub == inserting || depth > Poll.EP_MAX_NESTS ? Poll.EP_MAX_NESTS + 1
                            : Math.max(result, depthBelow(sub, inserting, depth + 1) + 1);
                    if (result > Poll.EP_MAX_NESTS) {
                        break;
                    }
                }
            }
        }
        return result;
    }

    private static int depthAbove(EventPoll ep) {
        Epitem[] watchers;
        synchronized (ep.refs) {
            watchers = ep.refs.toArray(new Epitem[0]);
        }
        int result = 0;
        for (Epitem it : watchers) {
            result = Math.max(result, depthAbove(it.ep) + 1);
        }
        return result;
    }

    // ---- wake-ups -----------------------------------------------------------------------------

    /** ep_poll_callback: the item's file changed (or its queue went away: POLLFREE). */
    void callback(Epitem it, int pollflags) {
        boolean kick;
        synchronized (lock) {
            if (it.removed) {
                return;
            }
            if ((pollflags & Poll.POLLFREE) != 0) {
                it.rearm = true;
            } else {
                int ev = it.events;
                if ((ev & ~Poll.EP_PRIVATE_BITS) == 0 || (pollflags != 0 && (pollflags & ev) == 0)) {
                    return; // disabled one-shot, or nothing it asked for
                }
            }
            queueLocked(it);
            kick = kickLocked();
        }
        wakeWaiters(kick, true);
    }

    /** Links an item that is ready (insert, modify). Preconditions: mtx is held, so no scan runs. */
    private void readyNow(Epitem it) {
        boolean kick;
        synchronized (lock) {
            if (it.linked) {
                return;
            }
            appendLocked(it);
            kick = kickLocked();
        }
        wakeWaiters(kick, true);
    }

    private void queueLocked(Epitem it) {
        if (scanning) {
            if (!it.onOvf) {
                it.onOvf = true;
                it.ovfNext = ovf;
                ovf = it;
            }
        } else if (!it.linked) {
            appendLocked(it);
        }
    }

    /** Whether a host sleeper must be woken by the eventfd; only the first caller does it. */
    private boolean kickLocked() {
        if (hostWaiters > 0 && !kicked) {
            kicked = true;
            return true;
        }
        return false;
    }

    /** Wakes epoll_wait sleepers (kick: the host one too), and, if pollers, poll(2) and outer sets. */
    private void wakeWaiters(boolean kick, boolean pollers) {
        if (kick) {
            Host.fastCall(Sysno.SYS_WRITE, wakeFd, ONE.address(), 8);
        }
        wq.wake(Poll.POLLIN);
        if (pollers) {
            pollWait.wake(Poll.POLLIN | Poll.POLLRDNORM);
        }
    }

    private void appendLocked(Epitem it) {
        it.linked = true;
        it.next = null;
        it.prev = readyTail;
        if (readyTail == null) {
            readyHead = it;
        } else {
            readyTail.next = it;
        }
        readyTail = it;
    }

    private void unlinkLocked(Epitem it) {
        if (it.prev == null) {
            readyHead = it.next;
        } else {
            it.prev.next = it.next;
        }
        if (it.next == null) {
            readyTail = it.prev;
        } else {
            it.next.prev = it.prev;
        }
        it.prev = it.next = null;
        it.linked = false;
    }

    /** A file an item watches was released (eventpoll_release_file): the item goes, host part first. */
    void fileReleased(Epitem it) {
        synchronized (mtx) {
            boolean removed;
            synchronized (lock) {
                removed = it.removed;
            }
            if (!removed) {
                removeLocked(it);
            }
        }
    }

    // ---- epoll_wait ---------------------------------------------------------------------------

    /**
     * ep_poll: up to maxevents events into the app's array at events, waiting up to timeoutNanos
     * (-1: no limit; 0: not at all), with the signal mask at sigmask (0: none; checked by the
     * caller) while asleep. Returns the count, or -errno (EFAULT when no event could be copied, EINTR
     * from a host sleep).
     *
     * <p>Preconditions: maxevents in 1..EP_MAX_EVENTS; the array passed access_ok.
     *
     * <p>Hot path (the Go netpoller's epoll_wait with timeout 0): with nothing linked and no host
     * items it costs two volatile reads, no lock and no allocation.
     */
    public long wait(Task t, long events, int maxevents, long timeoutNanos, long sigmask) {
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        for (;;) {
            boolean expired = timeoutNanos == 0 || (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0);
            long n = harvest(t, events, maxevents, !expired);
            if (n != 0 || expired) {
                return n;
            }
            if (hostParts == 0) {
                PollWaiter w = PollWaiter.current();
                w.arm();
                wq.add(w);
                try {
                    if (readyHead == null && !scanning && hostParts == 0) {
                        w.park(deadline, sigmask, true);
                    }
                } finally {
                    wq.remove(w);
                }
                continue;
            }
            synchronized (lock) {
                if (readyHead != null || scanning) {
                    continue;
                }
                hostWaiters++;
            }
            long r;
            try {
                r = hostWait(t, events, maxevents, deadline, sigmask);
            } finally {
                synchronized (lock) {
                    hostWaiters--;
                }
            }
            if (r < 0) {
                return r;
            }
            n = translateAndScan(t, events, r, maxevents, true);
            if (n != 0) {
                return n;
            }
        }
    }

    /**
     * Whatever is ready now: kernel items, then the host set (without blocking). A caller that will
     * sleep on the host set if nothing is ready (mayWait) skips that host call when no kernel item
     * is: the sleep itself returns at once with what the host has, so a blocking wait makes one host
     * call, as natively.
     */
    private long harvest(Task t, long events, int maxevents, boolean mayWait) {
        int n = 0;
        if (readyHead != null || scanning) {
            synchronized (mtx) {
                n = scan(t, events, 0, maxevents, true);
            }
            if (n < 0 || n == maxevents) {
                return n;
            }
        }
        if (hostParts == 0 || (n == 0 && mayWait)) {
            return n;
        }
        long at = events + (long) EVENT_SIZE * n;
        long r = Host.fastCall(Sysno.SYS_EPOLL_WAIT, hostEpfd, at, maxevents - n, 0, 0, 0);
        if (r < 0) {
            return n > 0 ? n : r;
        }
        return translateAndScan(t, events + (long) EVENT_SIZE * n, r, maxevents - n, false) + n;
    }

    /** Blocks in the host set (with the set's eventfd in it) until an event, a kick, or deadline. */
    private long hostWait(Task t, long events, int maxevents, long deadline, long sigmask) {
        long sigsetsize = sigmask != 0 ? 8 : 0;
        if (HAS_EPOLL_PWAIT2) {
            long ts = 0;
            if (deadline != Long.MAX_VALUE) {
                long left = Math.max(0, deadline - System.nanoTime());
                ts = t.scratch.address();
                t.scratch.set(JAVA_LONG, 0, left / 1_000_000_000);
                t.scratch.set(JAVA_LONG, 8, left % 1_000_000_000);
            }
            return Host.call(Sysno.SYS_EPOLL_PWAIT2, hostEpfd, events, maxevents, ts, sigmask, sigsetsize);
        }
        long ms = deadline == Long.MAX_VALUE ? -1 : (Math.max(0, deadline - System.nanoTime()) + 999_999) / 1_000_000;
        return Host.call(Sysno.SYS_EPOLL_PWAIT, hostEpfd, events, maxevents, Math.min(ms, Integer.MAX_VALUE), sigmask, sigsetsize);
    }

    /**
     * Turns r host events at events into the app's (in place, dropping the eventfd's and those of
     * items removed since); a nested set's host event links its item on the ready list instead. Then,
     * if scanKernel (the kernel side was not scanned yet in this call: an item is reported once per
     * call, and a level-triggered one is queued again by the scan that reported it), fills the room
     * left with kernel items that are ready.
     */
    private long translateAndScan(Task t, long events, long r, int maxevents, boolean scanKernel) {
        int n = 0;
        boolean drained = false;
        synchronized (mtx) {
            for (int i = 0; i < r; i++) {
                long at = events + (long) EVENT_SIZE * i;
                int ev = UserMemory.ALL.get(JAVA_INT_UNALIGNED, at);
                long key = UserMemory.ALL.get(JAVA_LONG_UNALIGNED, at + 4);
                if (key == WAKE) {
                    drained = true;
                    continue;
                }
                int slot = (int) key;
                Epitem it = slot >= 0 && slot < slots.length ? slots[slot] : null;
                if (it == null || it.key != key) {
                    continue; // removed after the host reported it
                }
                if (it.dual) {
                    synchronized (lock) {
                        queueLocked(it);
                    }
                    continue;
                }
                if ((it.events & Poll.EPOLLONESHOT) != 0) {
                    it.events &= Poll.EP_PRIVATE_BITS; // the host disabled it; keep the same view
                }
                long out = events + (long) EVENT_SIZE * n++;
                UserMemory.ALL.set(JAVA_INT_UNALIGNED, out, ev);
                UserMemory.ALL.set(JAVA_LONG_UNALIGNED, out + 4, it.data);
            }
            if (drained) {
                // Drain first, then allow kicks again: a kick after the drain stays readable.
                Host.fastCall(Sysno.SYS_READ, wakeFd, t.scratch.address(), 8);
                synchronized (lock) {
                    kicked = false;
                }
            }
            if (n < maxevents && scanKernel && (readyHead != null || scanning)) {
                int k = scan(t, events, n, maxevents, true); // passes what it leaves on (ep_done_scan)
                if (k < 0) {
                    return n > 0 ? n : k;
                }
                n += k;
            } else if (readyHead != null) {
                // No room, or not this call's turn: another sleeper takes what is linked.
                boolean kick;
                synchronized (lock) {
                    kick = kickLocked();
                }
                wakeWaiters(kick, false);
            }
        }
        return n;
    }

    /**
     * ep_send_events (report) or the readiness test of ep_eventpoll_poll (not report: returns 1 at
     * the first item that is ready, and leaves it linked). Items ready are written at index n of the
     * app's array onwards, up to maxevents. Returns how many were written, or -EFAULT if the first
     * could not be.
     *
     * <p>Preconditions: mtx is held.
     */
    private int scan(Task t, long events, int n, int maxevents, boolean report) {
        Epitem batch;
        synchronized (lock) {
            batch = readyHead;
            readyHead = readyTail = null;
            scanning = true;
        }
        Epitem requeue = null, requeueTail = null;
        int res = 0;
        Epitem it = batch;
        while (it != null) {
            if (n + res >= maxevents) {
                break;
            }
            Epitem next = it.next;
            boolean rearm;
            synchronized (lock) {
                rearm = it.rearm;
                it.rearm = false;
            }
            it.linked = false;
            it.prev = it.next = null;
            if (rearm) {
                armLocked(it); // a host error leaves it unwatched: nothing can be done for it here
                if (it.queue == null) {
                    it = next;
                    continue; // now reported by the host set
                }
            }
            int ev = it.events;
            int revents = it.file.poll(t, ev) & ev;
            if (revents == 0) {
                it = next;
                continue;
            }
            if (!report) {
                it.linked = true;
                it.next = next;
                res = 1;
                break;
            }
            long at = events + (long) EVENT_SIZE * (n + res);
            if (!UserMemory.canWrite(at, EVENT_SIZE)) {
                it.linked = true;
                it.next = next;
                if (res == 0) {
                    res = -Errno.EFAULT;
                }
                break;
            }
            UserMemory.ALL.set(JAVA_INT_UNALIGNED, at, revents);
            UserMemory.ALL.set(JAVA_LONG_UNALIGNED, at + 4, it.data);
            res++;
            if ((ev & Poll.EPOLLONESHOT) != 0) {
                it.events = ev & Poll.EP_PRIVATE_BITS;
            } else if ((ev & Poll.EPOLLET) == 0) {
                // Level-triggered: look again at the next epoll_wait.
                it.linked = true;
                if (requeueTail == null) {
                    requeue = it;
                } else {
                    requeueTail.next = it;
                    it.prev = requeueTail;
                }
                requeueTail = it;
            }
            it = next;
        }
        boolean kick, more;
        synchronized (lock) {
            // ep_done_scan: what the scan did not reach, then what was woken during it, then the
            // level-triggered items just reported.
            Epitem head = null, tail = null;
            for (Epitem e = it; e != null; e = e.next) {
                e.prev = tail;
                tail = e;
                if (head == null) {
                    head = e;
                }
            }
            readyHead = head;
            readyTail = tail;
            Epitem woken = reverse(ovf);
            ovf = null;
            for (Epitem e = woken; e != null; ) {
                Epitem nx = e.ovfNext;
                e.ovfNext = null;
                e.onOvf = false;
                if (!e.linked && !e.removed) {
                    appendLocked(e);
                }
                e = nx;
            }
            for (Epitem e = requeue; e != null; ) {
                Epitem nx = e.next;
                e.next = null;
                e.prev = readyTail;
                if (readyTail == null) {
                    readyHead = e;
                } else {
                    readyTail.next = e;
                }
                readyTail = e;
                e = nx;
            }
            scanning = false;
            more = readyHead != null;
            kick = more && kickLocked();
        }
        if (more) {
            wakeWaiters(kick, false); // as ep_done_scan: the sleepers, not the pollers
        }
        return res;
    }

    private static Epitem reverse(Epitem list) {
        Epitem out = null;
        while (list != null) {
            Epitem nx = list.ovfNext;
            list.ovfNext = out;
            out = list;
            list = nx;
        }
        return out;
    }

    /** ep_eventpoll_poll: readable when an item is ready, kernel or host. */
    @Override
    public int poll(Task t, int events) {
        if (readyHead != null || scanning) {
            synchronized (mtx) {
                if (scan(t, 0, 0, 1, false) > 0) {
                    return Poll.POLLIN | Poll.POLLRDNORM;
                }
            }
        }
        int h = hostEpfd;
        if (hostParts > 0 && h >= 0) {
            MemorySegment pfd = t.scratch;
            pfd.set(JAVA_INT, 0, h);
            pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, (short) Poll.POLLIN);
            pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 6, (short) 0);
            if (Host.fastCall(Sysno.SYS_POLL, pfd.address(), 1, 0) > 0) {
                return Poll.POLLIN | Poll.POLLRDNORM;
            }
        }
        return 0;
    }

    /** ep_clear_and_put: the set's last descriptor closed; its items go, and its host set. */
    @Override
    protected long release() {
        pollWait.wake(Poll.POLLHUP);
        synchronized (mtx) {
            closed = true;
            for (Epitem it : slots) {
                if (it != null) {
                    removeLocked(it);
                }
            }
            if (hostEpfd >= 0) {
                Host.call(Sysno.SYS_CLOSE, hostEpfd, 0, 0);
                Host.call(Sysno.SYS_CLOSE, wakeFd, 0, 0);
                hostEpfd = -1;
            }
        }
        return 0;
    }
}
