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

    /** Points this probe at buf[off, off+len). */
    void set(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + buf[i];
        }
        this.hash = h;
    }

    /** Points this probe at buf[off, off+len), whose hash (as {@link #set} computes it) is h. */
    void set(byte[] buf, int off, int len, int h) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.hash = h;
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
        return o instanceof Name n && n.len == len && n.hash == hash && sameBytes(buf, off, n.buf, n.off, len);
    }

    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether a[ai, ai+len) equals b[bi, bi+len), eight bytes at a time: names are short, and the
     * setup of Arrays.equals's vectorized compare cost more than the compare (a stat's walk profile).
     */
    private static boolean sameBytes(byte[] a, int ai, byte[] b, int bi, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if ((long) WORD.get(a, ai + i) != (long) WORD.get(b, bi + i)) {
                return false;
            }
        }
        for (; i < len; i++) {
            if (a[ai + i] != b[bi + i]) {
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
