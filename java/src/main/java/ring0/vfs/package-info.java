/**
 * The virtual filesystem (Linux: fs/namei.c, fs/open.c, fs/dcache.c, fs/namespace.c; gVisor's
 * pkg/sentry/vfs): what every filesystem shares.
 *
 * <ul>
 *   <li>Contracts: {@link ring0.vfs.Filesystem} (a mounted instance: root, device, dentry policy)
 *       and {@link ring0.vfs.Inode} (a file: attributes, directory operations, open), with Linux's
 *       answers as defaults for what a filesystem lacks.
 *   <li>The name cache: {@link ring0.vfs.Dentry} (parent links for {@code ..} and getcwd; children by
 *       {@link ring0.vfs.Name}), reference counted as Linux's dget/dput.
 *   <li>{@link ring0.vfs.Vfs}: the mounts ({@link ring0.vfs.Mount}), root, working directory, umask
 *       and {@link ring0.vfs.Credentials}; {@link ring0.vfs.PathWalk} resolves paths into the task's
 *       {@link ring0.vfs.Nameidata}; {@link ring0.vfs.Namei} and {@link ring0.vfs.Attrs} change the tree
 *       and attributes with Linux's checks ({@link ring0.vfs.Permission}).
 *   <li>Open files: {@link ring0.vfs.VfsFile} (a description with its place in the tree),
 *       {@link ring0.vfs.HostBackedFile} (one a host descriptor carries), {@link ring0.vfs.PathFile}
 *       (O_PATH), {@link ring0.vfs.Flock} (locks of files the kernel serves alone).
 * </ul>
 *
 * <p>Who holds what: a walk holds a reference on the dentry it stands at (in the task's Nameidata,
 * dropped by {@link ring0.vfs.Nameidata#release}); a description, the working directory, the root and
 * a mount hold one on theirs; a dentry in the tree holds one on its parent. Filesystems own their
 * inodes; the VFS never frees one, it tells the filesystem a dentry died ({@link
 * ring0.vfs.Filesystem#evict}).
 */
package ring0.vfs;
