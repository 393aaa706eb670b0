package ring0.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;

class HostFileTest {
    private static final int POLLIN = 1, POLLOUT = 4;

    @Test
    void theLastPutClosesTheHostDescriptor() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(8, 4);
            assertEquals(0, Host.call(Sysno.SYS_PIPE2, fds.address(), Fcntl.O_CLOEXEC, 0));
            int r = fds.get(JAVA_INT, 0), w = fds.get(JAVA_INT, 4);
            HostFile writer = new HostFile(w);
            assertEquals(w, writer.hostFd());
            assertEquals("host:" + w, writer.describe());
            Task t = new TaskTable().create();
            MemorySegment buf = arena.allocate(8);
            assertEquals(1, writer.write(t, buf.address(), 1));
            assertEquals(POLLOUT, writer.poll(t, POLLIN | POLLOUT));
            HostFile reader = new HostFile(r);
            assertEquals(POLLIN, reader.poll(t, POLLIN | POLLOUT));
            writer.get();
            assertEquals(0, writer.put());
            assertEquals(1, reader.read(t, buf.address(), 8), "the writer is still open");
            assertEquals(0, writer.put(), "close(2) of the host descriptor succeeded");
            // The only writer is closed: the reader sees end of file (the host number was really closed).
            assertEquals(0, reader.read(t, buf.address(), 8));
            assertEquals(0, reader.put());
        }
    }
}
