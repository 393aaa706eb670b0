package ring0.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.abi.Sysno;
import ring0.syscall.TestKernel;

/**
 * The kernel's share of bench/files, without Go: ns per call of stat of a five-component path,
 * open+close, a 1-byte append and a 4 KiB pread, through SyscallEntry.dispatch (and .attempt, which
 * answers Long.MIN_VALUE when it would not serve; -Donly=stat|open|append|pread times one of them as Go
 * makes it: attempted, then dispatched if the attempt would block). Run: java -cp target/classes:target/test-classes
 * ring0.bench.FilesMicro [seconds]
 */
public final class FilesMicro {
    static TestKernel k;

    static long d(int nr, long a0, long a1, long a2, long a3) {
        return k.entry.dispatch(k.task, nr, a0, a1, a2, a3, 0, 0);
    }

    static long a(int nr, long a0, long a1, long a2, long a3) {
        return k.entry.attempt(k.task, nr, a0, a1, a2, a3, 0, 0);
    }

    /** As Go makes a call: attempted, and dispatched if the attempt would block. */
    static long g(int nr, long a0, long a1, long a2, long a3) {
        long r = a(nr, a0, a1, a2, a3);
        return r == ring0.abi.Attempt.WOULD_BLOCK ? d(nr, a0, a1, a2, a3) : r;
    }

    interface Op { long run(); }

    static void time(String name, int n, Op op) {
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 7; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("%-22s %8.1f ns/op   (last result %d)%n", name, (double) best / n, op.run());
    }

    public static void main(String[] args) throws Exception {
        Path base = Files.createTempDirectory("ring0-micro-");
        Path deep = base.resolve("a").resolve("b");
        Files.createDirectories(deep);
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        Files.write(deep.resolve("f"), data);
        k = new TestKernel();
        ring0.fs.hostfs.HostCaches.install(k.kernel, args.length > 2 ? ring0.fs.hostfs.CacheMode.valueOf(args[2]) : ring0.fs.hostfs.CacheMode.ALWAYS);
        long path = k.cstr(deep.resolve("f").toString());
        long logPath = k.cstr(base.resolve("log").toString());
        long st = k.alloc(Stat.STAT_SIZE).address();
        long buf = k.alloc(4096).address();
        long rf = d(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, path, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
        long lf = d(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, logPath, Fcntl.O_CREAT | Fcntl.O_WRONLY | Fcntl.O_APPEND | Fcntl.O_CLOEXEC, 0644);
        d(Sysno.SYS_PREAD64, rf, buf, 4096, 0);
        int n = 200_000;
        long[] off = {0};
        boolean attempt = args.length > 1;
        String only = System.getProperty("only");
        if (only != null) {
            Op op = switch (only) {
                case "stat" -> () -> g(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path, st, 0);
                case "open" -> () -> g(Sysno.SYS_CLOSE, g(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, path, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0), 0, 0, 0);
                case "append" -> () -> g(Sysno.SYS_WRITE, lf, buf, 1, 0);
                default -> () -> g(Sysno.SYS_PREAD64, rf, buf, 4096, 0);
            };
            for (int i = 0; i < 30; i++) time(only, n, op);
            return;
        }
        for (int round = 0; round < 3; round++) {
            System.out.println("round " + round);
            time("stat", n, () -> d(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path, st, 0));
            time("open+close", n, () -> {
                long fd = d(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, path, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
                return d(Sysno.SYS_CLOSE, fd, 0, 0, 0);
            });
            time("append-1b", n, () -> d(Sysno.SYS_WRITE, lf, buf, 1, 0));
            time("pread-4k", n, () -> {
                long r = d(Sysno.SYS_PREAD64, rf, buf, 4096, off[0]);
                off[0] = (off[0] + 4096 * 7) % (1 << 20);
                return r;
            });
            time("fcntl", n, () -> d(Sysno.SYS_FCNTL, rf, Fcntl.F_GETFD, 0, 0));
            if (attempt) {
                time("A stat", n, () -> a(Sysno.SYS_NEWFSTATAT, Fcntl.AT_FDCWD, path, st, 0));
                time("A open+close", n, () -> {
                    long fd = a(Sysno.SYS_OPENAT, Fcntl.AT_FDCWD, path, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
                    return fd < 0 ? fd : a(Sysno.SYS_CLOSE, fd, 0, 0, 0);
                });
                time("A append-1b", n, () -> a(Sysno.SYS_WRITE, lf, buf, 1, 0));
                time("A pread-4k", n, () -> a(Sysno.SYS_PREAD64, rf, buf, 4096, 0));
                time("A fcntl", n, () -> a(Sysno.SYS_FCNTL, rf, Fcntl.F_GETFD, 0, 0));
            }
        }
        k.close();
    }
}
