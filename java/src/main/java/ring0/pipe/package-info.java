/**
 * Pipes (Linux: fs/pipe.c): {@link ring0.pipe.Pipe}, a ring of page-sized buffers with Linux's
 * capacity, merging, PIPE_BUF atomicity and packet mode, and its two ends, {@link ring0.pipe.PipeFile}.
 * A pipe handed to a child process moves to a host pipe and forwards to it from then on.
 */
package ring0.pipe;
