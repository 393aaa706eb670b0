package ring0.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void isError() {
        assertTrue(Errno.isError(-1));
        assertTrue(Errno.isError(-Errno.EBADF));
        assertTrue(Errno.isError(-4095));
        assertFalse(Errno.isError(-4096), "an address in the kernel half, e.g. from mmap, is not an error");
        assertFalse(Errno.isError(0));
        assertFalse(Errno.isError(3));
        assertFalse(Errno.isError(Long.MIN_VALUE));
    }

    @Test
    void namesAndMessages() {
        assertEquals("ENOENT", Errno.name(Errno.ENOENT));
        assertEquals("No such file or directory", Errno.message(Errno.ENOENT));
        assertEquals("EBADF", Errno.name(9));
        assertEquals("EFAULT", Errno.name(14));
        assertEquals("Bad address", Errno.message(14));
        assertEquals("EAGAIN", Errno.name(Errno.EWOULDBLOCK));
        assertEquals("EMFILE", Errno.name(24));
        assertEquals("ENOSYS", Errno.name(38));
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("E?0", Errno.name(0));
        assertEquals("E?41", Errno.name(41));
        assertEquals("E?5000", Errno.name(5000));
        assertEquals("E?-3", Errno.name(-3));
        assertEquals("errno 41", Errno.message(41));
    }

    @Test
    void everyConstantHasItsName() throws IllegalAccessException {
        for (var f : Errno.class.getFields()) {
            if (f.getType() == int.class && f.getName().startsWith("E") && !f.getName().equals("EWOULDBLOCK")) {
                assertEquals(f.getName(), Errno.name(f.getInt(null)));
            }
        }
    }
}
