package ring0.fs.devfs;

import ring0.abi.Errno;
import ring0.fs.kernfs.KernFilesystem;
import ring0.kernel.Task;
import ring0.usermem.UserMemory;
import ring0.vfs.Credentials;
import ring0.vfs.Dentry;
import ring0.vfs.Mount;
import ring0.vfs.Nameidata;

/**
 * /dev/random (1:8) and /dev/urandom (1:9): the same bytes, as on Linux since 5.6 once the pool is
 * ready, from the kernel's {@link Crng}. Writes are accepted and dropped (Linux mixes them into its
 * pool; the host's getrandom seeds this one). The ioctls of random(4): RNDGETENTCNT answers 256,
 * the privileged ones need CAP_SYS_ADMIN.
 */
final class RandomDevice extends CharDevice {
    static final int RANDOM_MINOR = 8, URANDOM_MINOR = 9;
    private static final long RNDGETENTCNT = 0x80045200L, RNDADDTOENTCNT = 0x40045201L, RNDADDENTROPY = 0x40085203L;
    private static final long RNDZAPENTCNT = 0x5204, RNDCLEARPOOL = 0x5206, RNDRESEEDCRNG = 0x5207;
    private static final int CAP_SYS_ADMIN = 21;

    RandomDevice(KernFilesystem fs, int minor, String twin) {
        super(fs, 1, minor, 0666, twin);
    }

    @Override
    protected long openFile(Task t, Nameidata nd, Mount m, Dentry d, int flags) {
        d.get();
        nd.file = new RandomFile(m, d, this, flags);
        return 0;
    }

    /** An open /dev/random or /dev/urandom. */
    static final class RandomFile extends DevFile {
        private final Credentials cred;

        RandomFile(Mount m, Dentry d, RandomDevice dev, int flags) {
            super(m, d, dev, flags);
            this.cred = ((KernFilesystem) dev.fs()).credentials();
        }

        /** urandom_read_iter: count random bytes (clamped to MAX_RW_COUNT), or EFAULT. */
        @Override
        public long read(Task t, long buf, long count) {
            if (!UserMemory.accessOk(buf, count)) {
                return -Errno.EFAULT;
            }
            long n = Math.min(count, MAX_RW_COUNT);
            if (!UserMemory.canWrite(buf, n)) {
                return -Errno.EFAULT;
            }
            Crng.get().fill(buf, n);
            return n;
        }

        /** random_write_iter: the bytes are read (EFAULT if they cannot be) and taken. */
        @Override
        public long write(Task t, long buf, long count) {
            if (!UserMemory.accessOk(buf, count)) {
                return -Errno.EFAULT;
            }
            long n = Math.min(count, MAX_RW_COUNT);
            return UserMemory.canRead(buf, n) ? n : -Errno.EFAULT;
        }

        /** random_ioctl. */
        @Override
        public long ioctl(Task t, long request, long arg) {
            if (request == RNDGETENTCNT) {
                if (!UserMemory.canWrite(arg, 4)) {
                    return -Errno.EFAULT;
                }
                UserMemory.putInt(arg, 256);
                return 0;
            }
            if (request == RNDADDTOENTCNT || request == RNDADDENTROPY || request == RNDZAPENTCNT
                    || request == RNDCLEARPOOL || request == RNDRESEEDCRNG) {
                if (!cred.capable(CAP_SYS_ADMIN)) {
                    return -Errno.EPERM;
                }
                if (request == RNDRESEEDCRNG) {
                    Crng.get().reseed();
                }
                return 0;
            }
            long r = super.ioctl(t, request, arg);
            return r == -Errno.ENOTTY ? -Errno.EINVAL : r; // random_ioctl's default, TCGETS included
        }
    }
}
