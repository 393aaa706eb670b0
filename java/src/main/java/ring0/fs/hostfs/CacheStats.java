package ring0.fs.hostfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the host file caches did and hold, as /proc/ring0/ shows it: counters since boot and gauges
 * of now, by name, in a fixed order. {@link #toText} is the file's content ("name value" lines, as
 * /proc/meminfo).
 *
 * <p>The counters are counted where they happen: by the calling task in its own array
 * ({@code Task.cacheCounters}, indexed by the constants here), or, outside any task (the writeback
 * job, fork hooks), in the caches' shared array; {@link HostCaches#stats} sums them.
 *
 * @param mode the cache mode ("auto", "always", "none")
 * @param values every counter and gauge, in the order of {@link #NAMES} then the gauges
 */
public record CacheStats(String mode, Map<String, Long> values) {
    /** Cached lookups answered without the host: positive, and negative (the name does not exist). */
    public static final int LOOKUP_HIT = 0, LOOKUP_NEGATIVE_HIT = 1;
    /** Names looked up on the host, and cached names checked again with it (stale, or for a change). */
    public static final int LOOKUP_MISS = 2, REVALIDATE = 3;
    /** Of the revalidations, names that meant another file (or none) by then. */
    public static final int REVALIDATE_CHANGED = 4;
    /** getattr from cached attributes, and from the host. */
    public static final int ATTR_HIT = 5, ATTR_MISS = 6;
    /** Of the attribute refreshes, files changed on the host by someone else (size or times moved). */
    public static final int CHANGED_ON_HOST = 7;
    /** Opens served from the cache (no host call), and opens that asked the host. */
    public static final int OPEN_CACHED = 8, OPEN_HOST = 9;
    /** Reads and writes served from cached pages (the kernel's host mapping, or the tail buffer). */
    public static final int READ_CACHED = 10, READ_CACHED_BYTES = 11, WRITE_CACHED = 12, WRITE_CACHED_BYTES = 13;
    /** Reads and writes sent to the host file at once (large ones, or with the cache bypassed). */
    public static final int READ_DIRECT = 14, READ_DIRECT_BYTES = 15, WRITE_DIRECT = 16, WRITE_DIRECT_BYTES = 17;
    /** Flushes of dirty data to the host, and their bytes. */
    public static final int FLUSHES = 18, FLUSH_BYTES = 19;
    /** Flushes by reason. */
    public static final int FLUSH_FSYNC = 20, FLUSH_CLOSE = 21, FLUSH_FORK = 22, FLUSH_LIMIT = 23, FLUSH_TIMER = 24,
            FLUSH_SYNC = 25, FLUSH_CGO = 26, FLUSH_OTHER = 27;
    /** Host fsync/fdatasync calls made for the app's fsync, fdatasync, O_SYNC, O_DSYNC, sync and syncfs. */
    public static final int HOST_SYNCS = 28;
    /** Faults (SIGBUS) met in a mapping, after the host file shrank under it, and survived. */
    public static final int FAULTS = 29;
    /** Open files that moved to a host descriptor of their own (a child, exec, a forwarded call). */
    public static final int PROMOTED = 30;
    /** Host descriptors and mappings of cached files opened, and released to stay under the limits. */
    public static final int DATA_FDS_OPENED = 31, DATA_FDS_EVICTED = 32, CHUNKS_MAPPED = 33;
    /** Unused cached names dropped to stay under the limit. */
    public static final int DENTRIES_PRUNED = 34;
    /** Times the kernel stopped trusting every cached name and attribute because C code had run (cgo). */
    public static final int CGO_INVALIDATIONS = 35;
    /** The number of counters. */
    public static final int N = 36;

    /** The counters' names, by index. */
    static final String[] NAMES = {
        "lookup_hits", "lookup_negative_hits", "lookup_misses", "revalidations", "revalidations_changed",
        "attr_hits", "attr_misses", "changed_on_host",
        "opens_cached", "opens_host",
        "reads_cached", "read_bytes_cached", "writes_cached", "write_bytes_cached",
        "reads_direct", "read_bytes_direct", "writes_direct", "write_bytes_direct",
        "flushes", "flush_bytes",
        "flushes_fsync", "flushes_close", "flushes_fork", "flushes_limit", "flushes_timer", "flushes_sync",
        "flushes_cgo", "flushes_other",
        "host_syncs", "mapping_faults", "promoted_files",
        "data_fds_opened", "data_fds_evicted", "chunks_mapped", "dentries_pruned",
        "cgo_invalidations",
    };

    static {
        if (NAMES.length != N) {
            throw new ExceptionInInitializerError("CacheStats.NAMES has " + NAMES.length + " names for " + N + " counters");
        }
    }

    public CacheStats {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** One value by name (0 if unknown). */
    public long get(String name) {
        Long v = values.get(name);
        return v == null ? 0 : v;
    }

    /** "mode auto" and then one "name value" line per counter and gauge. */
    public String toText() {
        StringBuilder b = new StringBuilder("mode ").append(mode).append('\n');
        for (Map.Entry<String, Long> e : values.entrySet()) {
            b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return b.toString();
    }
}
