package ring0.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import ring0.build.BuildException;
import ring0.build.GoBuild;
import ring0.loader.AppImage;

/** What run and insexe start: an existing ring0 executable, or a package built on the fly. */
final class Executables {
    private Executables() {}

    /** A ring0 executable for target: the file itself if it is an ELF file, else target built into the cache. */
    static Path resolve(String target) throws UserError {
        Path p = Path.of(target);
        if (Files.isRegularFile(p) && isElf(p)) {
            return p.toAbsolutePath().normalize();
        }
        if (target.endsWith(".ring0") && !Files.exists(p)) {
            throw new UserError(target + ": no such file");
        }
        try {
            GoBuild go = GoBuild.find(Main.home());
            Path out = cacheDir().resolve(key(target)).resolve(name(target) + ".ring0");
            Files.createDirectories(out.getParent());
            go.build(target, out, List.of());
            return out;
        } catch (BuildException e) {
            throw new UserError(e);
        } catch (IOException e) {
            throw new UserError("cannot create the build cache: " + e.getMessage());
        }
    }

    private static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    private static String name(String target) {
        String t = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        if (t.equals(".") || t.isEmpty()) {
            t = Path.of("").toAbsolutePath().getFileName().toString();
        }
        String base = t.substring(t.lastIndexOf('/') + 1);
        return base.endsWith(".go") ? base.substring(0, base.length() - 3) : base;
    }

    private static String key(String target) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((Path.of("").toAbsolutePath() + "\0" + target).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ring0").resolve("run");
    }

    /** This process's environment, in its original order and bytes (AppImage byte strings). */
    static List<String> environment() throws IOException {
        return nulSeparated(Files.readAllBytes(Path.of("/proc/self/environ")));
    }

    /**
     * The app's argv: the executable's path, then the last n arguments this process was given, as
     * the bytes the caller passed (the JVM decodes its own arguments with the locale's charset, which
     * would change an argument that is not valid in it).
     */
    static List<String> argv(Path exe, int n) throws IOException {
        List<String> cmdline = nulSeparated(Files.readAllBytes(Path.of("/proc/self/cmdline")));
        List<String> argv = new ArrayList<>();
        argv.add(AppImage.bytes(exe.toString()));
        argv.addAll(cmdline.subList(cmdline.size() - n, cmdline.size()));
        return argv;
    }

    private static List<String> nulSeparated(byte[] raw) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                out.add(new String(raw, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return out;
    }
}
