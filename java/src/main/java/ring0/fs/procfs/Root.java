package ring0.fs.procfs;

import ring0.fs.kernfs.KernSymlink;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Nameidata;
import ring0.vfs.VfsPath;

/** /proc/PID/root (fs/proc/base.c proc_root_link): a magic link to the app's root directory (chroot). */
final class Root extends KernSymlink {
    private final ProcFilesystem proc;

    Root(ProcFilesystem fs) {
        super(fs);
        this.proc = fs;
    }

    @Override
    protected byte[] target(Task t) {
        VfsPath p = proc.vfs().root();
        try {
            return FdLink.pathText(proc, p.mount(), p.dentry());
        } finally {
            p.dentry().put();
        }
    }

    @Override
    public long magicLink(Task t, Dentry link, Nameidata nd) {
        VfsPath p = proc.vfs().root();
        nd.jumpLink(p.mount(), p.dentry());
        return 0;
    }
}
