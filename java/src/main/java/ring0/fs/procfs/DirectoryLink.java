package ring0.fs.procfs;

import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Nameidata;
import ring0.vfs.VfsPath;

/**
 * A magic link of /proc/PID to a directory of the kernel's tree (fs/proc/base.c proc_cwd_link,
 * proc_root_link): readlink gives its path (with " (deleted)" if it was removed); walking it jumps
 * to the directory itself.
 */
abstract class DirectoryLink extends KernSymlink {
    final ProcFilesystem proc;

    DirectoryLink(ProcFilesystem fs) {
        super(fs);
        this.proc = fs;
    }

    /** The directory, with a reference on its dentry that the caller owns. */
    abstract VfsPath directory();

    @Override
    protected final byte[] target(Task t) {
        VfsPath p = directory();
        try {
            return FdLink.pathText(proc, p.mount(), p.dentry());
        } finally {
            p.dentry().put();
        }
    }

    @Override
    public final long magicLink(Task t, Dentry link, Nameidata nd) {
        VfsPath p = directory();
        nd.jumpLink(p.mount(), p.dentry());
        return 0;
    }
}
