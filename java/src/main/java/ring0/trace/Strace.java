package ring0.trace;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import ring0.abi.ArgKind;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.SyscallInfo;
import ring0.abi.Syscalls;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;

/**
 * --strace: prints each call the kernel serves, with its arguments decoded from the call's line in
 * syscalls_x86_64.tbl, and its result, as strace(1) does. Costs one null check when off; allocates
 * freely when on.
 */
public final class Strace {
    private static final int MAX_STRING = 32;
    private final PrintStream out;

    public Strace(PrintStream out) {
        this.out = out;
    }

    /** Before the call: only calls that do not return are printed now. */
    public void enter(Task t, int nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        SyscallInfo s = Syscalls.info(nr);
        if (s != null && s.result() == SyscallInfo.Result.VOID) {
            print(t, line(nr, new long[] {a0, a1, a2, a3, a4, a5}, 0, true));
        }
    }

    /** After the call. */
    public void exit(Task t, int nr, long a0, long a1, long a2, long a3, long a4, long a5, long r) {
        SyscallInfo s = Syscalls.info(nr);
        if (s == null || s.result() != SyscallInfo.Result.VOID) {
            print(t, line(nr, new long[] {a0, a1, a2, a3, a4, a5}, r, false));
        }
    }

    private void print(Task t, String line) {
        out.println("[" + t.tid + "] " + line);
    }

    /** One strace line without the thread prefix: {@code openat(AT_FDCWD, "/etc/hosts", 0x80000, 0) = 3}. */
    public static String line(int nr, long[] a, long r, boolean noReturn) {
        SyscallInfo s = Syscalls.info(nr);
        StringBuilder b = new StringBuilder(Syscalls.name(nr)).append('(');
        // An undescribed call ("-" in the table) shows all six registers in hex.
        boolean described = s != null && !s.args().contains(ArgKind.UNKNOWN);
        int n = described ? s.args().size() : 6;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(", ");
            }
            ArgKind k = described ? s.args().get(i) : ArgKind.HEX;
            long size = described && i + 1 < n && s.args().get(i + 1) == ArgKind.SIZE ? a[i + 1] : -1;
            arg(b, k, a[i], size, isRead(s) ? r : size);
        }
        b.append(") = ");
        if (noReturn) {
            b.append('?');
        } else if (Errno.isError(r)) {
            int e = (int) -r;
            b.append("-1 ").append(Errno.name(e)).append(" (").append(Errno.message(e)).append(')');
        } else if (s != null && s.result() == SyscallInfo.Result.HEX) {
            b.append("0x").append(Long.toHexString(r));
        } else {
            b.append(r);
        }
        return b.toString();
    }

    private static boolean isRead(SyscallInfo s) {
        if (s == null) {
            return false;
        }
        String n = s.name();
        return n.startsWith("read") || n.startsWith("pread") || n.startsWith("recv") || n.equals("getrandom");
    }

    private static void arg(StringBuilder b, ArgKind k, long v, long size, long shown) {
        switch (k) {
            case FD, INT, SIG -> b.append((int) v);
            case DIRFD -> b.append((int) v == Fcntl.AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v));
            case UINT -> b.append(v & 0xffffffffL);
            case SIZE, OFF -> b.append(v);
            case OCT -> {
                long o = v & 0xffffffffL;
                b.append(o != 0 ? "0" : "").append(Long.toOctalString(o)); // C's %#o: 0, 0644
            }
            case PATH -> {
                String p = v == 0 ? null : UserMemory.readCString(v, 4096);
                b.append(p == null ? "0x" + Long.toHexString(v) : quote(p.getBytes(StandardCharsets.UTF_8), p.length(), 4096));
            }
            case BUF -> {
                if (size >= 0 && shown >= 0 && v != 0 && UserMemory.canRead(v, Math.min(shown, MAX_STRING))) {
                    int len = (int) Math.min(shown, MAX_STRING);
                    byte[] data = new byte[len];
                    java.lang.foreign.MemorySegment.copy(UserMemory.ALL, java.lang.foreign.ValueLayout.JAVA_BYTE, v, data, 0, len);
                    b.append(quote(data, shown, MAX_STRING));
                } else {
                    b.append("0x").append(Long.toHexString(v));
                }
            }
            default -> b.append(v == 0 ? "0" : "0x" + Long.toHexString(v));
        }
    }

    private static String quote(byte[] data, long total, int max) {
        StringBuilder q = new StringBuilder("\"");
        for (byte c : data) {
            switch (c) {
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (c >= 32 && c < 127) {
                        q.append((char) c);
                    } else {
                        q.append(String.format("\\x%02x", c & 0xff));
                    }
                }
            }
        }
        q.append('"');
        if (total > max) {
            q.append("...");
        }
        return q.toString();
    }
}
