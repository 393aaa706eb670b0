// Command epoll uses pipes, eventfds, epoll, poll and select through package syscall, as a C program
// would, and prints what Linux answers: pipe capacity and merging, PIPE_BUF atomicity, packet mode,
// F_GETPIPE_SZ and F_SETPIPE_SZ, FIONREAD, EOF and EPIPE, blocking reads that other goroutines
// satisfy, eventfd counters and semaphores, epoll's level and edge triggering, one-shot items,
// errors, nesting, timeouts, and sets that hold pipes, eventfds and sockets together.
// It exits 1 if a result it can check is wrong.
//
//	epoll            all of the above
//	epoll sigpipe    a write to a pipe without readers with SIGPIPE caught by signal.Notify
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

var failed bool

func check(what string, got, want any) {
	fmt.Printf("%s: %v\n", what, got)
	if got != want {
		fmt.Fprintf(os.Stderr, "FAIL: %s = %v, want %v\n", what, got, want)
		failed = true
	}
}

func must(what string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %s: %v\n", what, err)
		os.Exit(1)
	}
}

func pipe(flags int) (r, w int) {
	var p [2]int
	must("pipe2", syscall.Pipe2(p[:], flags|syscall.O_CLOEXEC))
	return p[0], p[1]
}

func eventfd(initval uint, flags int) int {
	fd, _, e := syscall.RawSyscall(syscall.SYS_EVENTFD2, uintptr(initval), uintptr(flags|syscall.O_CLOEXEC), 0)
	if e != 0 {
		must("eventfd2", e)
	}
	return int(fd)
}

func errno(err error) string {
	if err == nil {
		return "ok"
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		return fmt.Sprintf("%v (%d)", e, int(e))
	}
	return err.Error()
}

// fill writes n-byte chunks into a non-blocking pipe until it is full; the bytes that fit.
func fill(w, n int) int {
	b := make([]byte, n)
	total := 0
	for {
		k, err := syscall.Write(w, b)
		if err != nil {
			return total
		}
		total += k
		if k < n {
			return total
		}
	}
}

func fcntl(fd, cmd, arg int) (int, error) {
	r, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), uintptr(cmd), uintptr(arg))
	if e != 0 {
		return -1, e
	}
	return int(r), nil
}

func fionread(fd int) int {
	var n int32
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), fionreadReq, uintptr(unsafe.Pointer(&n)))
	if e != 0 {
		return -int(e)
	}
	return int(n)
}

const (
	fSetPipeSz     = 1031
	fionreadReq    = 0x541b
	epollET        = 1 << 31
	epollExclusive = 1 << 28
	fGetPipeSz     = 1032
	oDirect        = syscall.O_DIRECT
)

func pipes() {
	fmt.Println("== pipes")
	for _, n := range []int{1, 100, 3000, 4096, 4097, 10000, 65536, 100000} {
		r, w := pipe(syscall.O_NONBLOCK)
		fmt.Printf("writes of %d: %d bytes fit, FIONREAD %d\n", n, fill(w, n), fionread(r))
		syscall.Close(r)
		syscall.Close(w)
	}
	r, w := pipe(syscall.O_NONBLOCK)
	sz, _ := fcntl(r, fGetPipeSz, 0)
	check("F_GETPIPE_SZ", sz, 65536)
	sz, err := fcntl(w, fSetPipeSz, 100000)
	fmt.Println("F_SETPIPE_SZ 100000:", sz, errno(err))
	sz, err = fcntl(w, fSetPipeSz, 0)
	fmt.Println("F_SETPIPE_SZ 0:", sz, errno(err))
	fmt.Println("a page pipe holds:", fill(w, 1))
	_, err = fcntl(w, fSetPipeSz, 1)
	fmt.Println("F_SETPIPE_SZ 1 when full:", errno(err))
	sz, err = fcntl(w, fSetPipeSz, 1<<20)
	fmt.Println("F_SETPIPE_SZ 1 MiB:", sz, errno(err))
	_, err = fcntl(w, fSetPipeSz, 1<<31+1)
	fmt.Println("F_SETPIPE_SZ 2 GiB + 1:", errno(err))
	syscall.Close(r)
	syscall.Close(w)

	// PIPE_BUF: 15 full pages and 100 bytes; a 3997-byte write does not fit whole, a 3996-byte one merges.
	r, w = pipe(syscall.O_NONBLOCK)
	page := make([]byte, 8192)
	for i := 0; i < 15; i++ {
		syscall.Write(w, page[:4096])
	}
	syscall.Write(w, page[:100])
	_, err = syscall.Write(w, page[:3997])
	fmt.Println("3997 bytes into 3996 of room:", errno(err))
	k, err := syscall.Write(w, page[:3996])
	fmt.Println("3996 bytes:", k, errno(err))
	syscall.Read(r, page[:4096])
	k, err = syscall.Write(w, page[:8192])
	fmt.Println("8192 bytes into one free page:", k, errno(err))
	syscall.Close(r)
	syscall.Close(w)

	// Packet mode.
	r, w = pipe(oDirect)
	syscall.Write(w, []byte("0123456789"))
	syscall.Write(w, []byte("abcdefghijklmnopqrst"))
	buf := make([]byte, 100)
	k, _ = syscall.Read(r, buf)
	fmt.Printf("packet 1: %q\n", buf[:k])
	k, _ = syscall.Read(r, buf[:5])
	fmt.Printf("packet 2, 5 bytes asked: %q; left: %d\n", buf[:k], fionread(r))
	fl, _ := fcntl(w, syscall.F_GETFL, 0)
	fmt.Printf("O_DIRECT on the write end: %t\n", fl&oDirect != 0)
	syscall.Close(r)
	syscall.Close(w)

	// EOF and EPIPE (SIGPIPE is ignored by the runtime for descriptors other than 1 and 2).
	r, w = pipe(0)
	syscall.Write(w, []byte("last"))
	syscall.Close(w)
	k, _ = syscall.Read(r, buf)
	fmt.Printf("read: %q\n", buf[:k])
	k, err = syscall.Read(r, buf)
	fmt.Println("then:", k, errno(err))
	syscall.Close(r)
	r, w = pipe(0)
	syscall.Close(r)
	_, err = syscall.Write(w, buf[:1])
	fmt.Println("write without readers:", errno(err))
	syscall.Close(w)

	// A goroutine blocked in read(2) on a blocking pipe: the others go on, then one writes.
	r, w = pipe(0)
	got := make(chan string)
	go func() {
		b := make([]byte, 100)
		k, err := syscall.Read(r, b)
		got <- fmt.Sprintf("%q %s", b[:max(k, 0)], errno(err))
	}()
	ticks := 0
	for i := 0; i < 5; i++ {
		time.Sleep(5 * time.Millisecond)
		ticks++
	}
	fmt.Println("ticks while a reader blocks:", ticks)
	syscall.Write(w, []byte("wake up"))
	check("the blocked reader got", <-got, `"wake up" ok`)
	// And a writer blocked on a full pipe.
	go func() {
		// A signal (the runtime's preemption signal, SIGURG) may end a blocking write early with
		// what it wrote so far, as Linux's pipe_write does even under SA_RESTART: write the rest.
		k, err := 0, error(nil)
		for k < 70000 && err == nil {
			var n int
			n, err = syscall.Write(w, make([]byte, 70000-k))
			k += max(n, 0)
		}
		got <- fmt.Sprintf("%d %s", k, errno(err))
	}()
	time.Sleep(20 * time.Millisecond)
	total := 0
	for total < 70000 {
		k, err := syscall.Read(r, make([]byte, 10000))
		if err != nil {
			must("read", err)
		}
		total += k
	}
	fmt.Println("the blocked writer wrote:", <-got, "read:", total)
	syscall.Close(r)
	syscall.Close(w)

	var st syscall.Stat_t
	r, w = pipe(0)
	must("fstat", syscall.Fstat(r, &st))
	fmt.Printf("fstat: mode %o nlink %d size %d blksize %d\n", st.Mode, st.Nlink, st.Size, st.Blksize)
	_, err = syscall.Seek(r, 0, 0)
	fmt.Println("lseek:", errno(err))
	syscall.Close(r)
	syscall.Close(w)
}

func eventfds() {
	fmt.Println("== eventfd")
	b := make([]byte, 8)
	put := func(fd int, v uint64) string {
		binary.NativeEndian.PutUint64(b, v)
		_, err := syscall.Write(fd, b)
		return errno(err)
	}
	get := func(fd int) string {
		k, err := syscall.Read(fd, b)
		if err != nil {
			return errno(err)
		}
		return fmt.Sprintf("%d (%d bytes)", binary.NativeEndian.Uint64(b), k)
	}
	fd := eventfd(3, syscall.O_NONBLOCK)
	fmt.Println("write 4:", put(fd, 4), "read:", get(fd), "read:", get(fd))
	fmt.Println("write max-1:", put(fd, 1<<64-2), "write 1:", put(fd, 1), "write 0:", put(fd, 0))
	fmt.Println("write max:", put(fd, 1<<64-1))
	fmt.Println("read:", get(fd))
	_, err := syscall.Read(fd, b[:4])
	fmt.Println("read of 4 bytes:", errno(err))
	syscall.Close(fd)
	fd = eventfd(2, syscall.O_NONBLOCK|1 /* EFD_SEMAPHORE */)
	fmt.Println("semaphore:", get(fd), get(fd), get(fd))
	syscall.Close(fd)
	_, _, e := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, 4, 0)
	fmt.Println("eventfd2 with a bad flag:", errno(e))
	// A blocked reader.
	fd = eventfd(0, 0)
	got := make(chan string)
	go func() {
		c := make([]byte, 8)
		_, err := syscall.Read(fd, c)
		got <- fmt.Sprintf("%d %s", binary.NativeEndian.Uint64(c), errno(err))
	}()
	time.Sleep(20 * time.Millisecond)
	put(fd, 42)
	check("blocked reader got", <-got, "42 ok")
	syscall.Close(fd)
}

// wait returns the events of one epoll_wait as sorted "fd:EVENTS" strings. A wait that a signal of
// Go's own ended (EINTR: a preemption SIGURG, natively too) is made again.
func wait(ep, max, ms int) string {
	evs := make([]syscall.EpollEvent, max)
	n, err := syscall.EpollWait(ep, evs, ms)
	for err == syscall.EINTR {
		n, err = syscall.EpollWait(ep, evs, ms)
	}
	if err != nil {
		return errno(err)
	}
	var out []string
	for _, e := range evs[:n] {
		out = append(out, fmt.Sprintf("%d:%s", e.Fd, names(e.Events)))
	}
	sort.Strings(out)
	return "[" + strings.Join(out, " ") + "]"
}

func names(e uint32) string {
	var s []string
	for _, b := range []struct {
		bit  uint32
		name string
	}{{syscall.EPOLLIN, "IN"}, {syscall.EPOLLOUT, "OUT"}, {syscall.EPOLLERR, "ERR"}, {syscall.EPOLLHUP, "HUP"},
		{syscall.EPOLLRDHUP, "RDHUP"}, {syscall.EPOLLPRI, "PRI"}, {syscall.EPOLLRDNORM, "RDNORM"}, {syscall.EPOLLWRNORM, "WRNORM"}} {
		if e&b.bit != 0 {
			s = append(s, b.name)
			e &^= b.bit
		}
	}
	if e != 0 {
		s = append(s, fmt.Sprintf("%#x", e))
	}
	return strings.Join(s, "|")
}

// The descriptor numbers printed are renumbered in order of appearance: both runs number alike,
// but what the runtime opened first may differ.
func add(ep, fd int, events uint32) error {
	return syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: events, Fd: int32(fd)})
}

func epolls() {
	fmt.Println("== epoll")
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	must("epoll_create1", err)
	_, err = syscall.EpollCreate(0)
	fmt.Println("epoll_create(0):", errno(err))
	_, err = syscall.EpollCreate1(1)
	fmt.Println("epoll_create1(1):", errno(err))
	r, w := pipe(syscall.O_NONBLOCK)
	efd := eventfd(0, syscall.O_NONBLOCK)
	var sv [2]int
	sv, err = syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	must("socketpair", err)
	f, err := os.CreateTemp("", "epoll")
	must("createtemp", err)
	defer os.Remove(f.Name())
	names := map[int]string{r: "pipe-r", w: "pipe-w", efd: "eventfd", sv[0]: "sock", sv[1]: "peer", int(f.Fd()): "file", ep: "epoll"}
	label := func(s string) string {
		for fd, n := range names {
			s = strings.ReplaceAll(s, fmt.Sprintf("[%d:", fd), "["+n+":")
			s = strings.ReplaceAll(s, fmt.Sprintf(" %d:", fd), " "+n+":")
		}
		return s
	}
	pr := func(what string, s string) { fmt.Println(what+":", label(s)) }

	fmt.Println("add a regular file:", errno(add(ep, int(f.Fd()), syscall.EPOLLIN)))
	fmt.Println("add to a non-epoll:", errno(add(r, w, syscall.EPOLLIN)))
	fmt.Println("add itself:", errno(add(ep, ep, syscall.EPOLLIN)))
	fmt.Println("add a closed fd:", errno(add(ep, 999, syscall.EPOLLIN)))
	fmt.Println("mod missing:", errno(syscall.EpollCtl(ep, syscall.EPOLL_CTL_MOD, r, &syscall.EpollEvent{})))
	fmt.Println("del missing:", errno(syscall.EpollCtl(ep, syscall.EPOLL_CTL_DEL, r, nil)))
	must("add", add(ep, r, syscall.EPOLLIN))
	fmt.Println("add twice:", errno(add(ep, r, syscall.EPOLLIN)))
	fmt.Println("bad op:", errno(syscall.EpollCtl(ep, 99, r, &syscall.EpollEvent{})))
	must("add", add(ep, w, syscall.EPOLLOUT))
	must("add", add(ep, efd, syscall.EPOLLIN|epollET))
	must("add", add(ep, sv[0], syscall.EPOLLIN|syscall.EPOLLOUT|syscall.EPOLLRDHUP|epollET))
	pr("first wait", wait(ep, 16, 0))
	pr("again", wait(ep, 16, 0))
	syscall.Write(w, []byte("x"))
	syscall.Write(sv[1], []byte("y"))
	syscall.Write(efd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	pr("after writes", wait(ep, 16, 0))
	pr("again (level-triggered stay)", wait(ep, 16, 0))
	pr("maxevents 1", wait(ep, 1, 0))
	syscall.Read(r, make([]byte, 10))
	syscall.Close(sv[1])
	pr("after reading the pipe and closing the peer", wait(ep, 16, 0))
	must("del", syscall.EpollCtl(ep, syscall.EPOLL_CTL_DEL, sv[0], nil))
	must("mod", syscall.EpollCtl(ep, syscall.EPOLL_CTL_MOD, w, &syscall.EpollEvent{Events: syscall.EPOLLOUT | syscall.EPOLLONESHOT, Fd: int32(w)}))
	pr("one-shot", wait(ep, 16, 0))
	pr("one-shot again", wait(ep, 16, 0))
	must("mod", syscall.EpollCtl(ep, syscall.EPOLL_CTL_MOD, w, &syscall.EpollEvent{Events: syscall.EPOLLOUT, Fd: int32(w)}))
	pr("re-armed", wait(ep, 16, 0))
	err = syscall.EpollCtl(ep, syscall.EPOLL_CTL_MOD, w, &syscall.EpollEvent{Events: syscall.EPOLLOUT | epollExclusive})
	fmt.Println("mod with EPOLLEXCLUSIVE:", errno(err))

	// A dup keeps an item; the last close removes it.
	dup, _ := syscall.Dup(w)
	syscall.Close(w)
	pr("after closing the registered number (a dup is left)", wait(ep, 16, 0))
	syscall.Close(dup)
	pr("after closing the dup", wait(ep, 16, 0))

	// Nesting and loops.
	inner, _ := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	names[inner] = "inner"
	r2, w2 := pipe(syscall.O_NONBLOCK)
	must("add", add(inner, r2, syscall.EPOLLIN))
	must("add", add(ep, inner, syscall.EPOLLIN))
	fmt.Println("loop:", errno(add(inner, ep, syscall.EPOLLIN)))
	syscall.Write(w2, []byte("z"))
	pr("outer sees the inner set", wait(ep, 16, 0))

	// Timeouts (the read end whose writer is gone is always ready: out with it).
	must("del", syscall.EpollCtl(ep, syscall.EPOLL_CTL_DEL, r, nil))
	start := time.Now()
	syscall.Read(r2, make([]byte, 10))
	syscall.Read(efd, make([]byte, 8))
	pr("30ms timeout", wait(ep, 16, 30))
	check("waited >= 30ms", time.Since(start) >= 30*time.Millisecond, true)

	// A goroutine asleep in epoll_wait, woken by a write from another goroutine.
	got := make(chan string)
	go func() { got <- wait(ep, 16, -1) }()
	time.Sleep(20 * time.Millisecond)
	syscall.Write(w2, []byte("wake"))
	pr("woken", <-got)
	syscall.Close(ep)
	syscall.Close(inner)
	_, err = syscall.EpollWait(ep, make([]syscall.EpollEvent, 1), 0)
	fmt.Println("epoll_wait on a closed set:", errno(err))
	_, err = syscall.EpollWait(r, make([]syscall.EpollEvent, 1), 0)
	fmt.Println("epoll_wait on a pipe:", errno(err))
}

func polls() {
	fmt.Println("== poll and select")
	r, w := pipe(0)
	efd := eventfd(0, 0)
	fds := []struct {
		fd             int32
		events, revent int16
	}{{int32(r), 1, 0}, {int32(w), 4, 0}, {int32(efd), 1, 0}, {999, 1, 0}, {-1, 1, 0}}
	n, _, e := syscall.Syscall(syscall.SYS_POLL, uintptr(unsafe.Pointer(&fds[0])), uintptr(len(fds)), 0)
	fmt.Println("poll:", n, errno(e))
	for _, f := range fds {
		fmt.Printf("  revents %#x\n", f.revent)
	}
	var rs syscall.FdSet
	rs.Bits[r/64] |= 1 << (uint(r) % 64)
	tv := syscall.Timeval{Usec: 20000}
	start := time.Now()
	k, err := selectAgain(r+1, &rs, &tv)
	fmt.Println("select, nothing to read:", k, errno(err), "waited >= 20ms:", time.Since(start) >= 20*time.Millisecond)
	go func() {
		time.Sleep(20 * time.Millisecond)
		syscall.Write(w, []byte("!"))
	}()
	rs.Bits[r/64] |= 1 << (uint(r) % 64)
	k, err = selectAgain(r+1, &rs, nil)
	fmt.Println("select woken by a write:", k, errno(err), rs.Bits[r/64]&(1<<(uint(r)%64)) != 0)
	rs.Bits[0] = 1 << 60
	_, err = syscall.Select(61, &rs, nil, nil, &syscall.Timeval{})
	fmt.Println("select of a closed fd:", errno(err))
}

// selectAgain is select(2) for reading, made again after EINTR (as wait); Linux leaves the time
// not slept in tv, so the total wait stays what was asked.
func selectAgain(nfd int, rs *syscall.FdSet, tv *syscall.Timeval) (int, error) {
	want := *rs
	for {
		k, err := syscall.Select(nfd, rs, nil, nil, tv)
		if err != syscall.EINTR {
			return k, err
		}
		*rs = want
	}
}

func sigpipe() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGPIPE)
	r, w := pipe(0)
	syscall.Close(r)
	_, err := syscall.Write(w, []byte("x"))
	fmt.Println("write:", errno(err))
	select {
	case s := <-c:
		fmt.Println("signal:", s)
	case <-time.After(2 * time.Second):
		fmt.Println("no signal in 2s")
	}
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "sigpipe" {
		sigpipe()
		return
	}
	pipes()
	eventfds()
	epolls()
	polls()
	if failed {
		os.Exit(1)
	}
}
