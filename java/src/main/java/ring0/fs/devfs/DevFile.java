package ring0.fs.devfs;

import java.lang.foreign.Arena;
import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.fs.kernfs.KernFile;
import ring0.fs.kernfs.KernInode;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;

/**
 * An open device the kernel serves alone (null, zero, full, random): no offset (a positioned read or
 * write is a plain one, and lseek answers 0: drivers/char/mem.c null_lseek), always ready for poll
 * (the default), no host descriptor (epoll: EPERM, as Linux for these devices).
 *
 * <p>Where the host must have a descriptor for it (a child process gets it: os/exec opens /dev/null
 * for a child's missing stdio; exec; a call passed to the host), {@link #toHost} opens the host's
 * node of the same device, once, with the description's access mode and status flags; the kernel
 * keeps serving the app's own calls itself.
 *
 * <p>Locking: the host descriptor is made and closed under this description's monitor.
 */
abstract class DevFile extends KernFile {
    /** MAX_RW_COUNT: the most one read or write moves (INT_MAX rounded down to a page). */
    static final long MAX_RW_COUNT = 0x7fff_f000L;

    /**
     * An open device whose read and write touch nothing that release frees (the description is
     * {@link ring0.kernel.FileDescription#stateless}: read and write take no reference on it).
     *
     * @param dentry takes over the caller's reference
     */
    DevFile(Mount mount, Dentry dentry, KernInode inode, int flags) {
        super(mount, dentry, inode, flags, true);
    }

    /** The host's descriptor of the device, or -1 before one was needed. Guarded by this. */
    private int hostTwin = -1;

    @Override
    public synchronized long toHost() {
        if (hostTwin >= 0) {
            return hostTwin;
        }
        String node = inode() instanceof CharDevice c ? c.hostNode() : null;
        if (node == null) {
            return -Errno.EBADF;
        }
        int flags = statusFlags() & (Fcntl.O_ACCMODE | Fcntl.O_APPEND | Fcntl.O_NONBLOCK);
        long h;
        try (Arena arena = Arena.ofConfined()) {
            h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, arena.allocateFrom(node).address(), flags | Fcntl.O_CLOEXEC, 0, 0, 0);
        }
        if (h >= 0) {
            hostTwin = (int) h;
        }
        return h;
    }

    @Override
    protected long release() {
        synchronized (this) {
            if (hostTwin >= 0) {
                Host.call(Sysno.SYS_CLOSE, hostTwin, 0, 0);
                hostTwin = -1;
            }
        }
        return super.release();
    }

    @Override
    public long pread(Task t, long buf, long count, long offset) {
        return read(t, buf, count);
    }

    @Override
    public long pwrite(Task t, long buf, long count, long offset) {
        return write(t, buf, count);
    }

    /*
     * Attempt mode: a device of devfs (null, zero, full, urandom) neither blocks nor calls the host
     * (urandom's generator reseeds from the host's getrandom about once a minute, which does not
     * block once the host booted); only the copy is bounded.
     */

    @Override
    public long attemptRead(Task t, long buf, long count) {
        return count <= Attempt.MAX_BYTES ? read(t, buf, count) : Attempt.WOULD_BLOCK;
    }

    @Override
    public long attemptWrite(Task t, long buf, long count) {
        return count <= Attempt.MAX_BYTES ? write(t, buf, count) : Attempt.WOULD_BLOCK;
    }

    @Override
    public long attemptPread(Task t, long buf, long count, long offset) {
        return attemptRead(t, buf, count);
    }

    @Override
    public long attemptPwrite(Task t, long buf, long count, long offset) {
        return attemptWrite(t, buf, count);
    }

    /** F_GETFL and F_SETFL: the description's flags, nothing else. */
    @Override
    public long attemptFcntl(Task t, int cmd, long arg) {
        return cmd == Fcntl.F_GETFL || cmd == Fcntl.F_SETFL ? fcntl(t, cmd, arg) : Attempt.WOULD_BLOCK;
    }

    /** null_lseek: the position is always 0. */
    @Override
    public long lseek(Task t, long offset, int whence) {
        return 0;
    }
}
