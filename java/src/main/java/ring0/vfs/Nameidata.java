package ring0.vfs;

import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.kernel.FileDescription;

/**
 * A task's path-walk state (Linux: struct nameidata), reused by every call the task makes so that a
 * walk through cached dentries allocates nothing: the path being walked, where the walk stands (with
 * a reference on that dentry), the last component once a parent walk stops before it, and scratch
 * structures (Kstat, Iattr, a symlink buffer) for the call that walked.
 *
 * <p>A call starts a walk with {@link PathWalk#start}, which forgets the previous one, and ends with
 * {@link #release}, which drops every reference the walk holds. One task walks one path at a time;
 * a call that needs two (rename, link) takes the first result out ({@link #takeDentry}) first.
 */
public final class Nameidata {
    public static final int PATH_MAX = 4096;
    public static final int NAME_MAX = 255;
    /** Symbolic links one walk may follow (MAXSYMLINKS). */
    public static final int MAXSYMLINKS = 40;

    /** Follow a symbolic link in the last component. */
    public static final int LOOKUP_FOLLOW = 1;
    /** The last component must be a directory (O_DIRECTORY, a trailing slash). */
    public static final int LOOKUP_DIRECTORY = 2;
    /** An empty path means the dirfd itself (AT_EMPTY_PATH). */
    public static final int LOOKUP_EMPTY = 4;
    /** With LOOKUP_EMPTY, a NULL path is the empty path too (getname_maybe_null: fstatat, statx). */
    public static final int LOOKUP_NULL_EMPTY = 8;

    /** The lookup flags an *at call's AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH ask for. */
    public static int atFlags(int flags) {
        return ((flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0 ? LOOKUP_FOLLOW : 0)
                | ((flags & Fcntl.AT_EMPTY_PATH) != 0 ? LOOKUP_EMPTY : 0);
    }

    /** Kinds of last component. */
    public static final int LAST_NORM = 0, LAST_ROOT = 1, LAST_DOT = 2, LAST_DOTDOT = 3;

    /** The path still to walk: path[pos, end). Grows only for symlink chains longer than PATH_MAX. */
    byte[] path = new byte[2 * PATH_MAX];
    byte[] spare = new byte[2 * PATH_MAX];
    int pos, end;
    /** A symbolic link's target, read for the walk or for readlink(2). */
    public final byte[] link = new byte[PATH_MAX];

    /** Where the walk stands; the walk holds a reference on dentry. */
    Mount mount;
    Dentry dentry;
    /** The root of this walk (the process root, or the dirfd for RESOLVE_IN_ROOT/BENEATH); referenced. */
    Mount rootMount;
    Dentry rootDentry;
    /**
     * dentry, and rootDentry, are borrowed, not referenced: the process root or working directory
     * of a walk that only {@link PathWalk#walkFast} makes ({@link PathWalk#pathInitBorrowed}).
     */
    boolean borrowedDentry, borrowedRoot;
    int flags;
    /** openat2 RESOLVE_* flags. */
    int resolve;
    /** Symbolic links followed so far. */
    int links;
    /**
     * The lookup in progress is for a change of the directory (create, remove, rename, link: Linux's
     * LOOKUP_CREATE and friends): a filesystem whose entries others may change checks a cached one
     * with its backing store first ({@link Filesystem#revalidate}).
     */
    boolean forChange;

    /** The last component after a parent walk (a probe into path), its kind and a trailing slash. */
    final Name last = Name.probe();
    int lastType;
    boolean trailingSlash;
    final Name probe = Name.probe();

    /** The child a lookup for a change found (negative or not), referenced. */
    Dentry child;
    /** The mount of a magic link's target ({@link #jumpLink}), or null: the walk's own mount. */
    Mount childMount;
    /** open's description, or the dirfd's description for an empty path of a non-VFS file; referenced. */
    public FileDescription file;

    /** Scratch for getattr. */
    public final Kstat kstat = new Kstat();
    /** Scratch for setattr. */
    public final Iattr iattr = new Iattr();

    /** Whether the lookup in progress is for a change of its directory (see {@link Filesystem#revalidate}). */
    public boolean isForChange() {
        return forChange;
    }

    public Mount mount() {
        return mount;
    }

    public Dentry dentry() {
        return dentry;
    }

    /** The child found by {@link PathWalk#lookupLast}. */
    public Dentry child() {
        return child;
    }

    /** Takes the walk's dentry (and its reference) out of this state, for a second walk. */
    public Dentry takeDentry() {
        Dentry d = dentry;
        dentry = null;
        return d;
    }

    /** Sets the child (taking over the caller's reference): a filesystem's answer, as magicLink's. */
    public void setChild(Dentry d) {
        child = d;
    }

    /**
     * A magic link's answer when its target is a file of some mount (Linux: nd_jump_link): the walk
     * goes on at (m, d), taking over the caller's reference on d. For /proc/PID/fd/N, cwd and root.
     */
    public void jumpLink(Mount m, Dentry d) {
        childMount = m;
        child = d;
    }

    /** Takes the child (and its reference) out of this state. */
    public Dentry takeChild() {
        Dentry c = child;
        child = null;
        return c;
    }

    /** Takes open's description (and its reference) out of this state. */
    public FileDescription takeFile() {
        FileDescription f = file;
        file = null;
        return f;
    }

    /** Drops every reference the walk holds. */
    public void release() {
        if (child != null) {
            child.put();
            child = null;
        }
        if (dentry != null) {
            if (!borrowedDentry) {
                dentry.put();
            }
            dentry = null;
        }
        if (rootDentry != null) {
            if (!borrowedRoot) {
                rootDentry.put();
            }
            rootDentry = null;
        }
        borrowedDentry = borrowedRoot = false;
        if (file != null) {
            file.put();
            file = null;
        }
        mount = rootMount = childMount = null;
    }
}
