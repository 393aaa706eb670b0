package ring0.fs.kernfs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ring0.abi.Dirent;
import ring0.abi.Errno;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Inode;
import ring0.vfs.Mount;
import ring0.vfs.Name;
import ring0.vfs.Nameidata;

/**
 * A directory of kernel entries: static ones, added when the filesystem is built, and dynamic ones
 * a subclass finds at lookup time ({@link #dynamicChild}, {@link #dynamicEntries}: /proc/PID/fd).
 *
 * <p>A directory may be layered over a host directory: a name it does not define is looked up there
 * and becomes a host file of the layer ({@link HostViewInode}); its listing shows its entries, then
 * the host's that it does not shadow; creating, removing and renaming names it does not define are
 * the host's to do or refuse (the host's /proc refuses them as Linux does, its /dev allows root).
 * Its own entries cannot be removed or renamed (EPERM, as procfs answers). Its attributes are the
 * host directory's.
 */
public class KernDirectory extends KernInode {
    /** One entry of a listing. */
    public record DirEntry(byte[] name, long ino, int type) {}

    private final Map<Name, Inode> entries = new LinkedHashMap<>();
    /** The host directory this one is layered over, or null. */
    private final byte[] hostDir;

    /** A directory with mode (permission bits), layered over the host directory hostDir (or null). */
    public KernDirectory(KernFilesystem fs, int mode, String hostDir) {
        super(fs, hostDir != null ? twinIno(fs, hostDir) : fs.nextIno(), Stat.S_IFDIR | (mode & Stat.S_IALLUGO), hostDir);
        this.hostDir = hostDir == null ? null : HostPaths.bytes(hostDir);
    }

    /** Adds a static entry (while the filesystem is built). Returns this. */
    public final KernDirectory add(String name, Inode i) {
        entries.put(Name.of(name), i);
        return this;
    }

    /** The static entry name, or null. */
    public final Inode entry(String name) {
        return entries.get(Name.of(name));
    }

    /** Whether name is one of this directory's own entries (static or dynamic). */
    public final boolean defines(Task t, Name name) {
        return entries.containsKey(name) || dynamicChild(t, name) != null;
    }

    /** A dynamic entry for name, or null if there is none. Default: none. */
    protected Inode dynamicChild(Task t, Name name) {
        return null;
    }

    /** Adds the dynamic entries to a listing. Default: none. */
    protected void dynamicEntries(Task t, List<DirEntry> out) {}

    /** The static directory is kept; a dynamic one's subclass says. */
    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    protected int nlink() {
        int n = 2;
        for (Inode i : entries.values()) {
            if (i.isDirectory()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long lookup(Task t, Dentry child) {
        Name name = child.name();
        Inode i = entries.get(name);
        if (i == null) {
            i = dynamicChild(t, name);
        }
        if (i != null) {
            child.instantiate(i);
            return 0;
        }
        return hostDir != null ? HostViewDirectory.lookupHost(kfs(), t, child, hostDir) : 0;
    }

    /** The listing: ".", "..", then the entries, then the host's (with the parent's inode number for ".."). */
    List<DirEntry> list(Task t, long parentIno) {
        List<DirEntry> out = new ArrayList<>();
        out.add(new DirEntry(new byte[] {'.'}, ino, Dirent.DT_DIR));
        out.add(new DirEntry(new byte[] {'.', '.'}, parentIno, Dirent.DT_DIR));
        Set<Name> own = new HashSet<>();
        for (Map.Entry<Name, Inode> e : entries.entrySet()) {
            out.add(new DirEntry(e.getKey().bytes(), e.getValue().ino(), Dirent.type(e.getValue().mode())));
            own.add(e.getKey());
        }
        int before = out.size();
        dynamicEntries(t, out);
        for (int i = before; i < out.size(); i++) {
            own.add(Name.of(out.get(i).name().clone()));
        }
        if (hostDir != null) {
            HostPaths.list(t, hostDir, h -> {
                if (!own.contains(Name.of(h.name().clone()))) {
                    out.add(new DirEntry(h.name(), h.ino(), h.type()));
                }
            });
        }
        return out;
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = new KernDirectoryDescription(m, d, this, flags);
        return 0;
    }

    // ---- changes: the host's, for names this directory does not define -----------------------

    private long hostOnly(Task t, Dentry child) {
        if (hostDir == null) {
            return -Errno.EPERM;
        }
        return defines(t, child.name()) ? -Errno.EPERM : 0;
    }

    @Override
    public long create(Task t, Dentry child, int mode) {
        return hostDir == null ? -Errno.EACCES : HostViewDirectory.createHost(t, hostDir, child, mode, 0);
    }

    @Override
    public long mknod(Task t, Dentry child, int mode, long dev) {
        return hostDir == null ? -Errno.EPERM : HostViewDirectory.createHost(t, hostDir, child, mode, dev);
    }

    @Override
    public long mkdir(Task t, Dentry child, int mode) {
        return hostDir == null ? -Errno.EPERM : HostViewDirectory.mkdirHost(t, hostDir, child, mode);
    }

    @Override
    public long symlink(Task t, Dentry child, byte[] target) {
        return hostDir == null ? -Errno.EPERM : HostViewDirectory.symlinkHost(t, hostDir, child, target);
    }

    @Override
    public long link(Task t, Dentry old, Dentry child) {
        return hostDir == null || !(old.inode() instanceof HostViewInode h) ? -Errno.EPERM
                : HostViewDirectory.linkHost(t, h, hostDir, child);
    }

    @Override
    public long unlink(Task t, Dentry child) {
        long r = hostOnly(t, child);
        return r < 0 ? r : HostViewDirectory.unlinkHost(t, hostDir, child, false);
    }

    @Override
    public long rmdir(Task t, Dentry child) {
        long r = hostOnly(t, child);
        return r < 0 ? r : HostViewDirectory.unlinkHost(t, hostDir, child, true);
    }

    @Override
    public long rename(Task t, Dentry old, Inode newDir, Dentry newChild, int flags) {
        long r = hostOnly(t, old);
        if (r < 0) {
            return r;
        }
        byte[] to = hostTarget(t, newDir, newChild);
        return to == null ? -Errno.EPERM : HostViewDirectory.renameHost(t, hostDir, old, to, newChild, flags);
    }

    /**
     * The host directory a rename into (dir, newChild) goes to: a host directory of the layer, or the
     * host directory under a layered kernel directory for a name it does not define; null if the
     * name is the kernel's (EPERM).
     */
    static byte[] hostTarget(Task t, Inode dir, Dentry newChild) {
        if (dir instanceof HostViewDirectory h) {
            return h.path();
        }
        if (dir instanceof KernDirectory k && k.hostDir != null && !k.defines(t, newChild.name())) {
            return k.hostDir;
        }
        return null;
    }

    @Override
    public long atomicOpen(Task t, Nameidata nd, Mount m, Dentry child, int flags, int mode) {
        return hostDir == null ? -Errno.EACCES : HostViewDirectory.atomicOpenHost(kfs(), t, nd, m, hostDir, child, flags, mode);
    }
}
