package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;
import ring0.vfs.Mount;
import ring0.vfs.Vfs;

/** /proc/ring0/mounts: the kernel's own mount table (what the VFS mounted, without the host's mounts). */
final class Ring0Mounts extends TextFile {
    private final ProcFilesystem proc;

    Ring0Mounts(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        Vfs vfs = proc.vfs();
        StringBuilder b = new StringBuilder(String.format("%-4s %-6s %-10s %-24s %s%n", "ID", "PARENT", "TYPE", "SOURCE", "MOUNTPOINT"));
        for (Mount m : vfs.mounts()) {
            String point = m.parent == null ? "/" : vfs.pathOf(m.parent, m.mountpoint);
            b.append(String.format("%-4d %-6s %-10s %-24s %s%n", m.id, m.parent == null ? "-" : Integer.toString(m.parent.id),
                    m.fs.type(), m.source, point));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
