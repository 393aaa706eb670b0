package ring0.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.StampedLock;
import ring0.kernel.FdTable;

/**
 * The app's view of files (Linux: its mount namespace and struct fs_struct): the mount table, the
 * root and working directory, the umask, and the credentials permission checks use. Path walks are
 * {@link PathWalk}'s, changes to the tree {@link Namei}'s.
 *
 * <p>Locking: mounts change under the mount lock (only at boot in practice); the root and working
 * directory are replaced whole (volatile), each holding a reference on its dentry. The rename lock
 * serializes renames with each other and lets path builders (getcwd) see a consistent chain of
 * parents.
 */
public final class Vfs {
    private final FdTable fds;
    private final Credentials cred;
    private volatile int umask;
    private final Object mountLock = new Object();
    private final List<Mount> mounts = new CopyOnWriteArrayList<>();
    private int nextMountId = 1;
    private volatile VfsPath root, cwd;
    final StampedLock renameLock = new StampedLock();
    public final PathWalk walk;
    public final Namei namei;

    public Vfs(FdTable fds, Credentials cred, int umask) {
        this.fds = fds;
        this.cred = cred;
        this.umask = umask;
        this.walk = new PathWalk(this);
        this.namei = new Namei(this);
    }

    public FdTable fds() {
        return fds;
    }

    public Credentials credentials() {
        return cred;
    }

    public int umask() {
        return umask;
    }

    /** umask(2): sets the mask, returns the old one. */
    public int setUmask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }

    // ---- mounts -------------------------------------------------------------------------------

    /** Mounts fs as the root of the tree, which also becomes the root and working directory. */
    public Mount mountRoot(Filesystem fs, String source) {
        synchronized (mountLock) {
            if (root != null) {
                throw new IllegalStateException("the root is mounted already");
            }
            Dentry r = fs.root();
            Mount m = new Mount(nextMountId++, fs, r, null, null, source);
            mounts.add(m);
            r.get();
            root = new VfsPath(m, r);
            r.get();
            cwd = new VfsPath(m, r);
            return m;
        }
    }

    /**
     * Mounts fs on the directory (parent, mountpoint), over whatever is mounted there already. The
     * mount keeps a reference on mountpoint.
     */
    public Mount mount(Filesystem fs, Mount parent, Dentry mountpoint, String source) {
        synchronized (mountLock) {
            mountpoint.get();
            Mount m = new Mount(nextMountId++, fs, fs.root(), parent, mountpoint, source);
            Mount[] old = mountpoint.mounts;
            Mount[] now = java.util.Arrays.copyOf(old, old.length + 1);
            now[old.length] = m;
            mountpoint.mounts = now;
            mounts.add(m);
            return m;
        }
    }

    /**
     * A mount of fs that is in no tree (Linux: kern_mount), for files that have no path: memfds.
     * Not listed among the mounts.
     */
    public Mount internalMount(Filesystem fs, String source) {
        synchronized (mountLock) {
            return new Mount(nextMountId++, fs, fs.root(), null, null, source);
        }
    }

    /** The mount on d in parent, the last one made if several are; null if none. */
    Mount mountedAt(Mount parent, Dentry d) {
        Mount[] ms = d.mounts;
        for (int i = ms.length - 1; i >= 0; i--) {
            if (ms[i].parent == parent) {
                return ms[i];
            }
        }
        return null;
    }

    /** The mounts, in the order they were made. */
    public List<Mount> mounts() {
        return List.copyOf(mounts);
    }

    // ---- root and working directory -----------------------------------------------------------

    /** The process root, with a reference on its dentry. */
    public VfsPath root() {
        return referenced(true);
    }

    /** The process root, without a reference: for a walk the garbage collector keeps safe (walkFast). */
    VfsPath rootBorrowed() {
        return root;
    }

    /** The working directory, without a reference (see {@link #rootBorrowed}). */
    VfsPath cwdBorrowed() {
        return cwd;
    }

    /** The working directory, with a reference on its dentry. */
    public VfsPath cwd() {
        return referenced(false);
    }

    private VfsPath referenced(boolean ofRoot) {
        for (;;) {
            VfsPath p = ofRoot ? root : cwd;
            if (p.dentry().tryGet()) {
                return p;
            }
        }
    }

    /** Changes the working directory to (m, d), taking over the caller's reference on d. */
    public void setCwd(Mount m, Dentry d) {
        VfsPath old = cwd;
        cwd = new VfsPath(m, d);
        old.dentry().put();
    }

    /** Changes the root (chroot), taking over the caller's reference on d. */
    public void setRoot(Mount m, Dentry d) {
        VfsPath old = root;
        root = new VfsPath(m, d);
        old.dentry().put();
    }

    // ---- paths as strings ---------------------------------------------------------------------

    /**
     * The path of (m, d) from the process root, as d_path writes it: "(unreachable)" before a path
     * that does not lead back to the root (outside a chroot, or on a detached dentry).
     */
    public String pathOf(Mount m, Dentry d) {
        VfsPath r = root;
        for (;;) {
            long stamp = renameLock.tryOptimisticRead();
            String s = buildPath(r, m, d);
            if (stamp != 0 && renameLock.validate(stamp)) {
                return s;
            }
            stamp = renameLock.readLock();
            try {
                return buildPath(r, m, d);
            } finally {
                renameLock.unlockRead(stamp);
            }
        }
    }

    private static String buildPath(VfsPath root, Mount m, Dentry d) {
        List<Name> names = new ArrayList<>();
        boolean reachable = true;
        for (int guard = 0; ; guard++) {
            if ((d == root.dentry() && m == root.mount()) || guard > 100_000) {
                break;
            }
            if (d == m.root) {
                if (m.parent == null) {
                    reachable = false;
                    break;
                }
                d = m.mountpoint;
                m = m.parent;
                continue;
            }
            Dentry p = d.parent();
            if (p == null) {
                reachable = false;
                break;
            }
            names.add(d.name());
            d = p;
        }
        StringBuilder b = new StringBuilder(reachable ? "" : "(unreachable)");
        for (int i = names.size() - 1; i >= 0; i--) {
            b.append('/').append(names.get(i));
        }
        return b.isEmpty() || !reachable && names.isEmpty() ? b.append('/').toString() : b.toString();
    }

    /** Releases what the filesystems hold on the host (the end of a boot; tests). */
    public void shutdown() {
        synchronized (mountLock) {
            for (int i = mounts.size() - 1; i >= 0; i--) {
                mounts.get(i).fs.shutdown();
            }
        }
    }
}
