package ring0.fs.procfs;

import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Nameidata;
import ring0.vfs.VfsPath;

/**
 * /proc/PID/cwd (fs/proc/base.c proc_cwd_link): a magic link to the app's working directory in the
 * kernel's tree; readlink gives its path (with " (deleted)" if it was removed).
 */
final class Cwd extends KernSymlink {
    private final ProcFilesystem proc;

    Cwd(ProcFilesystem fs) {
        super(fs);
        this.proc = fs;
    }

    @Override
    protected byte[] target(Task t) {
        VfsPath p = proc.vfs().cwd();
        try {
            return FdLink.pathText(proc, p.mount(), p.dentry());
        } finally {
            p.dentry().put();
        }
    }

    @Override
    public long magicLink(Task t, Dentry link, Nameidata nd) {
        VfsPath p = proc.vfs().cwd();
        nd.jumpLink(p.mount(), p.dentry());
        return 0;
    }
}
