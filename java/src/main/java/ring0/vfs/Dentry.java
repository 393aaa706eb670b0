package ring0.vfs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A name in the file tree (Linux: struct dentry): one directory entry, with a link to its parent
 * (for {@code ..} and getcwd) and the inode it names, or none: a negative dentry, a name known not to
 * exist. The dentries of a directory are a cache of its entries, keyed by {@link Name}; the
 * filesystem says whether a cached one is still right ({@link Filesystem#revalidate}) and whether an
 * unused one is kept ({@link Filesystem#retain}).
 *
 * <p>References, as Linux's dget/dput: whoever uses a dentry holds a reference: a path walk in
 * progress, an open file, the working directory and root, a mount. A dentry in the tree holds one on
 * its parent, so the chain up to its filesystem's root lives as long as it does. When the last
 * reference goes, the dentry stays in its parent's cache if the filesystem retains it; otherwise it is
 * killed: unhashed, its inode evicted ({@link Filesystem#evict}), and its parent's reference dropped.
 * The count is -1 once killed, so a killed dentry is never revived.
 *
 * <p>Locking: a dentry's monitor guards changes of its children map and each child's {@code hashed}
 * flag; it is held only briefly, never across a filesystem call. Lookups of a cached child take no lock
 * (the map is concurrent; see {@link #cachedChild}), so walks through a directory every path passes
 * ("/") do not serialize on it. {@link #move} (d_move) holds both parents'
 * monitors and runs under the VFS rename lock, which serializes it with other moves.
 */
public final class Dentry {
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(Dentry.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Mount[] NO_MOUNTS = {};

    @SuppressWarnings("unused") // through REFS
    private volatile int refs = 1;
    private final Filesystem fs;
    private volatile Dentry parent;
    private volatile Name name;
    private volatile Inode inode;
    /** Cached children by name: read without a lock, changed under this monitor. Made once, on first use. */
    private volatile ConcurrentHashMap<Name, Dentry> children;
    /** In the parent's children map. Guarded by the parent's monitor. */
    private boolean hashed;
    /** Holds a reference on parent (set when first hashed). Guarded by the parent's monitor. */
    private boolean attached;
    /** Its file was unlinked (or never had a name): getcwd says ENOENT, nothing is created in it. */
    private volatile boolean deleted;
    /** Mounts whose mount point this is (in any parent mount). Changes under the VFS mount lock. */
    volatile Mount[] mounts = NO_MOUNTS;
    /** The filesystem's note for {@link Filesystem#revalidate} (Linux: d_time), e.g. when it last checked. */
    private volatile long time;

    private Dentry(Filesystem fs, Dentry parent, Name name, Inode inode) {
        this.fs = fs;
        this.parent = parent;
        this.name = name;
        this.inode = inode;
    }

    /** The root dentry of a filesystem, with one reference (the filesystem's). */
    public static Dentry newRoot(Filesystem fs, Inode inode) {
        return new Dentry(fs, null, Name.of("/"), inode);
    }

    /**
     * A dentry for a file that has no name in parent (O_TMPFILE, memfd_create): never hashed, so
     * always unlinked; it holds a reference on parent like any child. One reference, the caller's.
     */
    public static Dentry unlinked(Dentry parent, Name name, Inode inode) {
        Dentry d = detached(parent, name, inode);
        d.deleted = true;
        return d;
    }

    /**
     * A dentry for a file reached without its name in parent (what a magic link stands for): never
     * hashed, holding a reference on parent like any child, yet not deleted. One reference, the
     * caller's.
     */
    public static Dentry detached(Dentry parent, Name name, Inode inode) {
        Dentry d = new Dentry(parent.fs, parent, name, inode);
        parent.get();
        d.attached = true;
        return d;
    }

    /** A new negative child of parent, unhashed, with one reference (the caller's). */
    static Dentry newChild(Dentry parent, Name name) {
        return new Dentry(parent.fs, parent, name, null);
    }

    public Filesystem fs() {
        return fs;
    }

    /** The inode named, or null for a negative dentry. */
    public Inode inode() {
        return inode;
    }

    /** The parent, or null for a filesystem's root. */
    public Dentry parent() {
        return parent;
    }

    public Name name() {
        return name;
    }

    public boolean isNegative() {
        return inode == null;
    }

    /** True for a positive dentry naming a directory (d_can_lookup). */
    public boolean isDirectory() {
        Inode i = inode;
        return i != null && i.isDirectory();
    }

    /** Gives a negative dentry its inode (d_instantiate). */
    public void instantiate(Inode i) {
        inode = i;
    }

    /** True if this dentry's file was unlinked (or never had a name) and the dentry is still used (d_unlinked). */
    public boolean isUnlinked() {
        return deleted;
    }

    /** Unhashes this dentry after its file lost this name (unlink, rmdir, replaced by rename: d_delete). */
    public void delete() {
        deleted = true;
        drop();
    }

    /** The filesystem's revalidation note (d_time); 0 until it sets one. */
    public long time() {
        return time;
    }

    /** Sets the filesystem's revalidation note. */
    public void setTime(long t) {
        time = t;
    }

    /** True if something is mounted here. */
    public boolean isMountpoint() {
        return mounts.length != 0;
    }

    // ---- references ---------------------------------------------------------------------------

    /** Takes another reference; the caller holds one already (dget). */
    public void get() {
        REFS.getAndAdd(this, 1);
    }

    /** Takes a reference unless the dentry was killed (dget of a dentry found without a lock). */
    boolean tryGet() {
        for (;;) {
            int r = (int) REFS.getVolatile(this);
            if (r < 0) {
                return false;
            }
            if (REFS.compareAndSet(this, r, r + 1)) {
                return true;
            }
        }
    }

    /** True once the dentry was killed (its last reference went and it was not retained). */
    public boolean isDead() {
        return (int) REFS.getVolatile(this) < 0;
    }

    /**
     * Kills this dentry now if nobody uses it, even if its filesystem retains it (shrinking the
     * dentry cache: Linux's prune_dcache_sb). Returns whether it did; a dentry in use is left alone.
     */
    public boolean prune() {
        if (!REFS.compareAndSet(this, 0, 1)) {
            return false;
        }
        drop();
        put();
        return true;
    }

    /** The references held now (tests check walks leave them as they found them). */
    int refs() {
        return (int) REFS.getVolatile(this);
    }

    /** Drops a reference (dput); the last one may kill this dentry and, in turn, its ancestors. */
    public void put() {
        for (Dentry d = this; d != null; ) {
            d = d.putOne();
        }
    }

    /** Drops one reference; returns the parent whose reference went too, if this dentry died. */
    private Dentry putOne() {
        int r = (int) REFS.getAndAdd(this, -1) - 1;
        if (r > 0) {
            return null;
        }
        if (r < 0) {
            throw new IllegalStateException("dentry reference underflow: " + name);
        }
        boolean holdsParent;
        Dentry p;
        for (;;) {
            p = parent;
            if (p == null) {
                return null; // a filesystem's root lives as long as its filesystem
            }
            synchronized (p) {
                if (parent != p) {
                    continue; // moved meanwhile: its new parent's monitor guards it now
                }
                if ((int) REFS.getVolatile(this) != 0 || (hashed && fs.retain(this))) {
                    return null;
                }
                if (!REFS.compareAndSet(this, 0, -1)) {
                    return null;
                }
                if (hashed) {
                    p.children.remove(name);
                    hashed = false;
                }
                holdsParent = attached;
                attached = false;
            }
            break;
        }
        fs.evict(this);
        return holdsParent ? p : null;
    }

    // ---- the children cache -------------------------------------------------------------------

    /**
     * The cached child named probe, with a reference; null if none is cached. Hot path: no lock, as
     * Linux's RCU walk: the child is found in the concurrent map, referenced unless it was killed, and
     * kept if it is still the one mapped under that name (not dropped or moved meanwhile); otherwise
     * the map is asked again under the monitor.
     */
    Dentry cachedChild(Name probe) {
        ConcurrentHashMap<Name, Dentry> m = children;
        if (m == null) {
            return null;
        }
        Dentry c = m.get(probe);
        if (c == null) {
            return null;
        }
        if (c.tryGet()) {
            if (m.get(probe) == c) {
                return c;
            }
            c.put();
        }
        synchronized (this) {
            c = m.get(probe);
            if (c != null) {
                REFS.getAndAdd(c, 1); // hashed, so not killed: the kill unhashes under this monitor
            }
            return c;
        }
    }

    /** The cached child named probe, without a reference (the fast walk); null if none. */
    Dentry peekChild(Name probe) {
        ConcurrentHashMap<Name, Dentry> m = children;
        return m == null ? null : m.get(probe);
    }

    /**
     * Hashes child (d_add), unless another dentry of that name got there first: then that one is
     * returned with a reference, and child is left unhashed for the caller to put.
     */
    Dentry addChild(Dentry child) {
        synchronized (this) {
            if (children == null) {
                children = new ConcurrentHashMap<>();
            }
            Dentry there = children.get(child.name);
            if (there != null) {
                REFS.getAndAdd(there, 1);
                return there;
            }
            children.put(child.name, child);
            child.hashed = true;
            if (!child.attached) {
                child.attached = true;
                REFS.getAndAdd(this, 1);
            }
            return child;
        }
    }

    /** Unhashes this dentry (d_drop): its name is looked up afresh next time; users keep it. */
    public void drop() {
        for (;;) {
            Dentry p = parent;
            if (p == null) {
                return;
            }
            synchronized (p) {
                if (parent != p) {
                    continue;
                }
                if (hashed) {
                    p.children.remove(name);
                    hashed = false;
                }
                return;
            }
        }
    }

    /**
     * Moves d to newParent under newName (d_move, after a rename), unhashing whatever dentry had that
     * name there.
     *
     * <p>Preconditions: the VFS rename lock is held; d and newParent are referenced by the caller.
     */
    static void move(Dentry d, Dentry newParent, Name newName) {
        Dentry oldParent = d.parent;
        synchronized (oldParent) {
            synchronized (newParent) {
                if (d.hashed) {
                    oldParent.children.remove(d.name);
                }
                if (newParent.children == null) {
                    newParent.children = new ConcurrentHashMap<>();
                }
                Dentry there = newParent.children.remove(newName);
                if (there != null) {
                    there.hashed = false;
                }
                newParent.children.put(newName, d);
                d.hashed = true;
                d.name = newName;
                if (newParent != oldParent) {
                    REFS.getAndAdd(newParent, 1);
                    d.parent = newParent;
                }
            }
        }
        if (newParent != oldParent) {
            oldParent.put(); // d held one on its old parent, as every hashed dentry; it now holds newParent's
        }
    }

    /**
     * Exchanges the places of a and b (RENAME_EXCHANGE).
     *
     * <p>Preconditions: as {@link #move}; both are hashed.
     */
    static void exchange(Dentry a, Dentry b) {
        Dentry pa = a.parent, pb = b.parent;
        Name na = a.name, nb = b.name;
        synchronized (pa) {
            synchronized (pb) {
                pa.children.remove(na);
                pb.children.remove(nb);
                pa.children.put(na, b);
                pb.children.put(nb, a);
                a.name = nb;
                b.name = na;
                a.parent = pb;
                b.parent = pa;
            }
        }
    }

    @Override
    public String toString() {
        return "dentry(" + name + ")";
    }
}
