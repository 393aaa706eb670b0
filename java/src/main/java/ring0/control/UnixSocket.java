package ring0.control;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.host.HostException;

/**
 * An AF_UNIX stream socket on the host, made with raw system calls because the control protocol
 * passes descriptors (SCM_RIGHTS), which java.nio cannot.
 */
final class UnixSocket implements Closeable {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1;
    private static final int SYS_BIND = 49, SYS_LISTEN = 50, SYS_CONNECT = 42;
    private static final int SUN_PATH_MAX = 107;
    private static final int MAX_FDS = 3;

    final int fd;

    private UnixSocket(int fd) {
        this.fd = fd;
    }

    static UnixSocket listen(Path path) throws HostException {
        UnixSocket s = open();
        try (Arena arena = Arena.ofConfined()) {
            check(Host.call(SYS_BIND, s.fd, address(arena, path).address(), 110), "bind " + path, s);
            check(Host.call(SYS_LISTEN, s.fd, 8, 0), "listen " + path, s);
        }
        return s;
    }

    static UnixSocket connect(Path path) throws HostException {
        UnixSocket s = open();
        try (Arena arena = Arena.ofConfined()) {
            check(Host.call(SYS_CONNECT, s.fd, address(arena, path).address(), 110), "connect " + path, s);
        }
        return s;
    }

    UnixSocket accept() throws HostException {
        long r = Host.call(Sysno.SYS_ACCEPT4, fd, 0, 0, Fcntl.SOCK_CLOEXEC, 0, 0);
        return new UnixSocket((int) Host.check(r, "accept"));
    }

    private static UnixSocket open() throws HostException {
        long r = Host.call(Sysno.SYS_SOCKET, AF_UNIX, SOCK_STREAM | Fcntl.SOCK_CLOEXEC, 0);
        return new UnixSocket((int) Host.check(r, "socket"));
    }

    private static void check(long r, String what, UnixSocket s) throws HostException {
        if (Errno.isError(r)) {
            s.close();
            Host.check(r, what);
        }
    }

    private static MemorySegment address(Arena arena, Path path) throws HostException {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        if (p.length > SUN_PATH_MAX) {
            throw new HostException("socket path " + path, Errno.ENAMETOOLONG);
        }
        MemorySegment a = arena.allocate(110, 8);
        a.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(MemorySegment.ofArray(p), 0, a, 2, p.length);
        return a;
    }

    /** Sends one framed message (4-byte length, then the bytes) with up to three descriptors. */
    void send(byte[] payload, int... fds) throws HostException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4 + payload.length);
            buf.set(JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0, payload.length);
            MemorySegment.copy(MemorySegment.ofArray(payload), 0, buf, 4, payload.length);
            long off = 0;
            boolean first = true;
            while (off < buf.byteSize()) {
                long n = sendmsg(arena, buf.asSlice(off), first ? fds : new int[0]);
                Host.check(n, "sendmsg");
                off += n;
                first = false;
            }
        }
    }

    private long sendmsg(Arena arena, MemorySegment data, int[] fds) {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(JAVA_LONG, 0, data.address());
        iov.set(JAVA_LONG, 8, data.byteSize());
        MemorySegment msg = arena.allocate(56, 8);
        msg.set(JAVA_LONG, 16, iov.address());
        msg.set(JAVA_LONG, 24, 1);
        if (fds.length > 0) {
            long len = 16 + 4L * fds.length;
            MemorySegment control = arena.allocate((len + 7) & ~7L, 8);
            control.set(JAVA_LONG, 0, len);
            control.set(JAVA_INT, 8, Fcntl.SOL_SOCKET);
            control.set(JAVA_INT, 12, Fcntl.SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                control.set(JAVA_INT, 16 + 4L * i, fds[i]);
            }
            msg.set(JAVA_LONG, 32, control.address());
            msg.set(JAVA_LONG, 40, control.byteSize());
        }
        return Host.call(Sysno.SYS_SENDMSG, fd, msg.address(), 0);
    }

    /** A received message and the descriptors that came with it (host descriptors, close-on-exec). */
    record Message(byte[] payload, int[] fds) {}

    /** Receives one framed message, or returns null at end of stream. */
    Message receive() throws HostException {
        try (Arena arena = Arena.ofConfined()) {
            int[][] fds = {new int[0]};
            byte[] head = readFully(arena, 4, fds);
            if (head == null) {
                return null;
            }
            int len = java.nio.ByteBuffer.wrap(head).getInt();
            if (len < 0 || len > (1 << 24)) {
                throw new HostException("control message of " + len + " bytes", Errno.EPROTO);
            }
            byte[] body = readFully(arena, len, fds);
            if (body == null) {
                throw new HostException("control message cut short", Errno.EPROTO);
            }
            return new Message(body, fds[0]);
        }
    }

    private byte[] readFully(Arena arena, int len, int[][] fds) throws HostException {
        byte[] out = new byte[len];
        MemorySegment buf = arena.allocate(Math.max(len, 1));
        MemorySegment iov = arena.allocate(16, 8);
        MemorySegment msg = arena.allocate(56, 8);
        MemorySegment control = arena.allocate(16 + 4 * MAX_FDS + 8, 8);
        int got = 0;
        while (got < len) {
            iov.set(JAVA_LONG, 0, buf.address() + got);
            iov.set(JAVA_LONG, 8, len - got);
            msg.fill((byte) 0);
            msg.set(JAVA_LONG, 16, iov.address());
            msg.set(JAVA_LONG, 24, 1);
            msg.set(JAVA_LONG, 32, control.address());
            msg.set(JAVA_LONG, 40, control.byteSize());
            long n = Host.call(Sysno.SYS_RECVMSG, fd, msg.address(), Fcntl.MSG_CMSG_CLOEXEC);
            if (n == -Errno.EINTR) {
                continue;
            }
            Host.check(n, "recvmsg");
            if (n == 0) {
                return null;
            }
            long clen = msg.get(JAVA_LONG, 40);
            if (clen >= 16 && control.get(JAVA_INT, 8) == Fcntl.SOL_SOCKET && control.get(JAVA_INT, 12) == Fcntl.SCM_RIGHTS) {
                int k = (int) ((control.get(JAVA_LONG, 0) - 16) / 4);
                int[] f = new int[k];
                for (int i = 0; i < k; i++) {
                    f[i] = control.get(JAVA_INT, 16 + 4L * i);
                }
                fds[0] = f;
            }
            got += (int) n;
        }
        MemorySegment.copy(buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, out, 0, len);
        return out;
    }

    @Override
    public void close() {
        Host.call(Sysno.SYS_CLOSE, fd, 0, 0);
    }
}
