package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * poll, ppoll, select and pselect6 over host descriptors: the app's descriptor sets are copied, with
 * host numbers, to scratch memory, and the results are mapped back (fs/select.c semantics: an entry
 * whose descriptor is not open reports POLLNVAL; select fails with EBADF).
 *
 * <pre>
 * struct pollfd { int fd; short events; short revents; };   // 8 bytes
 * </pre>
 */
final class SysPoll {
    private final Kernel kernel;

    SysPoll(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_POLL, (t, a0, a1, a2, a3, a4, a5) -> poll(t, Sysno.SYS_POLL, a0, a1, a2, 0, 0), "host poll");
        table.set(Sysno.SYS_PPOLL, (t, a0, a1, a2, a3, a4, a5) -> poll(t, Sysno.SYS_PPOLL, a0, a1, a2, a3, a4), "host ppoll");
        table.set(Sysno.SYS_SELECT, (t, a0, a1, a2, a3, a4, a5) -> select(t, Sysno.SYS_SELECT, a0, a1, a2, a3, a4, 0), "host select");
        table.set(Sysno.SYS_PSELECT6, (t, a0, a1, a2, a3, a4, a5) -> select(t, Sysno.SYS_PSELECT6, a0, a1, a2, a3, a4, a5), "host pselect6");
    }

    /** poll(fds, nfds, timeout) and ppoll(fds, nfds, tsp, sigmask, sigsetsize). */
    private long poll(Task t, int nr, long fdsPtr, long nfds, long timeout, long sigmask, long sigsetsize) {
        if (nfds < 0 || nfds > kernel.fds.max()) {
            return -Errno.EINVAL;
        }
        long bytes = nfds * 8;
        if (!UserMemory.canWrite(fdsPtr, bytes)) {
            return nfds == 0 ? pollHost(nr, 0, 0, timeout, sigmask, sigsetsize) : -Errno.EFAULT;
        }
        FileDescription[] held = new FileDescription[(int) nfds];
        try (Arena arena = bytes + 16 > Task.SCRATCH_SIZE ? Arena.ofConfined() : null) {
            MemorySegment copy = arena != null ? arena.allocate(bytes + 16, 8) : t.scratch;
            int invalid = 0;
            for (int i = 0; i < nfds; i++) {
                long e = fdsPtr + 8L * i;
                int fd = UserMemory.getInt(e);
                int host = -1;
                if (fd >= 0) {
                    held[i] = kernel.fds.get(fd);
                    if (held[i] == null || held[i].hostFd() < 0) {
                        invalid++;
                    } else {
                        host = held[i].hostFd();
                    }
                }
                copy.set(JAVA_INT, 8L * i, host);
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
            long r = pollHost(nr, copy.address(), nfds, timeout, sigmask, sigsetsize);
            t.passedThrough[nr]++;
            if (r < 0) {
                return r;
            }
            for (int i = 0; i < nfds; i++) {
                long e = fdsPtr + 8L * i;
                boolean nval = UserMemory.getInt(e) >= 0 && (held[i] == null || held[i].hostFd() < 0);
                short revents = nval ? Fcntl.POLLNVAL : copy.get(JAVA_SHORT, 8L * i + 6);
                UserMemory.ALL.set(JAVA_SHORT, e + 6, revents);
            }
            return r + invalid;
        } finally {
            for (FileDescription f : held) {
                if (f != null) {
                    f.put();
                }
            }
        }
    }

    private static long pollHost(int nr, long fds, long nfds, long timeout, long sigmask, long sigsetsize) {
        return nr == Sysno.SYS_PPOLL
                ? Host.call(nr, fds, nfds, timeout, sigmask, sigsetsize, 0)
                : Host.call(nr, fds, nfds, timeout);
    }

    /** select(nfds, r, w, e, timeval) and pselect6(nfds, r, w, e, timespec, sigmask-and-size). */
    private long select(Task t, int nr, long nfdsArg, long rset, long wset, long eset, long timeout, long sig) {
        int nfds = (int) nfdsArg;
        if (nfds < 0) {
            return -Errno.EINVAL;
        }
        // fs/select.c: core_sys_select cuts nfds down to the table's size; no descriptor is above it.
        nfds = Math.min(nfds, kernel.fds.max());
        long words = (nfds + 63) / 64;
        long[] sets = {rset, wset, eset};
        for (long s : sets) {
            if (s != 0 && !UserMemory.canWrite(s, words * 8)) {
                return -Errno.EFAULT;
            }
        }
        // Which app descriptors are asked about, and their host numbers.
        int[] hostOf = new int[nfds];
        FileDescription[] held = new FileDescription[nfds];
        int maxHost = -1;
        try {
            for (int fd = 0; fd < nfds; fd++) {
                if (!isSet(sets, fd)) {
                    continue;
                }
                held[fd] = kernel.fds.get(fd);
                if (held[fd] == null || held[fd].hostFd() < 0) {
                    return -Errno.EBADF;
                }
                hostOf[fd] = held[fd].hostFd();
                maxHost = Math.max(maxHost, hostOf[fd]);
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
                        rset != 0 ? base : 0, wset != 0 ? base + hostWords * 8 : 0, eset != 0 ? base + 2 * hostWords * 8 : 0,
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
        } finally {
            for (FileDescription f : held) {
                if (f != null) {
                    f.put();
                }
            }
        }
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
        return (UserMemory.getLong(set + (fd >> 6) * 8L) & (1L << fd)) != 0;
    }

    private static void setBit(long set, int fd, boolean on) {
        long a = set + (fd >> 6) * 8L;
        long w = UserMemory.getLong(a);
        UserMemory.putLong(a, on ? w | (1L << fd) : w & ~(1L << fd));
    }
}
