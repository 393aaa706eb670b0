package ring0.fs.devfs;

import ring0.abi.Statfs;
import ring0.fs.kernfs.KernDirectory;
import ring0.fs.kernfs.KernFilesystem;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;

/**
 * The kernel's /dev: its devices over the host's /dev (see the package). The type mounts show is
 * devtmpfs, as on Linux.
 */
public final class DevFilesystem extends KernFilesystem {
    private final Dentry root;

    /** A devfs layered over the host directory hostDev (normally "/dev"; null for none). */
    public DevFilesystem(Credentials cred, String hostDev) {
        super("devtmpfs", hostDev, cred, 4096);
        KernDirectory r = new KernDirectory(this, 0755, hostDev);
        String h = hostDev == null ? null : hostDev;
        r.add("null", new NullDevice(this, twin(h, "null")));
        r.add("zero", new ZeroDevice(this, twin(h, "zero")));
        r.add("full", new FullDevice(this, twin(h, "full")));
        r.add("random", new RandomDevice(this, RandomDevice.RANDOM_MINOR, twin(h, "random")));
        r.add("urandom", new RandomDevice(this, RandomDevice.URANDOM_MINOR, twin(h, "urandom")));
        r.add("tty", new TtyDevice(this, twin(h, "tty")));
        r.add("console", new ConsoleDevice(this, twin(h, "console")));
        r.add("fd", new DevLink(this, "/proc/self/fd"));
        r.add("stdin", new DevLink(this, "/proc/self/fd/0"));
        r.add("stdout", new DevLink(this, "/proc/self/fd/1"));
        r.add("stderr", new DevLink(this, "/proc/self/fd/2"));
        this.root = Dentry.newRoot(this, r);
    }

    private static String twin(String hostDev, String name) {
        return hostDev == null ? null : hostDev + "/" + name;
    }

    @Override
    public Dentry root() {
        return root;
    }

    @Override
    protected boolean hostLinksAreMagic() {
        return false;
    }

    @Override
    protected long magic() {
        return Statfs.TMPFS_MAGIC;
    }
}
