package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.VfsFile;

/**
 * /proc/PID/fdinfo/N (fs/proc/fd.c seq_show): the descriptor's offset, status flags (in octal, with
 * O_CLOEXEC for a close-on-exec descriptor), mount id and inode number. Linux's per-type lines
 * (eventfd-count, epoll's tfd...) are not shown.
 */
final class FdInfo extends TextFile {
    private static final long INO_BASE = 0xd000_0000L;
    private final ProcFilesystem proc;
    private final int fd;

    FdInfo(ProcFilesystem fs, int fd) {
        super(fs, ino(fd), 0444);
        this.proc = fs;
        this.fd = fd;
    }

    static long ino(int fd) {
        return INO_BASE + fd;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public int revalidate(Task t, Dentry d) {
        FileDescription f = FdDir.open(proc, fd);
        if (f == null) {
            return 0;
        }
        f.put();
        return 1;
    }

    @Override
    protected byte[] show(Task t) {
        FileDescription f = FdDir.open(proc, fd);
        if (f == null) {
            return new byte[0];
        }
        try {
            long pos = f.lseek(t, 0, Fcntl.SEEK_CUR);
            long flags = f.fcntl(t, 3 /* F_GETFL */, 0);
            if (flags < 0) {
                flags = f.statusFlags();
            }
            if (proc.kernel().fds.closeOnExec(fd)) {
                flags |= Fcntl.O_CLOEXEC;
            }
            long mnt = f instanceof VfsFile vf ? vf.mount().id : 0;
            long ino = 0;
            Kstat k = new Kstat();
            if (f.statx(t, 0, Stat.STATX_INO | Stat.STATX_MNT_ID, t.scratch.address() + ProcFilesystem.STATX) == 0) {
                k.readStatx(t.scratch, ProcFilesystem.STATX);
                ino = k.ino;
                if ((k.mask & Stat.STATX_MNT_ID) != 0) {
                    mnt = k.mntId; // the host's id for a host descriptor, as the host's lines of mountinfo have it
                }
            }
            return ("pos:\t" + Math.max(pos, 0) + "\nflags:\t0" + Long.toOctalString(flags) + "\nmnt_id:\t" + mnt
                    + "\nino:\t" + ino + "\n").getBytes(StandardCharsets.US_ASCII);
        } finally {
            f.put();
        }
    }
}
