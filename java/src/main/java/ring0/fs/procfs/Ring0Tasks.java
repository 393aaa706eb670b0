package ring0.fs.procfs;

import java.nio.charset.StandardCharsets;
import ring0.abi.Syscalls;
import ring0.fs.kernfs.TextFile;
import ring0.kernel.Task;

/**
 * /proc/ring0/tasks: the app's threads that entered the kernel, as ps would show them: host thread
 * id, the kernel's handle, the host's scheduling state and CPU time of the thread, its calls into the
 * kernel (and how many of those the kernel passed to the host), the priority of its last caller, the
 * call it is in now ("-": running the app, or in the host), and the host's name of the thread.
 */
final class Ring0Tasks extends TextFile {
    private static final long CLOCK_TICK_MS = 10; // USER_HZ is 100 on x86-64

    private final ProcFilesystem proc;

    Ring0Tasks(ProcFilesystem fs) {
        super(fs, 0444);
        this.proc = fs;
    }

    @Override
    protected byte[] show(Task t) {
        StringBuilder b = new StringBuilder(String.format("%7s %6s %1s %8s %10s %9s %4s %-16s %s%n",
                "TID", "HANDLE", "S", "CPU_MS", "CALLS", "PASSTHRU", "PRIO", "IN_KERNEL", "COMM"));
        for (Task task : proc.kernel().tasks.all()) {
            long calls = 0, passed = 0;
            for (int nr = 0; nr < Syscalls.MAX; nr++) {
                calls += task.calls[nr];
                passed += task.passedThrough[nr];
            }
            int in = task.syscall;
            String state = "?";
            long cpuMs = 0;
            byte[] stat = ProcFilesystem.hostFile("/proc/self/task/" + task.tid + "/stat");
            if (stat != null) {
                String s = new String(stat, StandardCharsets.ISO_8859_1);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                state = f[0];
                cpuMs = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_MS;
            }
            byte[] comm = ProcFilesystem.hostFile("/proc/self/task/" + task.tid + "/comm");
            b.append(String.format("%7d %6d %1s %8d %10d %9d %4d %-16s %s%n", task.tid, task.handle, state, cpuMs, calls,
                    passed, task.priority, in >= 0 ? Syscalls.name(in) : "-",
                    comm == null ? "?" : new String(comm, StandardCharsets.UTF_8).strip()));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
