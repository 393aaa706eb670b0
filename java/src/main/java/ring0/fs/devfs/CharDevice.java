package ring0.fs.devfs;

import ring0.abi.Kstat;
import ring0.abi.Stat;
import ring0.fs.kernfs.KernFilesystem;
import ring0.fs.kernfs.KernInode;

/**
 * A character device node of devfs: its number (st_rdev) and mode; opening it is the device's
 * (Linux: chrdev_open, then the driver's open). When the host has a node with the same number at the
 * same name (its twin), stat shows the host node's attributes, as natively.
 */
abstract class CharDevice extends KernInode {
    private final int major, minor;
    private final String hostNode;

    /** @param twin the host's node of the same name, or null */
    CharDevice(KernFilesystem fs, int major, int minor, int perm, String twin) {
        super(fs, twin != null ? twinIno(fs, twin) : fs.nextIno(), Stat.S_IFCHR | perm, twin);
        this.major = major;
        this.minor = minor;
        this.hostNode = twin;
    }

    /** The host's node of this device ("/dev/null"), for a description that must become a host descriptor; or null. */
    String hostNode() {
        return hostNode;
    }

    @Override
    protected boolean twinFits(Kstat k) {
        return Stat.type(k.mode) == Stat.S_IFCHR && k.rdevMajor == major && k.rdevMinor == minor;
    }

    @Override
    protected void fill(Kstat k) {
        k.rdevMajor = major;
        k.rdevMinor = minor;
    }

    @Override
    public boolean persistent() {
        return true;
    }
}
