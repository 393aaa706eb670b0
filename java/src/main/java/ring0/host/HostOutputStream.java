package ring0.host;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import ring0.abi.Errno;
import ring0.abi.Sysno;

/** An OutputStream onto a host descriptor by number (java.io cannot open one by number). */
public final class HostOutputStream extends OutputStream {
    private final int fd;

    public HostOutputStream(int fd) {
        this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(len, 1));
            MemorySegment.copy(MemorySegment.ofArray(b), off, buf, 0, len);
            long done = 0;
            while (done < len) {
                long n = Host.call(Sysno.SYS_WRITE, fd, buf.address() + done, len - done);
                if (n == -Errno.EINTR) {
                    continue;
                }
                Host.check(n, "write to descriptor " + fd);
                done += n;
            }
        }
    }
}
