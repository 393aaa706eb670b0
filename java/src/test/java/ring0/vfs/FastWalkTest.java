package ring0.vfs;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Attempt;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.fs.hostfs.CacheMode;
import ring0.fs.hostfs.HostCaches;
import ring0.syscall.TestKernel;

/**
 * PathWalk.walkFast scans and hashes each component a word at a time; Name hashes and compares
 * stored names by words too. If the two disagreed for some length, the attempt path would quietly
 * answer "would block" and every such stat would take the slow way: these tests fail instead.
 */
class FastWalkTest {
    @TempDir
    Path dir;
    @AutoClose
    private final TestKernel k = new TestKernel();

    @Test
    void theFastWalkFindsCachedNamesOfEveryLength() throws Exception {
        HostCaches.install(k.kernel, CacheMode.ALWAYS);
        long st = k.alloc(Stat.STAT_SIZE).address();
        for (int len = 1; len <= 26; len++) {
            String name = "abcdefghijklmnopqrstuvwxyz".substring(0, len);
            Path sub = dir.resolve(name);
            Files.createDirectories(sub.resolve(name));
            Files.writeString(sub.resolve(name).resolve(name), "x");
            String path = sub + "/" + name + "/" + name;
            assertEquals(0, k.stat(path), path); // the usual walk caches the names
            for (String spelling : new String[] {path, sub + "//" + name + "///" + name, "//" + dir.toString().substring(1) + "/" + name + "/" + name + "/" + name}) {
                assertEquals(0, k.attempt(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr(spelling), st, 0), spelling);
                assertEquals((long) Files.getAttribute(Path.of(path), "unix:ino"), readIno(st), spelling);
            }
        }
    }

    @Test
    void theFastWalkLeavesTrailingSlashesDotsAndUnknownNamesToTheUsualWalk() throws Exception {
        HostCaches.install(k.kernel, CacheMode.ALWAYS);
        long st = k.alloc(Stat.STAT_SIZE).address();
        Files.createDirectories(dir.resolve("abcdefgh/d"));
        assertEquals(0, k.stat(dir + "/abcdefgh/d"));
        for (String path : new String[] {dir + "/abcdefgh/d/", dir + "/abcdefgh/./d", dir + "/abcdefgh/../abcdefgh/d", dir + "/abcdefgi/d", dir + "/abcdefg/d", dir + "/abcdefghi/d"}) {
            assertEquals(Attempt.WOULD_BLOCK, k.attempt(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, k.cstr(path), st, 0), path);
        }
    }

    @Test
    void namesThatDifferInOneByteDiffer() {
        byte[] base = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        for (int len = 1; len <= base.length; len++) {
            Name a = Name.of(java.util.Arrays.copyOf(base, len));
            Name probe = Name.probe();
            byte[] padded = new byte[len + 3];
            System.arraycopy(base, 0, padded, 2, len);
            probe.set(padded, 2, len);
            assertEquals(a, probe, "len " + len);
            assertEquals(a.hashCode(), probe.hashCode(), "len " + len);
            for (int i = 0; i < len; i++) {
                byte[] other = java.util.Arrays.copyOf(base, len);
                other[i] ^= 0x20;
                assertNotEquals(a, Name.of(other), "len " + len + ", byte " + i);
            }
        }
    }

    private static long readIno(long st) {
        return java.lang.foreign.MemorySegment.NULL.reinterpret(Long.MAX_VALUE).get(JAVA_LONG, st + Stat.ST_INO);
    }
}
