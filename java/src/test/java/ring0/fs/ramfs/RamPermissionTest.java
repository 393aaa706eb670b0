package ring0.fs.ramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ring0.abi.Errno;
import ring0.abi.Fcntl;
import ring0.abi.Stat;
import ring0.kernel.FdTable;
import ring0.kernel.Task;
import ring0.vfs.Attrs;
import ring0.vfs.Credentials;
import ring0.vfs.Nameidata;
import ring0.vfs.Vfs;
import ring0.vfs.VfsFiles;

/**
 * Permission checks the kernel makes itself, for a RAM filesystem and an app that is not root (the
 * host checks its own files; the tests run as root, so only a kernel filesystem can show these).
 */
class RamPermissionTest {
    private static final Credentials USER = new Credentials(1000, 1000, 1000, 1000, new int[] {1000, 2000}, 0);

    private final Arena arena = Arena.ofShared();
    private final Vfs vfs = new Vfs(new FdTable(64), USER, 022);
    private final Task t = Task.kernelTask();

    RamPermissionTest() {
        vfs.mountRoot(new RamFilesystem(USER), "ram");
    }

    @AfterEach
    void tearDown() {
        t.nd.release();
        arena.close();
    }

    private long path(String p) {
        return arena.allocateFrom(p).address();
    }

    private long open(String p, int flags) {
        long r = vfs.namei.open(t, Fcntl.AT_FDCWD, path(p), flags, Stat.S_IFREG | 0644, 0);
        if (r == 0) {
            t.nd.takeFile().put();
        }
        t.nd.release();
        return r;
    }

    private long mode(String p) {
        long r = vfs.walk.start(t, Fcntl.AT_FDCWD, path(p), 0, 0);
        if (r == 0) {
            r = vfs.walk.walk(t);
        }
        if (r == 0) {
            r = VfsFiles.getattr(t, t.nd.mount(), t.nd.dentry(), t.nd.kstat);
        }
        long m = r < 0 ? r : t.nd.kstat.mode & 07777;
        t.nd.release();
        return m;
    }

    private long chmod(String p, int mode) {
        long r = vfs.walk.start(t, Fcntl.AT_FDCWD, path(p), Nameidata.LOOKUP_FOLLOW, 0);
        if (r == 0) {
            r = vfs.walk.walk(t);
        }
        if (r == 0) {
            r = new Attrs(vfs).chmod(t, t.nd.dentry(), null, mode);
        }
        t.nd.release();
        return r;
    }

    private long chown(String p, int uid, int gid) {
        long r = vfs.walk.start(t, Fcntl.AT_FDCWD, path(p), Nameidata.LOOKUP_FOLLOW, 0);
        if (r == 0) {
            r = vfs.walk.walk(t);
        }
        if (r == 0) {
            r = new Attrs(vfs).chown(t, t.nd.dentry(), null, uid, gid);
        }
        t.nd.release();
        return r;
    }

    @Test
    void modeBitsDenyEvenTheOwner() {
        assertEquals(0, open("/f", Fcntl.O_WRONLY | Fcntl.O_CREAT));
        assertEquals(0644, mode("/f"), "the umask applies");
        assertEquals(0, chmod("/f", 0200));
        assertEquals(-Errno.EACCES, open("/f", Fcntl.O_RDONLY));
        assertEquals(0, open("/f", Fcntl.O_WRONLY));
        assertEquals(-Errno.EACCES, open("/f", Fcntl.O_RDONLY | Fcntl.O_TRUNC), "O_TRUNC needs write, read fails");
        assertEquals(0, chmod("/f", 0400));
        assertEquals(-Errno.EACCES, open("/f", Fcntl.O_WRONLY));
        assertEquals(-Errno.EACCES, open("/f", Fcntl.O_RDONLY | Fcntl.O_TRUNC));
    }

    @Test
    void directoriesNeedWriteToChangeAndSearchToWalk() {
        assertEquals(0, vfs.namei.mkdir(t, Fcntl.AT_FDCWD, path("/d"), 0755));
        assertEquals(0, open("/d/f", Fcntl.O_WRONLY | Fcntl.O_CREAT));
        assertEquals(0, chmod("/d", 0500));
        assertEquals(-Errno.EACCES, open("/d/g", Fcntl.O_WRONLY | Fcntl.O_CREAT));
        assertEquals(-Errno.EACCES, vfs.namei.unlink(t, Fcntl.AT_FDCWD, path("/d/f")));
        assertEquals(-Errno.EACCES, vfs.namei.mkdir(t, Fcntl.AT_FDCWD, path("/d/sub"), 0755));
        assertEquals(-Errno.EEXIST, vfs.namei.mkdir(t, Fcntl.AT_FDCWD, path("/d/f"), 0755), "EEXIST before EACCES");
        assertEquals(0, chmod("/d", 0600));
        assertEquals(-Errno.EACCES, open("/d/f", Fcntl.O_RDONLY), "no search permission");
        assertEquals(-Errno.EACCES, mode("/d/f"));
        assertEquals(0, chmod("/d", 0700));
        assertEquals(0, open("/d/f", Fcntl.O_RDONLY));
    }

    @Test
    void onlyCapabilitiesGiveFilesAway() {
        assertEquals(0, open("/f", Fcntl.O_WRONLY | Fcntl.O_CREAT));
        assertEquals(-Errno.EPERM, chown("/f", 0, -1), "to another user");
        assertEquals(0, chown("/f", 1000, -1), "to oneself");
        assertEquals(0, chown("/f", -1, 2000), "to a group one is in");
        assertEquals(-Errno.EPERM, chown("/f", -1, 3000), "to a group one is not in");
        assertEquals(0, chmod("/f", 02755));
        assertEquals(02755, mode("/f"), "setgid kept: the file's group is one of ours");
    }

    @Test
    void theRootIsStickyAndWorldWritable() {
        assertEquals(01777, mode("/"));
        assertTrue(vfs.credentials().fsuid() == 1000);
    }
}
