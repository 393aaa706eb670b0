package ring0.fs.hostfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.host.HostException;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Filesystem;
import ring0.vfs.Name;

/**
 * A directory tree of the host, as the app's files: the host's / by default, or any host directory
 * mounted with {@code --mount host:DIR:PATH}. The kernel resolves every path itself, one component
 * at a time, with host *at calls relative to directory descriptors it holds (O_PATH); a file opened
 * by the app is a host descriptor the kernel holds ({@link HostFileDescription}), so record locks,
 * mmap and children's inheritance are the host's.
 *
 * <p>Caches ({@link HostCaches}, per the {@link CacheMode} of the boot): {@link #revalidate} trusts a
 * cached dentry while its epoch stamp is valid, else asks the host; {@link #retain} keeps unused
 * dentries (negative ones too); {@link HostInode#getattr} answers from cached attributes; a regular
 * file's data is served through its {@link FileCache} (the host's pages, mapped), and an open needs no
 * host call. Every change of the tree or of attributes goes to the host at once (write-through) and
 * updates or invalidates what is cached. With {@link CacheMode#NONE} every question goes to the host.
 *
 * <p>Host names in calls: the components and paths the host gets are copied, NUL-terminated, into
 * the calling task's scratch memory, in the slots below.
 */
public final class HostFilesystem extends Filesystem {
    /** Slots of Task.scratch used for host call arguments. */
    static final long NAME_A = 0, NAME_B = 4096, PATH = 8192, STATX = 12288, TIMES = 12544, IOV = 12576;
    static final int STATX_WANT = Stat.STATX_BASIC_STATS | Stat.STATX_BTIME;
    static final int O_PATH_DIR = Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;

    private final String hostRoot;
    private final Dentry root;
    private volatile boolean shut;
    /** The caches this filesystem uses (NONE until the boot sets them up). */
    private volatile HostCaches caches = HostCaches.NONE;

    private HostFilesystem(String hostRoot, int fd, Kstat k) {
        super("hostfs", 0, 0);
        this.hostRoot = hostRoot;
        this.root = Dentry.newRoot(this, new HostDirectory(this, fd, k));
    }

    /** The host directory hostPath (absolute; symlinks in it are the host's to follow) as a filesystem. */
    public static HostFilesystem open(String hostPath) throws HostException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(hostPath);
            int fd = (int) Host.check(Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, path.address(),
                    Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0, 0, 0), hostPath);
            MemorySegment stx = arena.allocate(Stat.STATX_STRUCT_SIZE, 8);
            MemorySegment empty = arena.allocate(1);
            long r = Host.call(Sysno.SYS_STATX, fd, empty.address(), Fcntl.AT_EMPTY_PATH, STATX_WANT, stx.address(), 0);
            if (r < 0) {
                Host.call(Sysno.SYS_CLOSE, fd, 0, 0);
                Host.check(r, hostPath);
            }
            Kstat k = new Kstat();
            k.readStatx(stx, 0);
            return new HostFilesystem(hostPath, fd, k);
        }
    }

    /** The caches of this filesystem (shared by every host filesystem of the boot). */
    public HostCaches caches() {
        return caches;
    }

    /** Uses c from now on (at boot, before the app runs). */
    void setCaches(HostCaches c) {
        caches = c;
    }

    /** The cache mode, as the mount table shows it ("auto", "always", "none"). */
    public String cacheMode() {
        return caches.mode.optionName();
    }

    /** The host path this filesystem shows. */
    public String hostRoot() {
        return hostRoot;
    }

    @Override
    public Dentry root() {
        return root;
    }

    /**
     * A cached dentry is trusted while its stamp is valid (a negative one not for a change: the app
     * may have made the name outside the VFS, e.g. by binding a socket there). Otherwise it is still
     * right if its name in the host's directory is the same file (device and inode number; the
     * attributes are refreshed on the way), or is still missing, for a negative one. Hot path: a hit
     * is two volatile reads.
     */
    @Override
    public int revalidate(Task t, Dentry child) {
        Dentry parent = child.parent();
        if (parent == null) {
            return 1;
        }
        HostCaches c = caches;
        HostInode i = (HostInode) child.inode();
        if (i != null ? c.valid(child.time()) : c.validNegative(child.time()) && !t.nd.isForChange()) {
            t.cacheCounters[i != null ? CacheStats.LOOKUP_HIT : CacheStats.LOOKUP_NEGATIVE_HIT]++;
            return 1;
        }
        long epoch = c.epoch();
        HostDirectory dir = (HostDirectory) parent.inode();
        long r = Host.call(Sysno.SYS_STATX, dir.fd, cname(t, NAME_A, child.name()), Fcntl.AT_SYMLINK_NOFOLLOW,
                STATX_WANT, t.scratch.address() + STATX, 0);
        t.cacheCounters[CacheStats.REVALIDATE]++;
        boolean same;
        if (r < 0) {
            same = i == null && r == -Errno.ENOENT;
        } else {
            same = i != null && i.refresh(t, t.scratch, STATX, epoch);
        }
        if (!same) {
            t.cacheCounters[CacheStats.REVALIDATE_CHANGED]++;
            return 0;
        }
        child.setTime(epoch);
        c.stamped();
        return 1;
    }

    /** The stamp check of {@link #revalidate}, without counting: 2 if trusted now, else 0. */
    @Override
    public int revalidateFast(Task t, Dentry child) {
        if (child.parent() == null) {
            return 1;
        }
        HostCaches c = caches;
        return child.inode() != null && c.valid(child.time()) ? 2 : 0;
    }

    /**
     * With caches, an unused dentry stays (a negative one too: a name known missing), until the
     * caches prune it; without, it is dropped (and its directory descriptor closed) at once.
     */
    @Override
    public boolean retain(Dentry d) {
        return caches.enabled() && !d.isUnlinked();
    }

    /** Releases what the inode of a dentry that died held: a directory's descriptor, its file cache. */
    @Override
    public void evict(Dentry d) {
        if (d.inode() instanceof HostInode i) {
            i.close();
        }
    }

    /** The host checks every change, with the same credentials: the VFS need not. */
    @Override
    public boolean checksPermissions() {
        return true;
    }

    /** fstatfs(2) of d's own descriptor, or of the host directory that holds it. */
    @Override
    public long statfs(Task t, Dentry d, long buf) {
        HostInode i = (HostInode) d.inode();
        int fd = i.fd >= 0 ? i.fd : ((HostInode) d.parent().inode()).fd;
        return Host.call(Sysno.SYS_FSTATFS, fd, buf, 0);
    }

    /** Dirty data of every cached file to the host (the host's own sync or syncfs follows). */
    @Override
    public long sync(Task t) {
        return caches.sync();
    }

    /** The host's working directory follows the app's, for the children the app starts. */
    @Override
    public void becameCwd(Dentry d) {
        Host.call(Sysno.SYS_FCHDIR, ((HostInode) d.inode()).fd, 0, 0);
    }

    @Override
    public void shutdown() {
        if (!shut) {
            shut = true;
            caches.shutdown();
            ((HostDirectory) root.inode()).close();
        }
    }

    /** The host path of d (for execve, whose scripts' interpreters need a path). */
    public String hostPath(Dentry d) {
        StringBuilder b = new StringBuilder();
        for (Dentry x = d; x.parent() != null; x = x.parent()) {
            b.insert(0, x.name()).insert(0, '/');
        }
        if (b.isEmpty()) {
            return hostRoot;
        }
        return hostRoot.equals("/") ? b.toString() : hostRoot + b;
    }

    // ---- host call arguments ------------------------------------------------------------------

    /** Copies name, NUL-terminated, into t's scratch at slot; returns its address. */
    static long cname(Task t, long slot, Name name) {
        MemorySegment s = t.scratch;
        int n = name.length();
        for (int i = 0; i < n; i++) {
            s.set(JAVA_BYTE, slot + i, name.byteAt(i));
        }
        s.set(JAVA_BYTE, slot + n, (byte) 0);
        return s.address() + slot;
    }

    /** Copies bytes, NUL-terminated, into t's scratch at slot; returns its address. */
    static long cbytes(Task t, long slot, byte[] bytes) {
        MemorySegment.copy(bytes, 0, t.scratch, JAVA_BYTE, slot, bytes.length);
        t.scratch.set(JAVA_BYTE, slot + bytes.length, (byte) 0);
        return t.scratch.address() + slot;
    }

    /** "/proc/self/fd/FD" or "/proc/self/fd/FD/NAME" in t's scratch at slot: a host path to a held file. */
    static long procPath(Task t, long slot, int fd, Name name) {
        String p = "/proc/self/fd/" + fd;
        byte[] b = p.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(b, 0, t.scratch, JAVA_BYTE, slot, b.length);
        long end = slot + b.length;
        if (name != null) {
            t.scratch.set(JAVA_BYTE, end++, (byte) '/');
            for (int i = 0; i < name.length(); i++) {
                t.scratch.set(JAVA_BYTE, end++, name.byteAt(i));
            }
        }
        t.scratch.set(JAVA_BYTE, end, (byte) 0);
        return t.scratch.address() + slot;
    }

    /** The empty path "" for *at calls with AT_EMPTY_PATH. */
    static final long EMPTY = Arena.global().allocate(1).address();
}
