/**
 * procfs: the kernel's /proc (Linux: fs/proc; one class per entry, as there).
 *
 * <p>What the kernel serves:
 * <ul>
 *   <li>{@code /proc/self} (a link to {@code PID}), {@code /proc/thread-self}, {@code /proc/mounts}
 *       (a link to {@code self/mounts});
 *   <li>{@code /proc/PID/}, the app's own process (PID is the host's pid: the app and the kernel are
 *       one host process): {@code fd/} (one magic link per app descriptor; readlink gives the path,
 *       {@code pipe:[n]}, {@code socket:[n]}, {@code anon_inode:[eventfd]} as Linux; opening one
 *       reopens the file as Linux does), {@code fdinfo/}, {@code cmdline} and {@code environ} (the
 *       app's argv and initial environment), {@code status}, {@code stat} and {@code comm} (the host's
 *       numbers for the process, with the app's name), {@code exe} (the ring0 executable),
 *       {@code cwd} and {@code root} (the app's, in the kernel's tree), {@code mounts} and
 *       {@code mountinfo} (the kernel's mount table over the host's);
 *   <li>{@code /proc/ring0/}: the kernel's state: mounts, files, tasks, syscalls, dmesg, cache,
 *       stats.
 * </ul>
 *
 * <p>Everything else is the host's: the root is layered over the host's /proc, and /proc/PID over the
 * host's /proc/PID ({@link ring0.fs.kernfs.KernDirectory}): cpuinfo, meminfo, loadavg, uptime,
 * sys/ (Go's net reads /proc/sys/net/core/somaxconn), net/, other processes, and the app's own
 * maps, smaps, statm, limits, task/, ns/ (the host describes the very process the app is). The
 * host's magic links there are followed by the host.
 */
package ring0.fs.procfs;
