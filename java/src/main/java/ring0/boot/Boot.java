package ring0.boot;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import ring0.fs.Mounts;
import ring0.fs.hostfs.CacheMode;
import ring0.fs.hostfs.HostCaches;
import ring0.host.Host;
import ring0.kernel.Kernel;
import ring0.loader.AppImage;
import ring0.loader.LoadException;
import ring0.loader.Loader;
import ring0.syscall.SyscallEntry;
import ring0.syscall.SyscallTable;
import ring0.trace.Strace;

/**
 * Boots a kernel and inserts one application into it: the composition root shared by
 * {@code ring0 run} and the {@code ring0 boot} control server.
 */
public final class Boot {
    private Boot() {}

    /**
     * What a boot is asked to do besides running the app.
     *
     * @param mounts the --mount options, made in order over the default mount table
     * @param cache how much of the host's files the kernel caches (--cache)
     */
    public record Options(boolean countHostCalls, PrintStream strace, PrintStream log, List<Mounts.Spec> mounts,
            CacheMode cache) {
        /** Options with the default cache mode (auto). */
        public Options(boolean countHostCalls, PrintStream strace, PrintStream log, List<Mounts.Spec> mounts) {
            this(countHostCalls, strace, log, mounts, CacheMode.AUTO);
        }
    }

    private static final int RLIMIT_NOFILE = 7;
    private static final int SYS_PRLIMIT64 = 302;
    private static final int MAX_FDS = 1 << 20;

    /** Boots a kernel with the console on the host's 0, 1 and 2, and starts image in it. */
    public static Kernel start(AppImage image, Options options) throws LoadException {
        Kernel kernel = new Kernel(maxFds(), options.countHostCalls());
        if (options.log() != null) {
            kernel.log.echoTo(options.log());
        }
        try {
            Mounts.apply(kernel.vfs, options.mounts());
        } catch (Mounts.MountException e) {
            throw new LoadException(e.getMessage());
        }
        HostCaches.install(kernel, options.cache());
        SyscallTable table = SyscallTable.standard(kernel, image);
        Strace strace = options.strace() != null ? new Strace(options.strace()) : null;
        SyscallEntry entry = new SyscallEntry(kernel, table, strace);
        kernel.attachConsole();
        kernel.adoptInherited(inherited());
        Loader.insert(kernel, image, entry.upcallStub(Arena.global()));
        return kernel;
    }

    /**
     * The descriptors beyond 0, 1 and 2 that the process inherited, as the ring0 script lists them for
     * ring0 run (-Dring0.inherited=3,7); none otherwise (ring0 boot: the app's stdio comes over the
     * control socket).
     */
    static int[] inherited() {
        String list = System.getProperty("ring0.inherited", "");
        return list.isEmpty() ? new int[0] : java.util.Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** The app's descriptor limit: the host's hard RLIMIT_NOFILE (Go raises its soft limit to it). */
    static int maxFds() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lim = arena.allocate(16, 8);
            if (Host.fastCall(SYS_PRLIMIT64, 0, RLIMIT_NOFILE, 0, lim.address(), 0, 0) < 0) {
                return 1024;
            }
            long hard = lim.get(JAVA_LONG, 8);
            return (int) Math.min(Math.max(hard, 3), MAX_FDS);
        }
    }
}
