package ring0.usermem;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.host.Host;

class UserMemoryTest {
    private static final long PAGE = BadAddresses.PAGE;

    @Test
    void nativeMemoryIsReadableAndWritable() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(100);
            assertTrue(UserMemory.canRead(s.address(), 100));
            assertTrue(UserMemory.canWrite(s.address(), 100));
            assertTrue(UserMemory.canRead(s.address() + 99, 1));
        }
    }

    @Test
    void badAddressesAreNeitherReadableNorWritable() {
        for (long a : BadAddresses.all()) {
            String hex = Long.toHexString(a);
            assertFalse(UserMemory.canRead(a, 1), hex);
            assertFalse(UserMemory.canWrite(a, 1), hex);
            assertFalse(UserMemory.canRead(a, 8), hex);
            assertFalse(UserMemory.canWrite(a, 4096), hex);
            assertNull(UserMemory.readCString(a, 4096), hex);
            assertEquals(-7, UserMemory.readLongOr(a, -7), hex);
        }
        assertFalse(UserMemory.canRead(0xffff_ffff_ff60_0000L, 8), "vsyscall page: kernel half");
        assertFalse(UserMemory.canRead(-1L, 1));
        assertFalse(UserMemory.canRead(Long.MIN_VALUE, 1));
        assertFalse(UserMemory.canRead(MappedRegions.USER_TOP - 1, 2), "crosses into the kernel half");
    }

    @Test
    void aPageUnmappedAfterMmapIsBad() {
        // mmap and munmap with nothing looking in between: the first check after munmap reads
        // /proc/self/maps. (Brought up to date first, so that no stale mapping can cover the page.)
        MappedRegions.refresh();
        long a = Host.call(9, 0, PAGE, 3, 0x22, -1, 0);
        assertTrue(a > 0);
        assertEquals(0, Host.call(11, a, PAGE, 0));
        assertFalse(UserMemory.canRead(a, 1));
        assertFalse(UserMemory.canWrite(a, 1));
        assertNull(UserMemory.readCString(a, 10));
    }

    @Test
    void aReadOnlyMappingIsNotWritable() {
        long ro = BadAddresses.readOnly();
        assertTrue(UserMemory.canRead(ro, PAGE));
        assertFalse(UserMemory.canWrite(ro, 1));
        assertFalse(UserMemory.canWrite(ro + PAGE - 1, 1));
        assertEquals("", UserMemory.readCString(ro, 10), "the page holds zeros");
        assertEquals(0, UserMemory.readLongOr(ro, -1));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(8);
            assertEquals(-Errno.EFAULT, UserMemory.copyOut(src, 0, ro, 8));
            assertEquals(0, UserMemory.copyIn(ro, src, 0, 8));
        }
    }

    @Test
    void lengthsAndWrapAround() {
        try (Arena arena = Arena.ofConfined()) {
            long a = arena.allocate(16).address();
            assertTrue(UserMemory.canRead(a, 0));
            assertTrue(UserMemory.canRead(0, 0), "nothing to read is never a fault");
            assertFalse(UserMemory.canRead(a, -1));
            assertFalse(UserMemory.canRead(a, Long.MAX_VALUE), "end wraps around");
            assertFalse(UserMemory.canRead(a, 1L << 47), "far past any mapping");
        }
    }

    @Test
    void rangesEndingInAGuardPage() {
        // Two pages: the first read-write, the second without access.
        long a = BadAddresses.map(2 * PAGE, BadAddresses.PROT_READ | BadAddresses.PROT_WRITE);
        BadAddresses.protect(a + PAGE, PAGE, BadAddresses.PROT_NONE);
        assertTrue(UserMemory.canWrite(a, PAGE));
        assertFalse(UserMemory.canWrite(a, PAGE + 1));
        assertFalse(UserMemory.canRead(a + PAGE - 4, 8));
        assertFalse(UserMemory.canRead(a + PAGE, 1));

        MemorySegment page = UserMemory.ALL.asSlice(a, PAGE);
        // A string that runs into the guard page: no NUL before it.
        page.fill((byte) 'x');
        assertNull(UserMemory.readCString(a + PAGE - 3, 100));
        assertNull(UserMemory.readCString(a, (int) PAGE + 100));
        // With its NUL on the page it is fine, even right at the end.
        page.set(JAVA_BYTE, PAGE - 1, (byte) 0);
        assertEquals("xx", UserMemory.readCString(a + PAGE - 3, 100));
        assertEquals("x".repeat((int) PAGE - 1), UserMemory.readCString(a, (int) PAGE));
        // Longer than max.
        assertNull(UserMemory.readCString(a, 10));
    }

    @Test
    void rangesAcrossAdjacentMappings() {
        // Three pages whose protections differ are three mappings in /proc/self/maps.
        long a = BadAddresses.map(3 * PAGE, BadAddresses.PROT_READ | BadAddresses.PROT_WRITE);
        BadAddresses.protect(a + PAGE, PAGE, BadAddresses.PROT_READ);
        assertTrue(UserMemory.canRead(a, 3 * PAGE), "read across the three");
        assertFalse(UserMemory.canWrite(a, 3 * PAGE), "the middle one is read-only");
        assertTrue(UserMemory.canWrite(a + 2 * PAGE, PAGE));
        assertTrue(UserMemory.canWrite(a, PAGE));
    }

    @Test
    void readCString() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals("/etc/hosts", UserMemory.readCString(arena.allocateFrom("/etc/hosts").address(), 4096));
            assertEquals("", UserMemory.readCString(arena.allocateFrom("").address(), 4096));
            assertEquals("héllo", UserMemory.readCString(arena.allocateFrom("héllo").address(), 4096));
            long s = arena.allocateFrom("0123456789").address();
            assertEquals("0123456789", UserMemory.readCString(s, 10));
            assertNull(UserMemory.readCString(s, 9));
            String big = "p".repeat(1000);
            assertEquals(big, UserMemory.readCString(arena.allocateFrom(big).address(), 4096), "grows past 256");
        }
    }

    @Test
    void copyInAndOut() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment app = arena.allocateFrom("abcdefgh", StandardCharsets.US_ASCII);
            MemorySegment k = arena.allocate(16);
            assertEquals(0, UserMemory.copyIn(app.address() + 2, k, 4, 3));
            assertEquals('c', k.get(JAVA_BYTE, 4));
            assertEquals('e', k.get(JAVA_BYTE, 6));
            k.set(JAVA_BYTE, 0, (byte) 'Z');
            assertEquals(0, UserMemory.copyOut(k, 0, app.address() + 7, 1));
            assertEquals("abcdefgZ", app.getString(0, StandardCharsets.US_ASCII));
            for (long bad : BadAddresses.all()) {
                assertEquals(-Errno.EFAULT, UserMemory.copyIn(bad, k, 0, 8));
                assertEquals(-Errno.EFAULT, UserMemory.copyOut(k, 0, bad, 8));
            }
            assertEquals(0, UserMemory.copyIn(0, k, 0, 0), "nothing to copy");
            UserMemory.putInt(app.address(), 0x01020304);
            assertEquals(0x01020304, UserMemory.getInt(app.address()));
            assertEquals(0x01020304, app.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            UserMemory.putLong(k.address() + 8, -2);
            assertEquals(-2, UserMemory.getLong(k.address() + 8));
            assertEquals(-2, UserMemory.readLongOr(k.address() + 8, 0));
        }
    }
}
