/**
 * The host's files as a filesystem of the kernel ({@link ring0.fs.hostfs.HostFilesystem}): paths are
 * resolved by the kernel, component by component, with host *at calls relative to directory
 * descriptors it holds, and behind caches ({@link ring0.fs.hostfs.HostCaches}, per the boot's
 * {@link ring0.fs.hostfs.CacheMode}): cached dentries (negative ones too) and attributes trusted while
 * their epoch stamp is valid, and for each regular file a {@link ring0.fs.hostfs.FileCache}: the host's
 * own pages, mapped, with a tail buffer for growth, written back within a second. An open of a cached
 * file needs no host call ({@link ring0.fs.hostfs.HostFileDescription}); changes of the tree and of
 * attributes are written through to the host at once.
 */
package ring0.fs.hostfs;
