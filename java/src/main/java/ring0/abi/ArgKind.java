package ring0.abi;

/** How a system call argument is read: by the kernel's descriptor translation and by strace. */
public enum ArgKind {
    /** A file descriptor. */
    FD,
    /** A directory descriptor, or AT_FDCWD. */
    DIRFD,
    /** A NUL-terminated path. */
    PATH,
    /** A pointer to data. */
    BUF,
    /** Another pointer. */
    PTR,
    INT,
    UINT,
    HEX,
    OCT,
    SIZE,
    OFF,
    SIG,
    /** Not described yet: shown in hex. */
    UNKNOWN;

    static ArgKind parse(String s) {
        return switch (s) {
            case "fd" -> FD;
            case "dirfd" -> DIRFD;
            case "path" -> PATH;
            case "buf" -> BUF;
            case "ptr" -> PTR;
            case "int" -> INT;
            case "uint" -> UINT;
            case "hex" -> HEX;
            case "oct" -> OCT;
            case "size" -> SIZE;
            case "off" -> OFF;
            case "sig" -> SIG;
            case "-" -> UNKNOWN;
            default -> throw new IllegalArgumentException("unknown argument kind " + s);
        };
    }
}
