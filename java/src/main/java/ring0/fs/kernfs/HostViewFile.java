package ring0.fs.kernfs;

import ring0.vfs.Dentry;
import ring0.vfs.HostBackedFile;
import ring0.vfs.Mount;

/**
 * An open host file of the layer: a host descriptor of it, to which every operation is forwarded
 * (reads of /proc/cpuinfo, ioctls of /dev/pts/0, getdents64 of /proc/sys), with its place in the
 * app's tree.
 */
final class HostViewFile extends HostBackedFile {
    /** @param dentry takes over the caller's reference */
    HostViewFile(Mount mount, Dentry dentry, int hostFd, int flags) {
        super(mount, dentry, hostFd, flags);
    }
}
