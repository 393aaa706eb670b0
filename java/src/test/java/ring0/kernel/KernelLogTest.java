package ring0.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelLogTest {
    @Test
    void linesCarryTheTimeSinceBoot() {
        KernelLog log = new KernelLog();
        log.log("hello");
        List<String> lines = log.lines();
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).matches("\\[ *\\d+\\.\\d{6}\\] hello"), lines.get(0));
        assertFalse(log.uptime().isNegative());
    }

    @Test
    void onceLogsADistinctKeyOnce() {
        KernelLog log = new KernelLog();
        assertTrue(log.once("k", "first"));
        assertFalse(log.once("k", "second"));
        assertTrue(log.once("other", "third"));
        List<String> lines = log.lines();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).endsWith("] first"));
        assertTrue(lines.get(1).endsWith("] third"));
    }

    @Test
    void theRingKeepsTheLastThousandLines() {
        KernelLog log = new KernelLog();
        for (int i = 0; i < 1005; i++) {
            log.log("line " + i);
        }
        List<String> lines = log.lines();
        assertEquals(1000, lines.size());
        assertTrue(lines.get(0).endsWith("] line 5"));
        assertTrue(lines.get(999).endsWith("] line 1004"));
    }

    @Test
    void echo() {
        KernelLog log = new KernelLog();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        log.log("before");
        log.echoTo(new PrintStream(out, true, StandardCharsets.UTF_8));
        log.log("during");
        log.echoTo(null);
        log.log("after");
        String echoed = out.toString(StandardCharsets.UTF_8);
        assertTrue(echoed.matches("\\[ *\\d+\\.\\d{6}\\] during\n"), echoed);
        assertEquals(3, log.lines().size());
    }
}
