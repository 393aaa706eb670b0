/**
 * A RAM filesystem, like tmpfs ({@link ring0.fs.ramfs.RamFilesystem}): one class per node type
 * ({@link ring0.fs.ramfs.Directory}, {@link ring0.fs.ramfs.RegularFile}, {@link ring0.fs.ramfs.Symlink},
 * {@link ring0.fs.ramfs.SpecialFile}); regular files keep their data in host memfds, so they map and
 * pass to child processes as Linux's do. Also the home of memfd_create's files.
 */
package ring0.fs.ramfs;
