package ring0.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The control socket's messages between {@code ring0 insexe} (client) and {@code ring0 boot} (the
 * kernel). Each is a framed list of NUL-separated UTF-8 fields, the first naming the message:
 *
 * <pre>
 * client → kernel  insexe CWD EXE STRACE(0|1) STATS LOG ARGC ARGV... ENVC ENV... MOUNTC MOUNT... [CACHE]
 *                                                              + SCM_RIGHTS: stdin, stdout, stderr
 * client → kernel  signal N          (a signal the client received, for the app)
 * kernel → client  exit STATUS       (the app's exit status)
 * kernel → client  error MESSAGE     (the app could not be started)
 * </pre>
 */
final class Protocol {
    private Protocol() {}

    static final String INSEXE = "insexe", SIGNAL = "signal", EXIT = "exit", ERROR = "error";

    /** What insexe asks for. */
    record Insexe(String cwd, String exe, boolean strace, String stats, String log, List<String> argv, List<String> env,
            List<String> mounts, String cache) {
        /** A request with the default cache mode. */
        Insexe(String cwd, String exe, boolean strace, String stats, String log, List<String> argv, List<String> env,
                List<String> mounts) {
            this(cwd, exe, strace, stats, log, argv, env, mounts, "auto");
        }

        byte[] encode() {
            List<String> f = new ArrayList<>(List.of(INSEXE, cwd, exe, strace ? "1" : "0", stats, log, Integer.toString(argv.size())));
            f.addAll(argv);
            f.add(Integer.toString(env.size()));
            f.addAll(env);
            f.add(Integer.toString(mounts.size()));
            f.addAll(mounts);
            f.add(cache);
            return fields(f);
        }

        static Insexe decode(List<String> f) {
            int i = 1;
            String cwd = f.get(i++), exe = f.get(i++);
            boolean strace = f.get(i++).equals("1");
            String stats = f.get(i++), log = f.get(i++);
            int argc = Integer.parseInt(f.get(i++));
            List<String> argv = f.subList(i, i + argc);
            i += argc;
            int envc = Integer.parseInt(f.get(i++));
            List<String> env = f.subList(i, i + envc);
            i += envc;
            int mountc = Integer.parseInt(f.get(i++));
            List<String> mounts = f.subList(i, i + mountc);
            i += mountc;
            String cache = i < f.size() ? f.get(i) : "auto";
            return new Insexe(cwd, exe, strace, stats, log, List.copyOf(argv), List.copyOf(env), List.copyOf(mounts), cache);
        }
    }

    static byte[] fields(List<String> fields) {
        return String.join("\0", fields).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] fields(String... fields) {
        return fields(Arrays.asList(fields));
    }

    static List<String> parse(byte[] payload) {
        return Arrays.asList(new String(payload, StandardCharsets.UTF_8).split("\0", -1));
    }
}
