package ring0.syscall;

import java.util.List;
import java.util.Map;
import ring0.abi.Errno;
import ring0.abi.SyscallInfo;
import ring0.abi.Syscalls;
import ring0.kernel.Kernel;
import ring0.loader.AppImage;

/**
 * The kernel's system call table: one handler per Linux x86-64 number (and Ring0's pseudo calls),
 * with a one-line note of how far each is supported, as gVisor's linux64.go. The numbers that have
 * a handler form the bitmap the Go side checks before it enters the kernel: a call without one never
 * leaves Go, it goes straight to the host.
 */
public final class SyscallTable {
    private final SyscallHandler[] handlers = new SyscallHandler[Syscalls.MAX];
    private final String[] support = new String[Syscalls.MAX];
    private final SyscallHandler[] attempts = new SyscallHandler[Syscalls.MAX];
    /** Every call is traced (strace): set by the entry before the app attaches. */
    private volatile boolean traced;

    /**
     * Calls that touch the descriptor table but that the kernel cannot give the app: they answer
     * ENOSYS (and the kernel log says so once), so that Go and libraries take their fallbacks.
     */
    static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("io_uring_setup", "io_uring: its rings name descriptors the kernel would have to translate"),
            Map.entry("io_uring_enter", "io_uring"),
            Map.entry("io_uring_register", "io_uring"),
            Map.entry("bpf", "bpf"),
            Map.entry("perf_event_open", "perf events"),
            Map.entry("userfaultfd", "userfaultfd"),
            Map.entry("fanotify_init", "fanotify"),
            Map.entry("fanotify_mark", "fanotify"),
            Map.entry("open_tree", "the mount API"),
            Map.entry("open_tree_attr", "the mount API"),
            Map.entry("move_mount", "the mount API"),
            Map.entry("fsopen", "the mount API"),
            Map.entry("fsconfig", "the mount API"),
            Map.entry("fsmount", "the mount API"),
            Map.entry("fspick", "the mount API"),
            Map.entry("mount_setattr", "the mount API"),
            Map.entry("memfd_secret", "memfd_secret"),
            Map.entry("landlock_create_ruleset", "landlock"),
            Map.entry("landlock_add_rule", "landlock"),
            Map.entry("landlock_restrict_self", "landlock"));

    /** The standard table for one boot. */
    public static SyscallTable standard(Kernel kernel, AppImage image) {
        SyscallTable t = new SyscallTable();
        for (SyscallInfo s : Syscalls.all()) {
            if (s.usesFdTable()) {
                t.set(s.nr(), new HostPassthrough(kernel, s), "host; descriptors translated");
            }
        }
        UNSUPPORTED.forEach((name, why) -> {
            int nr = Syscalls.number(name);
            t.set(nr, (task, a0, a1, a2, a3, a4, a5) -> {
                kernel.log.once("enosys:" + name, "ring0: " + name + " not implemented (ENOSYS): " + why);
                return -Errno.ENOSYS;
            }, "ENOSYS: " + why);
        });
        new SysReadWrite(kernel).register(t);
        new SysFd(kernel).register(t);
        new SysPipe(kernel).register(t);
        new SysEventFd(kernel).register(t);
        new SysEpoll(kernel).register(t);
        new SysSocket(kernel).register(t);
        new SysPoll(kernel).register(t);
        new SysMisc(kernel).register(t);
        new SysOpen(kernel).register(t);
        new SysStat(kernel).register(t);
        new SysNamei(kernel).register(t);
        new SysAttr(kernel).register(t);
        new SysCwd(kernel).register(t);
        new SysStatfs(kernel).register(t);
        new SysSync(kernel).register(t);
        new SysLock(kernel).register(t);
        new SysSendfile(kernel).register(t);
        new SysExec(kernel).register(t);
        new SysWait(kernel).register(t);
        new SysMount(kernel).register(t);
        new SysPidfd(kernel).register(t);
        new ring0.futex.Futex(kernel, kernel.futexes).register(t);
        new SysRing0(kernel, t, image).register(t);
        return t;
    }

    /** Sets the handler of a call and the note that says how far it is supported. */
    public void set(int nr, SyscallHandler handler, String supportNote) {
        handlers[nr] = handler;
        support[nr] = supportNote;
    }

    /**
     * Sets the attempt-mode handler of a served call ({@link ring0.abi.Attempt}): it does what the
     * call's handler does if that finishes now, else returns Attempt.WOULD_BLOCK having done nothing.
     */
    public void setAttempt(int nr, SyscallHandler handler) {
        if (handlers[nr] == null) {
            throw new IllegalStateException("attempt handler for a call the kernel does not serve: " + nr);
        }
        attempts[nr] = handler;
    }

    /** The attempt-mode handler of nr, or null if the kernel never answers nr in attempt mode. Hot path. */
    public SyscallHandler attempt(int nr) {
        return nr >= 0 && nr < Syscalls.MAX ? attempts[nr] : null;
    }

    /** The handler of nr, or null if the kernel does not serve it. Hot path. */
    public SyscallHandler handler(int nr) {
        return nr >= 0 && nr < Syscalls.MAX ? handlers[nr] : null;
    }

    /** How far nr is supported, or null if the kernel does not serve it. */
    public String support(int nr) {
        return nr >= 0 && nr < Syscalls.MAX ? support[nr] : null;
    }

    /** The numbers served, as 16 64-bit words (bit n of word n/64 for number n). */
    public long[] servedBitmap() {
        long[] words = new long[Syscalls.MAX / 64];
        for (int nr = 0; nr < Syscalls.MAX; nr++) {
            if (handlers[nr] != null) {
                words[nr >> 6] |= 1L << nr;
            }
        }
        return words;
    }

    void setTraced(boolean on) {
        traced = on;
    }

    /** Whether every call is traced: then none may be answered on the Go side. */
    public boolean traced() {
        return traced;
    }

    /** The numbers with an attempt handler, as {@link #servedBitmap}: ring0Shared.attempt. */
    public long[] attemptBitmap() {
        long[] words = new long[Syscalls.MAX / 64];
        for (int nr = 0; nr < Syscalls.MAX; nr++) {
            if (attempts[nr] != null) {
                words[nr >> 6] |= 1L << nr;
            }
        }
        return words;
    }

    /** The numbers served, ascending. */
    public List<Integer> served() {
        return java.util.stream.IntStream.range(0, Syscalls.MAX).filter(nr -> handlers[nr] != null).boxed().toList();
    }
}
