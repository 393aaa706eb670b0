package ring0.fs.ramfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Iattr;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;

/**
 * A RAM regular file. Its data lives in a host memfd (shmem: sparse, mappable, growable); each open
 * of the file reopens that memfd through /proc/self/fd, which gives the description a host open file
 * description of its own, with the app's flags and offset. So read, write, lseek (SEEK_DATA and
 * SEEK_HOLE included), fallocate, mmap (coherent with read and write: the same pages), locks and a
 * child's inheritance are the host's, exactly; the size, the blocks and the access and modification
 * times are the memfd's. The kernel keeps the rest: inode number, link count, mode, owner, and a
 * change time it moves when those change.
 *
 * <p>The memfd is closed when the last link and the last open description are gone.
 *
 * <p>Locking: the link and open counts, and any use of the memfd that must not meet its closing,
 * are under the inode's monitor.
 */
final class RegularFile extends RamInode {
    private static final long NAME = Arena.global().allocateFrom("ring0-ramfs").address();

    private final int memfd;
    /** Open descriptions. Guarded by this. */
    private int opens;
    /** An unnamed file (O_TMPFILE without O_EXCL) may get a name by linkat. Guarded by this. */
    private boolean linkable;
    /** The memfd is closed. Guarded by this. */
    private boolean freed;

    private RegularFile(RamFilesystem fs, int mode, int uid, int gid, int memfd) {
        super(fs, mode, uid, gid);
        this.memfd = memfd;
    }

    /** A new empty file with one link; null if the host has no memory file for it. */
    static RegularFile create(RamFilesystem fs, int mode, int uid, int gid) {
        long fd = Host.call(Sysno.SYS_MEMFD_CREATE, NAME, Fcntl.MFD_CLOEXEC, 0);
        return fd < 0 ? null : new RegularFile(fs, mode, uid, gid, (int) fd);
    }

    /** A file for a memfd the app made (memfd_create): no name, no link; takes over memfd. */
    static RegularFile ofMemfd(RamFilesystem fs, int memfd, int uid, int gid) {
        RegularFile f = new RegularFile(fs, Stat.S_IFREG | 0777, uid, gid, memfd);
        f.nlink = 0;
        return f;
    }

    synchronized void setLinkable(boolean on) {
        linkable = on;
    }

    /** linkat: a new name; false if the file has none and may not get one (ENOENT). */
    synchronized boolean link() {
        if (freed || (nlink == 0 && !linkable)) {
            return false;
        }
        nlink++;
        touchLocked(false);
        return true;
    }

    /** A name of the file is gone. */
    synchronized void unlink() {
        nlink--;
        touchLocked(false);
        maybeFreeLocked();
    }

    /** An open description of the file was released. */
    synchronized void closed() {
        opens--;
        maybeFreeLocked();
    }

    private void maybeFreeLocked() {
        if (nlink <= 0 && opens == 0 && !freed) {
            freed = true;
            Host.call(Sysno.SYS_CLOSE, memfd, 0, 0);
        }
    }

    /** Size, blocks and times from the memfd; the change time is the later of the memfd's and the kernel's. */
    @Override
    long getattrData(Task t, Kstat k) {
        long stx = t.scratch.address();
        synchronized (this) {
            if (freed) {
                return -Errno.ENOENT;
            }
            long r = Host.call(Sysno.SYS_STATX, memfd, EMPTY, Fcntl.AT_EMPTY_PATH, Stat.STATX_BASIC_STATS, stx, 0);
            if (r < 0) {
                return r;
            }
        }
        MemorySegment s = t.scratch;
        k.size = s.get(JAVA_LONG, Stat.STX_SIZE);
        k.blocks = s.get(JAVA_LONG, Stat.STX_BLOCKS);
        k.atimeSec = s.get(JAVA_LONG, Stat.STX_ATIME);
        k.atimeNsec = s.get(JAVA_INT, Stat.STX_ATIME + 8);
        k.mtimeSec = s.get(JAVA_LONG, Stat.STX_MTIME);
        k.mtimeNsec = s.get(JAVA_INT, Stat.STX_MTIME + 8);
        long cs = s.get(JAVA_LONG, Stat.STX_CTIME);
        int cn = s.get(JAVA_INT, Stat.STX_CTIME + 8);
        if (cs > k.ctimeSec || (cs == k.ctimeSec && cn > k.ctimeNsec)) {
            k.ctimeSec = cs;
            k.ctimeNsec = cn;
        }
        return 0;
    }

    /** Sizes and times are the memfd's (ftruncate, futimens); mode and owner the kernel's. */
    @Override
    public long setattr(Task t, Dentry d, Iattr a) {
        synchronized (this) {
            if (freed) {
                return -Errno.ENOENT;
            }
            if ((a.valid & Iattr.ATTR_SIZE) != 0) {
                long r = Host.call(Sysno.SYS_FTRUNCATE, memfd, a.size, 0);
                if (r < 0) {
                    return r;
                }
            }
            if ((a.valid & (Iattr.ATTR_ATIME | Iattr.ATTR_MTIME)) != 0) {
                long r = Host.call(Sysno.SYS_UTIMENSAT, memfd, 0, times(t, a), 0, 0, 0);
                if (r < 0) {
                    return r;
                }
            }
            applyOwnerAndMode(a);
            if ((a.valid & (Iattr.ATTR_MODE | Iattr.ATTR_UID | Iattr.ATTR_GID)) != 0) {
                touchLocked(false);
            }
        }
        return 0;
    }

    /** utimensat's timespec[2] for a's times, in t's scratch. */
    private static long times(Task t, Iattr a) {
        MemorySegment s = t.scratch;
        boolean atime = (a.valid & Iattr.ATTR_ATIME) != 0, mtime = (a.valid & Iattr.ATTR_MTIME) != 0;
        s.set(JAVA_LONG, 0, a.atimeSec);
        s.set(JAVA_LONG, 8, !atime ? Fcntl.UTIME_OMIT : (a.valid & Iattr.ATTR_ATIME_SET) != 0 ? a.atimeNsec : Fcntl.UTIME_NOW);
        s.set(JAVA_LONG, 16, a.mtimeSec);
        s.set(JAVA_LONG, 24, !mtime ? Fcntl.UTIME_OMIT : (a.valid & Iattr.ATTR_MTIME_SET) != 0 ? a.mtimeNsec : Fcntl.UTIME_NOW);
        return s.address();
    }

    /**
     * execveat of the memfd: a binary runs; a script does not (its interpreter would be given a
     * /dev/fd path that the exec closes), ENOENT as on Linux for such a descriptor.
     */
    @Override
    public long exec(Task t, Dentry d, long argv, long envp) {
        return Host.call(Sysno.SYS_EXECVEAT, memfd, EMPTY, argv, envp, Fcntl.AT_EMPTY_PATH, 0);
    }

    @Override
    public long open(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        return openAs(t, nd, m, d, flags);
    }

    /** Opens the file at (m, d): a reopened memfd with the app's flags (O_TRUNC is the host's to do). */
    long openAs(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        if ((flags & Fcntl.O_PATH) != 0) {
            d.get();
            nd.file = new PathFile(m, d, flags, -1);
            return 0;
        }
        synchronized (this) {
            if (freed) {
                return -Errno.ENOENT;
            }
            opens++;
        }
        long h = reopen(t, flags);
        if (h < 0) {
            closed();
            return h;
        }
        d.get();
        nd.file = new RegularFileDescription(m, d, (int) h, flags, this);
        return 0;
    }

    /** Opens the memfd again, as a new host open file description. Preconditions: opens counts the caller. */
    private long reopen(Task t, int flags) {
        byte[] p = ("/proc/self/fd/" + memfd).getBytes(StandardCharsets.US_ASCII);
        MemorySegment s = t.scratch;
        MemorySegment.copy(p, 0, s, JAVA_BYTE, 0, p.length);
        s.set(JAVA_BYTE, p.length, (byte) 0);
        int hostFlags = (flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOCTTY | Fcntl.O_NOFOLLOW | Fcntl.O_TMPFILE))
                | Fcntl.O_CLOEXEC;
        return Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, s.address(), hostFlags, 0, 0, 0);
    }

    private static final long EMPTY = Arena.global().allocate(1).address();
}
