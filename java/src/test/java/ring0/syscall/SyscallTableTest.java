package ring0.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.SyscallInfo;
import ring0.abi.Syscalls;

class SyscallTableTest {
    @AutoClose
    private final TestKernel k = new TestKernel();

    private boolean inBitmap(int nr) {
        long[] words = k.table.servedBitmap();
        return (words[nr >> 6] & (1L << nr)) != 0;
    }

    private void assertServed(String name) {
        int nr = Syscalls.number(name);
        assertNotNull(k.table.handler(nr), name + " has no handler");
        assertNotNull(k.table.support(nr), name + " has no support note");
        assertTrue(inBitmap(nr), name + " is not in the served bitmap");
    }

    private void assertNotServed(String name) {
        int nr = Syscalls.number(name);
        assertNull(k.table.handler(nr), name + " has a handler");
        assertNull(k.table.support(nr), name);
        assertFalse(inBitmap(nr), name + " is in the served bitmap");
    }

    @Test
    void everyCallThatTouchesTheDescriptorTableIsServed() {
        int n = 0;
        for (SyscallInfo s : Syscalls.all()) {
            if (s.usesFdTable()) {
                assertServed(s.name());
                n++;
            }
        }
        assertTrue(n > 100, n + " calls");
    }

    @Test
    void callsThatMakeOrScanDescriptorsThroughPointersAreServed() {
        for (String name : List.of("pipe", "pipe2", "socketpair", "poll", "ppoll", "select", "pselect6",
                "close_range", "sendmsg", "recvmsg", "execve", "execveat", "exit_group", "openat2",
                "signalfd", "signalfd4", "ring0_attach", "ring0_hostfds", "ring0_adoptfd", "pidfd_open",
                "pidfd_getfd", "pidfd_send_signal", "waitid")) {
            assertServed(name);
        }
    }

    @Test
    void mmapIsServedForItsDescriptor() {
        // mmap takes a descriptor (for a file mapping), so the kernel serves it; anonymous mappings go
        // straight on to the host (SysMiscTest).
        assertServed("mmap");
    }

    @Test
    void callsWithoutDescriptorsGoStraightToTheHost() {
        for (String name : List.of("getpid", "gettid", "getppid", "munmap", "mprotect", "madvise",
                "mremap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "clone",
                "clone3", "fork", "vfork", "tgkill", "kill", "exit", "nanosleep", "clock_gettime",
                "clock_nanosleep", "sched_yield", "sched_getaffinity", "arch_prctl", "getrandom", "uname",
                "set_tid_address", "set_robust_list", "rseq", "prlimit64", "getrlimit")) {
            assertNotServed(name);
        }
    }

    @Test
    void pathCallsAreServedByTheVfs() {
        for (String name : List.of("open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx",
                "access", "faccessat", "faccessat2", "mkdir", "mkdirat", "mknodat", "unlink", "unlinkat", "rmdir",
                "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "readlink", "readlinkat",
                "chmod", "fchmodat", "fchmodat2", "chown", "lchown", "fchownat", "utimensat", "utimes", "truncate",
                "getcwd", "chdir", "fchdir", "chroot", "umask", "statfs", "sync", "memfd_create")) {
            assertTrue(k.table.handler(Syscalls.number(name)) != null, name + " is served");
        }
    }

    @Test
    void theBitmapIsExactlyTheHandlers() {
        long[] words = k.table.servedBitmap();
        assertEquals(Syscalls.MAX / 64, words.length);
        List<Integer> served = new ArrayList<>();
        for (int nr = 0; nr < Syscalls.MAX; nr++) {
            boolean bit = (words[nr >> 6] & (1L << nr)) != 0;
            assertEquals(k.table.handler(nr) != null, bit, Syscalls.name(nr));
            assertEquals(k.table.handler(nr) != null, k.table.support(nr) != null, Syscalls.name(nr));
            if (bit) {
                served.add(nr);
            }
        }
        assertEquals(served, k.table.served());
        // Nothing served that Linux x86-64 (or Ring0) does not define.
        for (int nr : served) {
            assertNotNull(Syscalls.info(nr), "served number " + nr + " is not in the table");
        }
    }

    @Test
    void handlerOutOfRange() {
        assertNull(k.table.handler(-1));
        assertNull(k.table.handler(Syscalls.MAX));
        assertNull(k.table.handler(Integer.MIN_VALUE));
        assertNull(k.table.support(-1));
        assertNull(k.table.support(Syscalls.MAX));
    }

    @Test
    void unsupportedCallsAnswerEnosysAndAreLoggedOnce() {
        assertFalse(SyscallTable.UNSUPPORTED.isEmpty());
        for (String name : SyscallTable.UNSUPPORTED.keySet()) {
            int nr = Syscalls.number(name);
            assertTrue(Syscalls.info(nr).usesFdTable(), name + " does not touch the descriptor table");
            assertServed(name); // served: to answer ENOSYS instead of letting the host make a descriptor
            assertTrue(k.table.support(nr).startsWith("ENOSYS"), k.table.support(nr));
            assertEquals(-Errno.ENOSYS, k.call(nr, 0, 0, 0, 0, 0, 0), name);
            assertEquals(-Errno.ENOSYS, k.call(nr, 1, 2, 3, 4, 5, 6), name);
            long lines = k.kernel.log.lines().stream().filter(l -> l.contains(" " + name + " not implemented")).count();
            assertEquals(1, lines, name);
        }
        assertEquals(0, k.openCount());
    }

    @Test
    void readmeLimitsAreUnsupported() {
        for (String name : List.of("io_uring_setup", "bpf",
                "perf_event_open", "fanotify_init", "fsopen", "open_tree", "move_mount")) {
            assertTrue(SyscallTable.UNSUPPORTED.containsKey(name), name);
        }
    }

    @Test
    void aNewTableServesNothing() {
        SyscallTable t = new SyscallTable();
        assertEquals(List.of(), t.served());
        for (long w : t.servedBitmap()) {
            assertEquals(0, w);
        }
        t.set(39, (task, a0, a1, a2, a3, a4, a5) -> 7, "test");
        assertEquals(List.of(39), t.served());
        assertEquals("test", t.support(39));
        assertEquals(1L << 39, t.servedBitmap()[0]);
    }
}
