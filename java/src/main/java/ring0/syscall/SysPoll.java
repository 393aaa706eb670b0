package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Poll;
import ring0.abi.Sysno;
import ring0.epoll.EventPoll;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.poll.PollWaiter;
import ring0.poll.WaitQueue;
import ring0.usermem.UserMemory;

/**
 * poll, ppoll, select and pselect6 (fs/select.c) over kernel and host descriptors. When every
 * descriptor is the host's, the sets are copied with host numbers to scratch memory, one host call
 * does the work and the results are mapped back. Otherwise {@link #doPoll} polls the kernel files
 * itself and the host ones in one host poll, and sleeps as epoll does: parked in Java when only
 * kernel files are involved, in a host ppoll (with the thread's eventfd, see {@link PollWaiter})
 * when host ones are. An entry whose descriptor is not open reports POLLNVAL; select fails with
 * EBADF. A sleep parked in Java is not interrupted by a signal.
 *
 * <pre>
 * struct pollfd { int fd; short events; short revents; };   // 8 bytes
 * struct timeval { i64 tv_sec; i64 tv_usec; };  struct timespec { i64 tv_sec; i64 tv_nsec; };
 * pselect6's 6th argument: struct { const sigset_t *ss; size_t ss_len; };
 * </pre>
 */
final class SysPoll {
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    /** Bytes of the task's scratch left for files' own poll operations (HostFile.poll uses the first 8). */
    private static final int SCRATCH_RESERVED = 64;
    /** A decoded timeout that is bad: the -errno is in the low bits. */
    private static final long BAD = Long.MIN_VALUE;

    private final Kernel kernel;

    SysPoll(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_POLL, (t, a0, a1, a2, a3, a4, a5) -> poll(t, Sysno.SYS_POLL, a0, a1, a2, 0, 0), "full");
        table.set(Sysno.SYS_PPOLL, (t, a0, a1, a2, a3, a4, a5) -> poll(t, Sysno.SYS_PPOLL, a0, a1, a2, a3, a4),
                "full; with kernel files, the mask is the host thread's while it waits");
        table.set(Sysno.SYS_SELECT, (t, a0, a1, a2, a3, a4, a5) -> select(t, Sysno.SYS_SELECT, a0, a1, a2, a3, a4, 0), "full");
        table.set(Sysno.SYS_PSELECT6, (t, a0, a1, a2, a3, a4, a5) -> select(t, Sysno.SYS_PSELECT6, a0, a1, a2, a3, a4, a5),
                "full; with kernel files, the mask is the host thread's while it waits");
    }

    /** Implements poll(2) and ppoll(2). */
    private long poll(Task t, int nr, long fdsPtr, long nfds, long timeout, long sigmask, long sigsetsize) {
        long timeoutNs;
        if (nr == Sysno.SYS_PPOLL) {
            timeoutNs = readTimeout(timeout, NSEC_PER_SEC, 1);
            if (timeoutNs == BAD) {
                return badTimeout(timeout);
            }
            long err = SysEpoll.checkSigmask(sigmask, sigsetsize);
            if (err < 0) {
                return err;
            }
        } else {
            timeoutNs = (int) timeout < 0 ? -1 : (int) timeout * 1_000_000L;
        }
        if (nfds < 0 || nfds > kernel.fds.max()) {
            return -Errno.EINVAL;
        }
        long bytes = nfds * 8;
        if (!UserMemory.canWrite(fdsPtr, bytes)) {
            return nfds == 0 ? pollHost(nr, 0, 0, timeout, sigmask, sigsetsize) : -Errno.EFAULT;
        }
        int n = (int) nfds;
        FileDescription[] held = new FileDescription[n];
        try {
            boolean allHost = true;
            for (int i = 0; i < n; i++) {
                int fd = UserMemory.getInt(fdsPtr + 8L * i);
                if (fd >= 0) {
                    held[i] = kernel.fds.get(fd);
                    allHost &= held[i] == null || isHost(held[i]);
                }
            }
            if (allHost) {
                return pollAllHost(t, nr, fdsPtr, held, timeout, sigmask, sigsetsize);
            }
            int[] events = new int[n], revents = new int[n];
            for (int i = 0; i < n; i++) {
                events[i] = UserMemory.ALL.get(JAVA_SHORT, fdsPtr + 8L * i + 4) & 0xffff;
                if (held[i] == null && UserMemory.getInt(fdsPtr + 8L * i) >= 0) {
                    revents[i] = Poll.POLLNVAL;
                }
            }
            long start = System.nanoTime();
            long r = doPoll(t, held, events, revents, timeoutNs, sigmask);
            if (r >= 0) {
                for (int i = 0; i < n; i++) {
                    UserMemory.ALL.set(JAVA_SHORT, fdsPtr + 8L * i + 6, (short) revents[i]);
                }
            }
            if (nr == Sysno.SYS_PPOLL) {
                writeRemaining(timeout, timeoutNs, start, 1);
            }
            return r;
        } finally {
            for (FileDescription f : held) {
                if (f != null) {
                    f.put();
                }
            }
        }
    }

    /** A description only the host can poll: no kernel wait queue, a host descriptor. */
    private static boolean isHost(FileDescription f) {
        return f.waitQueue() == null && f.hostFd() >= 0;
    }

    /** poll or ppoll of host descriptors only, by one host call (POLLNVAL for those not open). */
    private long pollAllHost(Task t, int nr, long fdsPtr, FileDescription[] held, long timeout, long sigmask, long sigsetsize) {
        int n = held.length;
        long bytes = 8L * n;
        try (Arena arena = bytes + 16 > Task.SCRATCH_SIZE ? Arena.ofConfined() : null) {
            MemorySegment copy = arena != null ? arena.allocate(bytes + 16, 8) : t.scratch;
            int invalid = 0;
            for (int i = 0; i < n; i++) {
                long e = fdsPtr + 8L * i;
                boolean nval = held[i] == null && UserMemory.getInt(e) >= 0;
                invalid += nval ? 1 : 0;
                copy.set(JAVA_INT, 8L * i, held[i] != null ? held[i].hostFd() : -1);
                copy.set(JAVA_SHORT, 8L * i + 4, UserMemory.ALL.get(JAVA_SHORT, e + 4));
                copy.set(JAVA_SHORT, 8L * i + 6, (short) 0);
            }
            if (invalid > 0) {
                // POLLNVAL entries are ready: do not wait.
                if (nr == Sysno.SYS_PPOLL) {
                    copy.set(JAVA_LONG, bytes, 0);
                    copy.set(JAVA_LONG, bytes + 8, 0);
                    timeout = copy.address() + bytes;
                } else {
                    timeout = 0;
                }
            }
            long r = pollHost(nr, copy.address(), n, timeout, sigmask, sigsetsize);
            t.passedThrough[nr]++;
            if (r < 0) {
                return r;
            }
            for (int i = 0; i < n; i++) {
                long e = fdsPtr + 8L * i;
                boolean nval = held[i] == null && UserMemory.getInt(e) >= 0;
                short revents = nval ? Fcntl.POLLNVAL : copy.get(JAVA_SHORT, 8L * i + 6);
                UserMemory.ALL.set(JAVA_SHORT, e + 6, revents);
            }
            return r + invalid;
        }
    }

    private static long pollHost(int nr, long fds, long nfds, long timeout, long sigmask, long sigsetsize) {
        return nr == Sysno.SYS_PPOLL
                ? Host.call(nr, fds, nfds, timeout, sigmask, sigsetsize, 0)
                : Host.call(nr, fds, nfds, timeout);
    }

    /** Implements select(2) (a timeval) and pselect6(2) (a timespec and a mask). */
    private long select(Task t, int nr, long nfdsArg, long rset, long wset, long eset, long timeout, long sig) {
        boolean timespec = nr == Sysno.SYS_PSELECT6;
        long timeoutNs = readTimeout(timeout, timespec ? NSEC_PER_SEC : 1_000_000, timespec ? 1 : 1000);
        if (timeoutNs == BAD) {
            return badTimeout(timeout);
        }
        long sigmask = 0;
        if (timespec && sig != 0) {
            if (!UserMemory.canRead(sig, 16)) {
                return -Errno.EFAULT;
            }
            sigmask = UserMemory.getLong(sig);
            long err = SysEpoll.checkSigmask(sigmask, UserMemory.getLong(sig + 8));
            if (err < 0) {
                return err;
            }
        }
        int nfds = (int) nfdsArg;
        if (nfds < 0) {
            return -Errno.EINVAL;
        }
        // fs/select.c: core_sys_select cuts nfds down to the table's size (not RLIMIT_NOFILE): bits
        // above it are ignored, not EBADF.
        nfds = Math.min(nfds, kernel.fds.capacity());
        long words = (nfds + 63) / 64;
        long[] sets = {rset, wset, eset};
        for (long s : sets) {
            if (s != 0 && !UserMemory.canWrite(s, words * 8)) {
                return -Errno.EFAULT;
            }
        }
        FileDescription[] held = new FileDescription[nfds];
        try {
            boolean allHost = true;
            for (int fd = 0; fd < nfds; fd++) {
                if (!isSet(sets, fd)) {
                    continue;
                }
                held[fd] = kernel.fds.get(fd);
                if (held[fd] == null) {
                    return -Errno.EBADF;
                }
                allHost &= isHost(held[fd]);
            }
            if (allHost) {
                return selectAllHost(t, nr, nfds, sets, held, timeout, sig);
            }
            int[] events = new int[nfds], revents = new int[nfds];
            for (int fd = 0; fd < nfds; fd++) {
                if (held[fd] != null) {
                    events[fd] = (bit(rset, fd) ? Poll.POLLIN_SET : 0) | (bit(wset, fd) ? Poll.POLLOUT_SET : 0)
                            | (bit(eset, fd) ? Poll.POLLEX_SET : 0);
                }
            }
            long start = System.nanoTime();
            long r = doPoll(t, held, events, revents, timeoutNs, sigmask);
            if (r < 0) {
                return r;
            }
            int count = 0;
            int[] masks = {Poll.POLLIN_SET, Poll.POLLOUT_SET, Poll.POLLEX_SET};
            for (int k = 0; k < 3; k++) {
                for (int fd = 0; fd < nfds && sets[k] != 0; fd++) {
                    if (bit(sets[k], fd)) {
                        boolean ready = (revents[fd] & masks[k]) != 0;
                        setBit(sets[k], fd, ready);
                        count += ready ? 1 : 0;
                    }
                }
            }
            writeRemaining(timeout, timeoutNs, start, timespec ? 1 : 1000);
            return count;
        } finally {
            for (FileDescription f : held) {
                if (f != null) {
                    f.put();
                }
            }
        }
    }

    /** select or pselect6 of host descriptors only, by one host call with host numbers. */
    private long selectAllHost(Task t, int nr, int nfds, long[] sets, FileDescription[] held, long timeout, long sig) {
        int[] hostOf = new int[nfds];
        int maxHost = -1;
        for (int fd = 0; fd < nfds; fd++) {
            if (held[fd] != null) {
                hostOf[fd] = held[fd].hostFd();
                maxHost = Math.max(maxHost, hostOf[fd]);
            }
        }
        long hostWords = (maxHost + 64) / 64;
        long need = 3 * hostWords * 8;
        try (Arena arena = need > Task.SCRATCH_SIZE ? Arena.ofConfined() : null) {
            MemorySegment copy = arena != null ? arena.allocate(need, 8) : t.scratch;
            copy.asSlice(0, need).fill((byte) 0);
            for (int k = 0; k < 3; k++) {
                if (sets[k] == 0) {
                    continue;
                }
                for (int fd = 0; fd < nfds; fd++) {
                    if (bit(sets[k], fd)) {
                        long w = k * hostWords * 8 + (hostOf[fd] >> 6) * 8L;
                        copy.set(JAVA_LONG, w, copy.get(JAVA_LONG, w) | (1L << hostOf[fd]));
                    }
                }
            }
            long base = copy.address();
            long r = Host.call(nr, maxHost + 1,
                    sets[0] != 0 ? base : 0, sets[1] != 0 ? base + hostWords * 8 : 0, sets[2] != 0 ? base + 2 * hostWords * 8 : 0,
                    timeout, sig);
            t.passedThrough[nr]++;
            if (r < 0) {
                return r;
            }
            for (int k = 0; k < 3; k++) {
                if (sets[k] == 0) {
                    continue;
                }
                for (int fd = 0; fd < nfds; fd++) {
                    if (bit(sets[k], fd)) {
                        long w = k * hostWords * 8 + (hostOf[fd] >> 6) * 8L;
                        boolean ready = (copy.get(JAVA_LONG, w) & (1L << hostOf[fd])) != 0;
                        setBit(sets[k], fd, ready);
                    }
                }
            }
            return r;
        }
    }

    /**
     * do_poll over decoded entries: files[i] null is skipped (its revents were set by the caller);
     * the others get revents = their poll & (events | POLLERR | POLLHUP). Waits up to timeoutNs (-1:
     * no limit) for one to be ready. Returns how many are (the caller's POLLNVAL entries included),
     * or -errno (EINTR from a host sleep, EMFILE if the thread's eventfd could not be made).
     */
    private long doPoll(Task t, FileDescription[] files, int[] events, int[] revents, long timeoutNs, long sigmask) {
        int n = files.length;
        long deadline = timeoutNs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        int[] hostIndex = new int[n];
        int hostCapacity = (Task.SCRATCH_SIZE - SCRATCH_RESERVED) / 8 - 1;
        List<WaitQueue> registered = null;
        PollWaiter w = null;
        try (Arena arena = n > hostCapacity ? Arena.ofConfined() : null) {
            // Each file is a host entry or a kernel one, with at most one host descriptor to sleep on,
            // and the waiter's eventfd comes last: n + 1 struct pollfd.
            long base = arena != null ? arena.allocate(8L * (n + 1), 8).address() : t.scratch.address() + SCRATCH_RESERVED;
            MemorySegment pfds = MemorySegment.ofAddress(base).reinterpret(8L * (n + 1));
            for (;;) {
                if (w != null) {
                    w.arm();
                }
                int count = 0, nHost = 0;
                for (int i = 0; i < n; i++) {
                    FileDescription f = files[i];
                    if (f == null) {
                        count += revents[i] != 0 ? 1 : 0;
                        continue;
                    }
                    if (isHost(f)) {
                        pfds.set(JAVA_INT, 8L * nHost, f.hostFd());
                        pfds.set(JAVA_SHORT, 8L * nHost + 4, (short) events[i]);
                        pfds.set(JAVA_SHORT, 8L * nHost + 6, (short) 0);
                        hostIndex[i] = nHost++;
                    } else {
                        int filter = events[i] | Poll.POLLERR | Poll.POLLHUP;
                        hostIndex[i] = -1;
                        revents[i] = f.poll(t, filter) & filter;
                        count += revents[i] != 0 ? 1 : 0;
                    }
                }
                if (nHost > 0) {
                    long r = Host.fastCall(Sysno.SYS_POLL, base, nHost, 0);
                    t.passedThrough[Sysno.SYS_POLL]++;
                    if (r < 0) {
                        return r;
                    }
                    for (int i = 0; i < n; i++) {
                        if (files[i] != null && hostIndex[i] >= 0) {
                            revents[i] = pfds.get(JAVA_SHORT, 8L * hostIndex[i] + 6) & 0xffff;
                            count += revents[i] != 0 ? 1 : 0;
                        }
                    }
                }
                if (count > 0 || timeoutNs == 0 || (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0)) {
                    return count;
                }
                if (w == null) {
                    // Register, then look again before sleeping (see PollWaiter's ordering).
                    w = PollWaiter.current();
                    w.arm();
                    registered = new ArrayList<>();
                    for (FileDescription f : files) {
                        WaitQueue q = f != null ? f.waitQueue() : null;
                        if (q != null) {
                            q.add(w);
                            registered.add(q);
                        }
                    }
                    continue;
                }
                // Host descriptors to sleep on: the host entries, and the host sets of epoll entries.
                int nSleep = nHost;
                for (FileDescription f : files) {
                    int h = f != null && !isHost(f) ? EventPoll.pollHostFd(f) : -1;
                    if (h >= 0) {
                        pfds.set(JAVA_INT, 8L * nSleep, h);
                        pfds.set(JAVA_SHORT, 8L * nSleep + 4, (short) Poll.POLLIN);
                        nSleep++;
                    }
                }
                if (nSleep == 0) {
                    w.park(deadline, sigmask, true);
                } else {
                    long r = w.hostPoll(base, nSleep, deadline, sigmask);
                    t.passedThrough[Sysno.SYS_PPOLL]++;
                    if (r < 0) {
                        return r;
                    }
                }
            }
        } finally {
            if (registered != null) {
                for (WaitQueue q : registered) {
                    q.remove(w);
                }
            }
        }
    }

    /**
     * The timeout at ptr as nanoseconds: a timespec (perSecond NSEC_PER_SEC, nsPerUnit 1) or a
     * timeval (1_000_000, 1000); -1 for a NULL pointer, BAD if unreadable or invalid.
     */
    private static long readTimeout(long ptr, long perSecond, long nsPerUnit) {
        if (ptr == 0) {
            return -1;
        }
        if (!UserMemory.canRead(ptr, 16)) {
            return BAD;
        }
        long sec = UserMemory.getLong(ptr), frac = UserMemory.getLong(ptr + 8);
        // poll_select_set_timeout: a timeval's microseconds may run past a second (they carry).
        sec += perSecond == NSEC_PER_SEC ? 0 : frac / perSecond;
        frac = perSecond == NSEC_PER_SEC ? frac : frac % perSecond;
        if (sec < 0 || frac < 0 || (perSecond == NSEC_PER_SEC && frac >= NSEC_PER_SEC)) {
            return BAD;
        }
        return sec >= Long.MAX_VALUE / NSEC_PER_SEC ? Long.MAX_VALUE : sec * NSEC_PER_SEC + frac * nsPerUnit;
    }

    private static long badTimeout(long ptr) {
        return UserMemory.canRead(ptr, 16) ? -Errno.EINVAL : -Errno.EFAULT;
    }

    /**
     * poll_select_finish: the time left goes back into the app's timeval or timespec (a write that
     * faults is ignored, as Linux does).
     */
    private static void writeRemaining(long ptr, long timeoutNs, long startNs, long nsPerUnit) {
        if (ptr == 0 || timeoutNs <= 0 || !UserMemory.canWrite(ptr, 16)) {
            return;
        }
        long left = Math.max(0, timeoutNs - (System.nanoTime() - startNs));
        UserMemory.putLong(ptr, left / NSEC_PER_SEC);
        UserMemory.putLong(ptr + 8, left % NSEC_PER_SEC / nsPerUnit);
    }

    private static boolean isSet(long[] sets, int fd) {
        for (long s : sets) {
            if (s != 0 && bit(s, fd)) {
                return true;
            }
        }
        return false;
    }

    private static boolean bit(long set, int fd) {
        return set != 0 && (UserMemory.getLong(set + (fd >> 6) * 8L) & (1L << fd)) != 0;
    }

    private static void setBit(long set, int fd, boolean on) {
        long a = set + (fd >> 6) * 8L;
        long w = UserMemory.getLong(a);
        UserMemory.putLong(a, on ? w | (1L << fd) : w & ~(1L << fd));
    }
}
