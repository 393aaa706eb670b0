package ring0.build;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ring0 build: the ordinary {@code go build}, with cgo on, {@code -buildmode=c-shared} and the
 * overlay that patches the runtime (made by go/cmd/ring0-overlay from the installed GOROOT, cached
 * per Go version). The result is a "ring0 executable": a shared object the kernel loads.
 */
public final class GoBuild {
    private final Path home;
    private final Toolchain go;

    /** An installed Go toolchain. */
    public record Toolchain(Path go, Path goroot, String version) {}

    private GoBuild(Path home, Toolchain go) {
        this.home = home;
        this.go = go;
    }

    /** Finds go and a C compiler; fails with what to install. */
    public static GoBuild find(Path home) throws BuildException {
        Path go = which("go");
        if (go == null) {
            throw new BuildException("go not found on PATH: install Go (go1.25 or go1.26) to build ring0 executables");
        }
        String cc = System.getenv("CC");
        if (which(cc != null && !cc.isBlank() ? cc.split(" ")[0] : "gcc") == null && which("cc") == null) {
            throw new BuildException("no C compiler (gcc) found on PATH: ring0 executables are built with cgo; "
                    + "install gcc (Debian: apt-get install gcc)");
        }
        List<String> env = run(List.of(go.toString(), "env", "GOROOT", "GOVERSION"), "go env");
        if (env.size() < 2) {
            throw new BuildException("go env printed " + env);
        }
        return new GoBuild(home, new Toolchain(go, Path.of(env.get(0)), env.get(1)));
    }

    public Toolchain toolchain() {
        return go;
    }

    /** The overlay.json for this toolchain (made and cached by ring0-overlay). */
    public Path overlay() throws BuildException {
        Path tool = home.resolve("build/bin/ring0-overlay");
        if (!Files.isExecutable(tool)) {
            throw new BuildException(tool + " is missing: run ./ring0 from the repository, which builds it");
        }
        List<String> out = run(List.of(tool.toString(), "-goroot", go.goroot().toString()), "ring0-overlay");
        return Path.of(out.get(out.size() - 1));
    }

    /**
     * Builds pkg (a directory or an import path, as go build takes it) into out.
     *
     * @param goFlags other go build flags, passed as they are
     */
    public void build(String pkg, Path out, List<String> goFlags) throws BuildException {
        Path overlay = overlay();
        List<String> cmd = new ArrayList<>(List.of(go.go().toString(), "build", "-buildmode=c-shared",
                "-overlay=" + overlay, "-o", out.toString()));
        cmd.addAll(goFlags);
        cmd.add(pkg);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("CGO_ENABLED", "1");
        int rc;
        try {
            rc = pb.start().waitFor();
        } catch (IOException e) {
            throw new BuildException("cannot run go build: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted");
        }
        if (rc != 0) {
            throw new BuildException("go build " + pkg + " failed (exit status " + rc + ")");
        }
        try {
            // c-shared also writes a C header next to the library: a ring0 executable has no use for it.
            String name = out.getFileName().toString();
            int dot = name.lastIndexOf('.');
            Files.deleteIfExists(out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".h"));
        } catch (IOException e) {
            throw new BuildException("cannot remove the C header: " + e.getMessage());
        }
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
