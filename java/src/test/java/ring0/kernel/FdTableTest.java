package ring0.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import ring0.abi.Attempt;
import ring0.abi.Errno;

class FdTableTest {
    private static List<Integer> open(FdTable t) {
        List<Integer> fds = new ArrayList<>();
        t.forEachOpen(fds::add);
        return fds;
    }

    @Test
    void installTakesTheLowestFreeDescriptor() {
        FdTable t = new FdTable(1024);
        for (int i = 0; i < 5; i++) {
            assertEquals(i, t.install(new CountingFile(), 0, false));
        }
        t.remove(1).put();
        t.remove(3).put();
        assertEquals(1, t.install(new CountingFile(), 0, false));
        assertEquals(3, t.install(new CountingFile(), 0, false));
        assertEquals(5, t.install(new CountingFile(), 0, false));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), open(t));
    }

    @Test
    void lowestFreeAfterCloseBelowAndDup() {
        // Linux: after close(0) and a dup, the dup gets 0, the next one the lowest above the open ones.
        FdTable t = new FdTable(1024);
        CountingFile f = new CountingFile();
        assertEquals(0, t.install(f, 0, false));
        assertEquals(1, t.install(new CountingFile(), 0, false));
        assertEquals(2, t.install(new CountingFile(), 0, false));
        FileDescription zero = t.remove(0);
        assertSame(f, zero);
        FileDescription g = t.get(2);
        assertEquals(0, t.install(g, 0, false)); // dup(2)
        assertEquals(3, t.install(new CountingFile(), 0, false));
        zero.put();
        assertTrue(f.released());
    }

    /** A description whose writes are dropped, as a writable /dev/null. */
    private static final class Sink extends CountingFile {
        @Override
        public boolean discardsWrites() {
            return true;
        }
    }

    private static boolean marked(MemorySegment bitmap, int fd) {
        return (bitmap.get(ValueLayout.JAVA_LONG, 8L * (fd >> 6)) & (1L << fd)) != 0;
    }

    @Test
    void discardMarksFollowTheDescriptorsDescription() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bitmap = arena.allocate(Attempt.SHARED_FDS / 8, 8);
            FdTable t = new FdTable(8192);
            assertEquals(0, t.install(new Sink(), 0, false)); // open before attach
            assertEquals(1, t.install(new CountingFile(), 0, false));
            t.setDiscardBitmap(bitmap.address());
            assertTrue(marked(bitmap, 0), "published at attach");
            assertFalse(marked(bitmap, 1));
            assertEquals(2, t.install(t.get(0), 0, false)); // dup
            assertTrue(marked(bitmap, 2));
            t.installAt(2, t.get(1), false).put(); // dup2 a plain file over it
            assertFalse(marked(bitmap, 2), "dup2 over a sink clears its mark");
            t.installAt(1, t.get(0), false).put(); // dup2 a sink over a plain file
            assertTrue(marked(bitmap, 1));
            t.remove(0).put();
            assertFalse(marked(bitmap, 0), "close clears it");
            assertEquals(0, t.install(new CountingFile(), 0, false));
            assertFalse(marked(bitmap, 0), "the number names a plain file now");
            t.installAt(4095, t.get(1), false);
            t.installAt(4096, t.get(1), false); // beyond the bitmap: served by the kernel, not marked
            assertTrue(marked(bitmap, 4095));
            assertEquals(0, bitmap.get(ValueLayout.JAVA_LONG, 0) & ~0b10L, "no other bit in the first word");
        }
    }

    @Test
    void capacityGrowsAsLinuxMaxFdsAndNeverShrinks() {
        // select cuts nfds down to it: 64 at first, the next power of two above a new descriptor.
        FdTable t = new FdTable(1024);
        assertEquals(64, t.capacity());
        t.installAt(64, new CountingFile(), false);
        assertEquals(128, t.capacity());
        t.installAt(300, new CountingFile(), false);
        assertEquals(512, t.capacity());
        t.remove(300).put();
        t.remove(64).put();
        assertEquals(512, t.capacity());
    }

    @Test
    void installWithMinimumIsFDupfd() {
        FdTable t = new FdTable(1024);
        assertEquals(0, t.install(new CountingFile(), 0, false));
        assertEquals(10, t.install(new CountingFile(), 10, false));
        assertEquals(11, t.install(new CountingFile(), 10, false));
        // A minimum does not move the lowest free one: 1 is still free.
        assertEquals(1, t.install(new CountingFile(), 0, false));
        assertEquals(2, t.install(new CountingFile(), 0, false));
        // A minimum below open descriptors skips them.
        assertEquals(3, t.install(new CountingFile(), 1, false));
        // Beyond the initial array size.
        assertEquals(500, t.install(new CountingFile(), 500, false));
        assertEquals(List.of(0, 1, 2, 3, 10, 11, 500), open(t));
    }

    @Test
    void installAtReplacesAndReturnsTheOldDescription() {
        FdTable t = new FdTable(1024);
        CountingFile a = new CountingFile(), b = new CountingFile();
        assertEquals(0, t.install(a, 0, true));
        assertNull(t.installAt(5, b, false));
        CountingFile c = new CountingFile();
        FileDescription old = t.installAt(0, c, false);
        assertSame(a, old);
        assertFalse(a.released(), "the caller puts the old description, not installAt");
        old.put();
        assertTrue(a.released());
        assertFalse(t.closeOnExec(0), "installAt sets the new descriptor's flag");
        assertSame(c, get(t, 0));
        assertSame(b, get(t, 5));
        // Lowest free still finds 1..4.
        assertEquals(1, t.install(new CountingFile(), 0, false));
        // Far beyond the array: it grows.
        assertNull(t.installAt(1000, new CountingFile(), true));
        assertTrue(t.closeOnExec(1000));
        assertEquals(List.of(0, 1, 5, 1000), open(t));
    }

    @Test
    void removeReturnsTheDescriptionOnceAndFreesTheNumber() {
        FdTable t = new FdTable(16);
        CountingFile f = new CountingFile();
        assertEquals(0, t.install(f, 0, true));
        assertSame(f, t.remove(0));
        assertNull(t.remove(0));
        assertNull(t.get(0));
        assertNull(t.remove(-1));
        assertNull(t.remove(1 << 20));
        assertFalse(f.released());
        f.put();
        assertTrue(f.released());
        assertEquals(0, t.install(new CountingFile(), 0, false));
        assertFalse(t.closeOnExec(0), "a reused number does not inherit close-on-exec");
    }

    @Test
    void getOfAnythingNotOpenIsNull() {
        FdTable t = new FdTable(16);
        assertNull(t.get(0));
        assertNull(t.get(-1));
        assertNull(t.get(-100));
        assertNull(t.get(Integer.MAX_VALUE));
        t.install(new CountingFile(), 0, false);
        assertNull(t.get(1));
    }

    @Test
    void closeOnExecFlags() {
        FdTable t = new FdTable(1024);
        assertEquals(0, t.install(new CountingFile(), 0, true));
        assertEquals(1, t.install(new CountingFile(), 0, false));
        assertTrue(t.closeOnExec(0));
        assertFalse(t.closeOnExec(1));
        assertTrue(t.setCloseOnExec(1, true));
        assertTrue(t.closeOnExec(1));
        assertTrue(t.setCloseOnExec(0, false));
        assertFalse(t.closeOnExec(0));
        assertFalse(t.setCloseOnExec(2, true), "not open");
        assertFalse(t.closeOnExec(2));
        assertFalse(t.setCloseOnExec(-1, true));
        assertFalse(t.closeOnExec(-1));
        // Descriptors 64 apart do not share a bit.
        assertEquals(64, t.install(new CountingFile(), 64, false));
        assertEquals(129, t.install(new CountingFile(), 129, true));
        assertFalse(t.closeOnExec(64));
        assertTrue(t.closeOnExec(129));
        assertTrue(t.setCloseOnExec(1, false));
        assertTrue(t.closeOnExec(129));
        assertFalse(t.closeOnExec(65));
    }

    @Test
    void maxLimitIsEmfile() {
        FdTable t = new FdTable(3);
        assertEquals(3, t.max());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, t.install(new CountingFile(), 0, false));
        }
        CountingFile f = new CountingFile();
        assertEquals(-Errno.EMFILE, t.install(f, 0, false));
        assertFalse(f.released(), "a failed install leaves the reference to the caller");
        assertNull(t.get(3));
        t.remove(1).put();
        assertEquals(1, t.install(f, 0, false));
        assertEquals(-Errno.EMFILE, t.install(new CountingFile(), 2, false));
        assertEquals(-Errno.EMFILE, t.install(new CountingFile(), 3, false));
    }

    @Test
    void maxBelowTheInitialArraySize() {
        FdTable t = new FdTable(1);
        assertEquals(-Errno.EMFILE, t.install(new CountingFile(), 5, false));
        assertEquals(0, t.install(new CountingFile(), 0, false));
        assertEquals(-Errno.EMFILE, t.install(new CountingFile(), 0, false));
    }

    @Test
    void aDescriptionIsReleasedOnlyAfterTheLastPut() {
        FdTable t = new FdTable(16);
        CountingFile f = new CountingFile();
        assertEquals(0, t.install(f, 0, false));
        FileDescription dupRef = t.get(0);
        assertEquals(1, t.install(dupRef, 0, false)); // dup: the table holds two references
        FileDescription inFlight = t.get(0); // a system call in progress
        assertSame(f, inFlight);

        assertEquals(0, t.remove(0).put());
        assertFalse(f.released());
        assertEquals(0, t.remove(1).put());
        assertFalse(f.released(), "a call still uses it");
        assertNull(t.get(0));
        inFlight.put();
        assertEquals(1, f.releases());
    }

    @Test
    void putReportsTheReleaseResultOnlyForTheLastReference() {
        CountingFile f = new CountingFile(null, -Errno.EIO);
        f.get();
        assertEquals(0, f.put());
        assertEquals(-Errno.EIO, f.put());
        assertEquals(1, f.releases());
    }

    @Test
    void getDoesNotResurrectAReleasedDescription() {
        CountingFile f = new CountingFile();
        f.put();
        assertFalse(f.tryGet());
        assertEquals(1, f.releases());
    }

    /**
     * Readers take and drop references on a few slots while closers close them and open new
     * descriptions there (by install and by dup2). No description may be released while a reader
     * holds it, and at the end every description made has been released exactly once.
     */
    @Test
    void concurrentGetPutCloseAndReopen() throws InterruptedException {
        final int slots = 4, readers = 3, closers = 2, rounds = 200_000;
        FdTable t = new FdTable(64);
        AtomicInteger created = new AtomicInteger(), released = new AtomicInteger();
        AtomicLong gets = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<CountingFile> made = new ConcurrentLinkedQueue<>();
        for (int fd = 0; fd < slots; fd++) {
            CountingFile f = new CountingFile(released, 0);
            created.incrementAndGet();
            made.add(f);
            t.installAt(fd, f, false);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            int seed = r;
            threads.add(Thread.ofPlatform().unstarted(() -> {
                try {
                    start.await();
                    int i = seed;
                    while (!stop.get()) {
                        FileDescription f = t.get(Math.floorMod(i++, slots));
                        if (f == null) {
                            continue;
                        }
                        gets.incrementAndGet();
                        CountingFile c = (CountingFile) f;
                        if (c.released()) {
                            failures.add("get returned a released description " + c.describe());
                        }
                        Thread.onSpinWait();
                        if (c.released()) {
                            failures.add("released while a reference was held: " + c.describe());
                        }
                        f.put();
                    }
                } catch (Throwable e) {
                    failures.add("reader: " + e);
                }
            }));
        }
        for (int w = 0; w < closers; w++) {
            int seed = w;
            threads.add(Thread.ofPlatform().unstarted(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        int fd = (i + seed) % slots;
                        CountingFile f = new CountingFile(released, 0);
                        created.incrementAndGet();
                        made.add(f);
                        if ((i & 1) == 0) {
                            FileDescription old = t.remove(fd);
                            if (old != null) {
                                old.put();
                            }
                            int got = t.install(f, 0, false);
                            if (got < 0) {
                                f.put();
                            } else if (got >= slots) {
                                // Another closer filled the hole first; keep the slots few.
                                FileDescription extra = t.remove(got);
                                if (extra != null) {
                                    extra.put();
                                }
                            }
                        } else {
                            FileDescription old = t.installAt(fd, f, false);
                            if (old != null) {
                                old.put();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add("closer: " + e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread th : threads.subList(readers, threads.size())) {
            th.join();
        }
        stop.set(true);
        for (Thread th : threads.subList(0, readers)) {
            th.join();
        }
        assertEquals(List.of(), List.copyOf(failures));
        assertTrue(gets.get() > 0, "the readers got references");

        t.forEachOpen(fd -> t.remove(fd).put());
        assertEquals(created.get(), released.get(), "every description made was released");
        for (CountingFile f : made) {
            assertEquals(1, f.releases(), f.describe());
        }
    }

    private static FileDescription get(FdTable t, int fd) {
        FileDescription f = t.get(fd);
        if (f != null) {
            f.put();
        }
        return f;
    }
}
