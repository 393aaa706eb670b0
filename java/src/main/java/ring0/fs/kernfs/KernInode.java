package ring0.fs.kernfs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Flock;
import ring0.vfs.Iattr;
import ring0.vfs.Inode;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;

/**
 * A file the kernel makes: fixed attributes (owned by the process, times of its making), unless it
 * has a host twin, a host file whose attributes it shows (/dev/null shows the host's /dev/null, so
 * that stat gives what it gives natively), and the dentry policy of its kind.
 *
 * <p>setattr is EPERM, as procfs answers for chmod and chown of its entries (proc_setattr).
 */
public abstract class KernInode extends Inode {
    private final long timeSec;
    private final int timeNsec;
    /** The host file whose attributes this inode shows, or null. */
    private final byte[] twin;
    private volatile Flock flock;

    /**
     * @param mode type and permission bits
     * @param twin an absolute host path whose attributes stand for this inode's when it has the
     *     same type, or null
     */
    protected KernInode(KernFilesystem fs, long ino, int mode, String twin) {
        super(fs, ino, mode, fs.credentials().fsuid(), fs.credentials().fsgid());
        this.twin = twin == null ? null : HostPaths.bytes(twin);
        long now = System.currentTimeMillis();
        this.timeSec = now / 1000;
        this.timeNsec = (int) (now % 1000) * 1_000_000;
        Kstat k = twin == null ? null : hostAttrs(twin);
        if (k != null && Stat.type(k.mode) == Stat.type(mode)) {
            this.mode = k.mode; // permission checks see the host node's owner and mode from the start
            this.uid = k.uid;
            this.gid = k.gid;
        }
    }

    /** An inode with a fresh number and no twin. */
    protected KernInode(KernFilesystem fs, int mode) {
        this(fs, fs.nextIno(), mode, null);
    }

    /** The inode number of an entry shown with the host twin at twin: the host's, or a fresh one if there is none. */
    protected static long twinIno(KernFilesystem fs, String twin) {
        Kstat k = hostAttrs(twin);
        return k != null ? k.ino : fs.nextIno();
    }

    /** The host's statx of path (not following a last symlink), or null. Not for hot paths. */
    private static Kstat hostAttrs(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stx = arena.allocate(Stat.STATX_STRUCT_SIZE, 8);
            long r = Host.call(Sysno.SYS_STATX, Fcntl.AT_FDCWD, arena.allocateFrom(path).address(),
                    Fcntl.AT_SYMLINK_NOFOLLOW, HostPaths.STATX_WANT, stx.address(), 0);
            if (r != 0) {
                return null;
            }
            Kstat k = new Kstat();
            k.readStatx(stx, 0);
            return k;
        }
    }

    protected final KernFilesystem kfs() {
        return (KernFilesystem) fs;
    }

    /** d_revalidate for a dentry of this inode: 1 if it still names this inode, 0 to look again. Default: 1. */
    public int revalidate(Task t, Dentry d) {
        return 1;
    }

    /** Whether an unused dentry of this inode stays cached (the entry never changes). Default: no. */
    public boolean persistent() {
        return false;
    }

    /** Its dentry died (d_iput). Default: nothing. */
    public void evicted(Dentry d) {}

    /** The flock locks of the file (made on first use). */
    public final Flock flock() {
        Flock f = flock;
        if (f == null) {
            synchronized (this) {
                f = flock;
                if (f == null) {
                    f = flock = new Flock();
                }
            }
        }
        return f;
    }

    /** The link count: 1, or 2 for a directory (and its subdirectories, if it knows them). */
    protected int nlink() {
        return isDirectory() ? 2 : 1;
    }

    /** The size stat shows. Default: 0, as for every procfs file and device. */
    protected long size(Task t) {
        return 0;
    }

    /** What stat shows beyond the common attributes (st_rdev). Default: nothing. */
    protected void fill(Kstat k) {}

    /** Whether the host twin's attributes fit this inode (same type; a device checks its number too). */
    protected boolean twinFits(Kstat k) {
        return Stat.type(k.mode) == type();
    }

    @Override
    public long getattr(Task t, Dentry d, Kstat k) {
        if (twin != null && HostPaths.statx(t, twin) == 0) {
            HostPaths.read(t, k);
            if (twinFits(k)) {
                mode = k.mode;
                uid = k.uid;
                gid = k.gid;
                return 0;
            }
            k.clear();
        }
        k.mask = Stat.STATX_BASIC_STATS;
        k.blksize = kfs().blksize();
        k.nlink = nlink();
        k.uid = uid;
        k.gid = gid;
        k.mode = mode;
        k.ino = ino;
        k.size = size(t);
        k.atimeSec = k.mtimeSec = k.ctimeSec = timeSec;
        k.atimeNsec = k.mtimeNsec = k.ctimeNsec = timeNsec;
        fill(k);
        return 0;
    }

    /** chmod, chown, utimes, truncate of a kernel entry: EPERM (proc_setattr). */
    @Override
    public long setattr(Task t, Dentry d, Iattr a) {
        return -Errno.EPERM;
    }

    /** O_PATH opens any kernel entry; the rest is the subclass's ({@link #openFile}). */
    @Override
    public long open(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        if ((flags & Fcntl.O_PATH) != 0) {
            d.get();
            nd.file = new PathFile(m, d, flags, -1);
            return 0;
        }
        return openFile(t, nd, m, d, flags);
    }

    /**
     * Opens the entry (not O_PATH): stores a description holding a reference on d in nd.file and
     * returns 0, or returns -errno. Default: ENXIO (nothing behind it).
     */
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        return -Errno.ENXIO;
    }
}
