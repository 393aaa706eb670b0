package ring0.pipe;

import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.kernel.AnonInode;
import ring0.kernel.HostFile;
import ring0.kernel.Iovecs;
import ring0.kernel.PromotableFile;
import ring0.kernel.Task;
import ring0.poll.PollWaiter;
import ring0.poll.WaitQueue;
import ring0.usermem.UserMemory;

/**
 * One end of a {@link Pipe} (Linux: a struct file with pipefifo_fops): the read end is O_RDONLY,
 * the write end O_WRONLY. Once the pipe moved to the host, every operation goes to the end's host
 * descriptor.
 */
public final class PipeFile extends PromotableFile {
    private static final int RWF_NOWAIT = 0x8;

    final Pipe pipe;
    final boolean readSide;

    PipeFile(Pipe pipe, boolean readSide, int statusFlags) {
        super(statusFlags, pipe);
        this.pipe = pipe;
        this.readSide = readSide;
    }

    public Pipe pipe() {
        return pipe;
    }

    /** The end's host file once the pipe moved (for the pipe: host() is PromotableFile's). */
    HostFile hostEnd() {
        return host();
    }

    /** Publishes the end's host file. Preconditions: the pipe's monitor is held. */
    void setHostEndLocked(HostFile h) {
        setHostLocked(h);
    }

    @Override
    public String describe() {
        HostFile h = host();
        return "pipe:[" + pipe.inode.ino() + "]" + (h != null ? " on " + h.describe() : "");
    }

    @Override
    protected AnonInode inode() {
        return pipe.inode;
    }

    @Override
    protected long promote() {
        return pipe.promote(this);
    }

    @Override
    protected long release() {
        return pipe.release(this);
    }

    /** Implements read(2) on a pipe (pipe_read). Hot path. */
    @Override
    public long read(Task t, long buf, long count) {
        HostFile h = host();
        if (h != null) {
            return h.read(t, buf, count);
        }
        if (!UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        if (count == 0) {
            return 0;
        }
        long r = pipe.read(buf, 0, 0, Math.min(count, Iovecs.MAX_RW_COUNT), nonBlocking());
        return r != Pipe.MOVED ? r : host().read(t, buf, count);
    }

    /** Implements write(2) on a pipe (pipe_write). Hot path. */
    @Override
    public long write(Task t, long buf, long count) {
        HostFile h = host();
        if (h != null) {
            return h.write(t, buf, count);
        }
        if (!UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        if (count == 0) {
            return 0;
        }
        long r = pipe.write(t, buf, 0, 0, Math.min(count, Iovecs.MAX_RW_COUNT), nonBlocking(), packetMode());
        return r != Pipe.MOVED ? r : host().write(t, buf, count);
    }

    /**
     * read(2) in attempt mode: a read that does not wait, under the pipe's monitor only. Nothing to
     * read on a blocking end waits a little (see PollWaiter.attemptSpinNanos), then would sleep:
     * WOULD_BLOCK (EAGAIN took nothing); what there is, or EOF,
     * is the answer a blocking read gives too. A pipe on the host is the host's for good: NEVER.
     */
    @Override
    public long attemptRead(Task t, long buf, long count) {
        if (host() != null) {
            return Attempt.NEVER;
        }
        if (count > Attempt.MAX_BYTES) {
            return Attempt.WOULD_BLOCK;
        }
        if (!UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        if (count == 0) {
            return 0;
        }
        int seen = pipe.changes();
        long r = pipe.read(buf, 0, 0, count, true);
        if (r == -Errno.EAGAIN && !nonBlocking()) {
            // A ping-pong's partner often answers within microseconds: wait for it here, briefly and
            // bounded (the thread keeps its P), rather than take the usual path's second upcall.
            PollWaiter w = PollWaiter.current();
            boolean changed = pipe.awaitChange(seen, w.attemptSpinNanos());
            if (changed) {
                r = pipe.read(buf, 0, 0, count, true);
            }
            w.attemptSpinDone(r != -Errno.EAGAIN);
        }
        return r == Pipe.MOVED ? Attempt.NEVER : r == -Errno.EAGAIN && !nonBlocking() ? Attempt.WOULD_BLOCK : r;
    }

    /**
     * write(2) in attempt mode: an O_NONBLOCK end's write never waits; a blocking end's is done only
     * if all of it fits now (the pipe decides under its monitor, before it copies anything) and a
     * reader is left (EPIPE and SIGPIPE go the usual path); otherwise WOULD_BLOCK, nothing done.
     */
    @Override
    public long attemptWrite(Task t, long buf, long count) {
        if (host() != null) {
            return Attempt.NEVER;
        }
        if (count > Attempt.MAX_BYTES) {
            return Attempt.WOULD_BLOCK;
        }
        if (!UserMemory.accessOk(buf, count)) {
            return -Errno.EFAULT;
        }
        if (count == 0) {
            return 0;
        }
        boolean nonBlock = nonBlocking();
        long r = pipe.write(t, buf, 0, 0, count, true, packetMode(), !nonBlock);
        return r == Pipe.MOVED ? Attempt.NEVER : r == Pipe.WOULD_WAIT ? Attempt.WOULD_BLOCK : r;
    }

    /** pread64 and pwrite64 on a pipe: ESPIPE, decided at once. */
    @Override
    public long attemptPread(Task t, long buf, long count, long offset) {
        return -Errno.ESPIPE;
    }

    @Override
    public long attemptPwrite(Task t, long buf, long count, long offset) {
        return -Errno.ESPIPE;
    }

    /** F_GETFL and F_SETFL (os.Pipe sets O_NONBLOCK) while the pipe is the kernel's. */
    @Override
    public long attemptFcntl(Task t, int cmd, long arg) {
        return host() == null && (cmd == Fcntl.F_GETFL || cmd == Fcntl.F_SETFL) ? fcntl(t, cmd, arg) : Attempt.WOULD_BLOCK;
    }

    /** readv(2) and preadv2(2): one transfer over all the iovecs; an offset is ESPIPE. */
    @Override
    public long readv(Task t, long iov, int iovcnt, long offset, int flags) {
        HostFile h = host();
        if (h != null) {
            return h.readv(t, iov, iovcnt, offset, flags);
        }
        long total = total(iov, iovcnt, offset);
        if (total <= 0) {
            return total;
        }
        long r = pipe.read(0, iov, iovcnt, total, nonBlocking() || (flags & RWF_NOWAIT) != 0);
        return r != Pipe.MOVED ? r : host().readv(t, iov, iovcnt, offset, flags);
    }

    /** writev(2) and pwritev2(2): one transfer, atomic up to PIPE_BUF as a write. */
    @Override
    public long writev(Task t, long iov, int iovcnt, long offset, int flags) {
        HostFile h = host();
        if (h != null) {
            return h.writev(t, iov, iovcnt, offset, flags);
        }
        long total = total(iov, iovcnt, offset);
        if (total <= 0) {
            return total;
        }
        long r = pipe.write(t, 0, iov, iovcnt, total, nonBlocking() || (flags & RWF_NOWAIT) != 0, packetMode());
        return r != Pipe.MOVED ? r : host().writev(t, iov, iovcnt, offset, flags);
    }

    /** The bytes an iovec array asks for, cut to MAX_RW_COUNT, or -errno (import_iovec, and ESPIPE for an offset). */
    private static long total(long iov, int iovcnt, long offset) {
        if (offset != -1) {
            return -Errno.ESPIPE;
        }
        return Iovecs.check(iov, iovcnt);
    }

    /** vfs_fallocate of a FIFO: ESPIPE. */
    @Override
    public long fallocate(Task t, int mode, long offset, long length) {
        HostFile h = host();
        return h != null ? h.fallocate(t, mode, offset, length) : -Errno.ESPIPE;
    }

    private boolean packetMode() {
        return (statusFlags() & Fcntl.O_DIRECT) != 0;
    }

    @Override
    public int poll(Task t, int events) {
        HostFile h = host();
        return h != null ? h.poll(t, events) : pipe.poll(readSide);
    }

    @Override
    public WaitQueue waitQueue() {
        return host() != null ? null : readSide ? pipe.rdWait : pipe.wrWait;
    }

    /** FIONREAD on either end; FIONBIO as every file. */
    @Override
    public long ioctl(Task t, long request, long arg) {
        HostFile h = host();
        if (request == Fcntl.FIONBIO || (h == null && request != Fcntl.FIONREAD)) {
            return super.ioctl(t, request, arg);
        }
        long r = h != null ? Pipe.MOVED : pipe.fionread(arg);
        return r != Pipe.MOVED ? r : host().ioctl(t, request, arg);
    }

    /** F_GETPIPE_SZ and F_SETPIPE_SZ on either end, and the status flags. */
    @Override
    public long fcntl(Task t, int cmd, long arg) {
        if (cmd == Fcntl.F_GETPIPE_SZ || cmd == Fcntl.F_SETPIPE_SZ) {
            long r = host() != null ? Pipe.MOVED : cmd == Fcntl.F_GETPIPE_SZ ? pipe.size() : pipe.setSize(arg);
            return r != Pipe.MOVED ? r : host().fcntl(t, cmd, arg);
        }
        return super.fcntl(t, cmd, arg);
    }
}
