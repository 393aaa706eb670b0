package ring0.host;

import java.io.IOException;
import ring0.abi.Errno;

/** A failed host system call, for the CLI, loader and control paths (kernel code returns -errno). */
public final class HostException extends IOException {
    private final int errno;

    public HostException(String what, int errno) {
        super(what + ": " + Errno.message(errno) + " (" + Errno.name(errno) + ")");
        this.errno = errno;
    }

    /** The errno says what happened; a stack trace would not add to it. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public int errno() {
        return errno;
    }
}
