package ring0.vfs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One path component: its bytes and their hash, the key of a directory's children in the dentry
 * cache. A stored name owns its bytes and never changes; a probe (one per {@link Nameidata}) is
 * re-pointed at each component of the path being walked, so that finding a cached child allocates
 * nothing.
 */
public final class Name {
    private byte[] buf;
    private int off, len, hash;
    /** The bytes after the last whole eight, zero-padded: the end of a compare without a byte loop. */
    private long tail;

    private Name() {}

    /** A stored name that owns bytes (which the caller gives up). */
    public static Name of(byte[] bytes) {
        Name n = new Name();
        n.set(bytes, 0, bytes.length);
        return n;
    }

    /** A stored name from a Java string (UTF-8). */
    public static Name of(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A probe: re-pointed with {@link #set}. */
    static Name probe() {
        return new Name();
    }

    /**
     * The running hash of a name after one more eight-byte word of it (little-endian; a last partial
     * word zero-padded, and mixed only if the name has one). A walk hashes a component as it scans
     * for its end, a word at a time, like Linux's hash_name; {@link #set} gives the same hash.
     */
    static long mix(long h, long word) {
        h = (h ^ word) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    /** The hash of a name from its running hash. */
    static int finish(long h) {
        return (int) (h ^ (h >>> 32));
    }

    /** Points this probe at buf[off, off+len). */
    void set(byte[] buf, int off, int len) {
        long h = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = mix(h, (long) WORD.get(buf, off + i));
        }
        long t = 0;
        for (int j = len - 1; j >= i; j--) {
            t = (t << 8) | (buf[off + j] & 0xff);
        }
        set(buf, off, len, finish(i < len ? mix(h, t) : h), t);
    }

    /**
     * Points this probe at buf[off, off+len), whose hash (as {@link #set} computes it) is hash and
     * whose bytes after the last whole eight, zero-padded, are tail.
     */
    void set(byte[] buf, int off, int len, int hash, long tail) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.hash = hash;
        this.tail = tail;
    }

    /** A stored copy of this name (of a probe: of the component it points at). */
    Name copy() {
        return of(Arrays.copyOfRange(buf, off, off + len));
    }

    public int length() {
        return len;
    }

    public byte byteAt(int i) {
        return buf[off + i];
    }

    /** The bytes of a stored name (shared: do not change them). */
    public byte[] bytes() {
        return off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len);
    }

    /** Copies the bytes into dst at dstOff. */
    public void copyTo(byte[] dst, int dstOff) {
        System.arraycopy(buf, off, dst, dstOff, len);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Name n && n.len == len && n.hash == hash && n.tail == tail
                && sameWords(buf, off, n.buf, n.off, len & ~7);
    }

    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Whether a[ai, ai+len) equals b[bi, bi+len), len a multiple of eight. */
    private static boolean sameWords(byte[] a, int ai, byte[] b, int bi, int len) {
        for (int i = 0; i < len; i += 8) {
            if ((long) WORD.get(a, ai + i) != (long) WORD.get(b, bi + i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return new String(buf, off, len, StandardCharsets.UTF_8);
    }
}
