package ring0.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import ring0.build.BuildException;
import ring0.build.GoBuild;

/**
 * ring0 test: go test, with each package's test binary built as a ring0 executable ({@code go test -c}
 * with Ring0's overlay) and run by {@code ring0 run} in a fresh kernel (one app per boot, so one kernel
 * process per package), in the package's directory, with go test's flags, output and exit status
 * (cmd/go/internal/test: runTestActor). Packages run one after the other, in go list's order; the
 * next package builds while one runs.
 *
 * <p>What differs from go test: results are never cached (as with -count=1); vet does not run;
 * coverage, fuzzing and -exec are refused; a package without test files is not compiled.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Test packages inside the kernel, like go test: each package's test binary is built with "
                + "Ring0's runtime and run in a fresh kernel, in the package's source directory; the output "
                + "lines (ok, FAIL, ?) and the exit status are go test's. Results are not cached, and vet does not run.",
            "Build flags: -a -asmflags -gcflags -ldflags -gccgoflags -tags -mod -modfile -modcacherw -trimpath "
                + "-buildvcs -pgo -toolexec -p -race -msan -asan -work -x. "
                + "go test flags: -c, -o FILE|DIR (with -c: write the test binaries, ring0 executables that run "
                + "themselves in Ring0, and do not run them), -json, -failfast, -vet (ignored). "
                + "Test flags (also as -test.NAME): -run -skip -v -count -short -timeout -parallel -cpu -list "
                + "-shuffle -fullpath -bench -benchtime -benchmem -outputdir -cpuprofile -memprofile "
                + "-memprofilerate -blockprofile -blockprofilerate -mutexprofile -mutexprofilefraction -trace. "
                + "Unknown flags, and everything after -args, go to the test binaries, as go test passes them."},
        footer = {"", "Examples:", "  ring0 test ./...", "  ring0 test -run TestReadFile -v os io/fs",
            "  ring0 test -c -o os.test os && ./os.test -test.run TestStat"})
final class TestCommand implements Callable<Integer> {
    /** Flags of the go command that take a value, passed to go test -c. */
    private static final Set<String> BUILD_VALUE = Set.of("asmflags", "gcflags", "ldflags", "gccgoflags", "tags", "mod",
            "modfile", "pgo", "toolexec", "p", "buildvcs", "compiler", "installsuffix", "pkgdir");
    /** Boolean flags of the go command, passed to go test -c. */
    private static final Set<String> BUILD_BOOL = Set.of("a", "modcacherw", "trimpath", "race", "msan", "asan", "work", "x",
            "linkshared");
    /** Test binary flags that take a value (go test passes them as -test.NAME=VALUE). */
    private static final Set<String> TEST_VALUE = Set.of("run", "skip", "count", "timeout", "parallel", "cpu", "list",
            "shuffle", "bench", "benchtime", "outputdir", "cpuprofile", "memprofile", "memprofilerate", "blockprofile",
            "blockprofilerate", "mutexprofile", "mutexprofilefraction", "trace");
    /** Boolean test binary flags. */
    private static final Set<String> TEST_BOOL = Set.of("v", "short", "failfast", "benchmem", "fullpath");
    /** Profiles: written under -outputdir, which go test sets to its own working directory. */
    private static final Set<String> PROFILES = Set.of("cpuprofile", "memprofile", "blockprofile", "mutexprofile", "trace");
    /** go test's flags that Ring0 does not support, with the reason. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "cover", "coverage is not supported yet", "covermode", "coverage is not supported yet",
            "coverpkg", "coverage is not supported yet", "coverprofile", "coverage is not supported yet",
            "fuzz", "fuzzing is not supported yet", "exec", "ring0 test runs the binaries itself",
            "n", "ring0 test cannot print its commands without running them", "overlay", "Ring0 builds with its own overlay",
            "buildmode", "a ring0 executable is always -buildmode=c-shared", "C", "use cd: -C is not supported");
    /** Go's default test timeout, and how long output may stay open after a test binary exits. */
    private static final long DEFAULT_TIMEOUT = TimeUnit.MINUTES.toNanos(10), WAIT_DELAY_SECONDS = 5;
    private static final byte[] NO_TESTS_TO_RUN = "\ntesting: warning: no tests to run\n".getBytes(StandardCharsets.UTF_8);

    @Parameters(paramLabel = "[FLAGS] [PKG...]", description = "go test's flags and packages (default: the package in the current directory).")
    List<String> args = new ArrayList<>();

    /** What the command line asks for, parsed as go test parses it (cmd/go/internal/test/testflag.go). */
    static final class Invocation {
        final List<String> buildFlags = new ArrayList<>();
        /** Flags and arguments for every test binary, after the ones go test injects. */
        final List<String> testArgs = new ArrayList<>();
        /** The package arguments; empty: local directory mode (the package in the current directory). */
        final List<String> packages = new ArrayList<>();
        boolean compileOnly, json, failfast, verbose, list, bench;
        String output;
        String timeout;
        String outputDir;
        boolean profile;
        String firstUnknownFlag;

        /** The arguments go test gives a test binary: injected flags first (go test's order). */
        List<String> binaryArgs() {
            List<String> a = new ArrayList<>(List.of("-test.paniconexit0"));
            if (json) {
                a.add("-test.v=test2json");
            }
            if (timeout == null) {
                a.add("-test.timeout=10m0s");
            }
            if (profile && outputDir == null) {
                a.add("-test.outputdir=" + Path.of("").toAbsolutePath());
            }
            for (String t : testArgs) {
                // Under -json, -v is test2json's verbosity (testVFlag), whatever it says.
                a.add(json && t.startsWith("-test.v=") ? "-test.v=test2json" : t);
            }
            return a;
        }

        /** When go test would kill a binary that overran its -timeout (0: never). */
        long killTimeoutNanos() {
            long t = timeout == null ? DEFAULT_TIMEOUT : parseDuration(timeout);
            return t <= 0 ? 0 : t + TimeUnit.MINUTES.toNanos(1);
        }

        /** testShowPass: the output of a passing test is shown. */
        boolean showPass() {
            return verbose || list;
        }
    }

    /** A usage error: go test prints it with a usage line and exits 2. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    /** Parses go test's command line: flags before, among and after the packages (testflag.go testFlags). */
    static Invocation parse(List<String> args) throws UsageError {
        Invocation inv = new Invocation();
        List<String> packages = null; // non-null once the package list is over
        boolean inPkgList = false, afterFlagWithoutValue = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean wasAfterFlagWithoutValue = afterFlagWithoutValue;
            afterFlagWithoutValue = false;
            if (a.equals("--")) {
                inv.testArgs.addAll(args.subList(i, args.size()));
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                if (!inPkgList && packages != null) {
                    if (wasAfterFlagWithoutValue) {
                        inv.testArgs.add(a); // the value of an unknown flag, presumably
                        continue;
                    }
                    inv.testArgs.addAll(args.subList(i, args.size()));
                    break;
                }
                inPkgList = true;
                if (packages == null) {
                    packages = inv.packages;
                }
                packages.add(a);
                continue;
            }
            inPkgList = false;
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            int eq = body.indexOf('=');
            String name = eq >= 0 ? body.substring(0, eq) : body;
            String value = eq >= 0 ? body.substring(eq + 1) : null;
            String shortName = name.startsWith("test.") ? name.substring(5) : name;
            boolean testFlag = TEST_VALUE.contains(shortName) || TEST_BOOL.contains(shortName);
            if (!testFlag && name.startsWith("test.")) {
                shortName = name; // -test.X that go test does not know: the binary's
            }
            if (name.equals("args")) {
                if (packages == null) {
                    packages = inv.packages;
                }
                inv.testArgs.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (UNSUPPORTED.containsKey(name)) {
                throw new UsageError("ring0 test: -" + name + ": " + UNSUPPORTED.get(name));
            }
            boolean valued = BUILD_VALUE.contains(name) || TEST_VALUE.contains(shortName) || name.equals("o")
                    || name.equals("vet");
            boolean bool = BUILD_BOOL.contains(name) || TEST_BOOL.contains(shortName) || name.equals("c")
                    || name.equals("json");
            if (!valued && !bool) {
                // A flag go test does not know: the binary's (and from here on, no more packages).
                if (packages == null) {
                    packages = inv.packages;
                }
                if (inv.firstUnknownFlag == null) {
                    inv.firstUnknownFlag = a;
                }
                inv.testArgs.add(a);
                afterFlagWithoutValue = value == null;
                continue;
            }
            if (valued && value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageError("flag needs an argument: -" + name);
                }
                value = args.get(++i);
            }
            if (bool && value != null && !value.matches("true|false|1|0|t|f|TRUE|FALSE|True|False|T|F")) {
                throw new UsageError("invalid boolean value \"" + value + "\" for -" + name);
            }
            boolean on = value == null || value.matches("true|1|t|TRUE|True|T");
            switch (name) {
                case "c" -> inv.compileOnly = on;
                case "json" -> inv.json = on;
                case "o" -> inv.output = value;
                case "vet" -> { } // vet does not run under ring0 test
                default -> {
                    if (BUILD_VALUE.contains(name)) {
                        inv.buildFlags.add("-" + name + "=" + value);
                    } else if (BUILD_BOOL.contains(name)) {
                        inv.buildFlags.add("-" + name + "=" + on);
                    } else {
                        testFlag(inv, shortName, value, on);
                    }
                }
            }
        }
        if (inv.firstUnknownFlag != null && inv.compileOnly) {
            throw new UsageError("go: unknown flag " + inv.firstUnknownFlag + " cannot be used with -c");
        }
        if (inv.output != null && !inv.compileOnly && inv.packages.size() > 1 && !inv.output.endsWith("/")
                && !Files.isDirectory(Path.of(inv.output))) {
            throw new UsageError("with multiple packages, -o must refer to a directory or /dev/null");
        }
        return inv;
    }

    private static void testFlag(Invocation inv, String name, String value, boolean on) throws UsageError {
        switch (name) {
            case "v" -> inv.verbose = on;
            case "list" -> inv.list = true;
            case "bench" -> inv.bench = true;
            case "failfast" -> inv.failfast = on;
            case "timeout" -> {
                if (parseDuration(value) < 0) {
                    throw new UsageError("invalid value \"" + value + "\" for flag -timeout: parse error");
                }
                inv.timeout = value;
            }
            case "outputdir" -> {
                value = Path.of(value).toAbsolutePath().toString();
                inv.outputDir = value;
            }
            default -> { }
        }
        if (PROFILES.contains(name)) {
            inv.profile = true;
        }
        inv.testArgs.add("-test." + name + "=" + (TEST_BOOL.contains(name) ? String.valueOf(on) : value));
    }

    @Override
    public Integer call() throws UserError {
        Invocation inv;
        try {
            inv = parse(args);
        } catch (UsageError e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ring0 test [build/test flags] [packages] [build/test flags & test binary flags]");
            System.err.println("Run 'ring0 test --help' and 'go help testflag' for details.");
            return 2;
        }
        Output out = new Output();
        Path tmp = null;
        ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ring0-test-build");
            t.setDaemon(true);
            return t;
        });
        try {
            GoBuild go = GoBuild.find(Main.home());
            boolean localDir = inv.packages.isEmpty();
            List<GoBuild.PackageInfo> pkgs = go.listForTest(localDir ? List.of(".") : inv.packages, inv.buildFlags);
            tmp = Files.createTempDirectory("ring0-test");
            // Build in order, one at a time, the next while the previous one runs.
            List<Future<Path>> builds = new ArrayList<>();
            for (GoBuild.PackageInfo p : pkgs) {
                Path exe = target(inv, p, pkgs.size(), tmp);
                builds.add(p.error() == null && p.hasTests()
                        ? builder.submit(() -> {
                            go.buildTest(p.importPath(), exe, inv.buildFlags);
                            return exe;
                        })
                        : null);
            }
            // Packages that cannot be loaded are reported first, as go test reports them while loading.
            boolean failed = false;
            for (GoBuild.PackageInfo p : pkgs) {
                if (p.error() != null && !inv.json) {
                    setupFailed(out, p);
                    failed = true;
                }
            }
            for (int i = 0; i < pkgs.size(); i++) {
                GoBuild.PackageInfo p = pkgs.get(i);
                if (p.error() != null && !inv.json) {
                    continue;
                }
                Path exe = null;
                String buildError = null;
                if (builds.get(i) != null) {
                    try {
                        exe = builds.get(i).get();
                    } catch (ExecutionException e) {
                        buildError = e.getCause().getMessage();
                    }
                }
                boolean ok = inv.compileOnly ? report(out, p, buildError)
                        : test(out, go, inv, p, exe, buildError, localDir);
                failed |= !ok;
                if (exe != null && inv.output == null) {
                    Files.deleteIfExists(exe);
                }
                if (!ok && inv.failfast && !inv.compileOnly) {
                    break;
                }
            }
            if (failed && !inv.json && !localDir && !inv.compileOnly) {
                out.line("FAIL");
            }
            return failed ? 1 : 0;
        } catch (BuildException e) {
            throw new UserError(e);
        } catch (IOException e) {
            throw new UserError("test: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        } finally {
            builder.shutdownNow();
            out.flush();
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** Where a package's test binary goes: -o (with -c, or kept after the run), else the temporary directory. */
    private static Path target(Invocation inv, GoBuild.PackageInfo p, int n, Path tmp) {
        String name = execName(p.importPath()) + ".test";
        if (inv.output == null) {
            return inv.compileOnly ? Path.of(name).toAbsolutePath() : tmp.resolve(p.importPath().replace('/', '_') + ".test");
        }
        Path o = Path.of(inv.output).toAbsolutePath();
        return inv.output.endsWith("/") || Files.isDirectory(o) || n > 1 ? o.resolve(name) : o;
    }

    /** The default name of a package's executable: the last element of its import path, without a /vN suffix. */
    static String execName(String importPath) {
        String[] e = importPath.split("/");
        String last = e[e.length - 1];
        return e.length > 1 && last.matches("v[2-9][0-9]*") ? e[e.length - 2] : last;
    }

    /** -c: reports a package whose test binary could not be built, as go test -c does. */
    private static boolean report(Output out, GoBuild.PackageInfo p, String buildError) {
        if (buildError != null) {
            out.line("FAIL\t" + p.importPath() + " [build failed]");
            return false;
        }
        return true;
    }

    private static void setupFailed(Output out, GoBuild.PackageInfo p) {
        out.flush();
        System.err.println("# " + p.importPath());
        System.err.println(p.error());
        System.err.flush();
        out.line("FAIL\t" + p.importPath() + " [setup failed]");
    }

    /** Runs one package's test binary and prints what go test prints for it. True if it passed. */
    private static boolean test(Output out, GoBuild go, Invocation inv, GoBuild.PackageInfo p, Path exe, String buildError,
            boolean localDir) throws IOException, InterruptedException {
        Process json = inv.json ? test2json(go, p.importPath(), out) : null;
        OutputStream sink = json != null ? json.getOutputStream() : out;
        try {
            if (p.error() != null) { // -json: setup failures come in order, as events
                System.err.println("# " + p.importPath() + "\n" + p.error());
                sink.write(("FAIL\t" + p.importPath() + " [setup failed]\n").getBytes(StandardCharsets.UTF_8));
                return false;
            }
            if (!p.hasTests()) {
                sink.write(("?   \t" + p.importPath() + "\t[no test files]\n").getBytes(StandardCharsets.UTF_8));
                return true;
            }
            if (buildError != null) {
                sink.write(("FAIL\t" + p.importPath() + " [build failed]\n").getBytes(StandardCharsets.UTF_8));
                return false;
            }
            return run(sink, go, inv, p, exe, localDir);
        } finally {
            sink.flush();
            if (json != null) {
                json.getOutputStream().close();
                json.waitFor();
            }
        }
    }

    /** go tool test2json, turning one package's output into go test -json's events on stdout. */
    private static Process test2json(GoBuild go, String importPath, Output out) throws IOException {
        out.flush();
        return new ProcessBuilder(go.toolchain().go().toString(), "tool", "test2json", "-t", "-p", importPath)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** runTestActor.Act: runs the binary in the package's directory, then prints ok or FAIL. */
    private static boolean run(OutputStream sink, GoBuild go, Invocation inv, GoBuild.PackageInfo p, Path exe, boolean localDir)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Main.home().resolve("ring0").toString(), "run", exe.toString()));
        cmd.addAll(inv.binaryArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(p.dir().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("PWD", p.dir().toString());
        String path = pb.environment().get("PATH");
        String gorootBin = go.toolchain().goroot().resolve("bin").toString();
        pb.environment().put("PATH", path == null || path.isEmpty() ? gorootBin : gorootBin + File.pathSeparator + path);

        // Stream the output when go test would (local directory mode, benchmarks, -v, -list, -json);
        // keep it to look for "no tests to run", and to show it if the test fails.
        boolean stream = localDir || inv.bench || inv.showPass() || inv.json;
        boolean keep = !localDir && !inv.bench;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        Process proc = pb.start();
        Thread reader = Thread.ofPlatform().daemon().name("ring0-test-output").start(() -> {
            byte[] b = new byte[8192];
            try (InputStream in = proc.getInputStream()) {
                for (int n; (n = in.read(b)) > 0;) {
                    synchronized (buf) {
                        if (keep) {
                            buf.write(b, 0, n);
                        }
                        if (stream) {
                            sink.write(b, 0, n);
                            sink.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // the pipe went away: what was read is all there is
            }
        });
        long kill = inv.killTimeoutNanos();
        boolean killed = false;
        if (kill > 0 && !proc.waitFor(kill, TimeUnit.NANOSECONDS)) {
            proc.destroyForcibly();
            killed = true;
        }
        int rc = proc.waitFor();
        String secs = String.format(Locale.ROOT, "%.3fs", (System.nanoTime() - t0) / 1e9);
        reader.join(TimeUnit.SECONDS.toMillis(WAIT_DELAY_SECONDS));
        boolean incomplete = reader.isAlive();
        synchronized (buf) {
            byte[] o = buf.toByteArray();
            if (rc == 0 && !killed && !incomplete) {
                String norun = contains(o, NO_TESTS_TO_RUN) ? " [no tests to run]" : "";
                if (stream && o.length > 0 && o[o.length - 1] != '\n') {
                    sink.write('\n');
                }
                sink.write(("ok  \t" + p.importPath() + "\t" + secs + norun + "\n").getBytes(StandardCharsets.UTF_8));
                return true;
            }
            if (!stream) {
                sink.write(o);
            }
            StringBuilder s = new StringBuilder();
            if (killed) {
                s.append("*** Test killed: ran too long (").append(formatDuration(kill)).append(").\n");
            } else if (incomplete) {
                s.append("*** Test I/O incomplete ").append(WAIT_DELAY_SECONDS).append("s after exiting.\n");
            }
            String signal = signalName(rc);
            if (killed || signal != null || o.length == 0) {
                s.append(killed ? "signal: killed" : signal != null ? "signal: " + signal : "exit status " + rc).append('\n');
            } else if (o[o.length - 1] != '\n') {
                s.append('\n');
            }
            s.append(inv.json ? "\u0016" : "").append("FAIL\t").append(p.importPath()).append('\t').append(secs).append('\n');
            sink.write(s.toString().getBytes(StandardCharsets.UTF_8));
            return false;
        }
    }

    /**
     * The signal that killed the binary, by Go's name for it, or null if it exited: Java reports death
     * by signal N as status 128+N (the ring0 launcher dies by the app's fatal signal).
     */
    static String signalName(int rc) {
        if (rc <= 128 || rc > 128 + 64) {
            return null;
        }
        return switch (rc - 128) {
            case 1 -> "hangup";
            case 2 -> "interrupt";
            case 3 -> "quit";
            case 4 -> "illegal instruction";
            case 5 -> "trace/breakpoint trap";
            case 6 -> "aborted";
            case 7 -> "bus error";
            case 8 -> "floating point exception";
            case 9 -> "killed";
            case 11 -> "segmentation fault";
            case 13 -> "broken pipe";
            case 14 -> "alarm clock";
            case 15 -> "terminated";
            default -> "signal " + (rc - 128);
        };
    }

    private static boolean contains(byte[] b, byte[] s) {
        if (b.length >= s.length - 1 && java.util.Arrays.equals(b, 0, s.length - 1, s, 1, s.length)) {
            return true; // at the very start, without the leading newline (noTestsToRun[1:])
        }
        outer:
        for (int i = 0; i <= b.length - s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (b[i + j] != s[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");

    /** A Go duration ("10m", "1h30m", "1.5s", "0") in nanoseconds; -1 if it is not one. */
    static long parseDuration(String s) {
        if (s.equals("0")) {
            return 0;
        }
        Matcher m = DURATION.matcher(s);
        double total = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            double unit = switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            total += Double.parseDouble(m.group(1)) * unit;
            at = m.end();
        }
        return at == s.length() && at > 0 ? (long) total : -1;
    }

    /** A whole number of seconds as Go prints a time.Duration: "11m0s", "1h0m5s", "30s". */
    static String formatDuration(long nanos) {
        long s = nanos / 1_000_000_000L;
        if (s < 60) {
            return s + "s";
        }
        return s >= 3600 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" + (s % 60) + "s" : (s / 60) + "m" + (s % 60) + "s";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** This process's stdout, as bytes (test output is not necessarily UTF-8), flushed at each line. */
    static final class Output extends OutputStream {
        private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                // stdout is gone: nothing to tell anyone
            }
        }

        void line(String s) {
            try {
                write((s + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // as flush
            }
            flush();
        }
    }
}
