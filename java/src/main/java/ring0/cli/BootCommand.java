package ring0.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ring0.control.ControlServer;

/** ring0 boot: start a kernel that waits for one app on a control socket. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boot a kernel and wait on a control socket for the one application it will run "
                + "(a Go runtime cannot be unloaded: one app per boot; boot again to run another).",
            "Insert the app with 'ring0 insexe --control SOCKET FILE'."},
        footer = {"", "Example:", "  ring0 boot --control /tmp/ring0.sock &", "  ring0 insexe --control /tmp/ring0.sock app.ring0 arg"})
final class BootCommand implements Callable<Integer> {
    @Option(names = "--control", required = true, paramLabel = "SOCKET", description = "Path of the control socket (AF_UNIX) to create.")
    Path control;

    @Override
    public Integer call() throws UserError {
        try {
            ControlServer.serve(control.toAbsolutePath());
            return 0;
        } catch (IOException e) {
            throw new UserError(e);
        }
    }
}
