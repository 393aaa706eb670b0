package ring0.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Sysno;
import ring0.usermem.UserMemory;

class HostTest {
    @Test
    void getpidIsThisProcess() {
        long pid = ProcessHandle.current().pid();
        assertEquals(pid, Host.call(Sysno.SYS_GETPID, 0, 0, 0));
        assertEquals(pid, Host.fastCall(Sysno.SYS_GETPID, 0, 0, 0));
        assertEquals(pid, Host.call(Sysno.SYS_GETPID, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aFailingCallReturnsMinusErrno() {
        assertEquals(-Errno.EBADF, Host.call(Sysno.SYS_CLOSE, -1, 0, 0));
        assertEquals(-Errno.EBADF, Host.fastCall(Sysno.SYS_CLOSE, -1, 0, 0));
        assertEquals(-Errno.ENOSYS, Host.call(100_000, 0, 0, 0));
        assertEquals(-Errno.EFAULT, Host.call(Sysno.SYS_OPENAT, -100, 0x1000, 0, 0, 0, 0));
    }

    @Test
    void everyArgumentReachesTheHost() {
        try (Arena arena = Arena.ofConfined()) {
            // memfd_create, pwrite64 and pread64 with an offset in the fourth argument.
            long fd = Host.call(319, arena.allocateFrom("host-test").address(), 1 /* MFD_CLOEXEC */, 0);
            assertTrue(fd >= 0, "memfd_create: " + fd);
            try {
                MemorySegment data = arena.allocateFrom("abcdef", StandardCharsets.US_ASCII);
                assertEquals(6, Host.call(18, fd, data.address(), 6, 0, 0, 0));
                MemorySegment buf = arena.allocate(8);
                assertEquals(2, Host.call(17, fd, buf.address(), 2, 3, 0, 0));
                assertEquals("de", buf.getString(0, StandardCharsets.US_ASCII));
                // mmap uses all six: the file mapped at offset 0 shows its bytes ...
                long a = Host.call(Sysno.SYS_MMAP, 0, 4096, 1 /* PROT_READ */, 1 /* MAP_SHARED */, fd, 0);
                assertTrue(a > 0 && (a & 4095) == 0, Long.toHexString(a));
                assertEquals('a', UserMemory.ALL.get(ValueLayout.JAVA_BYTE, a));
                assertEquals(0, Host.call(11, a, 4096, 0));
                // ... and an offset that is not page-aligned (the sixth argument) is EINVAL.
                assertEquals(-Errno.EINVAL, Host.call(Sysno.SYS_MMAP, 0, 4096, 1, 1, fd, 1));
            } finally {
                assertEquals(0, Host.call(Sysno.SYS_CLOSE, fd, 0, 0));
            }
        }
    }

    @Test
    void checkTurnsMinusErrnoIntoAnException() throws HostException {
        assertEquals(42, Host.check(42, "x"));
        assertEquals(-4096, Host.check(-4096, "x"), "below -4095 is a value, not an error");
        HostException e = assertThrows(HostException.class, () -> Host.check(-Errno.ENOENT, "open /nope"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open /nope: No such file or directory (ENOENT)", e.getMessage());
    }

    @Test
    void cString() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = Host.cString(arena, "/etc/hosts");
            assertEquals(11, s.byteSize());
            assertEquals(0, s.get(ValueLayout.JAVA_BYTE, 10));
            assertEquals("/etc/hosts", s.getString(0));
        }
    }
}
