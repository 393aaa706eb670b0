package ring0.abi;

import java.util.List;

/**
 * One Linux x86-64 system call as described by {@code syscalls_x86_64.tbl}: its C name, its arguments
 * and what its result is.
 *
 * @param nr the system call number
 * @param name the C name, as strace and --stats print it
 * @param args the argument kinds; UNKNOWN alone when not described
 * @param result how the result is read
 * @param cloexecArg for a result of FD: the argument that asks for close-on-exec, or -1
 * @param cloexecMask the bit of that argument that does
 */
public record SyscallInfo(int nr, String name, List<ArgKind> args, Result result, int cloexecArg, long cloexecMask) {

    /** How a result is read. */
    public enum Result { INT, FD, HEX, OCT, VOID }

    /** True if any argument is a descriptor the kernel must translate. */
    public boolean takesFd() {
        return args.contains(ArgKind.FD) || args.contains(ArgKind.DIRFD);
    }

    /** True if the call touches the descriptor table: it takes or makes a descriptor. */
    public boolean usesFdTable() {
        return takesFd() || result == Result.FD;
    }
}
