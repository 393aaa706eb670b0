/**
 * eventfd (Linux: fs/eventfd.c): {@link ring0.eventfd.EventFd}, a 64-bit counter with wait queues,
 * served by the kernel until a child process needs it as a host eventfd.
 */
package ring0.eventfd;
