package ring0.abi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyscallInfoTest {
    private static SyscallInfo info(SyscallInfo.Result result, ArgKind... args) {
        return new SyscallInfo(0, "x", List.of(args), result, -1, 0);
    }

    @Test
    void takesFd() {
        assertTrue(info(SyscallInfo.Result.INT, ArgKind.FD, ArgKind.BUF).takesFd());
        assertTrue(info(SyscallInfo.Result.INT, ArgKind.DIRFD, ArgKind.PATH).takesFd());
        assertFalse(info(SyscallInfo.Result.INT, ArgKind.PATH, ArgKind.INT).takesFd());
        assertFalse(info(SyscallInfo.Result.FD).takesFd());
    }

    @Test
    void usesFdTable() {
        assertTrue(info(SyscallInfo.Result.INT, ArgKind.FD).usesFdTable());
        assertTrue(info(SyscallInfo.Result.FD, ArgKind.INT).usesFdTable(), "makes a descriptor");
        assertTrue(info(SyscallInfo.Result.FD).usesFdTable());
        assertFalse(info(SyscallInfo.Result.INT, ArgKind.PTR).usesFdTable());
        assertFalse(info(SyscallInfo.Result.INT).usesFdTable());
    }

    @Test
    void realCalls() {
        assertTrue(Syscalls.info(Sysno.SYS_READ).usesFdTable());
        assertTrue(Syscalls.info(Sysno.SYS_SOCKET).usesFdTable());
        assertTrue(Syscalls.info(Sysno.SYS_EPOLL_CREATE).usesFdTable());
        assertFalse(Syscalls.info(Sysno.SYS_GETPID).usesFdTable());
        assertFalse(Syscalls.info(Sysno.SYS_FUTEX).usesFdTable());
        // These make descriptors through a pointer or scan them: the table alone cannot tell.
        assertFalse(Syscalls.info(Sysno.SYS_PIPE).usesFdTable());
        assertFalse(Syscalls.info(Sysno.SYS_PIPE2).usesFdTable());
        assertFalse(Syscalls.info(Sysno.SYS_SOCKETPAIR).usesFdTable());
        assertFalse(Syscalls.info(Sysno.SYS_POLL).usesFdTable());
        assertFalse(Syscalls.info(Sysno.SYS_CLOSE_RANGE).usesFdTable());
    }
}
