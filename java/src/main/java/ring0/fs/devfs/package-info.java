/**
 * devfs: the kernel's /dev (Linux: drivers/char/mem.c, random.c, tty_io.c; gVisor's fsimpl/dev).
 *
 * <p>The kernel's devices: {@code null}, {@code zero}, {@code full}, {@code random} and
 * {@code urandom} (one class each, served by the kernel alone: no host call), {@code tty} (the host's
 * controlling terminal, opened on the host: ENXIO when there is none, as natively) and
 * {@code console} (the kernel's console: the terminal, or the stdio, of whoever started the app);
 * {@code stdin}, {@code stdout}, {@code stderr} and {@code fd}, symbolic links into /proc/self/fd as
 * on Linux.
 *
 * <p>Every other name is the host's: the root is layered over the host's /dev
 * ({@link ring0.fs.kernfs.KernDirectory}), so /dev/shm, /dev/pts, /dev/ptmx, /dev/net/tun, block
 * devices and whatever else the host has keep working, with the host's answers (a host mount
 * there, such as /dev/shm, is reached through its path). The devices that are the kernel's show the
 * host node's attributes when the host has the same device (stat gives what it gives natively), or
 * their own.
 */
package ring0.fs.devfs;
