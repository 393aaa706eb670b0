package main

import (
	"syscall"
	"unsafe"
)

// testClose: close, close_range (plain and CLOSE_RANGE_CLOEXEC) and their errors.
func testClose() {
	create("f", "x")
	var fds []int
	for i := 0; i < 6; i++ {
		fds = append(fds, must("open", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY))
	}
	p("opened %v", fds)
	call("close 3", syscall.SYS_CLOSE, 3)
	call("close 3 again", syscall.SYS_CLOSE, 3)
	call("close -1", syscall.SYS_CLOSE, neg(1))
	call("close 1<<20", syscall.SYS_CLOSE, 1<<20)
	call("open (lowest free)", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("close_range(5, 6, CLOSE_RANGE_CLOEXEC)", sysCloseRange, 5, 6, closeRangeCloexec)
	for fd := 3; fd <= 8; fd++ {
		p("  F_GETFD %d = %d", fd, quiet(syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD))
	}
	call("close_range(4, 5, 0)", sysCloseRange, 4, 5, 0)
	for fd := 3; fd <= 8; fd++ {
		p("  F_GETFD %d = %d", fd, quiet(syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD))
	}
	call("close_range(6, 5, 0) (first > last)", sysCloseRange, 6, 5, 0)
	call("close_range(3, 3, 0x8) (unknown flag)", sysCloseRange, 3, 3, 8)
	call("close_range(100, ~0, 0) (nothing open)", sysCloseRange, 100, ^uintptr(0)>>32, 0)
	call("close_range(3, ~0U, 0)", sysCloseRange, 3, ^uintptr(0)>>32, 0)
	for fd := 3; fd <= 8; fd++ {
		p("  F_GETFD %d = %d", fd, quiet(syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD))
	}
	call("open (lowest free)", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("close", syscall.SYS_CLOSE, 3)
	cleanup()
}

// testReadWrite: read, write, pread64, pwrite64: positions, holes, end of file, and the errors.
func testReadWrite() {
	fd := call("open f O_RDWR|O_CREAT", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR|syscall.O_CREAT, 0o644)
	w := buf(10)
	copy(w, "0123456789")
	r := buf(16)
	call("write 10", syscall.SYS_WRITE, fdArg(fd), ptr(w), 10)
	call("read at end", syscall.SYS_READ, fdArg(fd), ptr(r), 16)
	call("lseek 2", syscall.SYS_LSEEK, fdArg(fd), 2, 0)
	n := call("read 16", syscall.SYS_READ, fdArg(fd), ptr(r), 16)
	p("  %q", r[:max(n, 0)])
	call("read 0 bytes", syscall.SYS_READ, fdArg(fd), ptr(r), 0)
	call("write 0 bytes", syscall.SYS_WRITE, fdArg(fd), ptr(w), 0)
	n = call("pread 4 at 3", syscall.SYS_PREAD64, fdArg(fd), ptr(r), 4, 3)
	p("  %q", r[:max(n, 0)])
	call("pread 4 at 100 (beyond the end)", syscall.SYS_PREAD64, fdArg(fd), ptr(r), 4, 100)
	call("pread at -1", syscall.SYS_PREAD64, fdArg(fd), ptr(r), 4, neg(1))
	call("pwrite 3 at 20 (a hole)", syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 3, 20)
	call("lseek cur (pread/pwrite leave it)", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	n = call("pread 30 at 0", syscall.SYS_PREAD64, fdArg(fd), ptr(buf(32)), 30, 0)
	b := buf(32)
	quiet(syscall.SYS_PREAD64, fdArg(fd), ptr(b), 30, 0)
	p("  %q", b[:max(n, 0)])
	call("pwrite at -1", syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 3, neg(1))
	call("pwrite at 1<<62", syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 3, 1<<62)
	fstat("fstat", fd)
	call("close", syscall.SYS_CLOSE, fdArg(fd))

	ro := call("open f O_RDONLY", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("  write on O_RDONLY", syscall.SYS_WRITE, fdArg(ro), ptr(w), 1)
	call("  pwrite on O_RDONLY", syscall.SYS_PWRITE64, fdArg(ro), ptr(w), 1, 0)
	call("close", syscall.SYS_CLOSE, fdArg(ro))
	wo := call("open f O_WRONLY", syscall.SYS_OPEN, cs("f"), syscall.O_WRONLY)
	call("  read on O_WRONLY", syscall.SYS_READ, fdArg(wo), ptr(r), 1)
	call("  pread on O_WRONLY", syscall.SYS_PREAD64, fdArg(wo), ptr(r), 1, 0)
	call("close", syscall.SYS_CLOSE, fdArg(wo))
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := call("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("  read on a directory", syscall.SYS_READ, fdArg(dfd), ptr(r), 1)
	call("  pread on a directory", syscall.SYS_PREAD64, fdArg(dfd), ptr(r), 1, 0)
	call("  write on a directory", syscall.SYS_WRITE, fdArg(dfd), ptr(w), 1)
	call("close", syscall.SYS_CLOSE, fdArg(dfd))
	call("read on fd 99", syscall.SYS_READ, 99, ptr(r), 1)
	call("write on fd -1", syscall.SYS_WRITE, neg(1), ptr(w), 1)
	call("read count 0 on fd 99", syscall.SYS_READ, 99, ptr(r), 0)

	// Pipes: unseekable.
	pfd := buf(8)
	must("pipe2", syscall.SYS_PIPE2, ptr(pfd), 0)
	rd, wr := int(*(*int32)(unsafe.Pointer(&pfd[0]))), int(*(*int32)(unsafe.Pointer(&pfd[4])))
	p("pipe: %d %d", rd, wr)
	call("  pwrite on a pipe", syscall.SYS_PWRITE64, fdArg(wr), ptr(w), 1, 0)
	call("  pread on a pipe", syscall.SYS_PREAD64, fdArg(rd), ptr(r), 1, 0)
	call("  write on the read end", syscall.SYS_WRITE, fdArg(rd), ptr(w), 1)
	call("  read on the write end", syscall.SYS_READ, fdArg(wr), ptr(r), 1)
	quiet(syscall.SYS_CLOSE, fdArg(rd))
	quiet(syscall.SYS_CLOSE, fdArg(wr))
	cleanup()
}

type iovec struct {
	base uintptr
	n    uint64
}

// iov makes an iovec array over the buffers.
func iov(bufs ...[]byte) uintptr {
	b := buf(16 * max(len(bufs), 1))
	v := unsafe.Slice((*iovec)(unsafe.Pointer(&b[0])), max(len(bufs), 1))
	for i, x := range bufs {
		v[i] = iovec{ptr(x), uint64(len(x))}
	}
	return ptr(b)
}

// testVectors: readv, writev, preadv2, pwritev2 (with their flags), and the errors.
func testVectors() {
	fd := call("open f O_RDWR|O_CREAT", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR|syscall.O_CREAT, 0o644)
	a, b, c := buf(3), buf(0), buf(5)
	copy(a, "abc")
	copy(c, "defgh")
	call("writev [3 0 5]", syscall.SYS_WRITEV, fdArg(fd), iov(a, b, c), 3)
	call("lseek 0", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	x, y := buf(2), buf(10)
	n := call("readv [2 10]", syscall.SYS_READV, fdArg(fd), iov(x, y), 2)
	p("  %q %q", x, y[:max(n-2, 0)])
	call("readv 0 iovecs", syscall.SYS_READV, fdArg(fd), iov(), 0)
	call("readv -1 iovecs", syscall.SYS_READV, fdArg(fd), iov(x), neg(1))
	call("readv 1025 iovecs", syscall.SYS_READV, fdArg(fd), iov(x), 1025)
	call("writev 1024 empty iovecs", syscall.SYS_WRITEV, fdArg(fd), ptr(buf(16*1024)), 1024)
	call("readv iovec array at 0", syscall.SYS_READV, fdArg(fd), 0, 1)
	bad := buf(16)
	*(*iovec)(unsafe.Pointer(&bad[0])) = iovec{0, 4}
	call("lseek 0", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	call("readv into a NULL iov_base", syscall.SYS_READV, fdArg(fd), ptr(bad), 1)
	call("writev from a NULL iov_base", syscall.SYS_WRITEV, fdArg(fd), ptr(bad), 1)
	neglen := buf(16)
	*(*iovec)(unsafe.Pointer(&neglen[0])) = iovec{ptr(x), 1 << 63}
	call("readv with iov_len 1<<63", syscall.SYS_READV, fdArg(fd), ptr(neglen), 1)
	partial := buf(32)
	v := unsafe.Slice((*iovec)(unsafe.Pointer(&partial[0])), 2)
	v[0] = iovec{ptr(x), 2}
	v[1] = iovec{noaccess, 4}
	call("lseek 0", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	call("readv [2, noaccess 4] (a short count wins)", syscall.SYS_READV, fdArg(fd), ptr(partial), 2)
	p("  %q", x)
	call("lseek cur", syscall.SYS_LSEEK, fdArg(fd), 0, 1)

	n = call("preadv2 [2 10] at 1", sysPreadv2, fdArg(fd), iov(x, y), 2, 1, 0, 0)
	p("  %q %q", x, y[:max(n-2, 0)])
	call("lseek cur (preadv2 at an offset leaves it)", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	call("preadv2 at -1 (the file position)", sysPreadv2, fdArg(fd), iov(x), 1, neg(1), 0, 0)
	call("lseek cur (moved)", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	call("preadv2 at -2", sysPreadv2, fdArg(fd), iov(x), 1, neg(2), 0, 0)
	call("preadv2 flags 1<<30 (unknown)", sysPreadv2, fdArg(fd), iov(x), 1, 0, 0, 1<<30)
	call("pwritev2 [3] at 20", sysPwritev2, fdArg(fd), iov(a), 1, 20, 0, 0)
	call("pwritev2 [3] at -1 (the file position)", sysPwritev2, fdArg(fd), iov(a), 1, neg(1), 0, 0)
	call("lseek cur", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	call("pwritev2 [3] at 0, RWF_APPEND", sysPwritev2, fdArg(fd), iov(a), 1, 0, 0, rwfAppend)
	call("lseek cur", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	call("pwritev2 flags 1<<30 (unknown)", sysPwritev2, fdArg(fd), iov(a), 1, 0, 0, 1<<30)
	fstat("fstat", fd)
	contents("f")
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	call("readv on a closed fd", syscall.SYS_READV, fdArg(fd), iov(x), 1)

	pfd := buf(8)
	must("pipe2", syscall.SYS_PIPE2, ptr(pfd), syscall.O_NONBLOCK)
	rd, wr := int(*(*int32)(unsafe.Pointer(&pfd[0]))), int(*(*int32)(unsafe.Pointer(&pfd[4])))
	call("pwritev2 on a pipe at 0", sysPwritev2, fdArg(wr), iov(a), 1, 0, 0, 0)
	call("pwritev2 on a pipe at -1", sysPwritev2, fdArg(wr), iov(a), 1, neg(1), 0, 0)
	call("preadv2 on a pipe at -1, RWF_NOWAIT", sysPreadv2, fdArg(rd), iov(y), 1, neg(1), 0, rwfNowait)
	call("preadv2 on an empty pipe at -1, RWF_NOWAIT", sysPreadv2, fdArg(rd), iov(y), 1, neg(1), 0, rwfNowait)
	quiet(syscall.SYS_CLOSE, fdArg(rd))
	quiet(syscall.SYS_CLOSE, fdArg(wr))
	cleanup()
}

// testLseek: whence values, SEEK_DATA and SEEK_HOLE, and the errors.
func testLseek() {
	fd := call("open f O_RDWR|O_CREAT", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR|syscall.O_CREAT, 0o644)
	w := buf(100)
	call("write 100", syscall.SYS_WRITE, fdArg(fd), ptr(w), 100)
	for _, c := range []struct {
		what   string
		off    int
		whence uintptr
	}{
		{"lseek 10 SEEK_SET", 10, 0}, {"lseek 5 SEEK_CUR", 5, 1}, {"lseek -3 SEEK_CUR", -3, 1},
		{"lseek -10 SEEK_END", -10, 2}, {"lseek 50 SEEK_END (past the end)", 50, 2}, {"lseek -1 SEEK_SET", -1, 0},
		{"lseek -1000 SEEK_CUR", -1000, 1}, {"lseek 0 whence 5", 0, 5}, {"lseek 0 SEEK_DATA", 0, 3},
		{"lseek 0 SEEK_HOLE", 0, 4}, {"lseek 100 SEEK_DATA (at the end)", 100, 3}, {"lseek 200 SEEK_HOLE (past the end)", 200, 4},
		{"lseek 1<<62 SEEK_SET", 1 << 62, 0}, {"lseek 1<<62 SEEK_CUR (overflow)", 1 << 62, 1},
	} {
		call(c.what, syscall.SYS_LSEEK, fdArg(fd), uintptr(c.off), c.whence)
	}
	call("ftruncate 1<<20", syscall.SYS_FTRUNCATE, fdArg(fd), 1<<20)
	call("pwrite 100 at 1<<19", syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 100, 1<<19)
	call("lseek 4096 SEEK_DATA (sparse)", syscall.SYS_LSEEK, fdArg(fd), 4096, 3)
	call("lseek 0 SEEK_HOLE (sparse)", syscall.SYS_LSEEK, fdArg(fd), 0, 4)
	call("lseek 1<<19 SEEK_HOLE", syscall.SYS_LSEEK, fdArg(fd), 1<<19, 4)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	call("lseek on a closed fd", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := call("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("lseek 0 SEEK_SET on a directory", syscall.SYS_LSEEK, fdArg(dfd), 0, 0)
	call("lseek 0 SEEK_END on a directory", syscall.SYS_LSEEK, fdArg(dfd), 0, 2)
	call("close", syscall.SYS_CLOSE, fdArg(dfd))
	pfd := buf(8)
	must("pipe2", syscall.SYS_PIPE2, ptr(pfd), 0)
	rd := int(*(*int32)(unsafe.Pointer(&pfd[0])))
	call("lseek on a pipe", syscall.SYS_LSEEK, fdArg(rd), 0, 1)
	quiet(syscall.SYS_CLOSE, fdArg(rd))
	quiet(syscall.SYS_CLOSE, uintptr(*(*int32)(unsafe.Pointer(&pfd[4]))))
	cleanup()
}

// pipe makes a pipe with flags and returns its ends.
func pipe(flags uintptr) (int, int) {
	pfd := buf(8)
	must("pipe2", syscall.SYS_PIPE2, ptr(pfd), flags)
	return int(*(*int32)(unsafe.Pointer(&pfd[0]))), int(*(*int32)(unsafe.Pointer(&pfd[4])))
}

// testDevNull: write(2) on /dev/null, which Ring0 answers on the Go side while the descriptor names a
// writable /dev/null: the access_ok and count checks, the access mode, and the number moving to
// another file (close then open, dup2 over it) with no write lost or misdirected.
func testDevNull() {
	w := buf(30)
	copy(w, "thirty bytes of log line here\n")
	nul := call("open /dev/null O_WRONLY", syscall.SYS_OPEN, cs("/dev/null"), syscall.O_WRONLY)
	call("write 30", syscall.SYS_WRITE, fdArg(nul), ptr(w), 30)
	call("write 0", syscall.SYS_WRITE, fdArg(nul), ptr(w), 0)
	call("write NULL, 5 (access_ok only checks the range)", syscall.SYS_WRITE, fdArg(nul), 0, 5)
	call("write to a PROT_NONE page", syscall.SYS_WRITE, fdArg(nul), noaccess, 4096)
	call("write 1<<31 bytes (cut to MAX_RW_COUNT)", syscall.SYS_WRITE, fdArg(nul), 0, 1<<31)
	call("write ending past the user range", syscall.SYS_WRITE, fdArg(nul), 1<<47-4096-8, 16)
	call("write at a kernel address", syscall.SYS_WRITE, fdArg(nul), 0xffff800000000000, 1)
	call("write count -1", syscall.SYS_WRITE, fdArg(nul), ptr(w), neg(1))
	call("lseek 0 cur", syscall.SYS_LSEEK, fdArg(nul), 0, 1)
	call("fcntl F_SETFL O_APPEND|O_NONBLOCK", syscall.SYS_FCNTL, fdArg(nul), syscall.F_SETFL, syscall.O_APPEND|syscall.O_NONBLOCK)
	call("write 30", syscall.SYS_WRITE, fdArg(nul), ptr(w), 30)
	d := call("dup", syscall.SYS_DUP, fdArg(nul))
	call("write 30 to the dup", syscall.SYS_WRITE, fdArg(d), ptr(w), 30)
	ro := call("open /dev/null O_RDONLY", syscall.SYS_OPEN, cs("/dev/null"), syscall.O_RDONLY)
	call("write to the O_RDONLY one", syscall.SYS_WRITE, fdArg(ro), ptr(w), 30)
	call("read it", syscall.SYS_READ, fdArg(ro), ptr(buf(8)), 8)
	// The number moves to a regular file: writes land there.
	call("close", syscall.SYS_CLOSE, fdArg(nul))
	call("write to the closed number", syscall.SYS_WRITE, fdArg(nul), ptr(w), 30)
	f := call("open f O_RDWR|O_CREAT (the same number)", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR|syscall.O_CREAT|syscall.O_TRUNC, 0o644)
	call("write 30", syscall.SYS_WRITE, fdArg(f), ptr(w), 30)
	call("dup2(f, the dup of /dev/null)", syscall.SYS_DUP2, fdArg(f), fdArg(d))
	call("write 30 through it", syscall.SYS_WRITE, fdArg(d), ptr(w), 30)
	var st syscall.Stat_t
	call("fstat f", syscall.SYS_FSTAT, fdArg(f), uintptr(unsafe.Pointer(&st)))
	p("  size %d", st.Size)
	call("dup2(/dev/null O_RDONLY, f)", syscall.SYS_DUP2, fdArg(ro), fdArg(f))
	call("write to it (read-only now)", syscall.SYS_WRITE, fdArg(f), ptr(w), 30)
	for _, fd := range []int{f, d, ro} {
		quiet(syscall.SYS_CLOSE, fdArg(fd))
	}
	cleanup()
}
