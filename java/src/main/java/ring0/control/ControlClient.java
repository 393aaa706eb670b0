package ring0.control;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import ring0.abi.Errno;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.host.HostException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * ring0 insexe: hands an app to a booted kernel over its control socket, with this process's stdin,
 * stdout and stderr, and waits for its exit status. SIGINT, SIGTERM and SIGHUP received here
 * are forwarded to the app; if the kernel's process dies of one of them, this process dies of it too,
 * so that the shell sees what it would have seen natively.
 */
public final class ControlClient {
    private ControlClient() {}

    /** SIGQUIT stays the JVM's own (thread dumps of the client). */
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    /** A failure to talk to the kernel, with a message for people. */
    public static final class ControlException extends IOException {
        public ControlException(String message) {
            super(message);
        }
    }

    /** Runs exe in the kernel at socket, with the --mount specs given; returns the app's exit status. */
    public static int insexe(Path socket, Path exe, List<String> argv, List<String> env, boolean strace, String stats, String log,
            List<String> mounts) throws IOException {
        return insexe(socket, exe, argv, env, strace, stats, log, mounts, "auto");
    }

    /** As above, with the cache mode (--cache) of the app's files. */
    public static int insexe(Path socket, Path exe, List<String> argv, List<String> env, boolean strace, String stats, String log,
            List<String> mounts, String cache) throws IOException {
        UnixSocket s;
        try {
            s = UnixSocket.connect(socket);
        } catch (HostException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ECONNREFUSED) {
                throw new ControlException("no kernel is listening on " + socket + ": start one with 'ring0 boot --control " + socket + "'");
            }
            throw e;
        }
        try (s) {
            String cwd = Path.of("").toAbsolutePath().toString();
            s.send(new Protocol.Insexe(cwd, exe.toAbsolutePath().toString(), strace, stats == null ? "" : stats,
                    log == null ? "" : log, argv, env, mounts, cache).encode(), 0, 1, 2);
            AtomicInteger forwarded = new AtomicInteger();
            for (String name : FORWARDED) {
                Signal.handle(new Signal(name), sig -> {
                    forwarded.set(sig.getNumber());
                    try {
                        s.send(Protocol.fields(Protocol.SIGNAL, Integer.toString(sig.getNumber())));
                    } catch (HostException ignored) {
                        // the kernel is gone; its end of the story comes from receive()
                    }
                });
            }
            UnixSocket.Message m = s.receive();
            if (m == null) {
                int sig = forwarded.get();
                if (sig != 0) {
                    Signal.handle(new Signal(signalName(sig)), SignalHandler.SIG_DFL);
                    Host.call(Sysno.SYS_KILL, ProcessHandle.current().pid(), sig, 0);
                }
                throw new ControlException("the kernel went away before the app exited (the app may have crashed it)");
            }
            List<String> f = Protocol.parse(m.payload());
            return switch (f.get(0)) {
                case Protocol.EXIT -> Integer.parseInt(f.get(1));
                case Protocol.ERROR -> throw new ControlException(f.get(1));
                default -> throw new ControlException("unexpected reply " + f.get(0));
            };
        }
    }

    private static String signalName(int sig) {
        return switch (sig) {
            case 1 -> "HUP";
            case 2 -> "INT";
            default -> "TERM";
        };
    }
}
