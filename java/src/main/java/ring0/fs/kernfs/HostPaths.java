package ring0.fs.kernfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.Task;
import ring0.vfs.Nameidata;

/**
 * Host calls by absolute path for the host layer: paths are copied, NUL-terminated, into the calling
 * task's scratch memory, in the slots below (apart from those of ring0.fs.hostfs, so that the two
 * never overwrite each other's arguments within one call).
 */
final class HostPaths {
    private HostPaths() {}

    /**
     * Slots of Task.scratch: two paths, a struct statx, a link target, a getdents64 buffer (up to
     * 57344; procfs uses 61440 on).
     */
    static final long PATH_A = 16384, PATH_B = 20480, STATX = 24576, LINK = 28672, DIRENTS = 32768;
    static final int DIRENTS_SIZE = 24576;
    static final int STATX_WANT = Stat.STATX_BASIC_STATS | Stat.STATX_BTIME;

    /** Copies path, NUL-terminated, into t's scratch at slot; returns its address (0 if too long: ENAMETOOLONG). */
    static long cpath(Task t, long slot, byte[] path) {
        if (path.length >= Nameidata.PATH_MAX) {
            return 0;
        }
        MemorySegment.copy(path, 0, t.scratch, JAVA_BYTE, slot, path.length);
        t.scratch.set(JAVA_BYTE, slot + path.length, (byte) 0);
        return t.scratch.address() + slot;
    }

    /** statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW) into t's scratch (STATX slot): 0 or -errno. */
    static long statx(Task t, byte[] path) {
        long p = cpath(t, PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        return Host.call(Sysno.SYS_STATX, Fcntl.AT_FDCWD, p, Fcntl.AT_SYMLINK_NOFOLLOW, STATX_WANT,
                t.scratch.address() + STATX, 0);
    }

    /** The host's statx of what host descriptor fd refers to (an O_PATH one: what a magic link reached). */
    static long statxFd(Task t, int fd) {
        long p = cpath(t, PATH_A, EMPTY);
        return Host.call(Sysno.SYS_STATX, fd, p, Fcntl.AT_EMPTY_PATH, STATX_WANT, t.scratch.address() + STATX, 0);
    }

    private static final byte[] EMPTY = {};

    /** The host's answer of {@link #statx}, read into k. */
    static void read(Task t, Kstat k) {
        k.readStatx(t.scratch, STATX);
    }

    /** The file type the last {@link #statx} found. */
    static int type(Task t) {
        return t.scratch.get(JAVA_SHORT, STATX + Stat.STX_MODE) & Stat.S_IFMT;
    }

    /** The inode number the last {@link #statx} found. */
    static long ino(Task t) {
        return t.scratch.get(JAVA_LONG, STATX + Stat.STX_INO);
    }

    /** path + "/" + name. */
    static byte[] child(byte[] path, byte[] name) {
        int n = path.length == 1 && path[0] == '/' ? 0 : path.length;
        byte[] c = new byte[n + 1 + name.length];
        System.arraycopy(path, 0, c, 0, n);
        c[n] = '/';
        System.arraycopy(name, 0, c, n + 1, name.length);
        return c;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The device of the host directory dir, as (major << 32 | minor); 0 if it has none or cannot be asked. */
    static long device(String dir) {
        if (dir == null) {
            return 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stx = arena.allocate(Stat.STATX_STRUCT_SIZE, 8);
            long r = Host.call(Sysno.SYS_STATX, Fcntl.AT_FDCWD, arena.allocateFrom(dir).address(), 0, STATX_WANT,
                    stx.address(), 0);
            if (r < 0) {
                return 0;
            }
            Kstat k = new Kstat();
            k.readStatx(stx, 0);
            return ((long) k.devMajor << 32) | (k.devMinor & 0xffffffffL);
        }
    }

    /** A host directory entry, as getdents64 gives it. */
    record HostEntry(byte[] name, long ino, int type) {}

    /**
     * Lists the host directory at path (all of it, "." and ".." left out), each entry to out.
     * Returns 0 or -errno.
     */
    static long list(Task t, byte[] path, Consumer<HostEntry> out) {
        long p = cpath(t, PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        long fd = Host.call(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, p, Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0, 0, 0);
        if (fd < 0) {
            return fd;
        }
        try {
            MemorySegment s = t.scratch;
            for (;;) {
                long n = Host.call(Sysno.SYS_GETDENTS64, fd, s.address() + DIRENTS, DIRENTS_SIZE);
                if (n <= 0) {
                    return n;
                }
                for (long at = DIRENTS; at < DIRENTS + n; ) {
                    long ino = s.get(JAVA_LONG, at);
                    int reclen = s.get(JAVA_SHORT, at + 16) & 0xffff;
                    int type = s.get(JAVA_BYTE, at + 18) & 0xff;
                    int len = 0;
                    while (s.get(JAVA_BYTE, at + 19 + len) != 0) {
                        len++;
                    }
                    byte[] name = new byte[len];
                    MemorySegment.copy(s, JAVA_BYTE, at + 19, name, 0, len);
                    if (!(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.')) {
                        out.accept(new HostEntry(name, ino, type));
                    }
                    at += reclen;
                }
            }
        } finally {
            Host.call(Sysno.SYS_CLOSE, fd, 0, 0);
        }
    }

    /** readlink of the host path into out: the length copied, or -errno. */
    static long readlink(Task t, byte[] path, byte[] out) {
        long p = cpath(t, PATH_A, path);
        if (p == 0) {
            return -Errno.ENAMETOOLONG;
        }
        long n = Host.call(Sysno.SYS_READLINKAT, Fcntl.AT_FDCWD, p, t.scratch.address() + LINK,
                Math.min(out.length, 4096), 0, 0);
        if (n > 0) {
            MemorySegment.copy(t.scratch, JAVA_BYTE, LINK, out, 0, (int) n);
        }
        return n;
    }
}
