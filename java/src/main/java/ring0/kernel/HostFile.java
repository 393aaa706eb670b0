package ring0.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Sysno;
import ring0.host.Host;

/**
 * A description the host serves: the kernel holds a host descriptor (always close-on-exec on the
 * host, whatever the app asked) and forwards every operation to it, so the host checks the
 * arguments and reports errors exactly as Linux. Sockets, and whatever the kernel does not serve
 * itself, are this. The VFS's files that the host stores (ring0.fs.hostfs, ring0.fs.ramfs) extend it:
 * they forward the same way, with their place in the file tree added.
 */
public class HostFile extends FileDescription {
    private static final int SYS_PREAD64 = 17, SYS_PWRITE64 = 18, SYS_READV = 19, SYS_WRITEV = 20;
    private static final int SYS_FSYNC = 74, SYS_FDATASYNC = 75, SYS_FTRUNCATE = 77, SYS_GETDENTS64 = 217;
    private static final int SYS_FALLOCATE = 285, SYS_PREADV2 = 327, SYS_PWRITEV2 = 328, SYS_STATX = 332;
    private static final int AT_EMPTY_PATH = 0x1000;
    /** "" for statx(fd, "", AT_EMPTY_PATH): one NUL byte that lives forever. */
    private static final long EMPTY_PATH = Arena.global().allocate(1).address();

    private final int hostFd;

    public HostFile(int hostFd) {
        this.hostFd = hostFd;
    }

    /** A host file whose access mode and status flags the kernel knows (a file the VFS opened). */
    protected HostFile(int hostFd, int statusFlags) {
        super(statusFlags);
        this.hostFd = hostFd;
    }

    @Override
    public int hostFd() {
        return hostFd;
    }

    @Override
    public String describe() {
        return "host:" + hostFd;
    }

    @Override
    protected long release() {
        return Host.call(Sysno.SYS_CLOSE, hostFd, 0, 0);
    }

    @Override
    public long read(Task t, long buf, long count) {
        return Host.call(Sysno.SYS_READ, hostFd, buf, count);
    }

    @Override
    public long write(Task t, long buf, long count) {
        return Host.call(Sysno.SYS_WRITE, hostFd, buf, count);
    }

    @Override
    public long pread(Task t, long buf, long count, long offset) {
        return Host.call(SYS_PREAD64, hostFd, buf, count, offset, 0, 0);
    }

    @Override
    public long pwrite(Task t, long buf, long count, long offset) {
        return Host.call(SYS_PWRITE64, hostFd, buf, count, offset, 0, 0);
    }

    @Override
    public long readv(Task t, long iov, int iovcnt, long offset, int flags) {
        return offset == -1 && flags == 0
                ? Host.call(SYS_READV, hostFd, iov, iovcnt)
                : Host.call(SYS_PREADV2, hostFd, iov, iovcnt, offset, 0, flags);
    }

    @Override
    public long writev(Task t, long iov, int iovcnt, long offset, int flags) {
        return offset == -1 && flags == 0
                ? Host.call(SYS_WRITEV, hostFd, iov, iovcnt)
                : Host.call(SYS_PWRITEV2, hostFd, iov, iovcnt, offset, 0, flags);
    }

    @Override
    public long lseek(Task t, long offset, int whence) {
        return Host.fastCall(Sysno.SYS_LSEEK, hostFd, offset, whence);
    }

    @Override
    public long getdents64(Task t, long buf, long count) {
        return Host.call(SYS_GETDENTS64, hostFd, buf, count);
    }

    @Override
    public long fstat(Task t, long buf) {
        return Host.call(Sysno.SYS_FSTAT, hostFd, buf, 0);
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return Host.call(SYS_STATX, hostFd, EMPTY_PATH, flags | AT_EMPTY_PATH, mask, buf, 0);
    }

    @Override
    public long fsync(Task t, boolean dataOnly) {
        return Host.call(dataOnly ? SYS_FDATASYNC : SYS_FSYNC, hostFd, 0, 0);
    }

    @Override
    public long ftruncate(Task t, long length) {
        return Host.call(SYS_FTRUNCATE, hostFd, length, 0);
    }

    @Override
    public long fallocate(Task t, int mode, long offset, long length) {
        return Host.call(SYS_FALLOCATE, hostFd, mode, offset, length, 0, 0);
    }

    @Override
    public long ioctl(Task t, long request, long arg) {
        return Host.call(Sysno.SYS_IOCTL, hostFd, request, arg);
    }

    @Override
    public long fcntl(Task t, int cmd, long arg) {
        return Host.call(Sysno.SYS_FCNTL, hostFd, cmd, arg);
    }

    @Override
    public long mmap(Task t, long addr, long length, int prot, int flags, long offset) {
        return Host.call(Sysno.SYS_MMAP, addr, length, prot, flags, hostFd, offset);
    }

    @Override
    public int poll(Task t, int events) {
        MemorySegment pfd = t.scratch;
        pfd.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, hostFd);
        pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, (short) events);
        pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 6, (short) 0);
        long r = Host.fastCall(Sysno.SYS_POLL, pfd.address(), 1, 0);
        return r > 0 ? pfd.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 6) & 0xffff : 0;
    }
}
