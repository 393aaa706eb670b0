package ring0.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ring0.control.ControlClient;
import ring0.fs.Mounts;
import ring0.fs.hostfs.CacheMode;

/** ring0 insexe: insert an app into a booted kernel, as insmod inserts a module. */
@Command(name = "insexe", mixinStandardHelpOptions = true,
        description = {"Insert a ring0 executable (or a package, built first) into the kernel listening on SOCKET. "
                + "The app runs with this command's stdin, stdout, stderr, working directory and environment; "
                + "this command exits with the app's status, and signals it receives are forwarded to the app."},
        footer = {"", "Example:", "  ring0 insexe --control /tmp/ring0.sock app.ring0 arg"})
final class InsexeCommand implements Callable<Integer> {
    @Option(names = "--control", required = true, paramLabel = "SOCKET", description = "The kernel's control socket.")
    Path control;

    @Mixin
    KernelOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "The ring0 executable (or a package to build).")
    String target;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The app's arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws UserError {
        Path exe = Executables.resolve(target);
        try {
            String statsPath = options.stats == null ? null : options.stats.toAbsolutePath().toString();
            String logPath = options.log == null || options.log.equals("-") ? options.log : Path.of(options.log).toAbsolutePath().toString();
            return ControlClient.insexe(control.toAbsolutePath(), exe, Executables.argv(exe, args.size()), Executables.environment(), options.strace, statsPath, logPath,
                    options.mounts.stream().map(Mounts.Spec::toString).toList(), options.cache.optionName());
        } catch (IOException e) {
            throw new UserError(e);
        }
    }
}
