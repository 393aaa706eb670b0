package ring0.fs.procfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.kernfs.KernSymlink;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;
import ring0.vfs.Vfs;
import ring0.vfs.VfsFile;
import ring0.vfs.VfsFiles;

/**
 * /proc/PID/fd/N (fs/proc/fd.c): a magic link to what descriptor N refers to. Its mode shows the
 * access mode (0500 read, 0300 write, 0700 both); its size is 64, as Linux's.
 *
 * <p>readlink gives the file's path in the app's tree (" (deleted)" after it if it was removed), or
 * for a file outside the tree what Linux shows: "pipe:[n]", "socket:[n]", "anon_inode:[eventfd]",
 * "anon_inode:[eventpoll]" (the host's text for a host descriptor: a socket, the console).
 *
 * <p>Following it takes the walk to the very file: a file of the tree is reopened through its
 * dentry (Linux's nd_jump_link); anything else through an {@link FdTarget} (a pipe reopens,
 * sockets and anonymous inodes answer ENXIO, as on Linux).
 */
final class FdLink extends KernSymlink {
    private static final long INO_BASE = 0xe000_0000L;
    private final ProcFilesystem proc;
    private final int fd;

    FdLink(ProcFilesystem fs, int fd, int perm) {
        super(fs, ino(fd), perm);
        this.proc = fs;
        this.fd = fd;
    }

    /** The inode number of fd's link (stable: a listing and a lookup agree). */
    static long ino(int fd) {
        return INO_BASE + fd;
    }

    /**
     * The permission bits of a link to f (tid_fd_update_inode): read gives r-x, write -wx; O_PATH
     * none. The access mode is F_GETFL's: the host's for a host descriptor the kernel did not open
     * (the console), whose mode the kernel does not know.
     */
    static int permission(Task t, FileDescription f) {
        if (f instanceof PathFile) {
            return 0;
        }
        long flags = f.fcntl(t, F_GETFL, 0);
        int acc = (int) (flags < 0 ? f.statusFlags() : flags) & Fcntl.O_ACCMODE;
        return (acc != Fcntl.O_WRONLY ? 0500 : 0) | (acc != Fcntl.O_RDONLY ? 0300 : 0);
    }

    private static final int F_GETFL = 3;

    /** tid_fd_revalidate: the descriptor is still open (its access mode may have changed with it). */
    @Override
    public int revalidate(Task t, Dentry d) {
        FileDescription f = FdDir.open(proc, fd);
        if (f == null) {
            return 0;
        }
        mode = Stat.S_IFLNK | permission(t, f);
        f.put();
        return 1;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    protected long size(Task t) {
        return 64;
    }

    @Override
    protected byte[] target(Task t) {
        FileDescription f = FdDir.open(proc, fd);
        if (f == null) {
            return null;
        }
        try {
            return linkText(proc, t, f);
        } finally {
            f.put();
        }
    }

    @Override
    public long magicLink(Task t, Dentry link, Nameidata nd) {
        FileDescription f = FdDir.open(proc, fd);
        if (f == null) {
            return -Errno.ENOENT;
        }
        if (f instanceof VfsFile vf && !(vf.dentry().isUnlinked() && f.hostFd() >= 0)) {
            vf.dentry().get();
            nd.jumpLink(vf.mount(), vf.dentry());
            f.put();
            return 0;
        }
        nd.setChild(Dentry.detached(link.parent(), link.name(), FdTarget.of(proc, t, f)));
        return 0;
    }

    /** What readlink shows for f (see the class). */
    static byte[] linkText(ProcFilesystem proc, Task t, FileDescription f) {
        if (f instanceof VfsFile vf) {
            return pathText(proc, vf.mount(), vf.dentry());
        }
        int h = f.hostFd();
        if (h >= 0) {
            byte[] p = ("/proc/self/fd/" + h + "\0").getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(p, 0, t.scratch, JAVA_BYTE, ProcFilesystem.PATH, p.length);
            long n = Host.call(Sysno.SYS_READLINKAT, Fcntl.AT_FDCWD, t.scratch.address() + ProcFilesystem.PATH,
                    t.scratch.address() + ProcFilesystem.LINK, 4096, 0, 0);
            if (n > 0) {
                byte[] out = new byte[(int) n];
                MemorySegment.copy(t.scratch, JAVA_BYTE, ProcFilesystem.LINK, out, 0, (int) n);
                return out;
            }
        }
        String d = f.describe(); // a kernel pipe, eventfd or epoll: "pipe:[42]", "anon_inode:[eventfd]"
        int on = d.indexOf(" on ");
        return (on < 0 ? d : d.substring(0, on)).getBytes(StandardCharsets.UTF_8);
    }

    /** d_path of (m, d) from the app's root, " (deleted)" after a removed file; a file of an internal mount (memfd) from its own root. */
    static byte[] pathText(ProcFilesystem proc, Mount m, Dentry d) {
        Vfs vfs = proc.vfs();
        String p = vfs.mounts().contains(m) ? vfs.pathOf(m, d) : VfsFiles.describe(m, d);
        if (d.isUnlinked()) {
            p += " (deleted)";
        }
        return p.getBytes(StandardCharsets.UTF_8);
    }
}
