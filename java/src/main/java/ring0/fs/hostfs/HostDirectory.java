package ring0.fs.hostfs;

import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Iattr;
import ring0.vfs.Inode;
import ring0.vfs.Mount;
import ring0.vfs.Name;
import ring0.vfs.Nameidata;
import ring0.vfs.PathFile;

/**
 * A host directory: the kernel holds an O_PATH descriptor of it, relative to which it looks up and
 * changes its entries. The descriptor lives as long as the dentry (closed at eviction), so a walk
 * through a directory the app uses (its working directory, the parents of its open files) asks the
 * host about each name only.
 */
final class HostDirectory extends HostInode {
    private static final Name TMPFILE = Name.of("#tmpfile");

    /** Whether the directory is on the host's procfs: 0 not known yet, 1 yes, 2 no. */
    private volatile int proc;

    HostDirectory(HostFilesystem fs, int fd, Kstat k) {
        super(fs, k, fd);
    }

    /** @param epoch when the host gave k (HostCaches#epoch) */
    HostDirectory(HostFilesystem fs, int fd, Kstat k, long epoch) {
        super(fs, k, fd, epoch);
    }

    /** Whether the directory is on the host's procfs, whose symbolic links are magic (asked once). */
    boolean isProc(Task t) {
        int p = proc;
        if (p == 0) {
            p = onProc(t, fd) ? 1 : 2;
            proc = p;
        }
        return p == 1;
    }

    /**
     * A directory is opened as an O_PATH descriptor and kept; anything else is only looked at.
     * Trying the directory first costs one call for the names a walk passes through. A name that
     * changes type between the two calls is looked up again.
     */
    @Override
    public long lookup(Task t, Dentry child) {
        HostCaches c = caches();
        long epoch = c.epoch();
        t.cacheCounters[CacheStats.LOOKUP_MISS]++;
        long r = lookupOnHost(t, child, epoch);
        if (r == 0 && c.enabled()) {
            child.setTime(epoch);
            c.stamped();
            c.registerDentry(child);
        }
        return r;
    }

    private long lookupOnHost(Task t, Dentry child, long epoch) {
        for (;;) {
            long name = HostFilesystem.cname(t, HostFilesystem.NAME_A, child.name());
            long stx = t.scratch.address() + HostFilesystem.STATX;
            long dfd = Host.call(Sysno.SYS_OPENAT, fd, name, HostFilesystem.O_PATH_DIR, 0, 0, 0);
            if (dfd >= 0) {
                long r = Host.call(Sysno.SYS_STATX, dfd, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH,
                        HostFilesystem.STATX_WANT, stx, 0);
                if (r < 0) {
                    Host.call(Sysno.SYS_CLOSE, dfd, 0, 0);
                    return r;
                }
                child.instantiate(new HostDirectory((HostFilesystem) fs, (int) dfd, statx(t.scratch, HostFilesystem.STATX), epoch));
                return 0;
            }
            if (dfd == -Errno.ENOENT) {
                return 0;
            }
            if (dfd != -Errno.ENOTDIR && dfd != -Errno.ELOOP) {
                return dfd;
            }
            long r = Host.call(Sysno.SYS_STATX, fd, name, Fcntl.AT_SYMLINK_NOFOLLOW, HostFilesystem.STATX_WANT, stx, 0);
            if (r == -Errno.ENOENT) {
                return 0;
            }
            if (r < 0) {
                return r;
            }
            Kstat k = statx(t.scratch, HostFilesystem.STATX);
            if (Stat.type(k.mode) != Stat.S_IFDIR) {
                child.instantiate(new HostInode((HostFilesystem) fs, k, -1, epoch));
                return 0;
            }
        }
    }

    private long name(Task t, Dentry child) {
        return HostFilesystem.cname(t, HostFilesystem.NAME_A, child.name());
    }

    // Changes are write-through: the host makes them at once; what they change is asked again (this
    // directory's times and link count, the file's link count and change time). The VFS drops the
    // dentry a creation leaves negative, so the next lookup finds the new file on the host.

    /** The directory's cached attributes are stale after a change of its entries (r: the change's result). */
    private long changed(long r) {
        if (r == 0) {
            invalidateAttrs();
        }
        return r;
    }

    @Override
    public long create(Task t, Dentry child, int mode) {
        return changed(Host.call(Sysno.SYS_MKNODAT, fd, name(t, child), Stat.S_IFREG | (mode & Stat.S_IALLUGO), 0, 0, 0));
    }

    @Override
    public long mknod(Task t, Dentry child, int mode, long dev) {
        return changed(Host.call(Sysno.SYS_MKNODAT, fd, name(t, child), mode, dev, 0, 0));
    }

    @Override
    public long mkdir(Task t, Dentry child, int mode) {
        return changed(Host.call(Sysno.SYS_MKDIRAT, fd, name(t, child), mode & Stat.S_IALLUGO));
    }

    @Override
    public long symlink(Task t, Dentry child, byte[] target) {
        return changed(Host.call(Sysno.SYS_SYMLINKAT, HostFilesystem.cbytes(t, HostFilesystem.PATH, target), fd, name(t, child)));
    }

    /**
     * linkat of the old name; a file that has none (O_TMPFILE, what a magic link led to) is linked
     * through /proc/self/fd, as linkat(AT_SYMLINK_FOLLOW) allows without privilege.
     */
    @Override
    public long link(Task t, Dentry old, Dentry child) {
        HostInode i = (HostInode) old.inode();
        long r;
        if (i.fd >= 0) {
            r = Host.call(Sysno.SYS_LINKAT, Fcntl.AT_FDCWD, i.selfPath(t, HostFilesystem.NAME_B), fd, name(t, child),
                    Fcntl.AT_SYMLINK_FOLLOW, 0);
        } else {
            Dentry p = parentOf(old);
            try {
                r = Host.call(Sysno.SYS_LINKAT, dirFd(p), HostFilesystem.cname(t, HostFilesystem.NAME_B, old.name()),
                        fd, name(t, child), 0, 0);
            } finally {
                p.put();
            }
        }
        if (r == 0) {
            i.invalidateAttrs();
        }
        return changed(r);
    }

    @Override
    public long unlink(Task t, Dentry child) {
        long r = Host.call(Sysno.SYS_UNLINKAT, fd, name(t, child), 0);
        if (r == 0) {
            ((HostInode) child.inode()).nameGone(t);
        }
        return changed(r);
    }

    @Override
    public long rmdir(Task t, Dentry child) {
        return changed(Host.call(Sysno.SYS_UNLINKAT, fd, name(t, child), Fcntl.AT_REMOVEDIR));
    }

    @Override
    public long rename(Task t, Dentry old, Inode newDir, Dentry newChild, int flags) {
        long r = Host.call(Sysno.SYS_RENAMEAT2, fd, name(t, old), ((HostDirectory) newDir).fd,
                HostFilesystem.cname(t, HostFilesystem.NAME_B, newChild.name()), flags, 0);
        if (r == 0) {
            ((HostInode) old.inode()).invalidateAttrs();
            if (newChild.inode() instanceof HostInode replaced) {
                if ((flags & Fcntl.RENAME_EXCHANGE) != 0) {
                    replaced.invalidateAttrs();
                } else {
                    replaced.nameGone(t);
                }
            }
            if (newDir != this) {
                ((HostInode) newDir).invalidateAttrs();
            }
        }
        return changed(r);
    }

    /**
     * Creating and opening are one host openat, as Linux's atomic_open of a network filesystem. With
     * caches, the host opens the new file read-write for the file cache (whose descriptor it becomes)
     * and the description is a cached one; if the host refuses that (an existing file the app may only
     * write), it opens it as the app asked.
     */
    @Override
    public long atomicOpen(Task t, Nameidata nd, Mount m, Dentry child, int flags, int mode) {
        HostCaches c = caches();
        long epoch = c.epoch();
        boolean cached = c.enabled() && (flags & (Fcntl.O_DIRECT | Fcntl.O_PATH)) == 0;
        long h = -1;
        if (cached) {
            int hostFlags = (flags & (Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_TRUNC)) | Fcntl.O_RDWR | Fcntl.O_CLOEXEC;
            h = Host.call(Sysno.SYS_OPENAT, fd, name(t, child), hostFlags, mode, 0, 0);
            if (h == -Errno.EACCES || h == -Errno.EPERM || h == -Errno.EROFS || h == -Errno.ETXTBSY) {
                cached = false; // the app's own flags may still be allowed
            } else if (h < 0) {
                return h;
            }
        }
        if (!cached) {
            h = Host.call(Sysno.SYS_OPENAT, fd, name(t, child), flags | Fcntl.O_CLOEXEC, mode, 0, 0);
            if (h < 0) {
                return h;
            }
        }
        long r = Host.call(Sysno.SYS_STATX, h, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH,
                HostFilesystem.STATX_WANT, t.scratch.address() + HostFilesystem.STATX, 0);
        if (r < 0) {
            Host.call(Sysno.SYS_CLOSE, h, 0, 0);
            return r;
        }
        Kstat k = statx(t.scratch, HostFilesystem.STATX);
        HostInode i = new HostInode((HostFilesystem) fs, k, -1, epoch);
        child.instantiate(i);
        invalidateAttrs();
        if (c.enabled()) {
            child.setTime(epoch);
            c.stamped();
        }
        FileCache fc = i.fileCache();
        if (cached && fc != null && Stat.type(k.mode) == Stat.S_IFREG) {
            long o;
            synchronized (fc) {
                o = fc.openCreatedLocked(t, (int) h);
            }
            if (o >= 0) {
                c.trimDataFds();
                child.get();
                nd.file = new HostFileDescription(m, child, flags, fc);
                t.cacheCounters[CacheStats.OPEN_CACHED]++;
                return 0;
            }
            // Not cacheable after all: the app's own open below.
            h = Host.call(Sysno.SYS_OPENAT, fd, name(t, child), (flags & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_TRUNC))
                    | Fcntl.O_CLOEXEC, 0, 0, 0);
            if (h < 0) {
                return h;
            }
        }
        child.get();
        t.cacheCounters[CacheStats.OPEN_HOST]++;
        nd.file = new HostFileDescription(m, child, (int) h, flags, fc);
        return 0;
    }

    /** O_TMPFILE on the host; the file is then known by an O_PATH descriptor of its own (it has no name). */
    @Override
    public long tmpfile(Task t, Nameidata nd, Mount m, Dentry dir, int flags, int mode) {
        long h = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, selfPath(t, HostFilesystem.PATH), flags | Fcntl.O_CLOEXEC, mode, 0, 0);
        if (h < 0) {
            return h;
        }
        long pathFd = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, HostFilesystem.procPath(t, HostFilesystem.PATH, (int) h, null),
                Fcntl.O_PATH | Fcntl.O_CLOEXEC, 0, 0, 0);
        long r = pathFd < 0 ? pathFd : Host.call(Sysno.SYS_STATX, pathFd, HostFilesystem.EMPTY, Fcntl.AT_EMPTY_PATH,
                HostFilesystem.STATX_WANT, t.scratch.address() + HostFilesystem.STATX, 0);
        if (r < 0) {
            Host.call(Sysno.SYS_CLOSE, h, 0, 0);
            if (pathFd >= 0) {
                Host.call(Sysno.SYS_CLOSE, pathFd, 0, 0);
            }
            return r;
        }
        HostInode i = new HostInode((HostFilesystem) fs, statx(t.scratch, HostFilesystem.STATX), (int) pathFd);
        invalidateAttrs();
        nd.file = new HostFileDescription(m, Dentry.unlinked(dir, TMPFILE, i), (int) h, flags, i.fileCache());
        return 0;
    }
}
