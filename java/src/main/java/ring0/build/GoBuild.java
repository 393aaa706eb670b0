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
        Overlay overlay = overlay();
        // The toolchain the overlay was made for, and no other: no GOTOOLCHAIN switch from here on.
        List<String> cmd = new ArrayList<>(List.of(overlay.goroot().resolve("bin/go").toString(), "build",
                "-buildmode=c-shared", "-overlay=" + overlay.file(), "-o", out.toString()));
        cmd.addAll(goFlags);
        cmd.add(pkg);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("CGO_ENABLED", "1");
        pb.environment().put("GOTOOLCHAIN", "local");
        pb.environment().put("GOROOT", overlay.goroot().toString());
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
