package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Kernel;
import ring0.usermem.BadAddresses;
import ring0.usermem.UserMemory;

/** exit_group, mmap, signalfd and openat2. */
class SysMiscTest {
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_SHARED = 1;
    private static final int SYS_MUNMAP = 11;

    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    @Test
    void exitGroupEndsTheAppWithTheLowByteOfItsStatus() throws InterruptedException {
        assertEquals(Kernel.State.BOOTED, k.kernel.state());
        // The calling thread never comes back: it parks in the kernel, as if killed.
        Thread app = Thread.ofPlatform().daemon().start(() -> k.call(Sysno.SYS_EXIT_GROUP, 256 + 7));
        assertEquals(7, k.kernel.awaitExit());
        assertEquals(Kernel.State.EXITED, k.kernel.state());
        assertTrue(app.isAlive());
        assertEquals(Sysno.SYS_EXIT_GROUP, k.task.syscall, "still in exit_group");
    }

    @Test
    void anonymousMmapGoesToTheHost() {
        long a = k.call(Sysno.SYS_MMAP, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        assertFalse(Errno.isError(a), "mmap: " + a);
        assertEquals(0, a & 4095);
        MemorySegment m = UserMemory.ALL.asSlice(a, 8192);
        m.set(JAVA_LONG, 8184, 42);
        assertEquals(42, m.get(JAVA_LONG, 8184));
        assertEquals(1, k.task.passedThrough[Sysno.SYS_MMAP]);
        assertEquals(0, Host.call(SYS_MUNMAP, a, 8192, 0));
        // An anonymous mapping ignores its descriptor argument, whatever it is.
        long b = k.call(Sysno.SYS_MMAP, 0, 4096, PROT_READ, MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, 77, 0);
        assertFalse(Errno.isError(b));
        assertEquals(0, Host.call(SYS_MUNMAP, b, 4096, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_MMAP, 0, 0, PROT_READ, MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0));
    }

    @Test
    void fileMmapTranslatesTheDescriptor() throws IOException {
        Path p = dir.resolve("mapped");
        Files.writeString(p, "mapped bytes");
        long fd = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr(p.toString()), Fcntl.O_RDWR, 0);
        assertEquals(0, fd);
        long a = k.call(Sysno.SYS_MMAP, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        assertFalse(Errno.isError(a), "mmap: " + a);
        MemorySegment m = UserMemory.ALL.asSlice(a, 4096);
        assertEquals("mapped bytes", m.getString(0, StandardCharsets.US_ASCII));
        m.set(JAVA_BYTE, 0, (byte) 'M');
        assertEquals(0, Host.call(SYS_MUNMAP, a, 4096, 0));
        assertEquals("Mapped bytes", Files.readString(p), "a shared mapping of the host's file");
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_MMAP, 0, 4096, PROT_READ, MAP_PRIVATE, 5, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_MMAP, 0, 4096, PROT_READ, MAP_PRIVATE, k.hostFd(0), 0),
                "the host's number is not the app's");
    }

    @Test
    void signalfd() {
        MemorySegment mask = k.alloc(8);
        mask.set(JAVA_LONG, 0, 1L << (10 - 1)); // SIGUSR1
        long fd = k.call(Sysno.SYS_SIGNALFD4, -1, mask.address(), 8, Fcntl.O_CLOEXEC);
        assertEquals(0, fd);
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD));
        long plain = k.call(Sysno.SYS_SIGNALFD, -1, mask.address(), 8);
        assertEquals(1, plain);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, plain, Fcntl.F_GETFD));
        assertEquals(Fcntl.FD_CLOEXEC, Host.fastCall(Sysno.SYS_FCNTL, k.hostFd(1), Fcntl.F_GETFD, 0));
        // Changing the mask of an existing one returns the app's number.
        mask.set(JAVA_LONG, 0, 1L << (12 - 1)); // SIGUSR2
        assertEquals(fd, k.call(Sysno.SYS_SIGNALFD4, fd, mask.address(), 8, 0));
        assertEquals(plain, k.call(Sysno.SYS_SIGNALFD, plain, mask.address(), 8));
        // A descriptor the app does not have is EBADF, not a new signalfd (as -1 would be on the host).
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SIGNALFD4, 9, mask.address(), 8, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SIGNALFD, 9, mask.address(), 8));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SIGNALFD4, -2, mask.address(), 8, 0));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_SIGNALFD4, k.hostFd(0), mask.address(), 8, 0));
        // fs/signalfd.c: flags and size are checked before the descriptor.
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SIGNALFD4, 9, mask.address(), 4, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SIGNALFD4, 9, mask.address(), 8, 1));
        assertEquals(2, k.openCount());
        long devnull = k.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, k.cstr("/dev/null"), 0, 0);
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SIGNALFD4, devnull, mask.address(), 8, 0), "not a signalfd");
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_SIGNALFD4, -1, mask.address(), 4, 0), "bad size");
        for (long bad : BadAddresses.all()) {
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_SIGNALFD4, -1, bad, 8, 0), Long.toHexString(bad));
        }
        assertEquals(3, k.openCount());
    }

    /** struct open_how { u64 flags; u64 mode; u64 resolve; } */
    private MemorySegment openHow(long flags) {
        MemorySegment how = k.alloc(24);
        how.set(JAVA_LONG, 0, flags);
        return how;
    }

    @Test
    void openat2() throws IOException {
        Path p = dir.resolve("two");
        Files.writeString(p, "openat2");
        long path = k.cstr(p.toString());
        long fd = k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, openHow(Fcntl.O_RDONLY).address(), 24);
        assertEquals(0, fd);
        assertEquals(0, k.call(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD));
        MemorySegment how = openHow(Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
        long cloexec = k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, how.address(), 24);
        assertEquals(1, cloexec);
        assertEquals(Fcntl.FD_CLOEXEC, k.call(Sysno.SYS_FCNTL, cloexec, Fcntl.F_GETFD));
        assertEquals(Fcntl.O_CLOEXEC, how.get(JAVA_LONG, 0), "the app's open_how is not changed");
        for (long f : new long[] {fd, cloexec}) {
            assertEquals(Fcntl.FD_CLOEXEC, Host.fastCall(Sysno.SYS_FCNTL, k.hostFd((int) f), Fcntl.F_GETFD, 0));
        }
        MemorySegment buf = k.alloc(16);
        assertEquals(7, k.call(Sysno.SYS_READ, fd, buf.address(), 16));

        // Relative to a real dirfd, and a bad dirfd with an absolute path.
        long d = k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, k.cstr(dir.toString()), openHow(0x10000).address(), 24);
        assertEquals(2, d);
        assertEquals(3, k.call(Sysno.SYS_OPENAT2, d, k.cstr("two"), openHow(0).address(), 24));
        assertEquals(4, k.call(Sysno.SYS_OPENAT2, 40, path, openHow(0).address(), 24));
        assertEquals(-Errno.EBADF, k.call(Sysno.SYS_OPENAT2, 40, k.cstr("two"), openHow(0).address(), 24));
        assertEquals(-Errno.ENOENT, k.call(Sysno.SYS_OPENAT2, d, k.cstr("none"), openHow(0).address(), 24));
    }

    @Test
    void openat2Sizes() {
        long path = k.cstr("/dev/null");
        long how = openHow(0).address();
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, how, 0));
        assertEquals(-Errno.EINVAL, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, how, 23));
        assertEquals(-Errno.E2BIG, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, how, 1 << 20));
        assertEquals(-Errno.E2BIG, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, how, -1), "a size_t");
        assertEquals(-Errno.E2BIG, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, how, 4097), "more than a page");
        assertEquals(-Errno.E2BIG, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, BadAddresses.LOW, 4097),
                "the size is checked before the struct is read");
        // A larger struct is fine if the extra bytes are zero, E2BIG if not (copy_struct_from_user).
        MemorySegment big = k.alloc(64);
        assertEquals(0, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, big.address(), 64));
        big.set(JAVA_BYTE, 40, (byte) 1);
        assertEquals(-Errno.E2BIG, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, big.address(), 64));
        assertEquals(1, k.openCount());
    }

    @Test
    void openat2BadPointersAreEfault() {
        long path = k.cstr("/dev/null");
        for (long bad : BadAddresses.all()) {
            String hex = Long.toHexString(bad);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, bad, 24), hex);
            assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, bad, openHow(0).address(), 24), hex);
        }
        // open_how that runs off the end of its mapping.
        assertEquals(-Errno.EFAULT, k.call(Sysno.SYS_OPENAT2, Fcntl.AT_FDCWD, path, BadAddresses.noAccess() - 16, 24));
        assertEquals(0, k.openCount());
    }
}
