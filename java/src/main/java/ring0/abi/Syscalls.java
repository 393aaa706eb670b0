package ring0.abi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Linux x86-64 system call table, read once from {@code syscalls_x86_64.tbl}: names by number,
 * numbers by name, and each call's argument kinds. The kernel's dispatch table is indexed by the same
 * numbers; pseudo calls of Ring0's own live at {@link #RING0_BASE} and above.
 */
public final class Syscalls {
    private Syscalls() {}

    /** Numbers below this are Linux's; the kernel's table and the Go side's bitmap cover 0..MAX-1. */
    public static final int MAX = 1024;
    /** Ring0's own pseudo system calls start here (see ring0.syscall.SysRing0). */
    public static final int RING0_BASE = 1000;

    private static final SyscallInfo[] BY_NUMBER = new SyscallInfo[MAX];
    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        try (var in = Syscalls.class.getResourceAsStream("syscalls_x86_64.tbl");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                SyscallInfo s = parse(line);
                BY_NUMBER[s.nr()] = s;
                BY_NAME.put(s.name(), s.nr());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SyscallInfo parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 4) {
            throw new IllegalArgumentException("syscalls_x86_64.tbl: bad line: " + line);
        }
        int nr = Integer.parseInt(f[0]);
        List<ArgKind> args = new ArrayList<>();
        if (!f[2].isEmpty()) {
            for (String k : f[2].split(",")) {
                args.add(ArgKind.parse(k));
            }
        }
        String result = f[3];
        int cloexecArg = -1;
        long cloexecMask = 0;
        int at = result.indexOf('@');
        if (at >= 0) {
            String[] spec = result.substring(at + 1).split(":");
            cloexecArg = Integer.parseInt(spec[0]);
            cloexecMask = Long.decode(spec[1]);
            result = result.substring(0, at);
        }
        SyscallInfo.Result kind = switch (result) {
            case "int" -> SyscallInfo.Result.INT;
            case "fd" -> SyscallInfo.Result.FD;
            case "hex" -> SyscallInfo.Result.HEX;
            case "oct" -> SyscallInfo.Result.OCT;
            case "void" -> SyscallInfo.Result.VOID;
            default -> throw new IllegalArgumentException("syscalls_x86_64.tbl: bad result kind: " + line);
        };
        return new SyscallInfo(nr, f[1], List.copyOf(args), kind, cloexecArg, cloexecMask);
    }

    /** The call with this number, or null if Linux x86-64 has none. */
    public static SyscallInfo info(int nr) {
        return nr >= 0 && nr < MAX ? BY_NUMBER[nr] : null;
    }

    /** The C name of a call ("openat"), or "syscall_N" for a number Linux does not define. */
    public static String name(int nr) {
        SyscallInfo s = info(nr);
        return s != null ? s.name() : "syscall_" + nr;
    }

    /** The number of a call by its C name. */
    public static int number(String name) {
        Integer n = BY_NAME.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no system call named " + name);
        }
        return n;
    }

    /** Every described call, by number. */
    public static List<SyscallInfo> all() {
        List<SyscallInfo> all = new ArrayList<>();
        for (SyscallInfo s : BY_NUMBER) {
            if (s != null) {
                all.add(s);
            }
        }
        return all;
    }
}
