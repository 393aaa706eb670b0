package ring0.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.boot.Boot;
import ring0.fs.Mounts;
import ring0.fs.hostfs.CacheMode;
import ring0.host.Host;
import ring0.kernel.Kernel;
import ring0.loader.AppImage;
import ring0.loader.LoadException;
import ring0.trace.SyscallStats;

/** ring0 run: boot a kernel, insert the app, stream its stdio, exit with its status. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a Go program inside a fresh kernel, like go run: PKG (a package directory, an import "
                + "path or .go files) is built first; a ring0 executable FILE runs as it is.",
            "The program's stdin, stdout and stderr are this command's; it exits with the program's status, "
                + "and signals sent to it reach the program as they would natively."},
        footer = {"", "Examples:", "  ring0 run ./cmd/app -flag arg", "  echo hi | ring0 run --strace app.ring0",
            "  ring0 run --mount ram:/tmp --mount host:/srv/data:/data app.ring0"})
final class RunCommand implements Callable<Integer> {
    @Mixin
    KernelOptions options;

    @Option(names = "--argv0", paramLabel = "NAME",
            description = "The program's argv[0] (default: the executable's path): what a ring0 executable that the host executes passes.")
    String argv0;

    @Parameters(index = "0", paramLabel = "PKG_OR_FILE", description = "The program.")
    String target;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The program's arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path exe = Executables.resolve(target);
        try {
            List<String> argv = Executables.argv(exe, args.size());
            if (argv0 != null) {
                argv.set(0, AppImage.bytes(argv0));
            }
            AppImage image = AppImage.open(exe, argv, Executables.environment());
            Kernel kernel = Boot.start(image, new Boot.Options(options.stats != null, options.strace ? System.err : null, logStream(), options.mounts, options.cache));
            releaseStdinStdout();
            int status = kernel.awaitExit();
            if (options.stats != null) {
                SyscallStats.write(kernel, options.stats);
            }
            System.out.flush();
            System.err.flush();
            // The app's threads are still in the process: end it the way exit_group would, at once. Not
            // through the JVM's exit (Runtime.halt): HotSpot first waits up to 300 ms for threads in native
            // code to stop (VM_Exit::wait_for_threads_in_native_to_block), and the app's threads, running
            // Go code, are such threads: every run, and every ring0 child process, paid those 300 ms.
            if (!Boolean.getBoolean("ring0.aotTraining")) {
                Host.call(Sysno.SYS_EXIT_GROUP, status, 0, 0);
            }
            Runtime.getRuntime().halt(status); // the launcher's training run: the JVM's exit writes the AOT cache
            return status;
        } catch (LoadException e) {
            throw new UserError(e);
        }
    }

    /**
     * The app has copies of the host's 0, 1 and 2 of its own (Kernel.attachConsole): the JVM lets go of
     * 0 and 1 (they become /dev/null), so that the app closing its stdout is an end of file for whoever
     * reads it, and closing its stdin a broken pipe for whoever writes it, as natively. The JVM keeps
     * 2, where the kernel reports (--strace, --log -).
     */
    private static void releaseStdinStdout() {
        try (Arena arena = Arena.ofConfined()) {
            long devNull = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, Host.cString(arena, "/dev/null").address(),
                    Fcntl.O_RDWR | Fcntl.O_CLOEXEC);
            if (devNull >= 0) {
                System.out.flush();
                Host.call(Sysno.SYS_DUP3, devNull, 0, 0);
                Host.call(Sysno.SYS_DUP3, devNull, 1, 0);
                Host.call(Sysno.SYS_CLOSE, devNull, 0, 0);
            }
        }
    }

    private PrintStream logStream() throws IOException {
        if (options.log == null) {
            return null;
        }
        return options.log.equals("-") ? System.err
                : new PrintStream(new FileOutputStream(options.log), true, StandardCharsets.UTF_8);
    }

}
