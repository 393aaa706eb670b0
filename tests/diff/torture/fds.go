package main

import (
	"encoding/binary"
	"syscall"
	"unsafe"
)

// testFcntl: F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL, pipe sizes, and the errors.
func testFcntl() {
	create("f", "F")
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	p("f is fd %d", fd)
	call("F_DUPFD 0", syscall.SYS_FCNTL, fdArg(fd), syscall.F_DUPFD, 0)
	call("F_DUPFD 10", syscall.SYS_FCNTL, fdArg(fd), syscall.F_DUPFD, 10)
	call("F_DUPFD 10 again", syscall.SYS_FCNTL, fdArg(fd), syscall.F_DUPFD, 10)
	n := call("F_DUPFD_CLOEXEC 20", syscall.SYS_FCNTL, fdArg(fd), syscall.F_DUPFD_CLOEXEC, 20)
	call("  F_GETFD", syscall.SYS_FCNTL, fdArg(n), syscall.F_GETFD)
	call("F_DUPFD -1", syscall.SYS_FCNTL, fdArg(fd), syscall.F_DUPFD, neg(1))
	call("F_DUPFD 1<<30 (beyond RLIMIT_NOFILE)", syscall.SYS_FCNTL, fdArg(fd), syscall.F_DUPFD, 1<<30)
	call("F_GETFD", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD)
	call("F_SETFD FD_CLOEXEC", syscall.SYS_FCNTL, fdArg(fd), syscall.F_SETFD, syscall.FD_CLOEXEC)
	call("F_GETFD", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD)
	call("F_SETFD 0xff (other bits ignored)", syscall.SYS_FCNTL, fdArg(fd), syscall.F_SETFD, 0xfe)
	call("F_GETFD", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD)
	fl := call("F_GETFL", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFL)
	p("  access mode %d, O_APPEND %v, O_NONBLOCK %v", fl&syscall.O_ACCMODE, fl&syscall.O_APPEND != 0, fl&syscall.O_NONBLOCK != 0)
	call("F_SETFL O_APPEND|O_NONBLOCK|O_RDWR (access mode ignored)", syscall.SYS_FCNTL, fdArg(fd), syscall.F_SETFL, syscall.O_APPEND|syscall.O_NONBLOCK|syscall.O_RDWR)
	fl = call("F_GETFL", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFL)
	p("  access mode %d, O_APPEND %v, O_NONBLOCK %v", fl&syscall.O_ACCMODE, fl&syscall.O_APPEND != 0, fl&syscall.O_NONBLOCK != 0)
	d := quiet(syscall.SYS_DUP, fdArg(fd))
	fl = call("F_GETFL of a dup (shares the description)", syscall.SYS_FCNTL, fdArg(d), syscall.F_GETFL)
	p("  O_APPEND %v, O_NONBLOCK %v", fl&syscall.O_APPEND != 0, fl&syscall.O_NONBLOCK != 0)
	call("F_GETFD of the dup (its own)", syscall.SYS_FCNTL, fdArg(d), syscall.F_GETFD)
	call("F_SETFL 0", syscall.SYS_FCNTL, fdArg(fd), syscall.F_SETFL, 0)
	fl = call("F_GETFL", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFL)
	p("  O_APPEND %v, O_NONBLOCK %v", fl&syscall.O_APPEND != 0, fl&syscall.O_NONBLOCK != 0)
	call("fcntl cmd 9999 (unknown)", syscall.SYS_FCNTL, fdArg(fd), 9999, 0)
	call("F_GETFD(99)", syscall.SYS_FCNTL, 99, syscall.F_GETFD)
	call("F_GETPIPE_SZ on a file", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETPIPE_SZ)
	quiet(sysCloseRange, 3, 100, 0)
	r, w := pipe(0)
	call("F_GETPIPE_SZ", syscall.SYS_FCNTL, fdArg(r), syscall.F_GETPIPE_SZ)
	call("F_SETPIPE_SZ 4096", syscall.SYS_FCNTL, fdArg(w), syscall.F_SETPIPE_SZ, 4096)
	call("F_GETPIPE_SZ", syscall.SYS_FCNTL, fdArg(r), syscall.F_GETPIPE_SZ)
	call("F_SETPIPE_SZ 5000 (rounded up)", syscall.SYS_FCNTL, fdArg(w), syscall.F_SETPIPE_SZ, 5000)
	call("F_SETPIPE_SZ 0 (the minimum)", syscall.SYS_FCNTL, fdArg(w), syscall.F_SETPIPE_SZ, 0)
	call("F_SETPIPE_SZ 1<<30 (beyond pipe-max-size)", syscall.SYS_FCNTL, fdArg(w), syscall.F_SETPIPE_SZ, 1<<30)
	fl = call("F_GETFL pipe write end", syscall.SYS_FCNTL, fdArg(w), syscall.F_GETFL)
	p("  access mode %d", fl&syscall.O_ACCMODE)
	call("F_SETFL O_DIRECT (packet mode)", syscall.SYS_FCNTL, fdArg(w), syscall.F_SETFL, syscall.O_DIRECT)
	fl = call("F_GETFL", syscall.SYS_FCNTL, fdArg(w), syscall.F_GETFL)
	p("  O_DIRECT %v", fl&syscall.O_DIRECT != 0)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	cleanup()
}

// flock is struct flock.
type flockT struct {
	typ, whence int16
	_           int32
	start, len  int64
	pid         int32
	_           int32
}

func lk(typ int16, start, n int64) (*flockT, uintptr) {
	b := buf(32)
	l := (*flockT)(unsafe.Pointer(&b[0]))
	l.typ, l.whence, l.start, l.len = typ, 0, start, n
	return l, ptr(b)
}

func lockName(t int16) string {
	switch t {
	case syscall.F_RDLCK:
		return "F_RDLCK"
	case syscall.F_WRLCK:
		return "F_WRLCK"
	case syscall.F_UNLCK:
		return "F_UNLCK"
	}
	return "?"
}

// getlk prints what F_GETLK / F_OFD_GETLK says about a lock of type typ over [start, start+n).
func getlk(what string, fd int, cmd uintptr, typ int16, start, n int64) {
	l, lp := lk(typ, start, n)
	if call(what, syscall.SYS_FCNTL, fdArg(fd), cmd, lp) >= 0 {
		pid := "other"
		switch {
		case l.pid == -1:
			pid = "-1 (an OFD lock)"
		case l.pid == int32(syscall.Getpid()):
			pid = "self"
		case l.pid == 0:
			pid = "0"
		}
		p("  %s start %d len %d pid %s", lockName(l.typ), l.start, l.len, pid)
	}
}

// testLocks: record locks (F_SETLK, F_GETLK) and open file description locks (F_OFD_*): conflicts
// between descriptions, splitting and merging ranges, release on close, and the errors.
func testLocks() {
	create("f", "0123456789")
	a := must("open a", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	b := must("open b", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	ro := must("open ro", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	p("descriptions a=%d b=%d ro=%d", a, b, ro)
	_, l := lk(syscall.F_WRLCK, 0, 10)
	call("OFD_SETLK a WRLCK 0..10", syscall.SYS_FCNTL, fdArg(a), fOfdSetlk, l)
	_, l = lk(syscall.F_WRLCK, 5, 1)
	call("OFD_SETLK b WRLCK 5..6 (conflicts)", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	getlk("OFD_GETLK b WRLCK 0..0 (to the end)", b, fOfdGetlk, syscall.F_WRLCK, 0, 0)
	getlk("OFD_GETLK a WRLCK 0..10 (its own)", a, fOfdGetlk, syscall.F_WRLCK, 0, 10)
	getlk("GETLK b WRLCK 3..4 (a record lock query)", b, syscall.F_GETLK, syscall.F_WRLCK, 3, 1)
	_, l = lk(syscall.F_UNLCK, 2, 3)
	call("OFD_SETLK a UNLCK 2..5 (splits)", syscall.SYS_FCNTL, fdArg(a), fOfdSetlk, l)
	getlk("OFD_GETLK b WRLCK 0..0", b, fOfdGetlk, syscall.F_WRLCK, 0, 0)
	getlk("OFD_GETLK b WRLCK 2..5", b, fOfdGetlk, syscall.F_WRLCK, 2, 3)
	getlk("OFD_GETLK b WRLCK 4..20", b, fOfdGetlk, syscall.F_WRLCK, 4, 16)
	_, l = lk(syscall.F_RDLCK, 2, 3)
	call("OFD_SETLK b RDLCK 2..5", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	_, l = lk(syscall.F_RDLCK, 2, 3)
	call("OFD_SETLK ro RDLCK 2..5 (readers share)", syscall.SYS_FCNTL, fdArg(ro), fOfdSetlk, l)
	_, l = lk(syscall.F_WRLCK, 0, 1)
	call("OFD_SETLK ro WRLCK (not open for writing)", syscall.SYS_FCNTL, fdArg(ro), fOfdSetlk, l)
	pl, l := lk(syscall.F_RDLCK, 0, 1)
	pl.pid = 1
	call("OFD_SETLK with l_pid 1", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	_, l = lk(7, 0, 1)
	call("OFD_SETLK type 7", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	ll, l := lk(syscall.F_RDLCK, 0, 1)
	ll.whence = 9
	call("OFD_SETLK whence 9", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	_, l = lk(syscall.F_RDLCK, 5, -10)
	call("OFD_SETLK start 5 len -10 (before the start)", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	_, l = lk(syscall.F_RDLCK, 5, -3)
	call("OFD_SETLK start 5 len -3 (2..5)", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	call("OFD_SETLK lock NULL", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, 0)
	call("close a (its OFD locks go)", syscall.SYS_CLOSE, fdArg(a))
	getlk("OFD_GETLK b WRLCK 0..0", b, fOfdGetlk, syscall.F_WRLCK, 0, 0)
	quiet(syscall.SYS_CLOSE, fdArg(b))
	quiet(syscall.SYS_CLOSE, fdArg(ro))

	// Record locks belong to the process: its own never conflict, and closing any descriptor of the
	// file drops them all.
	a = must("open a", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	b = must("open b", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	_, l = lk(syscall.F_WRLCK, 0, 4)
	call("SETLK a WRLCK 0..4", syscall.SYS_FCNTL, fdArg(a), syscall.F_SETLK, l)
	_, l = lk(syscall.F_WRLCK, 2, 4)
	call("SETLK b WRLCK 2..6 (same process: merges)", syscall.SYS_FCNTL, fdArg(b), syscall.F_SETLK, l)
	getlk("GETLK b WRLCK 0..0 (own locks: none)", b, syscall.F_GETLK, syscall.F_WRLCK, 0, 0)
	getlk("OFD_GETLK b WRLCK 0..0 (sees the record lock)", b, fOfdGetlk, syscall.F_WRLCK, 0, 0)
	_, l = lk(syscall.F_WRLCK, 3, 1)
	call("OFD_SETLK b WRLCK 3..4 (conflicts with the record lock)", syscall.SYS_FCNTL, fdArg(b), fOfdSetlk, l)
	c := must("open c", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("close c (drops the process's record locks)", syscall.SYS_CLOSE, fdArg(c))
	getlk("OFD_GETLK b WRLCK 0..0", b, fOfdGetlk, syscall.F_WRLCK, 0, 0)
	_, l = lk(syscall.F_RDLCK, 0, 4)
	call("SETLKW a RDLCK 0..4 (no conflict)", syscall.SYS_FCNTL, fdArg(a), syscall.F_SETLKW, l)
	_, l = lk(syscall.F_UNLCK, 0, 0)
	call("SETLK a UNLCK all", syscall.SYS_FCNTL, fdArg(a), syscall.F_SETLK, l)
	call("GETLK lock NULL", syscall.SYS_FCNTL, fdArg(a), syscall.F_GETLK, 0)
	_, l = lk(syscall.F_RDLCK, 0, 1)
	call("SETLK on fd 99", syscall.SYS_FCNTL, 99, syscall.F_SETLK, l)
	quiet(syscall.SYS_CLOSE, fdArg(a))
	quiet(syscall.SYS_CLOSE, fdArg(b))
	cleanup()
}

// testFlock: flock between descriptions, through dups, upgrades, and the errors.
func testFlock() {
	create("f", "F")
	a := must("open a", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	b := must("open b", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("flock a LOCK_EX", syscall.SYS_FLOCK, fdArg(a), syscall.LOCK_EX)
	call("flock b LOCK_EX|LOCK_NB (conflicts)", syscall.SYS_FLOCK, fdArg(b), syscall.LOCK_EX|syscall.LOCK_NB)
	call("flock b LOCK_SH|LOCK_NB (conflicts)", syscall.SYS_FLOCK, fdArg(b), syscall.LOCK_SH|syscall.LOCK_NB)
	d := call("dup a", syscall.SYS_DUP, fdArg(a))
	call("flock dup LOCK_EX|LOCK_NB (same description)", syscall.SYS_FLOCK, fdArg(d), syscall.LOCK_EX|syscall.LOCK_NB)
	call("close a (the dup keeps the lock)", syscall.SYS_CLOSE, fdArg(a))
	call("flock b LOCK_EX|LOCK_NB", syscall.SYS_FLOCK, fdArg(b), syscall.LOCK_EX|syscall.LOCK_NB)
	call("flock dup LOCK_SH (downgrade)", syscall.SYS_FLOCK, fdArg(d), syscall.LOCK_SH)
	call("flock b LOCK_SH|LOCK_NB (shared)", syscall.SYS_FLOCK, fdArg(b), syscall.LOCK_SH|syscall.LOCK_NB)
	call("flock b LOCK_EX|LOCK_NB (upgrade blocked)", syscall.SYS_FLOCK, fdArg(b), syscall.LOCK_EX|syscall.LOCK_NB)
	call("flock dup LOCK_UN", syscall.SYS_FLOCK, fdArg(d), syscall.LOCK_UN)
	call("flock b LOCK_EX|LOCK_NB (upgrade)", syscall.SYS_FLOCK, fdArg(b), syscall.LOCK_EX|syscall.LOCK_NB)
	_, l := lk(syscall.F_WRLCK, 0, 0)
	call("SETLK d WRLCK (flock and record locks are apart)", syscall.SYS_FCNTL, fdArg(d), syscall.F_SETLK, l)
	call("flock b 0 (no operation)", syscall.SYS_FLOCK, fdArg(b), 0)
	call("flock b LOCK_SH|LOCK_EX", syscall.SYS_FLOCK, fdArg(b), syscall.LOCK_SH|syscall.LOCK_EX)
	call("flock b 64", syscall.SYS_FLOCK, fdArg(b), 64)
	call("flock 99 LOCK_SH", syscall.SYS_FLOCK, 99, syscall.LOCK_SH)
	pf := must("open O_PATH", syscall.SYS_OPEN, cs("f"), unixOPath)
	call("flock O_PATH LOCK_SH", syscall.SYS_FLOCK, fdArg(pf), syscall.LOCK_SH)
	quiet(syscall.SYS_CLOSE, fdArg(pf))
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("flock a directory LOCK_EX", syscall.SYS_FLOCK, fdArg(dd), syscall.LOCK_EX)
	quiet(syscall.SYS_CLOSE, fdArg(dd))
	r, w := pipe(0)
	call("flock a pipe LOCK_EX", syscall.SYS_FLOCK, fdArg(r), syscall.LOCK_EX)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	quiet(syscall.SYS_CLOSE, fdArg(b))
	quiet(syscall.SYS_CLOSE, fdArg(d))
	cleanup()
}

// testDup: dup, dup2, dup3, and the errors.
func testDup() {
	create("f", "0123456789")
	fd := must("open", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	p("f is fd %d", fd)
	d := call("dup", syscall.SYS_DUP, fdArg(fd))
	quiet(syscall.SYS_LSEEK, fdArg(fd), 4, 0)
	call("  lseek cur of the dup (shared offset)", syscall.SYS_LSEEK, fdArg(d), 0, 1)
	call("dup2(fd, 10)", syscall.SYS_DUP2, fdArg(fd), 10)
	call("dup2(fd, fd)", syscall.SYS_DUP2, fdArg(fd), fdArg(fd))
	call("dup2(99, 10)", syscall.SYS_DUP2, 99, 10)
	call("dup2(99, 99)", syscall.SYS_DUP2, 99, 99)
	call("dup2(fd, -1)", syscall.SYS_DUP2, fdArg(fd), neg(1))
	call("dup2(fd, 1<<30)", syscall.SYS_DUP2, fdArg(fd), 1<<30)
	call("dup3(fd, 11, O_CLOEXEC)", syscall.SYS_DUP3, fdArg(fd), 11, syscall.O_CLOEXEC)
	call("  F_GETFD 11", syscall.SYS_FCNTL, 11, syscall.F_GETFD)
	call("dup2(fd, 11) (replaces; close-on-exec cleared)", syscall.SYS_DUP2, fdArg(fd), 11)
	call("  F_GETFD 11", syscall.SYS_FCNTL, 11, syscall.F_GETFD)
	call("dup3(fd, fd, 0)", syscall.SYS_DUP3, fdArg(fd), fdArg(fd), 0)
	call("dup3(fd, 12, O_NONBLOCK)", syscall.SYS_DUP3, fdArg(fd), 12, syscall.O_NONBLOCK)
	call("dup(99)", syscall.SYS_DUP, 99)
	call("dup(-5)", syscall.SYS_DUP, neg(5))
	call("close_range(3, 100, 0)", sysCloseRange, 3, 100, 0)
	call("dup(0) (lowest free)", syscall.SYS_DUP, 0)
	call("close 3", syscall.SYS_CLOSE, 3)
	cleanup()
}

// testPipe: pipe2 flags, capacity, EOF, EPIPE, EAGAIN, O_DIRECT packets, and the errors.
func testPipe() {
	b := buf(8)
	call("pipe2(fds, 0)", syscall.SYS_PIPE2, ptr(b), 0)
	r, w := int(*(*int32)(unsafe.Pointer(&b[0]))), int(*(*int32)(unsafe.Pointer(&b[4])))
	p("  %d %d", r, w)
	call("  F_GETFL read end & O_ACCMODE", syscall.SYS_FCNTL, fdArg(r), syscall.F_GETFL)
	fstat("  fstat read end", r)
	msg := buf(5)
	copy(msg, "hello")
	call("  write 5", syscall.SYS_WRITE, fdArg(w), ptr(msg), 5)
	rb := buf(64)
	n := call("  read 3", syscall.SYS_READ, fdArg(r), ptr(rb), 3)
	p("    %q", rb[:max(n, 0)])
	n = call("  read 64 (what is there)", syscall.SYS_READ, fdArg(r), ptr(rb), 64)
	p("    %q", rb[:max(n, 0)])
	call("  close write end", syscall.SYS_CLOSE, fdArg(w))
	call("  read (EOF)", syscall.SYS_READ, fdArg(r), ptr(rb), 64)
	call("  close read end", syscall.SYS_CLOSE, fdArg(r))

	call("pipe2(fds, O_NONBLOCK|O_CLOEXEC)", syscall.SYS_PIPE2, ptr(b), syscall.O_NONBLOCK|syscall.O_CLOEXEC)
	r, w = int(*(*int32)(unsafe.Pointer(&b[0]))), int(*(*int32)(unsafe.Pointer(&b[4])))
	call("  F_GETFD", syscall.SYS_FCNTL, fdArg(r), syscall.F_GETFD)
	call("  read empty (nonblocking)", syscall.SYS_READ, fdArg(r), ptr(rb), 64)
	big := buf(65536 + 4096)
	total := 0
	for {
		n := quiet(syscall.SYS_WRITE, fdArg(w), ptr(big), 4096)
		if n < 0 {
			p("  filled with %d bytes, then %s", total, ename(syscall.Errno(-n)))
			break
		}
		total += n
	}
	call("  write 1 when full", syscall.SYS_WRITE, fdArg(w), ptr(big), 1)
	fion := buf(4)
	call("  FIONREAD", syscall.SYS_IOCTL, fdArg(r), syscall.TIOCINQ, ptr(fion))
	p("    %d", binary.LittleEndian.Uint32(fion))
	call("  close read end", syscall.SYS_CLOSE, fdArg(r))
	call("  write with no reader", syscall.SYS_WRITE, fdArg(w), ptr(msg), 5)
	call("  close write end", syscall.SYS_CLOSE, fdArg(w))

	call("pipe2(fds, O_DIRECT) (packets)", syscall.SYS_PIPE2, ptr(b), syscall.O_DIRECT)
	r, w = int(*(*int32)(unsafe.Pointer(&b[0]))), int(*(*int32)(unsafe.Pointer(&b[4])))
	call("  write 5", syscall.SYS_WRITE, fdArg(w), ptr(msg), 5)
	call("  write 3", syscall.SYS_WRITE, fdArg(w), ptr(msg), 3)
	call("  read 64 (one packet)", syscall.SYS_READ, fdArg(r), ptr(rb), 64)
	call("  read 2 (the rest of the packet is dropped)", syscall.SYS_READ, fdArg(r), ptr(rb), 2)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	call("pipe2(fds, 0x1) (unknown flag)", syscall.SYS_PIPE2, ptr(b), 1)
	call("pipe2(NULL, 0)", syscall.SYS_PIPE2, 0, 0)
	call("pipe2(noaccess, 0)", syscall.SYS_PIPE2, noaccess, 0)
	call("pipe(fds)", syscall.SYS_PIPE, ptr(b))
	r, w = int(*(*int32)(unsafe.Pointer(&b[0]))), int(*(*int32)(unsafe.Pointer(&b[4])))
	p("  %d %d", r, w)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
}

// testEventfd: eventfd2 counters, semaphore mode, nonblocking reads, overflow, and the errors.
func testEventfd() {
	v := buf(8)
	put := func(x uint64) { binary.LittleEndian.PutUint64(v, x) }
	fd := call("eventfd2(3, 0)", syscall.SYS_EVENTFD2, 3, 0)
	n := call("  read 8", syscall.SYS_READ, fdArg(fd), ptr(v), 8)
	p("    %d (bytes %d)", binary.LittleEndian.Uint64(v), n)
	put(5)
	call("  write 5", syscall.SYS_WRITE, fdArg(fd), ptr(v), 8)
	call("  write 5 again", syscall.SYS_WRITE, fdArg(fd), ptr(v), 8)
	call("  read 4 (too small)", syscall.SYS_READ, fdArg(fd), ptr(v), 4)
	call("  write 4 (too small)", syscall.SYS_WRITE, fdArg(fd), ptr(v), 4)
	put(^uint64(0))
	call("  write 2^64-1", syscall.SYS_WRITE, fdArg(fd), ptr(v), 8)
	call("  read 16", syscall.SYS_READ, fdArg(fd), ptr(buf(16)), 16)
	fstat("  fstat", fd)
	call("  lseek", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	fd = call("eventfd2(2, EFD_SEMAPHORE|EFD_NONBLOCK|EFD_CLOEXEC)", syscall.SYS_EVENTFD2, 2, efdSemaphore|efdNonblock|efdCloexec)
	for i := 0; i < 3; i++ {
		if call("  read", syscall.SYS_READ, fdArg(fd), ptr(v), 8) == 8 {
			p("    %d", binary.LittleEndian.Uint64(v))
		}
	}
	put(^uint64(0) - 1)
	call("  write 2^64-2 (the most)", syscall.SYS_WRITE, fdArg(fd), ptr(v), 8)
	put(1)
	call("  write 1 more (would overflow, nonblocking)", syscall.SYS_WRITE, fdArg(fd), ptr(v), 8)
	call("  F_GETFL & O_NONBLOCK", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFL)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("eventfd2(0, 0x2) (unknown flag)", syscall.SYS_EVENTFD2, 0, 2)
	call("eventfd(7)", syscall.SYS_EVENTFD, 7)
	quiet(syscall.SYS_CLOSE, 3)
}

// testMemfd: memfd_create names and flags, sizes, seals, and the errors.
func testMemfd() {
	fd := call("memfd_create(\"t\", MFD_CLOEXEC|MFD_ALLOW_SEALING)", sysMemfdCreate, cs("t"), mfdCloexec|mfdAllowSealing)
	call("  F_GETFD", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD)
	fstat("  fstat", fd)
	w := buf(10)
	copy(w, "0123456789")
	call("  write 10", syscall.SYS_WRITE, fdArg(fd), ptr(w), 10)
	call("  F_GET_SEALS", syscall.SYS_FCNTL, fdArg(fd), fGetSeals)
	call("  F_ADD_SEALS SHRINK|GROW", syscall.SYS_FCNTL, fdArg(fd), fAddSeals, fSealShrink|fSealGrow)
	call("  ftruncate 5 (sealed)", syscall.SYS_FTRUNCATE, fdArg(fd), 5)
	call("  ftruncate 20 (sealed)", syscall.SYS_FTRUNCATE, fdArg(fd), 20)
	call("  pwrite 2 at 0 (allowed)", syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 2, 0)
	call("  write 1 at the end (grows)", syscall.SYS_WRITE, fdArg(fd), ptr(w), 1)
	call("  F_ADD_SEALS WRITE|SEAL", syscall.SYS_FCNTL, fdArg(fd), fAddSeals, fSealWrite|fSealSeal)
	call("  pwrite 1 at 0 (sealed)", syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 1, 0)
	call("  F_ADD_SEALS SHRINK (F_SEAL_SEAL is set)", syscall.SYS_FCNTL, fdArg(fd), fAddSeals, fSealShrink)
	call("  F_ADD_SEALS GROW", syscall.SYS_FCNTL, fdArg(fd), fAddSeals, fSealGrow)
	call("  F_GET_SEALS", syscall.SYS_FCNTL, fdArg(fd), fGetSeals)
	call("  F_ADD_SEALS 0x100 (unknown)", syscall.SYS_FCNTL, fdArg(fd), fAddSeals, 0x100)
	call("  lseek 0", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	p("  read: %q", readAll(fd))
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	fd = call("memfd_create(\"u\", 0)", sysMemfdCreate, cs("u"), 0)
	call("  F_GET_SEALS (no sealing: SEAL)", syscall.SYS_FCNTL, fdArg(fd), fGetSeals)
	call("  F_ADD_SEALS WRITE", syscall.SYS_FCNTL, fdArg(fd), fAddSeals, fSealWrite)
	call("  ftruncate 4096", syscall.SYS_FTRUNCATE, fdArg(fd), 4096)
	fstat("  fstat", fd)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	long := make([]byte, 250)
	for i := range long {
		long[i] = 'n'
	}
	call("memfd_create(249-byte name)", sysMemfdCreate, cs(string(long[:249])), 0)
	quiet(syscall.SYS_CLOSE, 3)
	call("memfd_create(250-byte name)", sysMemfdCreate, cs(string(long)), 0)
	call("memfd_create(\"x\", 0x100) (unknown flag)", sysMemfdCreate, cs("x"), 0x100)
	call("memfd_create(NULL)", sysMemfdCreate, 0, 0)
	call("memfd_create(\"a/b\") (a slash is fine)", sysMemfdCreate, cs("a/b"), 0)
	quiet(syscall.SYS_CLOSE, 3)
}

// testCwd: getcwd, chdir, fchdir, a removed working directory, and the errors.
func testCwd() {
	b := buf(4096)
	show := func(what string, n uintptr) {
		r := call(what, syscall.SYS_GETCWD, ptr(b), n)
		if r > 0 {
			s := string(b[:r-1])
			if len(s) >= len(scratch) && s[:len(scratch)] == scratch {
				s = "$T" + s[len(scratch):]
			}
			p("  %q (%d bytes with the NUL)", s, r)
		}
	}
	show("getcwd", 4096)
	must("mkdir", syscall.SYS_MKDIR, cs("a"), 0o755)
	must("mkdir", syscall.SYS_MKDIR, cs("a/b"), 0o755)
	create("f", "")
	must("symlink", syscall.SYS_SYMLINKAT, cs("a/b"), atFdcwd, cs("lb"))
	call("chdir a/b", syscall.SYS_CHDIR, cs("a/b"))
	show("getcwd", 4096)
	call("chdir ../..", syscall.SYS_CHDIR, cs("../.."))
	call("chdir lb (a symlink)", syscall.SYS_CHDIR, cs("lb"))
	show("getcwd (the target)", 4096)
	call("chdir ..", syscall.SYS_CHDIR, cs(".."))
	show("getcwd", 4096)
	call("chdir ..", syscall.SYS_CHDIR, cs(".."))
	show("getcwd, buffer 1", 1)
	show("getcwd, buffer 0", 0)
	call("getcwd into NULL", syscall.SYS_GETCWD, 0, 4096)
	call("chdir f (a file)", syscall.SYS_CHDIR, cs("f"))
	call("chdir missing", syscall.SYS_CHDIR, cs("missing"))
	call("chdir \"\"", syscall.SYS_CHDIR, cs(""))
	dfd := must("open a", syscall.SYS_OPEN, cs("a"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("fchdir(a)", syscall.SYS_FCHDIR, fdArg(dfd))
	show("getcwd", 4096)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	ffd := must("open f", syscall.SYS_OPEN, cs("../f"), syscall.O_RDONLY)
	call("fchdir(file)", syscall.SYS_FCHDIR, fdArg(ffd))
	quiet(syscall.SYS_CLOSE, fdArg(ffd))
	call("fchdir(99)", syscall.SYS_FCHDIR, 99)
	pfd := must("open b O_PATH", syscall.SYS_OPEN, cs("b"), unixOPath|syscall.O_DIRECTORY)
	call("fchdir(O_PATH fd of b)", syscall.SYS_FCHDIR, fdArg(pfd))
	quiet(syscall.SYS_CLOSE, fdArg(pfd))
	show("getcwd", 4096)
	call("rmdir the working directory ($T/a/b)", syscall.SYS_RMDIR, cs(scratch+"/a/b"))
	show("getcwd (removed)", 4096)
	call("open . (removed)", syscall.SYS_OPEN, cs("."), syscall.O_RDONLY)
	quiet(syscall.SYS_CLOSE, 3)
	call("create x (in a removed directory)", syscall.SYS_OPEN, cs("x"), syscall.O_CREAT|syscall.O_RDWR, 0o644)
	call("chdir ..", syscall.SYS_CHDIR, cs(".."))
	show("getcwd", 4096)
	cleanup()
}

// testUmask: umask values and their effect on open, mkdir, mknod, symlink.
func testUmask() {
	call("umask 027", syscall.SYS_UMASK, 0o027)
	call("umask 0777777 (masked to 0777)", syscall.SYS_UMASK, 0o777777)
	call("umask 077", syscall.SYS_UMASK, 0o077)
	fd := must("open", syscall.SYS_OPEN, cs("f"), syscall.O_CREAT|syscall.O_RDWR, 0o666)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	fstatat("stat f (created 0666)", atFdcwd, "f", 0)
	call("mkdir d 0777", syscall.SYS_MKDIR, cs("d"), 0o777)
	fstatat("stat d", atFdcwd, "d", 0)
	call("mknod p fifo 0666", syscall.SYS_MKNODAT, atFdcwd, cs("p"), syscall.S_IFIFO|0o666, 0)
	fstatat("stat p", atFdcwd, "p", 0)
	call("symlink l", syscall.SYS_SYMLINK, cs("f"), cs("l"))
	fstatat("lstat l (symlinks are 0777)", atFdcwd, "l", atSymlinkNofollow)
	call("umask 0", syscall.SYS_UMASK, 0)
	call("chmod f 0666 (umask does not apply)", syscall.SYS_CHMOD, cs("f"), 0o666)
	fstatat("stat f", atFdcwd, "f", 0)
	call("umask 022", syscall.SYS_UMASK, 0o022)
	call("mknod r regular file 0666", syscall.SYS_MKNODAT, atFdcwd, cs("r"), syscall.S_IFREG|0o666, 0)
	fstatat("stat r", atFdcwd, "r", 0)
	call("mknod q mode 0 (a regular file)", syscall.SYS_MKNODAT, atFdcwd, cs("q"), 0o644, 0)
	fstatat("stat q", atFdcwd, "q", 0)
	call("mknod p again", syscall.SYS_MKNODAT, atFdcwd, cs("p"), syscall.S_IFIFO|0o666, 0)
	call("mknod type 0170000 (invalid)", syscall.SYS_MKNODAT, atFdcwd, cs("bad"), 0o170000|0o644, 0)
	cleanup()
}

// testAccess: access, faccessat, faccessat2 (AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH), and the errors.
func testAccess() {
	create("rw", "")
	create("x", "")
	create("none", "")
	must("chmod", syscall.SYS_CHMOD, cs("x"), 0o711)
	must("chmod", syscall.SYS_CHMOD, cs("none"), 0o000)
	must("symlink", syscall.SYS_SYMLINKAT, cs("x"), atFdcwd, cs("l"))
	must("symlink", syscall.SYS_SYMLINKAT, cs("nowhere"), atFdcwd, cs("dangling"))
	for _, name := range []string{"rw", "x", "none", "l", "dangling", "missing"} {
		for _, m := range []struct {
			n string
			v uintptr
		}{{"F_OK", 0}, {"R_OK", 4}, {"W_OK", 2}, {"X_OK", 1}, {"R_OK|W_OK|X_OK", 7}} {
			call("access "+name+" "+m.n, syscall.SYS_ACCESS, cs(name), m.v)
		}
	}
	call("access rw mode 8 (invalid)", syscall.SYS_ACCESS, cs("rw"), 8)
	call("faccessat(AT_FDCWD, x, X_OK)", syscall.SYS_FACCESSAT, atFdcwd, cs("x"), 1)
	call("faccessat2(AT_FDCWD, x, X_OK, AT_EACCESS)", sysFaccessat2, atFdcwd, cs("x"), 1, atEaccess)
	call("faccessat2(AT_FDCWD, dangling, F_OK, AT_SYMLINK_NOFOLLOW)", sysFaccessat2, atFdcwd, cs("dangling"), 0, atSymlinkNofollow)
	call("faccessat2(AT_FDCWD, dangling, F_OK, 0)", sysFaccessat2, atFdcwd, cs("dangling"), 0, 0)
	fd := must("open", syscall.SYS_OPEN, cs("x"), syscall.O_RDONLY)
	call("faccessat2(fd, \"\", X_OK, AT_EMPTY_PATH)", sysFaccessat2, fdArg(fd), cs(""), 1, atEmptyPath)
	call("faccessat2(fd, \"\", X_OK, 0)", sysFaccessat2, fdArg(fd), cs(""), 1, 0)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("faccessat2 flags 0x1 (unknown)", sysFaccessat2, atFdcwd, cs("x"), 0, 1)
	call("faccessat2(99, x, F_OK, 0)", sysFaccessat2, 99, cs("x"), 0, 0)
	call("faccessat2 mode 8 (invalid)", sysFaccessat2, atFdcwd, cs("x"), 8, 0)
	cleanup()
}

// testStatfs: statfs and fstatfs: the filesystem's type and geometry (not its free space).
func testStatfs() {
	create("f", "")
	b := buf(int(unsafe.Sizeof(syscall.Statfs_t{})))
	st := (*syscall.Statfs_t)(unsafe.Pointer(&b[0]))
	show := func() {
		p("  type %#x bsize %d frsize %d namelen %d flags %#x", st.Type, st.Bsize, st.Frsize, st.Namelen, st.Flags)
	}
	if call("statfs .", syscall.SYS_STATFS, cs("."), ptr(b)) >= 0 {
		show()
	}
	if call("statfs f", syscall.SYS_STATFS, cs("f"), ptr(b)) >= 0 {
		show()
	}
	call("statfs missing", syscall.SYS_STATFS, cs("missing"), ptr(b))
	call("statfs f/x", syscall.SYS_STATFS, cs("f/x"), ptr(b))
	call("statfs into NULL", syscall.SYS_STATFS, cs("."), 0)
	fd := must("open", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	if call("fstatfs f", syscall.SYS_FSTATFS, fdArg(fd), ptr(b)) >= 0 {
		show()
	}
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("fstatfs(99)", syscall.SYS_FSTATFS, 99, ptr(b))
	r, w := pipe(0)
	if call("fstatfs a pipe", syscall.SYS_FSTATFS, fdArg(r), ptr(b)) >= 0 {
		p("  type %#x", st.Type)
	}
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	cleanup()
}
