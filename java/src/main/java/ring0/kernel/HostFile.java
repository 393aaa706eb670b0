package ring0.kernel;

import ring0.abi.Sysno;
import ring0.host.Host;

/**
 * A description the host serves: the kernel holds a host descriptor (always close-on-exec on the
 * host, whatever the app asked) and forwards calls on it. Sockets, pipes, epoll sets, and for now
 * files, are this.
 */
public final class HostFile extends FileDescription {
    private final int hostFd;

    public HostFile(int hostFd) {
        this.hostFd = hostFd;
    }

    @Override
    public int hostFd() {
        return hostFd;
    }

    @Override
    public String describe() {
        return "host:" + hostFd;
    }

    @Override
    protected long release() {
        return Host.call(Sysno.SYS_CLOSE, hostFd, 0, 0);
    }
}
