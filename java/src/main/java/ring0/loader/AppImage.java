package ring0.loader;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A ring0 executable about to be inserted, with the argv and environment it will see. The file must
 * be an ELF shared object carrying the marker that the patched runtime embeds
 * ({@code \0RING0EXE:abi=N\0}); anything else is refused before it is loaded.
 */
public final class AppImage {
    static final byte[] MARKER = "\0RING0EXE:abi=".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    private final Path path;
    private final List<String> argv;
    private final List<String> env;
    private final int abi;
    private MemorySegment block;

    private AppImage(Path path, List<String> argv, List<String> env, int abi) {
        this.path = path;
        this.argv = argv;
        this.env = env;
        this.abi = abi;
    }

    /**
     * Checks that path is a ring0 executable.
     *
     * @param argv the program's arguments, argv[0] first, as byte strings (see {@link #bytes})
     * @param env the program's environment, "NAME=value" byte strings
     */
    public static AppImage open(Path path, List<String> argv, List<String> env) throws LoadException {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new LoadException("cannot read " + path + ": " + e.getMessage());
        }
        if (data.length < 4 || !java.util.Arrays.equals(data, 0, 4, ELF, 0, 4)) {
            throw new LoadException(path + " is not a ring0 executable (not an ELF file); build one with 'ring0 build'");
        }
        int at = indexOf(data, MARKER);
        if (at < 0) {
            throw new LoadException(path + " is not a ring0 executable (no Ring0 runtime inside); build it with 'ring0 build'");
        }
        int abi = data[at + MARKER.length] - '0';
        return new AppImage(path.toAbsolutePath(), List.copyOf(argv), List.copyOf(env), abi);
    }

    static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public Path path() {
        return path;
    }

    /** The Ring0 ABI the program was built for. */
    public int abi() {
        return abi;
    }

    /** The program's arguments, argv[0] first (byte strings: see {@link #bytes}). */
    public List<String> argv() {
        return argv;
    }

    /** The program's initial environment, "NAME=value" byte strings. */
    public List<String> env() {
        return env;
    }

    public int argc() {
        return argv.size();
    }

    /**
     * The block the runtime reads argv and envp from, laid out as at process start: argv pointers,
     * NULL, envp pointers, NULL, then the host's auxiliary vector. Allocated once, never freed: the
     * runtime keeps pointers into it (os.Args shares the bytes).
     */
    public synchronized long argvBlock() {
        if (block == null) {
            Arena arena = Arena.global();
            byte[] auxv = readAuxv();
            long words = argv.size() + 1 + env.size() + 1;
            block = arena.allocate(words * 8 + auxv.length + 16, 8);
            long i = 0;
            for (String a : argv) {
                block.setAtIndex(ADDRESS, i++, cString(arena, a));
            }
            block.setAtIndex(ADDRESS, i++, MemorySegment.NULL);
            for (String e : env) {
                block.setAtIndex(ADDRESS, i++, cString(arena, e));
            }
            block.setAtIndex(ADDRESS, i++, MemorySegment.NULL);
            MemorySegment.copy(MemorySegment.ofArray(auxv), 0, block, i * 8, auxv.length);
        }
        return block.address();
    }

    /**
     * argv and environ are bytes, not text (a Go program sees invalid UTF-8 as it is), so Ring0 carries
     * them in Strings whose chars are the bytes (ISO-8859-1): this turns text into such a byte string.
     */
    public static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static MemorySegment cString(Arena arena, String byteString) {
        byte[] b = byteString.getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment s = arena.allocate(b.length + 1);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, s, 0, b.length);
        return s;
    }

    private static byte[] readAuxv() {
        try {
            return Files.readAllBytes(Path.of("/proc/self/auxv"));
        } catch (IOException e) {
            return new byte[16]; // AT_NULL
        }
    }
}
