package ring0.vfs;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.util.IdentityHashMap;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.kernel.FileDescription;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * Locks on a file the kernel serves alone (no host descriptor carries them): flock(2) locks, held
 * by open file descriptions (fs/locks.c flock_lock_inode), and the record locks of fcntl(2).
 *
 * <p>Record locks are simple here: the app is the only process that can see such a file, and a
 * process's POSIX locks never conflict with each other, so every F_SETLK succeeds and F_GETLK finds
 * no conflict; OFD locks are answered the same way (a limit: two descriptions of a kernel-only file
 * do not exclude each other's OFD write locks). flock locks are kept, as they exclude each other
 * between descriptions of one process.
 *
 * <p>Locking: the monitor guards the holders; a blocking flock waits on it (not interrupted by
 * signals).
 */
public final class Flock {
    /** The flock lock each description holds: LOCK_SH or LOCK_EX. Guarded by this. */
    private final IdentityHashMap<Object, Integer> holders = new IdentityHashMap<>();

    /** flock(2) for owner (its open file description), cmd checked by the caller. */
    public synchronized long flock(Object owner, int cmd) {
        int type = cmd & ~Fcntl.LOCK_NB;
        holders.remove(owner); // a conversion drops the old lock first, as Linux does
        if (type == Fcntl.LOCK_UN) {
            notifyAll();
            return 0;
        }
        while (conflicts(owner, type)) {
            if ((cmd & Fcntl.LOCK_NB) != 0) {
                return -Errno.EAGAIN;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -Errno.EINTR;
            }
        }
        holders.put(owner, type);
        return 0;
    }

    /** Drops owner's lock (its description is released: locks_remove_flock). */
    public synchronized void release(Object owner) {
        if (holders.remove(owner) != null) {
            notifyAll();
        }
    }

    private boolean conflicts(Object owner, int type) {
        for (var e : holders.entrySet()) {
            if (e.getKey() != owner && (type == Fcntl.LOCK_EX || e.getValue() == Fcntl.LOCK_EX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * fcntl's record lock commands on a file only this process sees: struct flock checked as
     * fcntl_getlk / fcntl_setlk do (EFAULT, EINVAL, EBADF for a lock the access mode does not allow),
     * then no conflict. Returns -EINVAL for a command that is not a lock command.
     *
     * <pre>
     * struct flock {                // 32 bytes
     *     s16 l_type;               //  0  F_RDLCK, F_WRLCK, F_UNLCK
     *     s16 l_whence;             //  2  SEEK_SET, SEEK_CUR, SEEK_END
     *     s64 l_start;              //  8
     *     s64 l_len;                // 16
     *     s32 l_pid;                // 24  0 for OFD locks
     * };
     * </pre>
     *
     * @param pos the description's offset (SEEK_CUR) and size the file's (SEEK_END)
     */
    public static long recordLock(FileDescription f, int cmd, long arg, long pos, long size) {
        boolean get = cmd == Fcntl.F_GETLK || cmd == Fcntl.F_OFD_GETLK;
        boolean ofd = cmd == Fcntl.F_OFD_GETLK || cmd == Fcntl.F_OFD_SETLK || cmd == Fcntl.F_OFD_SETLKW;
        if (!get && !ofd && cmd != Fcntl.F_SETLK && cmd != Fcntl.F_SETLKW) {
            return -Errno.EINVAL;
        }
        if (!UserMemory.canRead(arg, 32) || (get && !UserMemory.canWrite(arg, 32))) {
            return -Errno.EFAULT;
        }
        short type = UserMemory.ALL.get(JAVA_SHORT, arg);
        short whence = UserMemory.ALL.get(JAVA_SHORT, arg + 2);
        long start = UserMemory.getLong(arg + 8), len = UserMemory.getLong(arg + 16);
        int pid = UserMemory.ALL.get(JAVA_INT, arg + 24);
        if (get && type != Fcntl.F_RDLCK && type != Fcntl.F_WRLCK) {
            return -Errno.EINVAL;
        }
        if (ofd && pid != 0) {
            return -Errno.EINVAL;
        }
        long base = switch (whence) {
            case Fcntl.SEEK_SET -> 0;
            case Fcntl.SEEK_CUR -> pos;
            case Fcntl.SEEK_END -> size;
            default -> -1;
        };
        if (base < 0) {
            return -Errno.EINVAL;
        }
        if (start > Long.MAX_VALUE - base) {
            return -Errno.EOVERFLOW;
        }
        start += base;
        if (start < 0 || (len < 0 && start + len < 0)) {
            return -Errno.EINVAL;
        }
        if (len > 0 && len - 1 > Long.MAX_VALUE - start) {
            return -Errno.EOVERFLOW;
        }
        if (get) {
            UserMemory.ALL.set(JAVA_SHORT, arg, Fcntl.F_UNLCK);
            return 0;
        }
        return switch (type) {
            case Fcntl.F_RDLCK -> f.readable() ? 0 : -Errno.EBADF;
            case Fcntl.F_WRLCK -> f.writable() ? 0 : -Errno.EBADF;
            case Fcntl.F_UNLCK -> 0;
            default -> -Errno.EINVAL;
        };
    }
}
