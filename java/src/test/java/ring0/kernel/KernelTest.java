package ring0.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;

class KernelTest {
    @Test
    void oneAppPerBoot() {
        Kernel k = new Kernel(16, false);
        assertEquals(Kernel.State.BOOTED, k.state());
        assertTrue(k.start());
        assertEquals(Kernel.State.RUNNING, k.state());
        assertFalse(k.start(), "a kernel runs one application");
        assertEquals(16, k.fds.max());
        assertFalse(k.countHostCalls);
        assertTrue(new Kernel(16, true).countHostCalls);
    }

    @Test
    void exitGroupCompletesTheStatusAndParksTheCaller() throws InterruptedException {
        Kernel k = new Kernel(16, false);
        k.start();
        k.parkIfExited(); // running: returns at once
        Thread app = Thread.ofPlatform().daemon().start(() -> k.exitGroup(0x1ff));
        assertEquals(0xff, k.awaitExit());
        assertEquals(Kernel.State.EXITED, k.state());
        // A second exit_group from another thread does not change the status.
        Thread.ofPlatform().daemon().start(() -> k.exitGroup(3));
        assertEquals(0xff, k.awaitExit());
        assertTrue(app.isAlive(), "the exiting thread never returns to the app");
        assertFalse(k.start());
    }

    @Test
    void attachConsoleGivesTheAppHostDescriptorsZeroOneTwo() {
        Kernel k = new Kernel(16, false);
        k.attachConsole();
        for (int fd = 0; fd <= 2; fd++) {
            if (Host.fastCall(Sysno.SYS_FCNTL, fd, Fcntl.F_GETFD, 0) < 0) {
                continue; // this JVM has no such host descriptor: neither has the app
            }
            FileDescription f = k.fds.get(fd);
            assertInstanceOf(HostFile.class, f);
            try {
                int h = f.hostFd();
                assertTrue(h >= 3, "a copy of the host's " + fd + ", not the host's own: " + h);
                assertEquals(Fcntl.FD_CLOEXEC, Host.fastCall(Sysno.SYS_FCNTL, h, Fcntl.F_GETFD, 0));
                assertFalse(k.fds.closeOnExec(fd), "the app's 0, 1 and 2 stay open across exec");
            } finally {
                f.put();
            }
        }
        FileDescription one = k.fds.get(1);
        assertNotEquals(null, one, "stdout is open in a test JVM");
        one.put();
        k.fds.forEachOpen(fd -> k.fds.remove(fd).put());
    }

    @Test
    void hostCallCounters() {
        Kernel k = new Kernel(16, false);
        assertEquals(0, k.hostCallCounters());
        k.setHostCallCounters(0x1000);
        assertEquals(0x1000, k.hostCallCounters());
    }
}
