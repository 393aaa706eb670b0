package ring0.kernel;

import java.util.concurrent.atomic.AtomicLong;
import ring0.abi.Errno;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.usermem.UserMemory;

/**
 * The inode of a file that lives in no directory: a pipe's (Linux: pipefs, one inode per pipe) or
 * the one anonymous inode that every eventfd and epoll shares (fs/anon_inodes.c). It answers fstat
 * and statx as Linux's generic_fillattr does for them: no size, no blocks, one link, the page size
 * as the block size, owned by whoever asks (uid and gid are read from the host when asked).
 * Timestamps are the inode's creation time: Linux moves a pipe's mtime on writes, Ring0 does not.
 */
public final class AnonInode {
    private static final int PAGE_SIZE = 4096;
    /** pipefs and the anonymous inode filesystem: unnamed devices 0:12 and 0:13, as on a typical boot. */
    private static final int PIPEFS_MINOR = 12, ANON_MINOR = 13;
    private static final AtomicLong NEXT_INO = new AtomicLong(1000);

    /** The inode every eventfd and epoll shares: mode 0600, no file type (alloc_anon_inode). */
    public static final AnonInode ANON = new AnonInode(0600, 1, ANON_MINOR);

    private final int mode;
    private final long ino;
    private final int devMinor;
    private final long createdSec;
    private final int createdNsec;

    private AnonInode(int mode, long ino, int devMinor) {
        this.mode = mode;
        this.ino = ino;
        this.devMinor = devMinor;
        long now = System.currentTimeMillis();
        this.createdSec = now / 1000;
        this.createdNsec = (int) (now % 1000) * 1_000_000;
    }

    /** A new pipe's inode: a FIFO, mode 0600, the next inode number of pipefs. */
    public static AnonInode newPipe() {
        return new AnonInode(Stat.S_IFIFO | 0600, NEXT_INO.getAndIncrement(), PIPEFS_MINOR);
    }

    public long ino() {
        return ino;
    }

    /** fstat(2) into the struct stat at buf. */
    public long fstat(long buf) {
        if (!UserMemory.canWrite(buf, Stat.STAT_SIZE)) {
            return -Errno.EFAULT;
        }
        Stat.writeStat(getattr(), buf);
        return 0;
    }

    /** statx(2) of this inode into the struct statx at buf; the mask asked for does not matter. */
    public long statx(long buf) {
        if (!UserMemory.canWrite(buf, Stat.STATX_STRUCT_SIZE)) {
            return -Errno.EFAULT;
        }
        Stat.writeStatx(getattr(), buf);
        return 0;
    }

    private Kstat getattr() {
        Kstat k = new Kstat();
        k.mask = Stat.STATX_BASIC_STATS;
        k.blksize = PAGE_SIZE;
        k.nlink = 1;
        k.uid = (int) Host.fastCall(Sysno.SYS_GETUID, 0, 0, 0);
        k.gid = (int) Host.fastCall(Sysno.SYS_GETGID, 0, 0, 0);
        k.mode = mode;
        k.ino = ino;
        k.atimeSec = k.mtimeSec = k.ctimeSec = createdSec;
        k.atimeNsec = k.mtimeNsec = k.ctimeNsec = createdNsec;
        k.devMinor = devMinor;
        return k;
    }
}
