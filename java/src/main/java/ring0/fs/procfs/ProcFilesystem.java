package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ring0.fs.kernfs.KernDirectory;
import ring0.fs.kernfs.KernFilesystem;
import ring0.kernel.Kernel;
import ring0.loader.AppImage;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Vfs;

/**
 * The kernel's /proc (see the package): its entries over the host's /proc. The type mounts show is
 * proc, and its device the host's /proc's, so that st_dev is what it is natively.
 */
public final class ProcFilesystem extends KernFilesystem {
    /** PROC_SUPER_MAGIC. */
    static final long MAGIC = 0x9fa0;
    /** TASK_COMM_LEN - 1: the longest name a process has. */
    static final int COMM_MAX = 15;
    /**
     * Where in Task.scratch procfs puts what it asks of descriptions, past kernfs's slots: a struct
     * statx (STATX), a host path (PATH, 64 bytes) and a link's text (LINK, 4096 bytes).
     */
    static final long STATX = 57344, PATH = STATX + 256, LINK = PATH + 64;

    private final Kernel kernel;
    private final int pid;
    private final Dentry root;
    /** A name written to /proc/PID/comm, or null: the app's own. */
    private volatile byte[] comm;

    /**
     * A procfs for kernel's app, layered over the host's hostProc (normally "/proc"; null for none).
     * The kernel's VFS need not exist yet: it is looked at when a file is read.
     */
    public ProcFilesystem(Kernel kernel, Credentials cred, String hostProc) {
        super("proc", hostProc, cred, 1024);
        this.kernel = kernel;
        this.pid = (int) ProcessHandle.current().pid();
        String pidDir = hostProc == null ? null : hostProc + "/" + pid;
        KernDirectory ring0 = new KernDirectory(this, 0555, null)
                .add("mounts", new Ring0Mounts(this))
                .add("files", new Ring0Files(this))
                .add("tasks", new Ring0Tasks(this))
                .add("syscalls", new Ring0Syscalls(this))
                .add("dmesg", new Ring0Dmesg(this))
                .add("cache", new Ring0Cache(this))
                .add("stats", new Ring0Stats(this));
        KernDirectory process = new KernDirectory(this, 0555, pidDir)
                .add("fd", new FdDir(this))
                .add("fdinfo", new FdInfoDir(this))
                .add("cmdline", new Cmdline(this))
                .add("environ", new Environ(this))
                .add("status", new Status(this))
                .add("stat", new PidStat(this))
                .add("comm", new Comm(this))
                .add("exe", new Exe(this))
                .add("cwd", new Cwd(this))
                .add("root", new Root(this))
                .add("mounts", new PidMounts(this))
                .add("mountinfo", new Mountinfo(this));
        KernDirectory r = new KernDirectory(this, 0555, hostProc)
                .add("self", new Self(this))
                .add("thread-self", new ThreadSelf(this))
                .add("mounts", new MountsLink(this))
                .add(Integer.toString(pid), process)
                .add("ring0", ring0);
        this.root = Dentry.newRoot(this, r);
    }

    @Override
    public Dentry root() {
        return root;
    }

    @Override
    protected boolean hostLinksAreMagic() {
        return true;
    }

    @Override
    protected long magic() {
        return MAGIC;
    }

    Kernel kernel() {
        return kernel;
    }

    Vfs vfs() {
        return kernel.vfs;
    }

    /** The app's process id: the host's. */
    int pid() {
        return pid;
    }

    /**
     * The app's name (comm): what was written to /proc/PID/comm, else the base name of the ring0
     * executable (as Linux names a process after the file it executes), at most 15 bytes.
     */
    byte[] comm() {
        byte[] c = comm;
        if (c != null) {
            return c;
        }
        AppImage image = kernel.image();
        byte[] name;
        if (image == null) {
            byte[] host = hostFile("/proc/self/comm");
            name = host == null ? "ring0".getBytes(StandardCharsets.US_ASCII)
                    : new String(host, StandardCharsets.ISO_8859_1).strip().getBytes(StandardCharsets.ISO_8859_1);
        } else {
            name = image.path().getFileName().toString().getBytes(StandardCharsets.UTF_8);
        }
        return name.length <= COMM_MAX ? name : Arrays.copyOf(name, COMM_MAX);
    }

    /** Renames the app (a write to /proc/PID/comm). */
    void setComm(byte[] c) {
        comm = c;
    }

    /** The whole content of a host file (of the host's /proc, describing this same process), or null. */
    static byte[] hostFile(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
