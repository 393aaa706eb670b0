package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.usermem.BadAddresses;

/**
 * execve and execveat that fail: a successful one would replace this JVM, so only failures are
 * tested, including one the host's execve itself reports after the descriptors were moved.
 */
class SysExecTest {
    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    /** argv = {path, NULL}, envp = {NULL}. */
    private long[] argvEnvp(long path) {
        MemorySegment argv = k.alloc(16);
        argv.set(JAVA_LONG, 0, path);
        return new long[] {argv.address(), k.alloc(8).address()};
    }

    @Test
    void failuresBeforeTheHostTableIsTouched() throws IOException {
        long missing = k.cstr(dir.resolve("missing").toString());
        long[] ae = argvEnvp(missing);
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_EXECVE, missing, ae[0], ae[1]));
        Path plain = Files.writeString(dir.resolve("not-executable"), "data");
        long p = k.cstr(plain.toString());
        assertEquals(-Errno.EACCES, k.call(Sysno.SYS_EXECVE, p, ae[0], ae[1]));
        for (long bad : BadAddresses.all()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_EXECVE, bad, ae[0], ae[1]), Long.toHexString(bad));
        }
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_EXECVEAT, 30, k.cstr("relative"), ae[0], ae[1], 0));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_EXECVEAT, 30, missing, ae[0], ae[1], 0), "absolute: dirfd ignored");
    }

    @Test
    void aFailedHostExecPutsTheHostTableBack() throws IOException {
        // Four zero bytes, executable: no binary format takes them, so the host's execve says ENOEXEC
        // after the kernel has put the app's descriptors at the app's numbers.
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[4]);
        Files.setPosixFilePermissions(junk, PosixFilePermissions.fromString("rwxr-xr-x"));
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), Fcntl.O_CLOEXEC));
        int r = fds.get(JAVA_INT, 0), w = fds.get(JAVA_INT, 4);
        // Only app descriptor 900 survives an exec; the host's 900 is (almost surely) not open.
        final int target = 900;
        assertEquals(-Errno.EBADF, Host.fastCall(Sysno.SYS_FCNTL, target, Fcntl.F_GETFD, 0), "host 900 must be free");
        assertEquals(target, k.call(Sysno.SYS_DUP2, w, target));
        assertEquals(0, k.call(Sysno.SYS_CLOSE, w));

        long path = k.cstr(junk.toString());
        long[] ae = argvEnvp(path);
        assertEquals(-Errno.ENOEXEC, k.call(Sysno.SYS_EXECVE, path, ae[0], ae[1]));
        assertEquals(1, k.task.passedThrough[Sysno.SYS_EXECVE], "the host's execve ran");
        assertEquals(-Errno.EBADF, Host.fastCall(Sysno.SYS_FCNTL, target, Fcntl.F_GETFD, 0), "host 900 closed again");
        assertEquals(-Errno.ENOEXEC, k.call(Sysno.SYS_EXECVEAT, Fcntl.AT_FDCWD, path, ae[0], ae[1], 0));
        assertEquals(-Errno.EBADF, Host.fastCall(Sysno.SYS_FCNTL, target, Fcntl.F_GETFD, 0));

        // The app's descriptors are as they were.
        MemorySegment b = k.alloc(8);
        assertEquals(1, k.call(Sysno.SYS_WRITE, target, b.address(), 1));
        assertEquals(1, k.call(Sysno.SYS_READ, r, b.address(), 8));
        assertEquals(2, k.openCount());
        assertEquals(0, k.call(Sysno.SYS_FCNTL, target, Fcntl.F_GETFD));
    }

    @Test
    void aHostDescriptorAtAnAppsNumberIsRestored() throws IOException {
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[4]);
        Files.setPosixFilePermissions(junk, PosixFilePermissions.fromString("rwxr-xr-x"));
        // A host pipe of this test's own (not the app's), whose write end is not close-on-exec.
        MemorySegment hostPipe = k.alloc(8);
        assertEquals(0, Host.call(Sysno.SYS_PIPE2, hostPipe.address(), 0, 0));
        int hr = hostPipe.get(JAVA_INT, 0), hw = hostPipe.get(JAVA_INT, 4);
        try {
            // The app gets a different pipe at the number the host's write end has.
            MemorySegment fds = k.alloc(8);
            assertEquals(0, k.call(Sysno.SYS_PIPE2, fds.address(), Fcntl.O_CLOEXEC));
            int r = fds.get(JAVA_INT, 0), w = fds.get(JAVA_INT, 4);
            assertEquals(hw, k.call(Sysno.SYS_DUP2, w, hw));

            long path = k.cstr(junk.toString());
            long[] ae = argvEnvp(path);
            assertEquals(-Errno.ENOEXEC, k.call(Sysno.SYS_EXECVE, path, ae[0], ae[1]));

            // The host's descriptor is its own pipe again, with its flag...
            assertEquals(0, Host.fastCall(Sysno.SYS_FCNTL, hw, Fcntl.F_GETFD, 0));
            MemorySegment b = k.alloc(8);
            b.set(JAVA_INT, 0, 'h');
            assertEquals(1, Host.call(Sysno.SYS_WRITE, hw, b.address(), 1));
            assertEquals(1, Host.call(Sysno.SYS_READ, hr, b.address() + 4, 4));
            assertEquals('h', b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4));
            // ... and the app's descriptor of that number is still the app's pipe.
            assertEquals(1, k.call(Sysno.SYS_WRITE, hw, b.address(), 1));
            assertEquals(1, k.call(Sysno.SYS_READ, r, b.address(), 8));
        } finally {
            Host.call(Sysno.SYS_CLOSE, hr, 0, 0);
            Host.call(Sysno.SYS_CLOSE, hw, 0, 0);
        }
    }
}
