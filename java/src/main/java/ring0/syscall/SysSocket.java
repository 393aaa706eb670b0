package ring0.syscall;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * sendmsg and recvmsg: descriptors passed over a socket (SCM_RIGHTS) are the app's on the way out
 * and the host's on the way in, so both directions translate them. Everything else about sockets is
 * the host's, through {@link HostPassthrough}.
 *
 * <pre>
 * struct msghdr {                      struct cmsghdr {
 *     void *msg_name;        //  0         size_t cmsg_len;    //  0
 *     socklen_t msg_namelen; //  8         int cmsg_level;     //  8
 *     struct iovec *msg_iov; // 16         int cmsg_type;      // 12
 *     size_t msg_iovlen;     // 24         unsigned char data[]; // 16
 *     void *msg_control;     // 32     };
 *     size_t msg_controllen; // 40
 *     int msg_flags;         // 48
 * };                         // 56
 * </pre>
 */
final class SysSocket {
    private static final int MSGHDR_SIZE = 56, CONTROL = 32, CONTROLLEN = 40, FLAGS = 48;
    private static final int CMSG_HDR = 16;
    private static final int MSG_CTRUNC = 0x8;

    private final Kernel kernel;

    SysSocket(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_SENDMSG, this::sendmsg, "host socket; SCM_RIGHTS translated");
        table.set(Sysno.SYS_RECVMSG, this::recvmsg, "host socket; SCM_RIGHTS translated");
    }

    /** Implements recvmsg(2). */
    long recvmsg(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        FileDescription f = kernel.fds.get((int) a0);
        long h = f != null ? f.hostFd() : -1;
        try {
            long r = Host.call(Sysno.SYS_RECVMSG, h, a1, a2 | Fcntl.MSG_CMSG_CLOEXEC, 0, 0, 0);
            t.passedThrough[Sysno.SYS_RECVMSG]++;
            if (r >= 0) {
                importRights(a1, (a2 & Fcntl.MSG_CMSG_CLOEXEC) != 0);
            }
            return r;
        } finally {
            if (f != null) {
                f.put();
            }
        }
    }

    /** Implements sendmsg(2). */
    long sendmsg(Task t, long a0, long a1, long a2, long a3, long a4, long a5) {
        FileDescription f = kernel.fds.get((int) a0);
        long h = f != null ? f.hostFd() : -1;
        try {
            long msg = a1;
            if (hasRights(a1)) {
                msg = exportRights(t, a1);
                if (msg < 0) {
                    return msg;
                }
            }
            t.passedThrough[Sysno.SYS_SENDMSG]++;
            return Host.call(Sysno.SYS_SENDMSG, h, msg, a2, 0, 0, 0);
        } finally {
            if (f != null) {
                f.put();
            }
        }
    }

    private static boolean hasRights(long msg) {
        if (!UserMemory.canRead(msg, MSGHDR_SIZE)) {
            return false; // the host reports EFAULT
        }
        long control = UserMemory.getLong(msg + CONTROL), len = UserMemory.getLong(msg + CONTROLLEN);
        if (control == 0 || len < CMSG_HDR || !UserMemory.canRead(control, len)) {
            return false;
        }
        for (long c = control; c + CMSG_HDR <= control + len; ) {
            long clen = UserMemory.getLong(c);
            if (!cmsgOk(clen, c, control + len)) {
                return false; // the host answers EINVAL
            }
            if (UserMemory.getInt(c + 8) == Fcntl.SOL_SOCKET && UserMemory.getInt(c + 12) == Fcntl.SCM_RIGHTS) {
                return true;
            }
            c += align(clen);
        }
        return false;
    }

    /** Copies msghdr and its control data to scratch with the app's descriptors made the host's. */
    private long exportRights(Task t, long msg) {
        long len = UserMemory.getLong(msg + CONTROLLEN);
        if (MSGHDR_SIZE + len > Task.SCRATCH_SIZE) {
            return -Errno.ENOBUFS;
        }
        long scratch = t.scratch.address(), control = scratch + MSGHDR_SIZE;
        UserMemory.copyIn(msg, t.scratch, 0, MSGHDR_SIZE);
        UserMemory.copyIn(UserMemory.getLong(msg + CONTROL), t.scratch, MSGHDR_SIZE, len);
        UserMemory.putLong(scratch + CONTROL, control);
        for (long c = control; c + CMSG_HDR <= control + len; ) {
            long clen = UserMemory.getLong(c);
            if (!cmsgOk(clen, c, control + len)) {
                return -Errno.EINVAL;
            }
            if (UserMemory.getInt(c + 8) == Fcntl.SOL_SOCKET && UserMemory.getInt(c + 12) == Fcntl.SCM_RIGHTS) {
                for (long p = c + CMSG_HDR; p + 4 <= c + clen; p += 4) {
                    // A descriptor the app does not have becomes -1: the host answers EBADF, as Linux.
                    FileDescription f = kernel.fds.get(UserMemory.getInt(p));
                    UserMemory.putInt(p, f != null ? (int) Math.max(-1, f.toHost()) : -1);
                    if (f != null) {
                        f.put(); // the app keeps its own reference until sendmsg returns
                    }
                }
            }
            c += align(clen);
        }
        return scratch;
    }

    /** Installs the host descriptors a recvmsg received and writes the app's numbers in their place. */
    private void importRights(long msg, boolean cloexec) {
        if (!UserMemory.canWrite(msg, MSGHDR_SIZE)) {
            return;
        }
        long control = UserMemory.getLong(msg + CONTROL), len = UserMemory.getLong(msg + CONTROLLEN);
        if (control == 0 || len < CMSG_HDR || !UserMemory.canWrite(control, len)) {
            return;
        }
        for (long c = control; c + CMSG_HDR <= control + len; ) {
            long clen = UserMemory.getLong(c);
            if (!cmsgOk(clen, c, control + len)) {
                return;
            }
            if (UserMemory.getInt(c + 8) == Fcntl.SOL_SOCKET && UserMemory.getInt(c + 12) == Fcntl.SCM_RIGHTS) {
                for (long p = c + CMSG_HDR; p + 4 <= c + clen; p += 4) {
                    long fd = HostPassthrough.installHost(kernel, UserMemory.getInt(p), cloexec);
                    if (fd < 0) {
                        UserMemory.putInt(msg + FLAGS, UserMemory.getInt(msg + FLAGS) | MSG_CTRUNC);
                    }
                    UserMemory.putInt(p, (int) fd);
                }
            }
            c += align(clen);
        }
    }

    /**
     * Linux's CMSG_OK: the message at c, of length clen, fits in the control data that ends at end.
     * A longer one would walk (and write) past the data the app gave.
     */
    private static boolean cmsgOk(long clen, long c, long end) {
        return clen >= CMSG_HDR && clen <= end - c;
    }

    private static long align(long len) {
        return (len + 7) & ~7L;
    }
}
