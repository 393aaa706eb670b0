package ring0.build;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ring0 build: the ordinary {@code go build}, with cgo on, {@code -buildmode=c-shared} and the
 * overlay that patches the runtime (made by go/cmd/ring0-overlay from the installed GOROOT, cached
 * per Go version). The result is a "ring0 executable": a shared object the kernel loads.
 *
 * <p>A toolchain that GOTOOLCHAIN selected lives under GOMODCACHE, where the go command refuses
 * overlays: ring0-overlay then copies it once into the user cache, and the build runs that copy.
 */
public final class GoBuild {
    private final Path home;
    private final Toolchain go;

    /** An installed Go toolchain, as {@code go env} reports it in the current directory. */
    public record Toolchain(Path go, Path goroot, String version, Path gomodcache) {}

    /** An overlay and the GOROOT it applies to: the toolchain's own, or ring0-overlay's copy of it. */
    public record Overlay(Path goroot, Path file) {}

    private GoBuild(Path home, Toolchain go) {
        this.home = home;
        this.go = go;
    }

    /** Finds go and a C compiler; fails with what to install. */
    public static GoBuild find(Path home) throws BuildException {
        Path go = which("go");
        if (go == null) {
            throw new BuildException("go not found on PATH: install Go (go1.24, go1.25 or go1.26) to build ring0 executables");
        }
        String cc = System.getenv("CC");
        if (which(cc != null && !cc.isBlank() ? cc.split(" ")[0] : "gcc") == null && which("cc") == null) {
            throw new BuildException("no C compiler (gcc) found on PATH: ring0 executables are built with cgo; "
                    + "install gcc (Debian: apt-get install gcc)");
        }
        List<String> env = run(List.of(go.toString(), "env", "GOROOT", "GOVERSION", "GOMODCACHE"), "go env");
        if (env.size() < 3) {
            throw new BuildException("go env printed " + env);
        }
        return new GoBuild(home, new Toolchain(go, Path.of(env.get(0)), env.get(1), Path.of(env.get(2))));
    }

    public Toolchain toolchain() {
        return go;
    }

    /** The overlay for this toolchain and the GOROOT to build with (made and cached by ring0-overlay). */
    public Overlay overlay() throws BuildException {
        Path tool = home.resolve("build/bin/ring0-overlay");
        if (!Files.isExecutable(tool)) {
            throw new BuildException(tool + " is missing: run ./ring0 from the repository, which builds it");
        }
        List<String> out = run(List.of(tool.toString(), "-goroot", go.goroot().toString(),
                "-gomodcache", go.gomodcache().toString()), "ring0-overlay");
        if (out.size() != 2) {
            throw new BuildException("ring0-overlay printed " + out + ", want a GOROOT and an overlay");
        }
        return new Overlay(Path.of(out.get(0)), Path.of(out.get(1)));
    }

    /**
     * Builds pkg (a directory or an import path, as go build takes it) into out.
     *
     * @param goFlags other go build flags, passed as they are
     */
    public void build(String pkg, Path out, List<String> goFlags) throws BuildException {
        compile(List.of("build"), pkg, out, goFlags);
    }

    /** Builds the test binary of pkg into out, as {@code go test -c} does, as a ring0 executable. */
    public void buildTest(String pkg, Path out, List<String> goFlags) throws BuildException {
        compile(List.of("test", "-c"), pkg, out, goFlags);
    }

    private void compile(List<String> verb, String pkg, Path out, List<String> goFlags) throws BuildException {
        Overlay overlay = overlay();
        // The toolchain the overlay was made for, and no other: no GOTOOLCHAIN switch from here on.
        List<String> cmd = new ArrayList<>();
        cmd.add(overlay.goroot().resolve("bin/go").toString());
        cmd.addAll(verb);
        cmd.addAll(List.of("-buildmode=c-shared", "-overlay=" + overlay.file(), "-o", out.toString()));
        cmd.addAll(withTag(goFlags, RING0_TAG));
        cmd.add(pkg);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("CGO_ENABLED", "1");
        pb.environment().put("GOTOOLCHAIN", "local");
        pb.environment().put("GOROOT", overlay.goroot().toString());
        int rc;
        try {
            rc = pb.start().waitFor();
        } catch (IOException e) {
            throw new BuildException("cannot run go " + verb.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted");
        }
        if (rc != 0) {
            throw new BuildException("go " + String.join(" ", verb) + " " + pkg + " failed (exit status " + rc + ")");
        }
        try {
            // c-shared also writes a C header next to the library: a ring0 executable has no use for it.
            String name = out.getFileName().toString();
            int dot = name.lastIndexOf('.');
            Files.deleteIfExists(out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".h"));
        } catch (IOException e) {
            throw new BuildException("cannot remove the C header: " + e.getMessage());
        }
        makeExecutable(out, home.resolve("ring0"));
    }

    /** The slot for the launcher's path in a ring0 executable (go/patch/files/exec_entry.c.tmpl). */
    static final byte[] LAUNCHER_MARKER = "ring0-launcher-path:".getBytes(StandardCharsets.US_ASCII);
    static final int LAUNCHER_SLOT = 4096;

    /**
     * Makes the library a program the host can execute, as go build leaves an executable: mode 0755
     * (c-shared writes 0644), and the path of the launcher that its entry point runs it with written
     * into its slot: the marker followed by zero bytes, once in the file.
     */
    static void makeExecutable(Path out, Path launcher) throws BuildException {
        byte[] path = launcher.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        if (LAUNCHER_MARKER.length + path.length >= LAUNCHER_SLOT) {
            throw new BuildException("the launcher's path is too long to record in " + out + ": " + launcher);
        }
        try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
            byte[] b = Files.readAllBytes(out);
            long slot = -1;
            for (int i = indexOf(b, LAUNCHER_MARKER, 0); i >= 0; i = indexOf(b, LAUNCHER_MARKER, i + 1)) {
                if (isSlot(b, i + LAUNCHER_MARKER.length, i + LAUNCHER_SLOT, path)) {
                    if (slot >= 0) {
                        throw new BuildException(out + ": two slots for the launcher's path");
                    }
                    slot = i + LAUNCHER_MARKER.length;
                }
            }
            if (slot < 0) {
                throw new BuildException(out + ": no slot for the launcher's path (was the overlay applied?)");
            }
            f.seek(slot);
            f.write(path);
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new BuildException("cannot make " + out + " executable: " + e.getMessage());
        }
    }

    /**
     * Whether b[from, end) is the slot: zero bytes, or this launcher's path and zero bytes (go build
     * leaves an output that is up to date as it is, so the path may be there from the last build).
     */
    private static boolean isSlot(byte[] b, int from, int end, byte[] path) {
        if (end > b.length) {
            return false;
        }
        int j = from;
        if (Arrays.equals(b, from, from + path.length, path, 0, path.length)) {
            j += path.length;
        }
        for (; j < end; j++) {
            if (b[j] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte[] s, int from) {
        outer:
        for (int i = from; i <= b.length - s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (b[i + j] != s[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A package as go list sees it, for ring0 test: where its sources are, whether it has tests, and
     * why it cannot be loaded (null if it can).
     */
    public record PackageInfo(String importPath, Path dir, boolean hasTests, String error) {}

    /**
     * go list -e of the given patterns (in the current directory), in go list's order. What go list
     * prints on stderr (patterns that match nothing) goes to this process's stderr, as go test shows it.
     */
    public List<PackageInfo> listForTest(List<String> patterns, List<String> goFlags) throws BuildException {
        // Fields apart by US, records ended by NUL: an error may span lines.
        List<String> cmd = new ArrayList<>(List.of(go.go().toString(), "list", "-e", "-f",
                "{{.ImportPath}}\u001f{{.Dir}}\u001f{{len .TestGoFiles}}{{len .XTestGoFiles}}\u001f"
                        + "{{if .Error}}{{.Error}}{{end}}{{\"\\x00\"}}"));
        for (String f : goFlags) {
            if (f.startsWith("-tags") || f.startsWith("-mod") || f.startsWith("-modfile")) {
                cmd.add(f);
            }
        }
        cmd.addAll(withTag(List.of(), RING0_TAG));
        cmd.addAll(patterns);
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new BuildException("go list " + String.join(" ", patterns) + " failed (exit status " + rc + ")");
            }
        } catch (IOException e) {
            throw new BuildException("go list: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted");
        }
        List<PackageInfo> pkgs = new ArrayList<>();
        for (String rec : out.split("\u0000\n?")) {
            String[] f = rec.split("\u001f", 4);
            if (f.length == 4) {
                pkgs.add(new PackageInfo(f[0], f[1].isEmpty() ? null : Path.of(f[1]), !f[2].equals("00"),
                        f[3].isEmpty() ? null : f[3]));
            }
        }
        return pkgs;
    }

    /**
     * The build tag every ring0 build sets: code for Ring0 only (package ring0.dev/api links to the
     * patched runtime under it) says {@code //go:build ring0}.
     */
    public static final String RING0_TAG = "ring0";

    /**
     * goFlags with build tag tag added: merged into the last -tags flag (go build heeds only the
     * last one), in the form it uses (comma-separated, or the old space-separated form), or as a
     * flag of its own.
     */
    static List<String> withTag(List<String> goFlags, String tag) {
        List<String> flags = new ArrayList<>(goFlags);
        for (int i = flags.size() - 1; i >= 0; i--) {
            String f = flags.get(i);
            String name = f.startsWith("--") ? f.substring(1) : f;
            if (name.equals("-tags") && i + 1 < flags.size()) {
                flags.set(i + 1, addTag(flags.get(i + 1), tag));
                return flags;
            }
            if (name.startsWith("-tags=")) {
                int eq = f.indexOf('=');
                flags.set(i, f.substring(0, eq + 1) + addTag(f.substring(eq + 1), tag));
                return flags;
            }
        }
        flags.add("-tags=" + tag);
        return flags;
    }

    private static String addTag(String tags, String tag) {
        if (tags.isBlank()) {
            return tag;
        }
        return tags + (tags.contains(",") || !tags.contains(" ") ? "," : " ") + tag;
    }

    /** The import path of pkg, as go list reports it; its last element names the output by default. */
    public String importPath(String pkg) throws BuildException {
        List<String> out = run(List.of(go.go().toString(), "list", "-f", "{{.Name}} {{.ImportPath}}", pkg), "go list");
        String[] f = out.get(0).split(" ", 2);
        if (!f[0].equals("main")) {
            throw new BuildException(pkg + " is package " + f[0] + ", not a main package");
        }
        return f[1];
    }

    private static List<String> run(List<String> cmd, String what) throws BuildException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            int rc = p.waitFor();
            if (rc != 0) {
                String msg = new String(err, StandardCharsets.UTF_8).strip();
                throw new BuildException(msg.startsWith("ring0: ") ? msg.substring(7) : what + " failed: " + msg);
            }
            return new String(out, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new BuildException(what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted");
        }
    }

    /** The path of an executable on PATH, or null. */
    static Path which(String name) {
        if (name.contains("/")) {
            return Files.isExecutable(Path.of(name)) ? Path.of(name) : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
