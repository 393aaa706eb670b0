package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ring0.fs.hostfs.HostFilesystem;
import ring0.fs.kernfs.KernDirectory;
import ring0.fs.kernfs.KernFilesystem;
import ring0.vfs.Mount;
import ring0.vfs.Vfs;

/**
 * The mount table the app sees, for /proc/PID/mounts and mountinfo (fs/proc_namespace.c): the app's
 * tree is the host's / with the kernel's mounts on it, so the table is the host's own (read from its
 * /proc/self/mountinfo and mounts, which describe this very process), without the host mounts that a
 * kernel mount hides, followed by the kernel's mounts. A host mount stays visible under a kernel
 * mount that is layered over the same host directory (/dev/shm, /dev/pts under devfs; /proc/sys/...
 * under procfs) unless it is under a name the kernel defines there (the host's /dev/console).
 *
 * <p>A kernel mount takes its line from the host mount that holds what it shows (procfs: the host's
 * /proc; a host directory: the host mount it is in, with the directory as its root), with the
 * kernel's mount id and mount point; a RAM filesystem gets a line of its own. Kernel mount ids are
 * the VFS's (statx's stx_mnt_id); the host's keep theirs.
 */
final class MountTable {
    private MountTable() {}

    /** One line of mountinfo, with the matching line of mounts. */
    record Line(String id, String parent, String dev, String root, String point, String opts, String optional,
            String fstype, String source, String superOpts, String mountsLine) {
        String mountinfo() {
            return id + " " + parent + " " + dev + " " + root + " " + point + " " + opts + optional + " - " + fstype + " "
                    + source + " " + superOpts;
        }
    }

    /**
     * The app's table: the host's lines that stay visible, each kernel mount where the host mount it
     * hides was (or at the end), and visible host mounts whose parent is hidden reparented to the
     * mount that now holds them (/dev/shm to devfs).
     */
    static List<Line> lines(ProcFilesystem proc) {
        List<Line> host = hostLines();
        Vfs vfs = proc.vfs();
        List<Mount> mounts = vfs.mounts();
        List<String> points = new ArrayList<>();
        for (Mount m : mounts) {
            points.add(m.parent == null ? "/" : escape(vfs.pathOf(m.parent, m.mountpoint)));
        }
        List<Line> out = new ArrayList<>();
        boolean[] placed = new boolean[mounts.size()];
        for (Line h : host) {
            if (!hidden(h.point(), mounts, points)) {
                out.add(h);
                continue;
            }
            for (int i = 0; i < mounts.size(); i++) {
                if (!placed[i] && mounts.get(i).parent != null && points.get(i).equals(h.point())) {
                    placed[i] = true;
                    out.add(kernelLine(mounts.get(i), points.get(i), out, host));
                }
            }
        }
        for (int i = 0; i < mounts.size(); i++) {
            if (!placed[i] && mounts.get(i).parent != null) {
                out.add(kernelLine(mounts.get(i), points.get(i), out, host));
            }
        }
        List<String> ids = new ArrayList<>();
        for (Line l : out) {
            ids.add(l.id());
        }
        for (int i = 0; i < out.size(); i++) {
            Line l = out.get(i);
            if (!ids.contains(l.parent()) && !l.point().equals("/")) {
                out.set(i, new Line(l.id(), above(out, l.point()), l.dev(), l.root(), l.point(), l.opts(),
                        l.optional(), l.fstype(), l.source(), l.superOpts(), l.mountsLine()));
            }
        }
        return out;
    }

    /** Whether a kernel mount hides the host mount at point. */
    private static boolean hidden(String point, List<Mount> mounts, List<String> points) {
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String p = points.get(i);
            if (m.parent == null) {
                continue;
            }
            if (point.equals(p)) {
                return true;
            }
            String below = under(point, p);
            if (below == null) {
                continue;
            }
            if (!(m.fs instanceof KernFilesystem k) || k.hostDir() == null || !escape(k.hostDir()).equals(p)) {
                return true; // under a mount that shows something else
            }
            String first = below.contains("/") ? below.substring(0, below.indexOf('/')) : below;
            if (m.fs.root().inode() instanceof KernDirectory d && d.entry(unescape(first)) != null) {
                return true; // under a name the kernel defines there
            }
        }
        return false;
    }

    /** The rest of path below dir ("a/b" for "/x/a/b" under "/x"), or null if path is not below dir. */
    private static String under(String path, String dir) {
        if (dir.equals("/")) {
            return path.length() > 1 ? path.substring(1) : null;
        }
        return path.startsWith(dir + "/") ? path.substring(dir.length() + 1) : null;
    }

    private static Line kernelLine(Mount m, String point, List<Line> visible, List<Line> host) {
        String parent = m.parent.parent == null ? above(visible, point) : Integer.toString(m.parent.id);
        String hostDir = m.fs instanceof HostFilesystem h ? h.hostRoot() : m.fs instanceof KernFilesystem k ? k.hostDir() : null;
        Line basis = hostDir == null ? null : byPoint(host, holding(host, escape(hostDir)));
        String id = Integer.toString(m.id);
        if (basis == null) {
            String dev = m.fs.devMajor() + ":" + m.fs.devMinor();
            String mounts = m.source + " " + point + " " + m.fs.type() + " rw,relatime 0 0";
            return new Line(id, parent, dev, "/", point, "rw,relatime", "", m.fs.type(), m.source, "rw", mounts);
        }
        String rest = under(escape(hostDir), basis.point());
        String root = rest == null ? basis.root() : (basis.root().equals("/") ? "" : basis.root()) + "/" + rest;
        String mounts = basis.mountsLine() == null ? null : replaceField(basis.mountsLine(), 1, point);
        return new Line(id, parent, basis.dev(), root, point, basis.opts(), "", basis.fstype(), basis.source(),
                basis.superOpts(), mounts);
    }

    /** Of lines, the mount point that holds path (the longest, path itself included); "/" if none does. */
    private static String holding(List<Line> lines, String path) {
        String best = null;
        for (Line l : lines) {
            if ((path.equals(l.point()) || under(path, l.point()) != null) && (best == null || l.point().length() >= best.length())) {
                best = l.point();
            }
        }
        return best == null ? "/" : best;
    }

    /** The id of the mount that holds point from above (the longest mount point strictly above it). */
    private static String above(List<Line> lines, String point) {
        Line best = null;
        for (Line l : lines) {
            if (under(point, l.point()) != null && (best == null || l.point().length() >= best.point().length())) {
                best = l;
            }
        }
        return best == null ? "1" : best.id();
    }

    private static Line byPoint(List<Line> lines, String point) {
        Line found = null;
        for (Line l : lines) {
            if (l.point().equals(point)) {
                found = l;
            }
        }
        return found;
    }

    private static String replaceField(String line, int field, String value) {
        String[] f = line.split(" ", -1);
        f[field] = value;
        return String.join(" ", f);
    }

    /** The host's mountinfo, each line paired with its line of mounts (same order, same count). */
    private static List<Line> hostLines() {
        List<Line> out = new ArrayList<>();
        byte[] info = ProcFilesystem.hostFile("/proc/self/mountinfo");
        byte[] mounts = ProcFilesystem.hostFile("/proc/self/mounts");
        if (info == null) {
            return out;
        }
        String[] infoLines = new String(info, StandardCharsets.ISO_8859_1).split("\n");
        String[] mountLines = mounts == null ? new String[0] : new String(mounts, StandardCharsets.ISO_8859_1).split("\n");
        boolean paired = mountLines.length == infoLines.length;
        for (int i = 0; i < infoLines.length; i++) {
            String[] f = infoLines[i].split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (f.length < 10 || dash < 6 || dash + 3 >= f.length) {
                continue;
            }
            StringBuilder optional = new StringBuilder();
            for (int j = 6; j < dash; j++) {
                optional.append(' ').append(f[j]);
            }
            out.add(new Line(f[0], f[1], f[2], f[3], f[4], f[5], optional.toString(), f[dash + 1], f[dash + 2], f[dash + 3],
                    paired ? mountLines[i] : null));
        }
        return out;
    }

    /** The text of mounts: the host's lines, a generated one where the host gave none. */
    static byte[] mounts(ProcFilesystem proc) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines(proc)) {
            if (l.mountsLine() != null) {
                b.append(l.mountsLine());
            } else {
                b.append(l.source()).append(' ').append(l.point()).append(' ').append(l.fstype()).append(' ').append(l.opts())
                        .append(" 0 0");
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] mountinfo(ProcFilesystem proc) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines(proc)) {
            b.append(l.mountinfo()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** mangle() of fs/proc_namespace.c: space, tab, newline and backslash as octal escapes. */
    static String escape(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (byte c : path.getBytes(StandardCharsets.UTF_8)) {
            switch (c) {
                case ' ' -> b.append("\\040");
                case '\t' -> b.append("\\011");
                case '\n' -> b.append("\\012");
                case '\\' -> b.append("\\134");
                default -> b.append((char) (c & 0xff));
            }
        }
        return b.toString();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return new String(b.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int at) {
        for (int i = at; i < at + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
