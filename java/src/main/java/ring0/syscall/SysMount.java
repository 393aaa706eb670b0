package ring0.syscall;

import ring0.fs.hostfs.HostCaches;
import ring0.host.Host;
import ring0.kernel.Kernel;
import ring0.kernel.Task;

/**
 * mount(2) and umount2(2) (fs/namespace.c), made by the host as the app made them: the app's paths
 * are the host's under the default hostfs of /. What the kernel adds is its file caches' part: they
 * let go of what they hold unused before an unmount (a cached descriptor inside the mount would make
 * it EBUSY) and after a mount (names cached above the mount point are the covered tree's), and ask
 * the host again about the rest ({@link HostCaches#dropUnused}).
 */
final class SysMount {
    private static final int SYS_MOUNT = 165, SYS_UMOUNT2 = 166;

    private final Kernel kernel;

    SysMount(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable t) {
        t.set(SYS_MOUNT, this::mount, "host; the file caches drop what the mount covers");
        t.set(SYS_UMOUNT2, this::umount2, "host; the file caches first drop what they hold unused");
    }

    long mount(Task t, long source, long target, long fstype, long flags, long data, long a5) {
        long r = Host.call(SYS_MOUNT, source, target, fstype, flags, data, 0);
        t.passedThrough[SYS_MOUNT]++;
        if (r == 0) {
            dropCaches();
        }
        return r;
    }

    long umount2(Task t, long target, long flags, long a2, long a3, long a4, long a5) {
        dropCaches();
        t.passedThrough[SYS_UMOUNT2]++;
        return Host.call(SYS_UMOUNT2, target, flags, 0, 0, 0, 0);
    }

    private void dropCaches() {
        HostCaches c = HostCaches.of(kernel.vfs);
        if (c != null) {
            c.dropUnused();
        }
    }
}
