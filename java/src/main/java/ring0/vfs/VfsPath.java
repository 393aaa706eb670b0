package ring0.vfs;

/** A place in the file tree: a dentry as seen through a mount (Linux: struct path). */
public record VfsPath(Mount mount, Dentry dentry) {}
