package ring0.syscall;

import ring0.kernel.Task;

/**
 * One system call's implementation: the six raw argument registers in, the raw Linux result out
 * (a value, or -errno). Expected failures are return values, never exceptions.
 */
@FunctionalInterface
public interface SyscallHandler {
    long call(Task t, long a0, long a1, long a2, long a3, long a4, long a5);
}
