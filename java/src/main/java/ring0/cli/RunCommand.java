package ring0.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ring0.boot.Boot;
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
        footer = {"", "Examples:", "  ring0 run ./cmd/app -flag arg", "  echo hi | ring0 run --strace app.ring0"})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--stats", paramLabel = "FILE",
            description = "At exit, write JSON counts per system call to FILE: served by the kernel (of which passed through to the host) and sent straight to the host.")
    Path stats;

    @Option(names = "--strace", description = "Print each call the kernel serves, with decoded arguments and result, to stderr.")
    boolean strace;

    @Option(names = "--log", paramLabel = "FILE", description = "Copy the kernel log (dmesg) to FILE ('-': stderr).")
    String log;

    @Parameters(index = "0", paramLabel = "PKG_OR_FILE", description = "The program.")
    String target;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The program's arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path exe = Executables.resolve(target);
        List<String> argv = new ArrayList<>();
        argv.add(exe.toString());
        argv.addAll(args);
        try {
            AppImage image = AppImage.open(exe, argv, Executables.environment());
            Kernel kernel = Boot.start(image, new Boot.Options(stats != null, strace ? System.err : null, logStream()));
            int status = kernel.awaitExit();
            if (stats != null) {
                SyscallStats.write(kernel, stats);
            }
            System.out.flush();
            System.err.flush();
            // The app's threads are still in the process: end it the way exit_group would, at once.
            Runtime.getRuntime().halt(status);
            return status;
        } catch (LoadException e) {
            throw new UserError(e);
        }
    }

    private PrintStream logStream() throws IOException {
        if (log == null) {
            return null;
        }
        return log.equals("-") ? System.err
                : new PrintStream(new FileOutputStream(log), true, StandardCharsets.UTF_8);
    }

}
