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

    /** This process's environment, in its original order (what the app would see natively). */
    static List<String> environment() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/self/environ"));
        List<String> env = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                if (i > start) {
                    env.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return env;
    }
}
