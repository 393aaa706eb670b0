package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import ring0.abi.Dirent;
import ring0.fs.kernfs.KernDirectory;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.vfs.Inode;
import ring0.vfs.Name;

/**
 * /proc/PID/fd (fs/proc/fd.c proc_fd_operations): one magic link per open app descriptor, named by
 * its number. Mode 0500, as Linux's.
 */
final class FdDir extends KernDirectory {
    private final ProcFilesystem proc;

    FdDir(ProcFilesystem fs) {
        super(fs, 0500, null);
        this.proc = fs;
    }

    /** The descriptor number name spells (decimal, no sign, no leading zero), or -1. */
    static int number(Name name) {
        int n = name.length();
        if (n == 0 || n > 10 || (n > 1 && name.byteAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            int c = name.byteAt(i) - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /** The description behind fd, referenced, or null if fd is not open. */
    static FileDescription open(ProcFilesystem proc, int fd) {
        return fd < 0 ? null : proc.kernel().fds.get(fd);
    }

    @Override
    protected Inode dynamicChild(Task t, Name name) {
        int fd = number(name);
        FileDescription f = open(proc, fd);
        if (f == null) {
            return null;
        }
        try {
            return new FdLink(proc, fd, FdLink.permission(t, f));
        } finally {
            f.put();
        }
    }

    @Override
    protected void dynamicEntries(Task t, List<DirEntry> out) {
        proc.kernel().fds.forEachOpen(fd -> out.add(new DirEntry(Integer.toString(fd).getBytes(StandardCharsets.US_ASCII),
                FdLink.ino(fd), Dirent.DT_LNK)));
    }
}
