package ring0.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import ring0.fs.Mounts;

/** Converts a --mount value (ram:PATH, host:DIR:PATH); a bad one is a usage error (status 2). */
final class MountOption implements ITypeConverter<Mounts.Spec> {
    /** The help text of --mount, shared by ring0 run and ring0 insexe. */
    static final String HELP = "Mount a filesystem in the app's file tree (repeatable; made in order, so one may go inside "
            + "another): ram:PATH, an empty RAM filesystem (like tmpfs; lost when the app exits); "
            + "host:DIR:PATH, the host directory DIR. By default the app sees the host's files at their paths "
            + "(/ is the host's /; /proc and /dev are the kernel's own, over the host's). A mount point must be a directory; "
            + "one missing inside a RAM filesystem is created, one missing on the host is an error (the host's "
            + "files are never changed to mount). The app starts in the host's working directory, as the mounts show it.";

    @Override
    public Mounts.Spec convert(String value) {
        try {
            return Mounts.Spec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
