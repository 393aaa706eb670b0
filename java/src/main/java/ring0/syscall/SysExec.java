package ring0.syscall;

import java.util.ArrayList;
import java.util.List;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Sysno;
import ring0.host.Host;
import ring0.kernel.FileDescription;
import ring0.kernel.Kernel;
import ring0.kernel.Task;
import ring0.vfs.Dentry;
import ring0.vfs.Inode;
import ring0.vfs.Nameidata;
import ring0.vfs.Permission;

/**
 * execve and execveat: the process (JVM, kernel and app) becomes the new program, as on Linux. The
 * new program must find the app's descriptors that are not close-on-exec at the app's numbers, so
 * the host table is rearranged just before the host execve; if that fails, it is put back as it was
 * and the error returned, so that a failed exec does not disturb the kernel.
 */
final class SysExec {
    private final Kernel kernel;

    SysExec(Kernel kernel) {
        this.kernel = kernel;
    }

    void register(SyscallTable table) {
        table.set(Sysno.SYS_EXECVE, (t, a0, a1, a2, a3, a4, a5) -> exec(t, Fcntl.AT_FDCWD, a0, a1, a2, 0, false),
                "host exec; descriptors placed at the app's numbers");
        table.set(Sysno.SYS_EXECVEAT, (t, a0, a1, a2, a3, a4, a5) -> exec(t, (int) a0, a1, a2, a3, a4, true),
                "host exec; descriptors placed at the app's numbers");
    }

    /**
     * execve and execveat: the VFS finds the file (ENOENT, ENOTDIR, ELOOP, EFAULT...), which must be
     * a regular file the app may execute (EACCES), before the host table is touched; its filesystem
     * then has the host execute it ({@link Inode#exec}).
     */
    private long exec(Task t, int dirfd, long path, long argv, long envp, long flags, boolean at) {
        if ((flags & ~(long) (Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        Nameidata nd = t.nd;
        try {
            int how = Nameidata.atFlags((int) flags);
            long ok = kernel.vfs.walk.start(t, dirfd, path, how, 0);
            if (ok == 0) {
                ok = kernel.vfs.walk.walk(t);
            }
            if (ok < 0) {
                return ok;
            }
            Dentry d = nd.dentry();
            if (d == null) {
                return -Errno.EACCES;
            }
            Inode file = d.inode();
            if (file.isSymlink()) {
                return -Errno.ELOOP;
            }
            if (!file.isRegular()) {
                return -Errno.EACCES;
            }
            ok = file.permission(t, d, kernel.vfs.credentials(), Permission.MAY_EXEC);
            if (ok < 0) {
                return ok;
            }
            kernel.beforeFork();
            List<int[]> moves = new ArrayList<>(); // {app fd, host fd}
            int[] base = {3};
            kernel.fds.forEachOpen(fd -> {
                if (!kernel.fds.closeOnExec(fd)) {
                    FileDescription f = kernel.fds.get(fd);
                    if (f != null) {
                        int h = (int) Math.max(-1, f.toHost()); // a kernel pipe moves to the host
                        f.put();
                        if (h >= 0) {
                            moves.add(new int[] {fd, h});
                            base[0] = Math.max(base[0], Math.max(fd, h) + 1);
                        }
                    }
                }
            });
            int n = moves.size();
            int[] temp = new int[n], saved = new int[n], savedFlags = new int[n];
            for (int i = 0; i < n; i++) {
                temp[i] = (int) Host.fastCall(Sysno.SYS_FCNTL, moves.get(i)[1], Fcntl.F_DUPFD_CLOEXEC, base[0]);
                int target = moves.get(i)[0];
                savedFlags[i] = (int) Host.fastCall(Sysno.SYS_FCNTL, target, Fcntl.F_GETFD, 0);
                saved[i] = savedFlags[i] >= 0 ? (int) Host.fastCall(Sysno.SYS_FCNTL, target, Fcntl.F_DUPFD_CLOEXEC, base[0]) : -1;
            }
            for (int i = 0; i < n; i++) {
                Host.fastCall(Sysno.SYS_DUP3, temp[i], moves.get(i)[0], 0);
            }
            t.passedThrough[at ? Sysno.SYS_EXECVEAT : Sysno.SYS_EXECVE]++;
            long r = file.exec(t, d, argv, envp);
            // Still here: the exec failed. Put the host table back.
            for (int i = n - 1; i >= 0; i--) {
                int target = moves.get(i)[0];
                if (saved[i] >= 0) {
                    int cloexec = (savedFlags[i] & Fcntl.FD_CLOEXEC) != 0 ? Fcntl.O_CLOEXEC : 0;
                    Host.fastCall(Sysno.SYS_DUP3, saved[i], target, cloexec);
                    Host.call(Sysno.SYS_CLOSE, saved[i], 0, 0);
                } else {
                    Host.call(Sysno.SYS_CLOSE, target, 0, 0);
                }
                Host.call(Sysno.SYS_CLOSE, temp[i], 0, 0);
            }
            return r;
        } finally {
            nd.release();
        }
    }
}
