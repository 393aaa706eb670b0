package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.usermem.BadAddresses;
import ring0.usermem.UserMemory;

/**
 * sendmsg and recvmsg with descriptors passed over a socket (SCM_RIGHTS): the app's numbers go out,
 * the app's numbers come in.
 *
 * <pre>
 * struct msghdr { name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48 }; // 56
 * struct cmsghdr { size_t len 0; int level 8; int type 12; data 16 };
 * </pre>
 */
class SysSocketTest {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40, MSG_CTRUNC = 0x8;
    private static final int MSGHDR = 56, IOV = 16, IOVLEN = 24, CONTROL = 32, CONTROLLEN = 40, FLAGS = 48;
    private static final int SYS_PREAD64 = 17;

    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();
    private int s0, s1;

    @BeforeEach
    void socketpair() {
        MemorySegment sv = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM, 0, sv.address()));
        s0 = sv.get(JAVA_INT, 0);
        s1 = sv.get(JAVA_INT, 4);
    }

    /** A msghdr with one byte of data and room for control bytes (controlLen 0: none). */
    private MemorySegment msghdr(long controlLen) {
        MemorySegment m = k.alloc(MSGHDR);
        MemorySegment iov = k.alloc(16);
        MemorySegment data = k.alloc(8);
        data.set(JAVA_INT, 0, 'x');
        iov.set(JAVA_LONG, 0, data.address());
        iov.set(JAVA_LONG, 8, 1);
        m.set(JAVA_LONG, IOV, iov.address());
        m.set(JAVA_LONG, IOVLEN, 1);
        if (controlLen > 0) {
            m.set(JAVA_LONG, CONTROL, k.alloc(controlLen).address());
            m.set(JAVA_LONG, CONTROLLEN, controlLen);
        }
        return m;
    }

    private static MemorySegment control(MemorySegment msg) {
        return UserMemory.ALL.asSlice(msg.get(JAVA_LONG, CONTROL), msg.get(JAVA_LONG, CONTROLLEN));
    }

    /** A msghdr carrying fds in one SCM_RIGHTS message. */
    private MemorySegment rights(int... fds) {
        long len = 16 + 4L * fds.length;
        MemorySegment m = msghdr((len + 7) & ~7);
        MemorySegment c = control(m);
        c.set(JAVA_LONG, 0, len);
        c.set(JAVA_INT, 8, Fcntl.SOL_SOCKET);
        c.set(JAVA_INT, 12, Fcntl.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            c.set(JAVA_INT, 16 + 4L * i, fds[i]);
        }
        return m;
    }

    /** Receives one message with room for n descriptors; returns the descriptors received. */
    private int[] receive(int n, int flags) {
        MemorySegment m = msghdr(16 + 8L * n);
        assertEquals(1, k.call(Sysno.SYS_RECVMSG, s1, m.address(), flags | MSG_DONTWAIT));
        MemorySegment c = control(m);
        assertEquals(Fcntl.SOL_SOCKET, c.get(JAVA_INT, 8));
        assertEquals(Fcntl.SCM_RIGHTS, c.get(JAVA_INT, 12));
        int got = (int) (c.get(JAVA_LONG, 0) - 16) / 4;
        int[] fds = new int[got];
        for (int i = 0; i < got; i++) {
            fds[i] = c.get(JAVA_INT, 16 + 4L * i);
        }
        return fds;
    }

    private long openFile(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(p.toString()), Fcntl.O_RDWR, 0);
    }

    private long ino(long fd) {
        MemorySegment st = k.alloc(144);
        assertEquals(0, k.call(Sysno.SYS_FSTAT, fd, st.address()));
        return st.get(JAVA_LONG, 8);
    }

    @Test
    void aDescriptorSentIsReceivedAsAnAppDescriptorOfTheSameFile() throws IOException {
        int file = (int) openFile("passed", "");
        assertEquals(2, file);
        assertEquals(1, k.call(Sysno.SYS_SENDMSG, s0, rights(file).address(), 0));
        int[] got = receive(1, 0);
        assertEquals(1, got.length);
        int fd = got[0];
        assertEquals(3, fd, "the lowest free app number");
        assertNotEquals(k.hostFd(file), k.hostFd(fd), "a new host descriptor behind it");
        assertEquals(ino(file), ino(fd));
        assertEquals(0, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD));
        assertEquals(Fcntl.FD_CLOEXEC, Host.fastCall(Sysno.SYS_FCNTL, k.hostFd(fd), Fcntl.F_GETFD, 0));

        // Write through the received descriptor, read back through the original: one open file.
        MemorySegment text = k.arena.allocateFrom("through the copy", StandardCharsets.US_ASCII);
        assertEquals(16, k.call(Sysno.SYS_WRITE, fd, text.address(), 16));
        assertEquals(16, k.call(Sysno.SYS_LSEEK, file, 0, 1 /* SEEK_CUR */), "the offset is shared");
        MemorySegment buf = k.alloc(32);
        assertEquals(16, k.call(SYS_PREAD64, file, buf.address(), 32, 0));
        assertEquals("through the copy", buf.getString(0, StandardCharsets.US_ASCII));
        // The sender's own descriptor is untouched.
        assertEquals(2, file);
        assertEquals(4, k.openCount());
    }

    @Test
    void severalDescriptorsAndCloseOnExec() throws IOException {
        int a = (int) openFile("a", "A"), b = (int) openFile("b", "B");
        assertEquals(1, k.call(Sysno.SYS_SENDMSG, s0, rights(a, b, a).address(), 0));
        int[] got = receive(3, Fcntl.MSG_CMSG_CLOEXEC);
        assertEquals(3, got.length);
        assertEquals(ino(a), ino(got[0]));
        assertEquals(ino(b), ino(got[1]));
        assertEquals(ino(a), ino(got[2]));
        for (int fd : got) {
            assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD), "MSG_CMSG_CLOEXEC");
        }
        assertEquals(7, k.openCount());
    }

    @Test
    void sendingADescriptorTheAppDoesNotHaveIsEbadf() throws IOException {
        int file = (int) openFile("f", "");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SENDMSG, s0, rights(40).address(), 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SENDMSG, s0, rights(file, 41).address(), 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SENDMSG, s0, rights(k.hostFd(file)).address(), 0),
                "the host's number of the app's own file");
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_RECVMSG, s1, msghdr(64).address(), MSG_DONTWAIT), "nothing was sent");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SENDMSG, 40, rights(file).address(), 0), "bad socket");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_RECVMSG, 40, msghdr(64).address(), MSG_DONTWAIT));
    }

    @Test
    void plainMessagesPassUntouched() {
        MemorySegment m = msghdr(0);
        assertEquals(1, k.call(Sysno.SYS_SENDMSG, s0, m.address(), 0));
        MemorySegment in = msghdr(64);
        assertEquals(1, k.call(Sysno.SYS_RECVMSG, s1, in.address(), MSG_DONTWAIT));
        assertEquals(0, in.get(JAVA_LONG, CONTROLLEN), "no control data came");
        assertEquals(2, k.openCount());
    }

    @Test
    void badMessagePointersAreEfault() {
        for (long bad : BadAddresses.all()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SENDMSG, s0, bad, 0), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_RECVMSG, s1, bad, MSG_DONTWAIT), hex);
            // A good msghdr whose control data or iovec is bad.
            MemorySegment m = msghdr(24);
            m.set(JAVA_LONG, CONTROL, bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SENDMSG, s0, m.address(), 0), hex);
            MemorySegment v = rights(s0);
            v.set(JAVA_LONG, IOV, bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SENDMSG, s0, v.address(), 0), hex);
        }
        assertEquals(2, k.openCount());
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_RECVMSG, s1, msghdr(64).address(), MSG_DONTWAIT), "nothing was sent");
    }

    @Test
    void receivingIntoControlDataThatCannotBeWrittenTruncatesIt() throws IOException {
        int file = (int) openFile("f", "");
        for (long bad : new long[] {BadAddresses.readOnly(), BadAddresses.LOW, BadAddresses.unmapped(), BadAddresses.KERNEL_HALF}) {
            assertEquals(1, k.call(Sysno.SYS_SENDMSG, s0, rights(file).address(), 0));
            MemorySegment m = msghdr(24);
            m.set(JAVA_LONG, CONTROL, bad);
            assertEquals(1, k.call(Sysno.SYS_RECVMSG, s1, m.address(), MSG_DONTWAIT), Long.toHexString(bad));
            assertEquals(MSG_CTRUNC, m.get(JAVA_INT, FLAGS) & MSG_CTRUNC);
            assertEquals(3, k.openCount(), "no descriptor arrived");
        }
    }

    @Test
    void controlMessageLongerThanTheControlDataIsEinval() throws IOException {
        int file = (int) openFile("f", "");
        // net/core/scm.c: __scm_send: a cmsg_len past msg_controllen fails CMSG_OK, EINVAL.
        for (long len : new long[] {25, 64, 1 << 20, 0x7fff_ffff_ffff_fff0L, -16, 15, 0}) {
            MemorySegment m = rights(file, file);
            control(m).set(JAVA_LONG, 0, len);
            assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SENDMSG, s0, m.address(), 0), "cmsg_len " + len);
        }
        // The same with a control message before the SCM_RIGHTS one.
        MemorySegment m = msghdr(48);
        MemorySegment c = control(m);
        c.set(JAVA_LONG, 0, 1 << 20);
        c.set(JAVA_INT, 8, Fcntl.SOL_SOCKET);
        c.set(JAVA_INT, 12, 2 /* SCM_CREDENTIALS */);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SENDMSG, s0, m.address(), 0));
        // A good SCM_RIGHTS message followed by one that is too long.
        MemorySegment two = msghdr(48);
        MemorySegment c2 = control(two);
        for (int at : new int[] {0, 24}) {
            c2.set(JAVA_LONG, at, at == 0 ? 20 : 1 << 20);
            c2.set(JAVA_INT, at + 8, Fcntl.SOL_SOCKET);
            c2.set(JAVA_INT, at + 12, Fcntl.SCM_RIGHTS);
            c2.set(JAVA_INT, at + 16, file);
        }
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SENDMSG, s0, two.address(), 0));
        assertEquals(3, k.openCount());
        assertEquals(-Errno.EAGAIN, k.call(Sysno.SYS_RECVMSG, s1, msghdr(64).address(), MSG_DONTWAIT), "nothing was sent");
    }

    @Test
    void datagramSocketsPassDescriptorsToo() throws IOException {
        MemorySegment sv = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_SOCKETPAIR, AF_UNIX, SOCK_DGRAM, 0, sv.address()));
        int d0 = sv.get(JAVA_INT, 0), d1 = sv.get(JAVA_INT, 4);
        int file = (int) openFile("dgram", "datagram file");
        assertEquals(1, k.call(Sysno.SYS_SENDMSG, d0, rights(file).address(), 0));
        MemorySegment m = msghdr(24);
        assertEquals(1, k.call(Sysno.SYS_RECVMSG, d1, m.address(), MSG_DONTWAIT));
        int fd = control(m).get(JAVA_INT, 16);
        assertEquals(ino(file), ino(fd));
        assertTrue(fd > file);
    }
}
