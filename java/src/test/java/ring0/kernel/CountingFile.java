package ring0.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import ring0.abi.Errno;

/**
 * A description the kernel serves alone (no host descriptor, Linux's default file operations) that
 * counts its releases, so tests can see exactly when the last reference went away.
 */
public class CountingFile extends FileDescription {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id = IDS.incrementAndGet();
    private final AtomicInteger releasedTotal;
    private final long releaseResult;
    private final AtomicInteger releases = new AtomicInteger();

    public CountingFile() {
        this(null, 0);
    }

    /**
     * @param releasedTotal incremented at release as well, or null
     * @param releaseResult what release() returns (close(2) reports it when its reference was the last)
     */
    public CountingFile(AtomicInteger releasedTotal, long releaseResult) {
        this.releasedTotal = releasedTotal;
        this.releaseResult = releaseResult;
    }

    /** How many times release() ran: 0 while referenced, then 1 (never more). */
    public int releases() {
        return releases.get();
    }

    public boolean released() {
        return releases.get() != 0;
    }

    @Override
    public int hostFd() {
        return -1;
    }

    @Override
    public String describe() {
        return "counting:" + id;
    }

    /** Not a file that can be stat'ed: tests here use only the descriptor table. */
    @Override
    public long fstat(Task t, long buf) {
        return -Errno.ENOSYS;
    }

    @Override
    public long statx(Task t, int flags, int mask, long buf) {
        return -Errno.ENOSYS;
    }

    @Override
    protected long release() {
        releases.incrementAndGet();
        if (releasedTotal != null) {
            releasedTotal.incrementAndGet();
        }
        return releaseResult;
    }
}
