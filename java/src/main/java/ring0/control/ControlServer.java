package ring0.control;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.boot.Boot;
import ring0.fs.Mounts;
import ring0.fs.hostfs.CacheMode;
import ring0.host.Host;
import ring0.host.HostException;
import ring0.host.HostOutputStream;
import ring0.kernel.Kernel;
import ring0.loader.AppImage;
import ring0.loader.LoadException;
import ring0.trace.SyscallStats;

/**
 * ring0 boot: a kernel waiting on a control socket for the one application it will run. The app is
 * given the insexe client's stdin, stdout and stderr (passed over the socket, placed at the host's 0,
 * 1 and 2 so that even the runtime's last words from a signal handler reach the client), its working
 * directory and environment; its exit status goes back to the client. Signals the client receives are
 * raised here, for the app.
 */
public final class ControlServer {
    private static final int SYS_CHDIR = 80;

    private final Path socketPath;
    private final PrintStream console;
    private Kernel kernel;

    /** @param console where the server itself reports (its own stderr, kept aside from the app's) */
    private ControlServer(Path socketPath, PrintStream console) {
        this.socketPath = socketPath;
        this.console = console;
    }

    /** Boots and serves forever. */
    public static void serve(Path socketPath) throws IOException {
        // The app will get the client's stdio at 0, 1, 2; the server keeps its own on a private copy.
        int own = (int) Host.check(Host.fastCall(Sysno.SYS_FCNTL, 2, Fcntl.F_DUPFD_CLOEXEC, 10), "dup stderr");
        PrintStream console = new PrintStream(new HostOutputStream(own), true, StandardCharsets.UTF_8);
        ControlServer server = new ControlServer(socketPath, console);
        try (UnixSocket listener = bind(socketPath)) {
            console.println("ring0: kernel booted; control socket " + socketPath + " (insert an app with: ring0 insexe --control " + socketPath + " FILE)");
            for (;;) {
                UnixSocket client = listener.accept();
                Thread.ofPlatform().name("ring0-control").daemon(true).start(() -> server.handle(client));
            }
        }
    }

    private static UnixSocket bind(Path path) throws IOException {
        if (Files.exists(path)) {
            try (UnixSocket probe = UnixSocket.connect(path)) {
                throw new IOException("a kernel is already listening on " + path);
            } catch (HostException stale) {
                Files.delete(path); // nobody answers: a socket left by a kernel that is gone
            }
        }
        return UnixSocket.listen(path);
    }

    private void handle(UnixSocket client) {
        try (client) {
            UnixSocket.Message m = client.receive();
            if (m == null) {
                return;
            }
            List<String> f = Protocol.parse(m.payload());
            if (!f.get(0).equals(Protocol.INSEXE) || m.fds().length != 3) {
                client.send(Protocol.fields(Protocol.ERROR, "unexpected request " + f.get(0)));
                return;
            }
            Protocol.Insexe req = Protocol.Insexe.decode(f);
            Kernel k;
            try {
                k = insert(req, m.fds());
            } catch (LoadException | IOException e) {
                client.send(Protocol.fields(Protocol.ERROR, e.getMessage()));
                return;
            } finally {
                for (int fd : m.fds()) {
                    Host.call(Sysno.SYS_CLOSE, fd, 0, 0);
                }
            }
            Thread.ofPlatform().name("ring0-signals").daemon(true).start(() -> forwardSignals(client));
            int status = k.awaitExit();
            if (!req.stats().isEmpty()) {
                SyscallStats.write(k, Path.of(req.stats()));
            }
            client.send(Protocol.fields(Protocol.EXIT, Integer.toString(status)));
            console.println("ring0: " + req.exe() + " exited with status " + status + "; this kernel has run its app (reboot to run another)");
        } catch (IOException e) {
            console.println("ring0: control connection: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Kernel insert(Protocol.Insexe req, int[] stdio) throws LoadException, IOException {
        if (kernel != null) {
            throw new LoadException(kernel.state() == Kernel.State.RUNNING
                    ? "this kernel is running an application already (one per boot)"
                    : "this kernel has already run an application (one per boot, as a Go runtime cannot be unloaded): "
                            + "reboot it (ring0 boot) to run another");
        }
        AppImage image = AppImage.open(Path.of(req.exe()), req.argv(), req.env());
        for (int fd = 0; fd < 3; fd++) {
            Host.check(Host.fastCall(Sysno.SYS_DUP3, stdio[fd], fd, 0), "dup3");
        }
        try (Arena arena = Arena.ofConfined()) {
            Host.check(Host.call(SYS_CHDIR, arena.allocateFrom(req.cwd()).address(), 0, 0), "chdir " + req.cwd());
        }
        PrintStream clientErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        PrintStream log = req.log().isEmpty() ? null
                : req.log().equals("-") ? clientErr : new PrintStream(new FileOutputStream(req.log()), true, StandardCharsets.UTF_8);
        List<Mounts.Spec> mounts = new ArrayList<>();
        for (String m : req.mounts()) {
            try {
                mounts.add(Mounts.Spec.parse(m));
            } catch (IllegalArgumentException e) {
                throw new LoadException("--mount " + e.getMessage());
            }
        }
        CacheMode cache;
        try {
            cache = CacheMode.parse(req.cache());
        } catch (IllegalArgumentException e) {
            throw new LoadException("--cache " + e.getMessage());
        }
        kernel = Boot.start(image, new Boot.Options(!req.stats().isEmpty(), req.strace() ? clientErr : null, log, mounts, cache));
        console.println("ring0: inserted " + req.exe());
        return kernel;
    }

    /** Raises here, for the app, each signal the client forwards, until the client goes away. */
    private void forwardSignals(UnixSocket client) {
        try {
            for (UnixSocket.Message m; (m = client.receive()) != null; ) {
                List<String> f = Protocol.parse(m.payload());
                if (f.get(0).equals(Protocol.SIGNAL)) {
                    Host.call(Sysno.SYS_KILL, ProcessHandle.current().pid(), Integer.parseInt(f.get(1)), 0);
                }
            }
        } catch (IOException | RuntimeException e) {
            console.println("ring0: control connection: " + e.getMessage());
        }
    }
}
