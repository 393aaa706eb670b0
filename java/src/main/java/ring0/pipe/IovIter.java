package ring0.pipe;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import ring0.usermem.UserMemory;

/**
 * The app's side of a transfer (Linux: struct iov_iter): one buffer, or an array of struct iovec
 * that the caller validated ({@link ring0.kernel.Iovecs#check}). A position is a byte offset into
 * the whole transfer, so that the pipe's loops keep it in a local and nothing is allocated.
 * A fault is detected before any byte of the piece moves.
 */
final class IovIter {
    private IovIter() {}

    /**
     * Copies n bytes at position pos of the source (buf when iov is 0, else the iovec array) into
     * dst[off..]. Returns false, having copied nothing of the faulting piece, if the app's memory is
     * bad there.
     */
    static boolean copyIn(long buf, long iov, int iovcnt, long pos, byte[] dst, int off, int n) {
        if (iov == 0) {
            if (!UserMemory.canRead(buf + pos, n)) {
                return false;
            }
            MemorySegment.copy(UserMemory.ALL, JAVA_BYTE, buf + pos, dst, off, n);
            return true;
        }
        for (int i = 0; i < iovcnt && n > 0; i++) {
            long base = UserMemory.getLong(iov + 16L * i), len = UserMemory.getLong(iov + 16L * i + 8);
            if (pos >= len) {
                pos -= len;
                continue;
            }
            int piece = (int) Math.min(n, len - pos);
            if (!UserMemory.canRead(base + pos, piece)) {
                return false;
            }
            MemorySegment.copy(UserMemory.ALL, JAVA_BYTE, base + pos, dst, off, piece);
            off += piece;
            n -= piece;
            pos = 0;
        }
        return true;
    }

    /** Copies src[off..off+n) to position pos of the destination; false if the app's memory is bad. */
    static boolean copyOut(byte[] src, int off, long buf, long iov, int iovcnt, long pos, int n) {
        if (iov == 0) {
            if (!UserMemory.canWrite(buf + pos, n)) {
                return false;
            }
            MemorySegment.copy(src, off, UserMemory.ALL, JAVA_BYTE, buf + pos, n);
            return true;
        }
        for (int i = 0; i < iovcnt && n > 0; i++) {
            long base = UserMemory.getLong(iov + 16L * i), len = UserMemory.getLong(iov + 16L * i + 8);
            if (pos >= len) {
                pos -= len;
                continue;
            }
            int piece = (int) Math.min(n, len - pos);
            if (!UserMemory.canWrite(base + pos, piece)) {
                return false;
            }
            MemorySegment.copy(src, off, UserMemory.ALL, JAVA_BYTE, base + pos, piece);
            off += piece;
            n -= piece;
            pos = 0;
        }
        return true;
    }
}
