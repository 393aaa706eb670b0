package ring0.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyscallsTest {
    /** The table's data lines, as the file has them. */
    private static List<String[]> tblLines() throws IOException {
        List<String[]> lines = new ArrayList<>();
        try (var in = Syscalls.class.getResourceAsStream("syscalls_x86_64.tbl");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.split("\t", -1));
                }
            }
        }
        return lines;
    }

    @Test
    void wellKnownNamesAndNumbers() {
        Object[][] known = {
            {0, "read"}, {1, "write"}, {2, "open"}, {3, "close"}, {5, "fstat"}, {7, "poll"}, {8, "lseek"},
            {9, "mmap"}, {16, "ioctl"}, {22, "pipe"}, {23, "select"}, {32, "dup"}, {33, "dup2"}, {39, "getpid"},
            {41, "socket"}, {46, "sendmsg"}, {47, "recvmsg"}, {53, "socketpair"}, {59, "execve"},
            {60, "exit"}, {72, "fcntl"}, {186, "gettid"}, {202, "futex"}, {217, "getdents64"},
            {231, "exit_group"}, {232, "epoll_wait"}, {233, "epoll_ctl"}, {257, "openat"},
            {262, "newfstatat"}, {270, "pselect6"}, {271, "ppoll"}, {281, "epoll_pwait"}, {288, "accept4"},
            {290, "eventfd2"}, {291, "epoll_create1"}, {292, "dup3"}, {293, "pipe2"}, {318, "getrandom"},
            {319, "memfd_create"}, {322, "execveat"}, {332, "statx"}, {434, "pidfd_open"},
            {436, "close_range"}, {437, "openat2"}, {439, "faccessat2"},
            {1000, "ring0_attach"}, {1001, "ring0_hostfds"}, {1002, "ring0_adoptfd"},
        };
        for (Object[] k : known) {
            int nr = (Integer) k[0];
            String name = (String) k[1];
            assertEquals(name, Syscalls.name(nr));
            assertEquals(nr, Syscalls.number(name));
            assertEquals(nr, Syscalls.info(nr).nr());
        }
    }

    @Test
    void sysnoAgreesWithTheTable() throws IllegalAccessException {
        for (var f : Sysno.class.getFields()) {
            String name = f.getName().substring("SYS_".length()).toLowerCase();
            assertEquals(name, Syscalls.name(f.getInt(null)), f.getName());
        }
    }

    @Test
    void unknownNumbers() {
        assertEquals("syscall_335", Syscalls.name(335));
        assertEquals("syscall_999", Syscalls.name(999));
        assertEquals("syscall_1023", Syscalls.name(1023));
        assertEquals("syscall_5000", Syscalls.name(5000));
        assertEquals("syscall_-1", Syscalls.name(-1));
        assertNull(Syscalls.info(335));
        assertNull(Syscalls.info(-1));
        assertNull(Syscalls.info(Syscalls.MAX));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Syscalls.number("no_such_call"));
        assertTrue(e.getMessage().contains("no_such_call"));
    }

    @Test
    void everyLineIsParsedAsWritten() throws IOException {
        List<String[]> lines = tblLines();
        Set<Integer> numbers = new HashSet<>();
        for (String[] f : lines) {
            assertEquals(4, f.length, String.join("\t", f));
            int nr = Integer.parseInt(f[0]);
            assertTrue(numbers.add(nr), "number " + nr + " appears twice");
            assertTrue(nr >= 0 && nr < Syscalls.MAX);
            SyscallInfo s = Syscalls.info(nr);
            assertNotNull(s, f[1]);
            assertEquals(f[1], s.name());
            assertEquals(nr, Syscalls.number(f[1]), "name " + f[1] + " appears twice");
            List<String> kinds = f[2].isEmpty() ? List.of() : List.of(f[2].split(","));
            assertEquals(kinds.size(), s.args().size(), f[1]);
            assertTrue(s.args().size() <= 6, f[1]);
        }
        assertEquals(lines.size(), Syscalls.all().size());
        // Ascending numbers: all() is by number.
        List<SyscallInfo> all = Syscalls.all();
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).nr() < all.get(i).nr());
        }
    }

    @Test
    void everyCallWithADescriptorArgumentIsParsedAsOne() throws IOException {
        int withFd = 0;
        for (String[] f : tblLines()) {
            SyscallInfo s = Syscalls.info(Integer.parseInt(f[0]));
            List<String> kinds = f[2].isEmpty() ? List.of() : List.of(f[2].split(","));
            int descriptors = 0;
            for (int i = 0; i < kinds.size(); i++) {
                ArgKind expect = switch (kinds.get(i)) {
                    case "fd" -> ArgKind.FD;
                    case "dirfd" -> ArgKind.DIRFD;
                    default -> null;
                };
                if (expect != null) {
                    assertEquals(expect, s.args().get(i), s.name() + " argument " + i);
                    descriptors++;
                } else {
                    assertFalse(s.args().get(i) == ArgKind.FD || s.args().get(i) == ArgKind.DIRFD, s.name());
                }
            }
            assertEquals(descriptors > 0, s.takesFd(), s.name());
            // HostPassthrough translates at most two descriptor arguments.
            assertTrue(descriptors <= 2, s.name() + " has " + descriptors + " descriptor arguments");
            if (descriptors > 0) {
                withFd++;
                assertTrue(s.usesFdTable(), s.name());
            }
        }
        assertTrue(withFd > 100, "only " + withFd + " calls take descriptors");
    }

    @Test
    void descriptorKindsOfWellKnownCalls() {
        assertEquals(List.of(ArgKind.FD, ArgKind.BUF, ArgKind.SIZE), Syscalls.info(0).args());
        assertEquals(List.of(ArgKind.DIRFD, ArgKind.PATH, ArgKind.HEX, ArgKind.OCT), Syscalls.info(257).args());
        assertEquals(List.of(ArgKind.DIRFD, ArgKind.PATH, ArgKind.DIRFD, ArgKind.PATH),
                Syscalls.info(Syscalls.number("renameat")).args());
        assertEquals(List.of(ArgKind.FD, ArgKind.INT, ArgKind.FD, ArgKind.PTR), Syscalls.info(233).args());
        assertEquals(ArgKind.FD, Syscalls.info(9).args().get(4), "mmap's fifth argument");
        assertEquals(List.of(ArgKind.PATH, ArgKind.DIRFD, ArgKind.PATH), Syscalls.info(Syscalls.number("symlinkat")).args());
        assertTrue(Syscalls.info(Syscalls.number("shmget")).args().contains(ArgKind.UNKNOWN));
        assertEquals(List.of(), Syscalls.info(39).args());
    }

    @Test
    void closeOnExecSpecs() {
        SyscallInfo openat = Syscalls.info(257);
        assertEquals(SyscallInfo.Result.FD, openat.result());
        assertEquals(2, openat.cloexecArg());
        assertEquals(Fcntl.O_CLOEXEC, openat.cloexecMask());

        SyscallInfo open = Syscalls.info(2);
        assertEquals(1, open.cloexecArg());
        assertEquals(0x80000, open.cloexecMask());
        SyscallInfo accept4 = Syscalls.info(288);
        assertEquals(3, accept4.cloexecArg());
        assertEquals(Fcntl.SOCK_CLOEXEC, accept4.cloexecMask());
        SyscallInfo socket = Syscalls.info(41);
        assertEquals(1, socket.cloexecArg());
        SyscallInfo epollCreate1 = Syscalls.info(291);
        assertEquals(0, epollCreate1.cloexecArg());
        SyscallInfo memfd = Syscalls.info(319);
        assertEquals(1, memfd.cloexecArg());
        assertEquals(1, memfd.cloexecMask(), "MFD_CLOEXEC");

        SyscallInfo accept = Syscalls.info(43);
        assertEquals(SyscallInfo.Result.FD, accept.result());
        assertEquals(-1, accept.cloexecArg());
        assertEquals(0, accept.cloexecMask());
        assertEquals(-1, Syscalls.info(0).cloexecArg());
    }

    @Test
    void everyCloseOnExecSpecNamesAnArgument() {
        for (SyscallInfo s : Syscalls.all()) {
            if (s.cloexecArg() >= 0) {
                assertEquals(SyscallInfo.Result.FD, s.result(), s.name());
                assertTrue(s.cloexecArg() < s.args().size(), s.name());
                assertEquals(1, Long.bitCount(s.cloexecMask()), s.name());
            }
        }
    }

    @Test
    void resultKinds() {
        assertEquals(SyscallInfo.Result.HEX, Syscalls.info(9).result());
        assertEquals(SyscallInfo.Result.VOID, Syscalls.info(231).result());
        assertEquals(SyscallInfo.Result.VOID, Syscalls.info(60).result());
        assertEquals(SyscallInfo.Result.OCT, Syscalls.info(Syscalls.number("umask")).result());
        assertEquals(SyscallInfo.Result.INT, Syscalls.info(1).result());
    }

    @Test
    void parse() {
        SyscallInfo s = Syscalls.parse("257\topenat\tdirfd,path,hex,oct\tfd@2:0x80000");
        assertEquals(new SyscallInfo(257, "openat", List.of(ArgKind.DIRFD, ArgKind.PATH, ArgKind.HEX, ArgKind.OCT),
                SyscallInfo.Result.FD, 2, 0x80000), s);
        assertEquals(List.of(), Syscalls.parse("39\tgetpid\t\tint").args());
        assertThrows(IllegalArgumentException.class, () -> Syscalls.parse("39\tgetpid\tint"));
        assertThrows(IllegalArgumentException.class, () -> Syscalls.parse("39\tgetpid\t\tlong"));
        assertThrows(IllegalArgumentException.class, () -> Syscalls.parse("39\tgetpid\tpointer\tint"));
        assertThrows(NumberFormatException.class, () -> Syscalls.parse("x\tgetpid\t\tint"));
    }
}
