package ring0.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.IntConsumer;
import ring0.abi.Attempt;
import ring0.abi.Errno;
import ring0.usermem.UserMemory;

/**
 * The app's descriptor table. Numbers are the app's own, allocated as Linux does (lowest free);
 * they are unrelated to host descriptor numbers, which the app never sees.
 *
 * <p>Locking: lookups take no lock (an acquiring read of the slot, then a reference on the
 * description); changes take the table's lock, as Linux's files_struct.file_lock.
 */
public final class FdTable {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(FileDescription[].class);

    private final int max;
    private final Object lock = new Object();
    /** Replaced whole when it grows; slots change under the lock with release stores. */
    private volatile FileDescription[] files = new FileDescription[64];
    /**
     * Close-on-exec flags, by descriptor: changed under the lock with release stores, read without it
     * (F_GETFD, as Linux's get_close_on_exec under RCU); replaced whole when it grows.
     */
    private volatile long[] cloexec = new long[1];
    private static final VarHandle FLAGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** No descriptor below this is free. Guarded by lock. */
    private int lowestFree;

    /** The Go side's ring0Shared.noAttempt bitmap (ring0.abi.Attempt.NEVER), 0 before attach. */
    private volatile long noAttempt;
    /**
     * The Go side's ring0Shared.discard bitmap (ABI 4), 0 before attach or if the kernel publishes
     * none: the descriptors whose description {@link FileDescription#discardsWrites}, for which Go
     * answers write(2) itself. A bit is cleared before its number can name another description and
     * set after it names this one, so a write Go answered linearizes before any close or dup2.
     */
    private volatile long discard;

    private static final VarHandle WORD = java.lang.foreign.ValueLayout.JAVA_LONG.varHandle();

    /** Where the Go side marks the descriptors it no longer attempts (attach). */
    public void setNoAttemptBitmap(long address) {
        noAttempt = address;
    }

    /** Publishes the discard marks from now on, at address (attach); the open descriptors' too. */
    public void setDiscardBitmap(long address) {
        synchronized (lock) {
            discard = address;
            FileDescription[] t = files;
            for (int fd = 0; fd < Math.min(t.length, Attempt.SHARED_FDS); fd++) {
                if (t[fd] != null && t[fd].discardsWrites()) {
                    markDiscard(fd, true);
                }
            }
        }
    }

    /** @param max one more than the largest descriptor number (RLIMIT_NOFILE) */
    public FdTable(int max) {
        this.max = max;
    }

    /**
     * The description behind fd, with a reference the caller must {@link FileDescription#put}; null
     * if fd is not open. Hot path: no lock, no allocation.
     */
    public FileDescription get(int fd) {
        for (;;) {
            FileDescription[] t = files;
            if (fd < 0 || fd >= t.length) {
                return null;
            }
            FileDescription f = (FileDescription) SLOT.getAcquire(t, fd);
            if (f == null) {
                return null;
            }
            if (f.tryGet()) {
                // The slot may have been closed and reused between the read and the reference.
                if (SLOT.getAcquire(files, fd) == f) {
                    return f;
                }
                f.put();
            }
        }
    }

    /**
     * The description behind fd, without a reference, or null: a call may use it only if it is
     * {@link FileDescription#stateless}, else it takes one with {@link #get}. Hot path: one acquiring
     * load.
     */
    public FileDescription peek(int fd) {
        FileDescription[] t = files;
        return fd >= 0 && fd < t.length ? (FileDescription) SLOT.getAcquire(t, fd) : null;
    }

    /** Installs f at the lowest free descriptor >= min. Takes over the caller's reference. */
    public int install(FileDescription f, int min, boolean closeOnExec) {
        synchronized (lock) {
            int fd = Math.max(min, lowestFree);
            FileDescription[] t = files;
            while (fd < t.length && t[fd] != null) {
                fd++;
            }
            if (fd >= max) {
                return -Errno.EMFILE;
            }
            setLocked(fd, f, closeOnExec);
            if (min <= lowestFree) {
                lowestFree = fd + 1;
            }
            return fd;
        }
    }

    /**
     * Puts f at fd (dup2): returns the description that was there, for the caller to put() outside
     * the lock, or null. Takes over the caller's reference to f.
     */
    public FileDescription installAt(int fd, FileDescription f, boolean closeOnExec) {
        synchronized (lock) {
            FileDescription old = fd < files.length ? files[fd] : null;
            setLocked(fd, f, closeOnExec);
            return old;
        }
    }

    /** Removes fd from the table; returns its description for the caller to put(), or null. */
    public FileDescription remove(int fd) {
        synchronized (lock) {
            FileDescription[] t = files;
            if (fd < 0 || fd >= t.length || t[fd] == null) {
                return null;
            }
            FileDescription f = t[fd];
            removeLocked(t, fd);
            return f;
        }
    }

    /**
     * Removes fd from the table if f is still its description (close in attempt mode, which looked
     * at f first); returns whether it did. The caller then puts f's reference.
     */
    public boolean removeIf(int fd, FileDescription f) {
        synchronized (lock) {
            FileDescription[] t = files;
            if (fd < 0 || fd >= t.length || t[fd] != f || f == null) {
                return false;
            }
            removeLocked(t, fd);
            return true;
        }
    }

    private void removeLocked(FileDescription[] t, int fd) {
        markDiscard(fd, false);
        SLOT.setRelease(t, fd, null);
        setCloexecLocked(fd, false);
        if (fd < lowestFree) {
            lowestFree = fd;
        }
    }

    /**
     * F_GETFD: 1 if fd is close-on-exec, 0 if not, -1 if fd is not open. Hot path: no lock, no
     * reference (racing with close or F_SETFD, either answer is one the call could have had).
     */
    public int descriptorFlags(int fd) {
        return peek(fd) == null ? -1 : closeOnExec(fd) ? 1 : 0;
    }

    public boolean closeOnExec(int fd) {
        long[] c = cloexec;
        return fd >= 0 && (fd >> 6) < c.length && ((long) FLAGS.getAcquire(c, fd >> 6) & (1L << fd)) != 0;
    }

    /** Sets fd's close-on-exec flag; returns false if fd is not open. */
    public boolean setCloseOnExec(int fd, boolean on) {
        synchronized (lock) {
            if (fd < 0 || fd >= files.length || files[fd] == null) {
                return false;
            }
            setCloexecLocked(fd, on);
            return true;
        }
    }

    /** The largest descriptor number the table allows, plus one. */
    public int max() {
        return max;
    }

    /**
     * How many descriptors the table holds now (Linux's fdt->max_fds): 64 at first, doubled as
     * descriptors above it are allocated, never shrunk. select ignores descriptors at or above it.
     */
    public int capacity() {
        return files.length;
    }

    /** Calls action with each open descriptor, in order (for close_range, /proc and exec). */
    public void forEachOpen(IntConsumer action) {
        FileDescription[] t = files;
        for (int fd = 0; fd < t.length; fd++) {
            if (SLOT.getAcquire(t, fd) != null) {
                action.accept(fd);
            }
        }
    }

    private void setLocked(int fd, FileDescription f, boolean closeOnExec) {
        if (fd >= files.length) {
            int n = files.length;
            while (n <= fd) {
                n *= 2;
            }
            files = Arrays.copyOf(files, Math.min(n, Math.max(max, fd + 1)));
        }
        markDiscard(fd, false);
        setCloexecLocked(fd, closeOnExec); // before the slot: F_GETFD reads them without the lock
        SLOT.setRelease(files, fd, f);
        if (f.discardsWrites()) {
            markDiscard(fd, true);
        }
        // A new description at fd: Go may attempt it again (it marked the old one's NEVER).
        setSharedBit(noAttempt, fd, false);
    }

    /** Sets or clears fd's discard mark, if the kernel publishes them. Under lock. */
    private void markDiscard(int fd, boolean on) {
        setSharedBit(discard, fd, on);
    }

    /**
     * Sets or clears fd's bit in a descriptor bitmap shared with Go (0: none published), atomically:
     * Go sets noAttempt bits meanwhile. Reads first, so an unchanged bit costs no locked write.
     */
    private static void setSharedBit(long bitmap, int fd, boolean on) {
        if (bitmap == 0 || fd >= Attempt.SHARED_FDS) {
            return;
        }
        long bit = 1L << fd;
        long addr = bitmap + 8L * (fd >> 6);
        if (((UserMemory.getLong(addr) & bit) != 0) == on) {
            return;
        }
        if (on) {
            WORD.getAndBitwiseOr(UserMemory.ALL, addr, bit);
        } else {
            WORD.getAndBitwiseAnd(UserMemory.ALL, addr, ~bit);
        }
    }

    private void setCloexecLocked(int fd, boolean on) {
        int word = fd >> 6;
        long[] c = cloexec;
        if (word >= c.length) {
            if (!on) {
                return;
            }
            cloexec = c = Arrays.copyOf(c, Math.max(word + 1, c.length * 2));
        }
        FLAGS.setRelease(c, word, on ? c[word] | 1L << fd : c[word] & ~(1L << fd));
    }
}
