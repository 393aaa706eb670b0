package ring0.vfs;

import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.HostFile;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * A VFS file whose open file description is a host descriptor the kernel holds (a host file; a RAM
 * file's host memfd): operations are forwarded to it as for any {@link HostFile}, so the host keeps
 * the offset, the locks and what a child that inherits it sees; the description adds its place in
 * the tree. The kernel's copy of the status flags follows F_SETFL and FIONBIO.
 */
public abstract class HostBackedFile extends HostFile implements VfsFile {
    private static final long FIONBIO = 0x5421;

    private final Mount mount;
    private final Dentry dentry;

    /**
     * @param dentry takes over the caller's reference
     * @param flags the flags the file was opened with
     */
    protected HostBackedFile(Mount mount, Dentry dentry, int hostFd, int flags) {
        super(hostFd, VfsFiles.statusFlags(flags));
        this.mount = mount;
        this.dentry = dentry;
    }

    @Override
    public final Mount mount() {
        return mount;
    }

    @Override
    public final Dentry dentry() {
        return dentry;
    }

    @Override
    public String describe() {
        return VfsFiles.describe(mount, dentry);
    }

    /** Closes the host descriptor ({@link #releaseHost}), then drops the dentry. */
    @Override
    protected long release() {
        long r = releaseHost();
        dentry.put();
        return r;
    }

    /** Releases what the description holds on the host. Default: closes the host descriptor. */
    protected long releaseHost() {
        return super.release();
    }

    /**
     * A host descriptor of this description's file for a call that does not use the file offset
     * (fstatfs, syncfs, fchmod, sendfile with an offset of its own), with what the kernel caches of
     * the file written to it first; -1 if there is none. Default: {@link #hostFd}.
     */
    public int syncedHostFd(Task t) {
        return hostFd();
    }

    @Override
    public long fcntl(Task t, int cmd, long arg) {
        long r = super.fcntl(t, cmd, arg);
        if (cmd == Fcntl.F_SETFL && r == 0) {
            setStatusFlags((int) arg);
        }
        return r;
    }

    @Override
    public long ioctl(Task t, long request, long arg) {
        long r = super.ioctl(t, request, arg);
        if (request == FIONBIO && r == 0) {
            int on = UserMemory.getInt(arg); // the host read it: the address is good
            int f = statusFlags();
            setStatusFlags(on != 0 ? f | Fcntl.O_NONBLOCK : f & ~Fcntl.O_NONBLOCK);
        }
        return r;
    }

    /** flock(2) on the host descriptor: it holds against other processes too. */
    @Override
    public long flock(Task t, int cmd) {
        return Host.call(Sysno.SYS_FLOCK, hostFd(), cmd, 0);
    }
}
