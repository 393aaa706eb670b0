package ring0.fs.ramfs;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import ring0.abi.Dirent;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Dentry;
import ring0.vfs.Flock;
import ring0.vfs.Inode;
import ring0.vfs.Mount;
import ring0.vfs.Name;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;

/**
 * A RAM directory: its entries by name, and by offset for getdents64. Each entry gets an offset
 * when it is added, never reused, so a listing in progress sees every entry that stays, once, and a
 * saved offset stays good (Linux's tmpfs has stable offsets too: simple_offset). Offsets 0 and 1
 * are "." and "..".
 *
 * <p>Locking: the VFS serializes changes under {@link Inode#dirLock}; the maps are guarded by this
 * directory's monitor, so lookups and listings need not wait for a change to finish.
 */
final class Directory extends RamInode {
    /** An entry: a name, the inode it names, and its offset in listings. */
    record Entry(Name name, RamInode inode, long offset) {}

    /** tmpfs's size of a directory: BOGO_DIRENT_SIZE per entry, "." and ".." included. */
    private static final int BOGO_DIRENT_SIZE = 20;
    private static final Name TMPFILE = Name.of("#tmpfile");

    private final HashMap<Name, Entry> byName = new HashMap<>();
    private final TreeMap<Long, Entry> byOffset = new TreeMap<>();
    private long nextOffset = 2;
    /** The directory ".." names; null for the root, whose ".." is itself. */
    private volatile Directory parent;
    /** Removed by rmdir: lookups find nothing, creations fail. Guarded by this. */
    private boolean dead;
    final Flock flock = new Flock();

    Directory(RamFilesystem fs, int mode, int uid, int gid, Directory parent) {
        super(fs, mode, uid, gid);
        this.parent = parent;
        this.nlink = 2;
    }

    private RamFilesystem ramfs() {
        return (RamFilesystem) fs;
    }

    @Override
    synchronized long getattrData(Task t, Kstat k) {
        k.size = (long) (byName.size() + 2) * BOGO_DIRENT_SIZE;
        return 0;
    }

    long parentIno() {
        Directory p = parent;
        return p != null ? p.ino() : ino;
    }

    synchronized RamInode get(Name name) {
        Entry e = byName.get(name);
        return e != null ? e.inode : null;
    }

    /** Adds name; the caller holds dirLock and checked that it is absent. */
    private synchronized void add(Name name, RamInode inode) {
        Entry e = new Entry(name, inode, nextOffset++);
        byName.put(name, e);
        byOffset.put(e.offset, e);
        touchLocked(true);
    }

    private synchronized RamInode remove(Name name) {
        Entry e = byName.remove(name);
        if (e == null) {
            return null;
        }
        byOffset.remove(e.offset);
        touchLocked(true);
        return e.inode;
    }

    /**
     * Writes the entries from offset pos on as linux_dirent64 records into buf (count bytes, checked
     * writable): "." at 0, ".." at 1, then the entries. Returns the bytes written (0 at the end) and
     * sets next[0] to the offset to go on from; -EINVAL if not even the first record fits.
     */
    synchronized long list(long pos, long buf, long count, long[] next) {
        if (dead) {
            return -Errno.ENOENT; // iterate_dir: IS_DEADDIR
        }
        if (!UserMemory.canWrite(buf, count)) {
            return -Errno.EFAULT;
        }
        long done = 0;
        if (pos == 0) {
            if (Dirent.recordLength(1) > count) {
                return -Errno.EINVAL;
            }
            done += Dirent.write(buf, ino, 1, Dirent.DT_DIR, DOT);
            pos = 1;
        }
        if (pos == 1) {
            if (done + Dirent.recordLength(2) > count) {
                next[0] = pos;
                return done == 0 ? -Errno.EINVAL : done;
            }
            done += Dirent.write(buf + done, parentIno(), 2, Dirent.DT_DIR, DOTDOT);
            pos = 2;
        }
        for (Map.Entry<Long, Entry> me : byOffset.tailMap(pos, true).entrySet()) {
            Entry e = me.getValue();
            byte[] name = e.name.bytes();
            if (done + Dirent.recordLength(name.length) > count) {
                if (done == 0) {
                    return -Errno.EINVAL;
                }
                break;
            }
            done += Dirent.write(buf + done, e.inode.ino(), e.offset + 1, Dirent.type(e.inode.mode()), name);
            pos = e.offset + 1;
        }
        next[0] = pos;
        return done;
    }

    private static final byte[] DOT = {'.'}, DOTDOT = {'.', '.'};

    // ---- inode operations ---------------------------------------------------------------------

    @Override
    public long lookup(Task t, Dentry child) {
        RamInode i = get(child.name());
        if (i != null) {
            child.instantiate(i);
        }
        return 0;
    }

    /** The group of a new file: the directory's if it is set-group-ID, else the creator's. */
    private int newGid() {
        return (mode & Stat.S_ISGID) != 0 ? gid : ramfs().credentials().fsgid();
    }

    private long checkAlive() {
        synchronized (this) {
            return dead ? -Errno.ENOENT : 0;
        }
    }

    @Override
    public long create(Task t, Dentry child, int mode) {
        long r = checkAlive();
        if (r < 0) {
            return r;
        }
        RegularFile f = RegularFile.create(ramfs(), Stat.S_IFREG | (mode & Stat.S_IALLUGO), ramfs().credentials().fsuid(), newGid());
        if (f == null) {
            return -Errno.ENOSPC;
        }
        add(child.name(), f);
        child.instantiate(f);
        return 0;
    }

    @Override
    public long mknod(Task t, Dentry child, int mode, long dev) {
        if (Stat.type(mode) == Stat.S_IFREG) {
            return create(t, child, mode);
        }
        long r = checkAlive();
        if (r < 0) {
            return r;
        }
        SpecialFile s = new SpecialFile(ramfs(), mode, ramfs().credentials().fsuid(), newGid(), dev);
        add(child.name(), s);
        child.instantiate(s);
        return 0;
    }

    @Override
    public long mkdir(Task t, Dentry child, int mode) {
        long r = checkAlive();
        if (r < 0) {
            return r;
        }
        int m = Stat.S_IFDIR | (mode & Stat.S_IALLUGO) | (this.mode & Stat.S_ISGID);
        Directory d = new Directory(ramfs(), m, ramfs().credentials().fsuid(), newGid(), this);
        add(child.name(), d);
        addLink(1);
        child.instantiate(d);
        return 0;
    }

    @Override
    public long symlink(Task t, Dentry child, byte[] target) {
        long r = checkAlive();
        if (r < 0) {
            return r;
        }
        Symlink s = new Symlink(ramfs(), ramfs().credentials().fsuid(), newGid(), target);
        add(child.name(), s);
        child.instantiate(s);
        return 0;
    }

    @Override
    public long link(Task t, Dentry old, Dentry child) {
        long r = checkAlive();
        if (r < 0) {
            return r;
        }
        RamInode i = (RamInode) old.inode();
        if (i instanceof RegularFile f ? !f.link() : i.nlink() == 0) {
            return -Errno.ENOENT;
        }
        if (!(i instanceof RegularFile)) {
            i.addLink(1);
        }
        add(child.name(), i);
        child.instantiate(i);
        return 0;
    }

    @Override
    public long unlink(Task t, Dentry child) {
        RamInode i = remove(child.name());
        if (i == null) {
            return -Errno.ENOENT;
        }
        dropLink(i);
        return 0;
    }

    private static void dropLink(RamInode i) {
        if (i instanceof RegularFile f) {
            f.unlink();
        } else {
            i.addLink(-1);
        }
    }

    @Override
    public long rmdir(Task t, Dentry child) {
        Directory d = (Directory) child.inode();
        synchronized (d) {
            if (!d.byName.isEmpty()) {
                return -Errno.ENOTEMPTY;
            }
            d.dead = true;
            d.nlink = 0;
            d.touchLocked(false);
        }
        remove(child.name());
        addLink(-1);
        return 0;
    }

    /**
     * simple_rename / simple_rename_exchange, with the target's removal, and RENAME_WHITEOUT's
     * whiteout left at the old name (shmem_rename2, shmem_whiteout: a character device 0:0, mode 0).
     */
    @Override
    public long rename(Task t, Dentry old, Inode newDirInode, Dentry newChild, int flags) {
        long r = renameEntries(old, newDirInode, newChild, flags);
        if (r == 0 && (flags & Fcntl.RENAME_WHITEOUT) != 0) {
            add(old.name(), new SpecialFile(ramfs(), Stat.S_IFCHR, ramfs().credentials().fsuid(), newGid(), 0));
        }
        return r;
    }

    private long renameEntries(Dentry old, Inode newDirInode, Dentry newChild, int flags) {
        Directory to = (Directory) newDirInode;
        RamInode src = (RamInode) old.inode();
        RamInode target = (RamInode) newChild.inode();
        if ((flags & Fcntl.RENAME_EXCHANGE) != 0) {
            remove(old.name());
            to.remove(newChild.name());
            add(old.name(), target);
            to.add(newChild.name(), src);
            if (this != to) {
                moveDir(src, this, to);
                moveDir(target, to, this);
            }
            src.touch(false);
            target.touch(false);
            return 0;
        }
        if (target != null) {
            if (target instanceof Directory td) {
                synchronized (td) {
                    if (!td.byName.isEmpty()) {
                        return -Errno.ENOTEMPTY;
                    }
                    td.dead = true;
                    td.nlink = 0;
                }
                to.addLink(-1);
            } else {
                dropLink(target);
            }
            to.remove(newChild.name());
        }
        remove(old.name());
        to.add(newChild.name(), src);
        if (this != to) {
            moveDir(src, this, to);
        }
        src.touch(false);
        return 0;
    }

    /** A directory moving from one parent to another takes its ".." link with it. */
    private static void moveDir(RamInode i, Directory from, Directory to) {
        if (i instanceof Directory d) {
            d.parent = to;
            from.addLink(-1);
            to.addLink(1);
        }
    }

    @Override
    public long open(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = (flags & Fcntl.O_PATH) != 0 ? new PathFile(m, d, flags, -1) : new DirectoryDescription(m, d, this, flags);
        return 0;
    }

    @Override
    public long tmpfile(Task t, Nameidata nd, Mount m, Dentry dir, int flags, int mode) {
        long r = checkAlive();
        if (r < 0) {
            return r;
        }
        RegularFile f = RegularFile.create(ramfs(), Stat.S_IFREG | (mode & Stat.S_IALLUGO), ramfs().credentials().fsuid(), newGid());
        if (f == null) {
            return -Errno.ENOSPC;
        }
        Dentry d = Dentry.unlinked(dir, TMPFILE, f);
        r = f.openAs(t, nd, m, d, flags);
        d.put();
        f.unlink(); // no name: its link count is 0 until linkat gives it one (if not O_EXCL)
        f.setLinkable((flags & Fcntl.O_EXCL) == 0);
        return r;
    }
}
