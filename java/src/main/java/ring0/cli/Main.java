package ring0.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * ring0: runs Go programs inside a kernel written in Java, one address space, a system call is a
 * function call. Errors print {@code ring0: <what>: <why>} and exit 1; bad usage exits 2.
 */
@Command(name = "ring0", mixinStandardHelpOptions = true, version = "ring0 0.1.0",
        description = "Run native Go programs inside a kernel written in Java: a system call is a function call.",
        subcommands = {DemoCommand.class, BuildCommand.class, RunCommand.class, TestCommand.class, BootCommand.class, InsexeCommand.class},
        footer = {"", "Examples:", "  ring0 demo", "  ring0 run ./cmd/app arg1 arg2", "  ring0 build -o app.ring0 ./cmd/app"})
public final class Main implements Runnable {

    /** The repository the launcher runs from: where the overlay tool and the examples are. */
    static Path home() {
        String h = System.getProperty("ring0.home");
        return Path.of(h != null ? h : ".").toAbsolutePath();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setStopAtPositional(true);
        cl.getSubcommands().get("build").setUnmatchedOptionsArePositionalParams(true);
        cl.getSubcommands().get("test").setUnmatchedOptionsArePositionalParams(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UserError) {
                System.err.println("ring0: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }
}
