package ring0.epoll;

import ring0.kernel.FileDescription;
import ring0.poll.WaitQueue;

/**
 * One (file, fd) in an epoll set (Linux: struct epitem). It watches its file in one or two ways: on
 * the file's wait queue when the kernel serves the file, and in the set's host epoll when the host
 * does; a nested epoll set with host items is watched both ways ({@link #dual}). It does not hold a
 * reference to the file: the file's release removes it ({@link FileDescription#releaseWatchers}).
 *
 * <p>Locking: fields are guarded by the set's {@code mtx}, except the ready-list links and flags,
 * guarded by its {@code lock}, and {@link #events}, written under {@code mtx} and read by the
 * wake-up callback under {@code lock} (volatile).
 */
final class Epitem implements WaitQueue.Waiter {
    final EventPoll ep;
    final FileDescription file;
    final int fd;
    /** Index in the set's slot table, and the data of this item's host part: slot | generation << 32. */
    final int slot;
    final long key;

    volatile int events;
    long data;
    /** The kernel wait queue this item is on, or null. */
    WaitQueue queue;
    /** The host descriptor of its host part, or -1; and whether that is in the host set now. */
    int hostFd = -1;
    boolean inHost;
    /**
     * The item's own host duplicate of hostFd, or -1: the host set holds it instead when another item
     * of the set (the same file under another app descriptor: dup) holds hostFd itself, as the host
     * keys its items by (file, descriptor) too.
     */
    int hostDup = -1;
    /** The host part only says "look at the file" (an epoll set's host set): the kernel part reports. */
    boolean dual;
    /** Next item with the same fd (the set's by-fd chains). */
    Epitem sameFd;

    // Guarded by ep.lock.
    boolean removed;
    /** On the ready list (or, during a scan, in the scan's batch). */
    boolean linked;
    Epitem prev, next;
    /** Woken during a scan (Linux: ovflist). */
    boolean onOvf;
    Epitem ovfNext;
    /** The file's wait queue went away (POLLFREE): arm the item again before it reports. */
    boolean rearm;

    /** Told when the file is released: the item goes. */
    final WaitQueue.Waiter releaseWatcher;

    Epitem(EventPoll ep, FileDescription file, int fd, int slot, long key, int events, long data) {
        this.ep = ep;
        this.file = file;
        this.fd = fd;
        this.slot = slot;
        this.key = key;
        this.events = events;
        this.data = data;
        this.releaseWatcher = e -> ep.fileReleased(this);
    }

    /** ep_poll_callback: called by the file's wait queue. */
    @Override
    public void wake(int pollflags) {
        ep.callback(this, pollflags);
    }
}
