/**
 * The filesystems the kernel mounts ({@link ring0.fs.hostfs}, {@link ring0.fs.ramfs}, and its own
 * {@link ring0.fs.devfs} and {@link ring0.fs.procfs}, built from {@link ring0.fs.kernfs}), and the
 * mount table of a boot ({@link ring0.fs.Mounts}: the defaults and the {@code --mount} options).
 */
package ring0.fs;
