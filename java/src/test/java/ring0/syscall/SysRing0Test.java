package ring0.syscall;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Syscalls;
import ring0.abi.Sysno;
import ring0.kernel.CountingFile;
import ring0.loader.Loader;
import ring0.usermem.BadAddresses;
import ring0.usermem.UserMemory;

/** ring0_attach and ring0_hostfds, the calls of the patched Go runtime. */
class SysRing0Test {
    private static final int ATTACH = 1000, HOSTFDS = 1001;
    private static final long FLAGS = 8, ARGC = 16, ARGV = 24, SERVED = 40, HOST_CALLS = 168;
    private static final long ATTEMPT = HOST_CALLS + 8L * Syscalls.MAX;
    private static final long SHARED_SIZE = ATTEMPT + 8L * (Syscalls.MAX / 64) + 2 * 4096 / 8 + 16; // + noAttempt, discard, foreign, dirty (Go: 9528 bytes)

    @AutoClose
    private final TestKernel k = new TestKernel();

    private MemorySegment shared(long abi) {
        MemorySegment s = k.alloc(SHARED_SIZE);
        s.set(JAVA_LONG, 0, abi);
        return s;
    }

    @Test
    void attachFillsTheSharedBlock() {
        MemorySegment s = shared(Loader.ABI);
        assertEquals(0, k.call(ATTACH, s.address()));
        assertEquals(0, s.get(JAVA_LONG, FLAGS), "host calls are not counted");
        assertEquals(2, s.get(JAVA_LONG, ARGC));
        MemorySegment argv = UserMemory.ALL.asSlice(s.get(JAVA_LONG, ARGV), 5 * 8);
        assertEquals("/test/app", UserMemory.readCString(argv.get(JAVA_LONG, 0), 100));
        assertEquals("arg1", UserMemory.readCString(argv.get(JAVA_LONG, 8), 100));
        assertEquals(0, argv.get(JAVA_LONG, 16), "argv ends with NULL");
        assertEquals("RING0_TEST=1", UserMemory.readCString(argv.get(JAVA_LONG, 24), 100));
        assertEquals(0, argv.get(JAVA_LONG, 32), "envp ends with NULL");
        long[] served = k.table.servedBitmap();
        for (int i = 0; i < served.length; i++) {
            assertEquals(served[i], s.get(JAVA_LONG, SERVED + 8L * i), "served word " + i);
        }
        assertTrue((s.get(JAVA_LONG, SERVED) & (1L << Sysno.SYS_READ)) != 0);
        long[] attempt = k.table.attemptBitmap();
        for (int i = 0; i < attempt.length; i++) {
            assertEquals(attempt[i], s.get(JAVA_LONG, ATTEMPT + 8L * i), "attempt word " + i);
            assertEquals(0, attempt[i] & ~served[i], "only served numbers are attempted, word " + i);
        }
        assertTrue((s.get(JAVA_LONG, ATTEMPT) & (1L << Sysno.SYS_WRITE)) != 0, "write is attempted");
        assertEquals(0, s.get(JAVA_LONG, ATTEMPT) & (1L << Sysno.SYS_DUP), "dup is not");
        assertEquals(0, s.get(JAVA_LONG, SERVED) & (1L << Sysno.SYS_GETPID));
        assertEquals(s.address() + HOST_CALLS, k.kernel.hostCallCounters());
        assertTrue(k.kernel.log.lines().stream().anyMatch(l -> l.contains("attached (thread " + k.task.tid + ")")));
    }

    @Test
    void attachWithCountedHostCalls() {
        try (TestKernel counting = new TestKernel(64, true, null)) {
            MemorySegment s = counting.alloc(SHARED_SIZE);
            s.set(JAVA_LONG, 0, Loader.ABI);
            assertEquals(0, counting.call(ATTACH, s.address()));
            assertEquals(1, s.get(JAVA_LONG, FLAGS));
        }
    }

    @Test
    void attachOfAnotherAbiIsEproto() {
        MemorySegment s = shared(Loader.ABI + 1);
        assertEquals(-Errno.EPROTO, k.call(ATTACH, s.address()));
        assertEquals(0, s.get(JAVA_LONG, ARGC), "nothing written");
        assertEquals(0, k.kernel.hostCallCounters());
        assertTrue(k.kernel.log.lines().stream().anyMatch(l -> l.contains("refused a program built for Ring0 ABI " + (Loader.ABI + 1))));
    }

    @Test
    void attachBadPointersAreEfault() {
        for (long bad : BadAddresses.allForWrite()) {
            assertEquals(-Errno.EFAULT, k.call(ATTACH, bad), Long.toHexString(bad));
        }
        // A block that runs off the end of its mapping.
        assertEquals(-Errno.EFAULT, k.call(ATTACH, BadAddresses.noAccess() - SHARED_SIZE + 8));
        assertEquals(0, k.kernel.hostCallCounters());
    }

    @Test
    void hostfdsTranslatesTheAppsDescriptors() {
        MemorySegment fds = k.alloc(8);
        assertEquals(0, k.call(Sysno.SYS_PIPE, fds.address()));
        int r = fds.get(JAVA_INT, 0), w = fds.get(JAVA_INT, 4);
        MemorySegment list = k.alloc(16);
        list.set(JAVA_INT, 0, w);
        list.set(JAVA_INT, 4, -1);
        list.set(JAVA_INT, 8, r);
        list.set(JAVA_INT, 12, w);
        assertEquals(0, k.call(HOSTFDS, list.address(), 4));
        assertEquals(k.hostFd(w), list.get(JAVA_INT, 0));
        assertEquals(-1, list.get(JAVA_INT, 4), "-1 stays");
        assertEquals(k.hostFd(r), list.get(JAVA_INT, 8));
        assertEquals(k.hostFd(w), list.get(JAVA_INT, 12));
        assertEquals(0, k.call(HOSTFDS, list.address(), 0));
        assertEquals(0, k.call(HOSTFDS, 0, 0), "an empty list may be NULL");
    }

    @Test
    void hostfdsErrors() {
        MemorySegment list = k.alloc(8);
        list.set(JAVA_INT, 0, 30);
        assertEquals(-Errno.EBADF, k.call(HOSTFDS, list.address(), 1));
        int kernelOnly = k.kernel.fds.install(new CountingFile(), 0, false);
        list.set(JAVA_INT, 0, kernelOnly);
        assertEquals(-Errno.EBADF, k.call(HOSTFDS, list.address(), 1), "no host descriptor to hand to a child");
        assertTrue(k.kernel.log.lines().stream().anyMatch(l -> l.contains("cannot hand counting:")));
        assertEquals(-Errno.EFAULT, k.call(HOSTFDS, list.address(), -1));
        assertEquals(-Errno.EFAULT, k.call(HOSTFDS, list.address(), k.kernel.fds.max() + 1));
        for (long bad : BadAddresses.allForWrite()) {
            assertEquals(-Errno.EFAULT, k.call(HOSTFDS, bad, 1), Long.toHexString(bad));
            assertEquals(-Errno.EFAULT, k.call(HOSTFDS, bad, 2), Long.toHexString(bad));
        }
        assertEquals(-Errno.EFAULT, k.call(HOSTFDS, BadAddresses.noAccess() - 4, 2), "runs off its mapping");
    }
}
