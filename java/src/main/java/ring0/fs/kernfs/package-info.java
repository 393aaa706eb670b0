/**
 * What the kernel's own filesystems share (Linux: fs/libfs.c, fs/kernfs; gVisor's
 * pkg/sentry/fsimpl/kernfs): devfs and procfs are built from these parts.
 *
 * <ul>
 *   <li>{@link ring0.fs.kernfs.KernFilesystem} and {@link ring0.fs.kernfs.KernInode}: inodes that
 *       live in the kernel, with their dentry policy (static entries stay cached, dynamic ones are
 *       revalidated, host ones are checked against the host).
 *   <li>{@link ring0.fs.kernfs.KernDirectory}: a directory of kernel entries, optionally <em>layered
 *       over a host directory</em>: a name the kernel does not define is looked up in the host's
 *       directory of the same place, and the listing merges both. This is how /proc and /dev show the
 *       host's cpuinfo, sys/, shm/ or pts/ next to the kernel's own entries.
 *   <li>The host layer ({@link ring0.fs.kernfs.HostViewInode}, {@link ring0.fs.kernfs.HostViewDirectory},
 *       {@link ring0.fs.kernfs.HostViewFile}): host files known by their absolute host path, asked
 *       afresh on every operation (the host generates /proc and /dev content on every read; nothing
 *       of it may be cached), holding no descriptor but the open files'. Unlike ring0.fs.hostfs, it
 *       keeps no directory descriptors and no caches, and it follows the host's magic links (a host
 *       /proc/PID/ns/net opens what the host means by it).
 *   <li>{@link ring0.fs.kernfs.TextFile}: a file whose content the kernel generates when it is read
 *       from its start (Linux: seq_file with simple_read_from_buffer), {@link ring0.fs.kernfs.KernSymlink}
 *       (plain or magic links) and {@link ring0.fs.kernfs.KernFile}, the base of their descriptions.
 * </ul>
 */
package ring0.fs.kernfs;
