package ring0.fs.hostfs;

import java.util.Locale;

/**
 * How much of the host's files the kernel caches ({@code --cache}), after virtiofs's cache modes.
 * The data of a cached file is always the host's own page cache (the kernel maps it), so what a
 * mode decides is how long names and attributes are trusted, and whether writes past the end of a
 * file wait in the kernel before they reach the host.
 */
public enum CacheMode {
    /** Nothing is cached: every lookup, stat, read and write asks the host. */
    NONE,
    /**
     * Names and attributes are trusted for about a second, then asked again; a file whose
     * attributes are older is revalidated when it is opened. Dirty data reaches the host within a
     * second, and at fsync, close, before a child process starts, and when a dirty limit is reached.
     * The default.
     */
    AUTO,
    /**
     * Names and attributes are trusted until the kernel itself changes them (nobody else changes the
     * files), or until a child process of the app may have. Writeback as {@link #AUTO}.
     */
    ALWAYS;

    /** The text of --help. */
    public static final String HELP = "How much of the host's files the kernel caches: auto (the default: names and "
            + "attributes trusted for about a second, files changed by others revalidated on open, dirty data written "
            + "within a second), always (trusted until the app changes them: nobody else changes the files), "
            + "none (every call asks the host).";

    /** Parses "auto", "always" or "none"; IllegalArgumentException with a message for people otherwise. */
    public static CacheMode parse(String s) {
        for (CacheMode m : values()) {
            if (m.optionName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + s + "': expected auto, always or none");
    }

    /** The option's spelling: "auto", "always", "none". */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
