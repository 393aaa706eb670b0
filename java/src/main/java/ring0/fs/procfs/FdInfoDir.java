package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import ring0.abi.Dirent;
import ring0.fs.kernfs.KernDirectory;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.vfs.Inode;
import ring0.vfs.Name;

/** /proc/PID/fdinfo (fs/proc/fd.c proc_fdinfo_operations): one file per open app descriptor. */
final class FdInfoDir extends KernDirectory {
    private final ProcFilesystem proc;

    FdInfoDir(ProcFilesystem fs) {
        super(fs, 0555, null);
        this.proc = fs;
    }

    @Override
    protected Inode dynamicChild(Task t, Name name) {
        int fd = FdDir.number(name);
        FileDescription f = FdDir.open(proc, fd);
        if (f == null) {
            return null;
        }
        f.put();
        return new FdInfo(proc, fd);
    }

    @Override
    protected void dynamicEntries(Task t, List<DirEntry> out) {
        proc.kernel().fds.forEachOpen(fd -> out.add(new DirEntry(Integer.toString(fd).getBytes(StandardCharsets.US_ASCII),
                FdInfo.ino(fd), Dirent.DT_REG)));
    }
}
