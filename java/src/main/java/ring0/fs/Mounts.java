package ring0.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.fs.devfs.DevFilesystem;
import ring0.fs.hostfs.HostFilesystem;
import ring0.fs.procfs.ProcFilesystem;
import ring0.fs.ramfs.RamFilesystem;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.host.HostException;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Filesystem;
import ring0.vfs.Inode;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;
import ring0.vfs.Vfs;

/**
 * The app's mount table at boot: the host's / as the root, the kernel's procfs on /proc and devfs on
 * /dev (each layered over the host's directory of the same name, whose entries show through where
 * the kernel has none of its own: /proc/cpuinfo, /proc/sys, /dev/shm, /dev/pts), then what
 * {@code --mount} options ask, in their order, so that a later one may mount inside an earlier one.
 *
 * <p>A mount point must be a directory. One missing in a RAM filesystem is created there (a fresh
 * ramfs is empty: {@code --mount ram:/scratch --mount host:/data:/scratch/in} just works); one
 * missing on the host is an error, as Ring0 never changes the host's tree to mount something.
 */
public final class Mounts {
    private Mounts() {}


    /** A {@code --mount} option: {@code ram:PATH} or {@code host:DIR:PATH}. */
    public record Spec(String kind, String source, String target) {
        /** Parses a --mount value; IllegalArgumentException with a message for people if it is bad. */
        public static Spec parse(String s) {
            if (s.startsWith("ram:")) {
                return new Spec("ram", "ram", absolute(s.substring(4), s));
            }
            if (s.startsWith("host:")) {
                int colon = s.lastIndexOf(':');
                if (colon <= 5) {
                    throw new IllegalArgumentException("'" + s + "': expected host:HOST_DIR:PATH");
                }
                return new Spec("host", absolute(s.substring(5, colon), s), absolute(s.substring(colon + 1), s));
            }
            throw new IllegalArgumentException("'" + s + "': expected ram:PATH or host:HOST_DIR:PATH");
        }

        private static String absolute(String p, String spec) {
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("'" + spec + "': " + (p.isEmpty() ? "empty path" : p + " is not an absolute path"));
            }
            return p;
        }

        @Override
        public String toString() {
            return kind.equals("ram") ? "ram:" + target : "host:" + source + ":" + target;
        }
    }

    /** A mount that cannot be made, with a message for people. */
    public static final class MountException extends Exception {
        public MountException(String message) {
            super(message);
        }
    }

    /**
     * A VFS with the default mounts, for kernel's descriptor table, with the host's credentials and
     * umask: the host's / as the root, procfs on /proc and devfs on /dev (where the host has them).
     */
    public static Vfs standardVfs(Kernel kernel) {
        Vfs vfs = new Vfs(kernel.fds, Credentials.ofHost(), Credentials.hostUmask());
        try {
            vfs.mountRoot(HostFilesystem.open("/"), "host:/");
        } catch (HostException e) {
            throw new IllegalStateException("cannot open the host's /: " + e.getMessage(), e);
        }
        if (Files.isDirectory(Path.of("/proc"))) {
            mountDefault(vfs, new ProcFilesystem(kernel, vfs.credentials(), "/proc"), "proc", "/proc");
        }
        if (Files.isDirectory(Path.of("/dev"))) {
            mountDefault(vfs, new DevFilesystem(vfs.credentials(), "/dev"), "devtmpfs", "/dev");
        }
        setCwd(vfs, hostCwd());
        return vfs;
    }

    private static void mountDefault(Vfs vfs, Filesystem fs, String source, String target) {
        try {
            mountAt(vfs, fs, source, target, false);
        } catch (MountException e) {
            // the root shows no such directory: the app sees what the root shows there
        }
    }

    /** The host's working directory (the app starts there), or "/" if the host cannot say. */
    private static String hostCwd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Nameidata.PATH_MAX);
            long n = Host.call(Sysno.SYS_GETCWD, buf.address(), Nameidata.PATH_MAX, 0);
            return n > 0 ? buf.getString(0, StandardCharsets.UTF_8) : "/";
        }
    }

    /**
     * Makes the mounts specs ask, in order, then finds the working directory (the host's, where the
     * app starts) again in the tree they make: a mount over it or one of its parents shows instead.
     */
    public static void apply(Vfs vfs, List<Spec> specs) throws MountException {
        for (Spec s : specs) {
            Filesystem fs;
            if (s.kind().equals("ram")) {
                fs = new RamFilesystem(vfs.credentials());
            } else {
                if (!Files.isDirectory(Path.of(s.source()))) {
                    throw new MountException("--mount " + s + ": " + s.source() + " is not a directory on the host");
                }
                try {
                    fs = HostFilesystem.open(s.source());
                } catch (HostException e) {
                    throw new MountException("--mount " + s + ": " + e.getMessage());
                }
            }
            mountAt(vfs, fs, s.kind().equals("ram") ? "ram" : "host:" + s.source(), s.target(), true);
        }
        if (!specs.isEmpty()) {
            setCwd(vfs, hostCwd());
        }
    }

    /** Sets the working directory to path as the app's tree shows it; leaves it if the tree has no such directory. */
    private static void setCwd(Vfs vfs, String cwd) {
        Task t = Task.kernelTask();
        try {
            long r = vfs.walk.startKernelPath(t, Fcntl.AT_FDCWD, cwd.getBytes(StandardCharsets.UTF_8),
                    Nameidata.LOOKUP_FOLLOW | Nameidata.LOOKUP_DIRECTORY);
            if (r == 0) {
                r = vfs.walk.walk(t);
            }
            if (r == 0) {
                Mount m = t.nd.mount();
                Dentry d = t.nd.takeDentry();
                vfs.setCwd(m, d);
            }
        } finally {
            t.nd.release();
        }
    }

    /** Mounts fs on the directory at target, created first in a ramfs if missing and allowed. */
    private static void mountAt(Vfs vfs, Filesystem fs, String source, String target, boolean create)
            throws MountException {
        Task t = Task.kernelTask();
        Nameidata nd = t.nd;
        try {
            long r = resolve(vfs, t, target);
            if (r == -Errno.ENOENT && create) {
                r = makeDirs(vfs, t, target);
                if (r == 0) {
                    r = resolve(vfs, t, target);
                }
            }
            if (r < 0) {
                throw new MountException("--mount " + (source.equals("ram") ? "ram:" + target : source + ":" + target) + ": "
                        + target + ": " + Errno.message((int) -r)
                        + (r == -Errno.ENOENT ? " (a missing mount point is created only inside a RAM filesystem)" : ""));
            }
            vfs.mount(fs, nd.mount(), nd.dentry(), source);
        } finally {
            nd.release();
        }
    }

    private static long resolve(Vfs vfs, Task t, String path) {
        long r = vfs.walk.startKernelPath(t, Fcntl.AT_FDCWD, path.getBytes(StandardCharsets.UTF_8),
                Nameidata.LOOKUP_FOLLOW | Nameidata.LOOKUP_DIRECTORY);
        return r < 0 ? r : vfs.walk.walk(t);
    }

    /** mkdir -p of path, where the missing directories are in a RAM filesystem. */
    private static long makeDirs(Vfs vfs, Task t, String path) {
        StringBuilder at = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            at.append('/').append(part);
            long r = resolve(vfs, t, at.toString());
            if (r == 0) {
                continue;
            }
            if (r != -Errno.ENOENT) {
                return r;
            }
            r = vfs.walk.startKernelPath(t, Fcntl.AT_FDCWD, at.toString().getBytes(StandardCharsets.UTF_8), 0);
            if (r == 0) {
                r = vfs.walk.walkParent(t);
            }
            if (r < 0) {
                return r;
            }
            Nameidata nd = t.nd;
            Inode dir = nd.dentry().inode();
            if (!(dir.fs() instanceof RamFilesystem)) {
                return -Errno.ENOENT;
            }
            synchronized (dir.dirLock()) {
                r = vfs.walk.lookupLast(t);
                if (r == 0) {
                    r = dir.mkdir(t, nd.child(), Stat.S_IFDIR | 0755);
                }
            }
            if (r < 0) {
                return r;
            }
        }
        return 0;
    }
}
