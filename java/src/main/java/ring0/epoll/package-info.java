/**
 * epoll (Linux: fs/eventpoll.c): {@link ring0.epoll.EventPoll}, an epoll set whose kernel files report
 * through their wait queues and whose host files live in a host epoll set it owns, and
 * {@link ring0.epoll.Epitem}, one (file, fd) in it. Sleeping and waking: see EventPoll's class comment.
 */
package ring0.epoll;
