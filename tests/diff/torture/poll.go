package main

import (
	"encoding/binary"
	"fmt"
	"strings"
	"syscall"
	"unsafe"
)

// testSendfile: sendfile between files and into pipes, with and without an offset, and the errors.
func testSendfile() {
	create("src", "0123456789abcdefghij")
	in := must("open src", syscall.SYS_OPEN, cs("src"), syscall.O_RDONLY)
	out1 := must("open dst", syscall.SYS_OPEN, cs("dst"), syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC, 0o644)
	off := buf(8)
	binary.LittleEndian.PutUint64(off, 5)
	call("sendfile(dst, src, &5, 4)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), ptr(off), 4)
	p("  offset now %d", binary.LittleEndian.Uint64(off))
	call("  lseek cur src (unchanged)", syscall.SYS_LSEEK, fdArg(in), 0, 1)
	call("sendfile(dst, src, NULL, 6)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), 0, 6)
	call("  lseek cur src (moved)", syscall.SYS_LSEEK, fdArg(in), 0, 1)
	call("sendfile(dst, src, NULL, 100) (to the end)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), 0, 100)
	call("sendfile(dst, src, NULL, 100) (at the end)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), 0, 100)
	binary.LittleEndian.PutUint64(off, 100)
	call("sendfile(dst, src, &100, 4) (beyond the end)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), ptr(off), 4)
	binary.LittleEndian.PutUint64(off, ^uint64(0))
	call("sendfile(dst, src, &-1, 4)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), ptr(off), 4)
	call("sendfile(dst, src, noaccess offset, 4)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), noaccess, 4)
	call("sendfile(dst, src, NULL, 0)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(in), 0, 0)
	call("sendfile(src as out: O_RDONLY)", syscall.SYS_SENDFILE, fdArg(in), fdArg(in), 0, 4)
	call("sendfile(dst, dst as in: O_WRONLY)", syscall.SYS_SENDFILE, fdArg(out1), fdArg(out1), 0, 4)
	call("sendfile(99, src)", syscall.SYS_SENDFILE, 99, fdArg(in), 0, 4)
	call("sendfile(dst, 99)", syscall.SYS_SENDFILE, fdArg(out1), 99, 0, 4)
	quiet(syscall.SYS_CLOSE, fdArg(out1))
	contents("dst")
	app := must("open dst O_APPEND", syscall.SYS_OPEN, cs("dst"), syscall.O_WRONLY|syscall.O_APPEND)
	binary.LittleEndian.PutUint64(off, 0)
	call("sendfile(O_APPEND dst, src, &0, 3)", syscall.SYS_SENDFILE, fdArg(app), fdArg(in), ptr(off), 3)
	quiet(syscall.SYS_CLOSE, fdArg(app))
	r, w := pipe(0)
	binary.LittleEndian.PutUint64(off, 0)
	call("sendfile(pipe, src, &0, 7)", syscall.SYS_SENDFILE, fdArg(w), fdArg(in), ptr(off), 7)
	rb := buf(16)
	n := quiet(syscall.SYS_READ, fdArg(r), ptr(rb), 16)
	p("  pipe has %q", rb[:max(n, 0)])
	call("sendfile(file, pipe) (from a pipe)", syscall.SYS_SENDFILE, fdArg(in), fdArg(r), 0, 4)
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("sendfile(pipe, directory)", syscall.SYS_SENDFILE, fdArg(w), fdArg(dfd), 0, 4)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	quiet(syscall.SYS_CLOSE, fdArg(in))
	cleanup()
}

// testCopyFileRange: copy_file_range with and without offsets, overlaps, and the errors.
func testCopyFileRange() {
	create("src", "0123456789abcdefghij")
	create("dst", "")
	in := must("open src", syscall.SYS_OPEN, cs("src"), syscall.O_RDWR)
	o := must("open dst", syscall.SYS_OPEN, cs("dst"), syscall.O_RDWR)
	offIn, offOut := buf(8), buf(8)
	set := func(i, o uint64) {
		binary.LittleEndian.PutUint64(offIn, i)
		binary.LittleEndian.PutUint64(offOut, o)
	}
	set(2, 0)
	call("copy_file_range(src &2, dst &0, 5)", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(o), ptr(offOut), 5, 0)
	p("  offsets now %d %d", binary.LittleEndian.Uint64(offIn), binary.LittleEndian.Uint64(offOut))
	call("copy_file_range(src, dst, 4) (file positions)", sysCopyFileRange, fdArg(in), 0, fdArg(o), 0, 4, 0)
	call("  lseek cur src", syscall.SYS_LSEEK, fdArg(in), 0, 1)
	call("  lseek cur dst", syscall.SYS_LSEEK, fdArg(o), 0, 1)
	set(18, 30)
	call("copy_file_range(src &18, dst &30, 10) (short: end of src; a hole in dst)", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(o), ptr(offOut), 10, 0)
	set(100, 0)
	call("copy_file_range(src &100, ...) (beyond the end)", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(o), ptr(offOut), 10, 0)
	set(0, 0)
	call("copy_file_range(..., 0)", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(o), ptr(offOut), 0, 0)
	call("copy_file_range flags 1", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(o), ptr(offOut), 4, 1)
	set(0, 2)
	call("copy_file_range(src &0, src &2, 5) (overlapping)", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(in), ptr(offOut), 5, 0)
	set(0, 10)
	call("copy_file_range(src &0, src &10, 5) (same file, apart)", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(in), ptr(offOut), 5, 0)
	set(^uint64(0), 0)
	call("copy_file_range(src &-1, ...)", sysCopyFileRange, fdArg(in), ptr(offIn), fdArg(o), ptr(offOut), 5, 0)
	call("copy_file_range(src, dst, noaccess offset)", sysCopyFileRange, fdArg(in), noaccess, fdArg(o), 0, 5, 0)
	fstat("fstat dst", o)
	quiet(syscall.SYS_CLOSE, fdArg(o))
	contents("dst")
	contents("src")
	ro := must("open dst ro", syscall.SYS_OPEN, cs("dst"), syscall.O_RDONLY)
	call("copy_file_range(src, O_RDONLY dst)", sysCopyFileRange, fdArg(in), 0, fdArg(ro), 0, 4, 0)
	quiet(syscall.SYS_CLOSE, fdArg(ro))
	ap := must("open dst append", syscall.SYS_OPEN, cs("dst"), syscall.O_WRONLY|syscall.O_APPEND)
	call("copy_file_range(src, O_APPEND dst)", sysCopyFileRange, fdArg(in), 0, fdArg(ap), 0, 4, 0)
	quiet(syscall.SYS_CLOSE, fdArg(ap))
	r, w := pipe(0)
	call("copy_file_range(src, pipe)", sysCopyFileRange, fdArg(in), 0, fdArg(w), 0, 4, 0)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("copy_file_range(directory, dst)", sysCopyFileRange, fdArg(dfd), 0, fdArg(in), 0, 4, 0)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	call("copy_file_range(99, src)", sysCopyFileRange, 99, 0, fdArg(in), 0, 4, 0)
	quiet(syscall.SYS_CLOSE, fdArg(in))
	cleanup()
}

// testIoctl: isatty (TCGETS), FIONREAD, FIONBIO, FIOCLEX/FIONCLEX, on files, pipes, /dev/null, and the errors.
func testIoctl() {
	create("f", "0123456789")
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	tio := buf(64)
	call("TCGETS on a file (isatty)", syscall.SYS_IOCTL, fdArg(fd), tcgets, ptr(tio))
	n := buf(4)
	quiet(syscall.SYS_LSEEK, fdArg(fd), 3, 0)
	if call("FIONREAD on a file at 3", syscall.SYS_IOCTL, fdArg(fd), syscall.TIOCINQ, ptr(n)) >= 0 {
		p("  %d", binary.LittleEndian.Uint32(n))
	}
	one := buf(4)
	binary.LittleEndian.PutUint32(one, 1)
	call("FIONBIO 1", syscall.SYS_IOCTL, fdArg(fd), fionbio, ptr(one))
	fl := quiet(syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFL)
	p("  O_NONBLOCK %v", fl&syscall.O_NONBLOCK != 0)
	call("FIONBIO 0", syscall.SYS_IOCTL, fdArg(fd), fionbio, ptr(buf(4)))
	fl = quiet(syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFL)
	p("  O_NONBLOCK %v", fl&syscall.O_NONBLOCK != 0)
	call("FIONBIO NULL", syscall.SYS_IOCTL, fdArg(fd), fionbio, 0)
	call("FIOCLEX", syscall.SYS_IOCTL, fdArg(fd), fioclex, 0)
	call("  F_GETFD", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD)
	call("FIONCLEX", syscall.SYS_IOCTL, fdArg(fd), fionclex, 0)
	call("  F_GETFD", syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD)
	call("ioctl 0x1234 (unknown) on a file", syscall.SYS_IOCTL, fdArg(fd), 0x1234, 0)
	call("FIONREAD into NULL", syscall.SYS_IOCTL, fdArg(fd), syscall.TIOCINQ, 0)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("TCGETS on fd 99", syscall.SYS_IOCTL, 99, tcgets, ptr(tio))
	call("FIOCLEX on fd 99", syscall.SYS_IOCTL, 99, fioclex, 0)
	r, w := pipe(0)
	call("TCGETS on a pipe", syscall.SYS_IOCTL, fdArg(r), tcgets, ptr(tio))
	msg := buf(7)
	quiet(syscall.SYS_WRITE, fdArg(w), ptr(msg), 7)
	if call("FIONREAD on a pipe", syscall.SYS_IOCTL, fdArg(r), syscall.TIOCINQ, ptr(n)) >= 0 {
		p("  %d", binary.LittleEndian.Uint32(n))
	}
	call("FIONBIO 1 on the read end", syscall.SYS_IOCTL, fdArg(r), fionbio, ptr(one))
	quiet(syscall.SYS_READ, fdArg(r), ptr(buf(16)), 16)
	call("read empty (FIONBIO set)", syscall.SYS_READ, fdArg(r), ptr(buf(16)), 16)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	nul := must("open /dev/null", syscall.SYS_OPEN, cs("/dev/null"), syscall.O_RDWR)
	call("TCGETS on /dev/null", syscall.SYS_IOCTL, fdArg(nul), tcgets, ptr(tio))
	call("FIONREAD on /dev/null", syscall.SYS_IOCTL, fdArg(nul), syscall.TIOCINQ, ptr(n))
	quiet(syscall.SYS_CLOSE, fdArg(nul))
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("FIONREAD on a directory", syscall.SYS_IOCTL, fdArg(dfd), syscall.TIOCINQ, ptr(n))
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	cleanup()
}

type pollfd struct {
	fd             int32
	events, revent int16
}

func pollfds(fds ...pollfd) ([]pollfd, uintptr) {
	b := buf(8 * max(len(fds), 1))
	v := unsafe.Slice((*pollfd)(unsafe.Pointer(&b[0])), max(len(fds), 1))
	copy(v, fds)
	return v[:len(fds)], ptr(b)
}

func revents(v []pollfd) string {
	var s []string
	for _, x := range v {
		s = append(s, fmt.Sprintf("%d:%#x", x.fd, uint16(x.revent)))
	}
	return strings.Join(s, " ")
}

// testPoll: poll and ppoll on files, pipes (data, EOF, no reader), negative and bad descriptors,
// and the errors.
func testPoll() {
	create("f", "x")
	ffd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	r, w := pipe(0)
	const in, out = pollIn, pollOut
	v, pp := pollfds(pollfd{int32(r), in, 0}, pollfd{int32(w), out, 0}, pollfd{int32(ffd), in | out, 0}, pollfd{-1, in, 0}, pollfd{99, in, 0})
	call("poll [empty read end, write end, file, -1, 99] 0ms", syscall.SYS_POLL, pp, 5, 0)
	p("  %s", revents(v))
	msg := buf(3)
	quiet(syscall.SYS_WRITE, fdArg(w), ptr(msg), 3)
	v, pp = pollfds(pollfd{int32(r), in | pollPri, 0})
	call("poll [read end with data] 0ms", syscall.SYS_POLL, pp, 1, 0)
	p("  %s", revents(v))
	v, pp = pollfds(pollfd{int32(r), 0, 0})
	call("poll [read end, events 0] 0ms", syscall.SYS_POLL, pp, 1, 0)
	p("  %s", revents(v))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	v, pp = pollfds(pollfd{int32(r), in, 0})
	call("poll [read end, data, writer gone] 0ms", syscall.SYS_POLL, pp, 1, 0)
	p("  %s", revents(v))
	quiet(syscall.SYS_READ, fdArg(r), ptr(buf(8)), 8)
	call("poll [read end, drained, writer gone] 10ms", syscall.SYS_POLL, pp, 1, 10)
	p("  %s", revents(v))
	quiet(syscall.SYS_CLOSE, fdArg(r))
	r, w = pipe(0)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	v, pp = pollfds(pollfd{int32(w), out, 0})
	call("poll [write end, reader gone] 0ms", syscall.SYS_POLL, pp, 1, 0)
	p("  %s", revents(v))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	r, w = pipe(0)
	v, pp = pollfds(pollfd{int32(r), in, 0})
	call("poll [empty read end] 30ms (times out)", syscall.SYS_POLL, pp, 1, 30)
	p("  %s", revents(v))
	call("poll nfds 0, 1ms", syscall.SYS_POLL, 0, 0, 1)
	call("poll fds NULL, nfds 1", syscall.SYS_POLL, 0, 1, 0)
	call("poll fds noaccess, nfds 1", syscall.SYS_POLL, noaccess, 1, 0)
	call("poll nfds 1<<30 (beyond RLIMIT_NOFILE)", syscall.SYS_POLL, pp, 1<<30, 0)
	ts := buf(16)
	v, pp = pollfds(pollfd{int32(r), in, 0}, pollfd{int32(ffd), in, 0})
	call("ppoll [empty read end, file] {0, 0}", syscall.SYS_PPOLL, pp, 2, ptr(ts), 0, 8)
	p("  %s", revents(v))
	binary.LittleEndian.PutUint64(ts[8:], 2e9)
	call("ppoll timeout nsec 2e9", syscall.SYS_PPOLL, pp, 2, ptr(ts), 0, 8)
	binary.LittleEndian.PutUint64(ts[8:], 0)
	binary.LittleEndian.PutUint64(ts, ^uint64(0))
	call("ppoll timeout sec -1", syscall.SYS_PPOLL, pp, 2, ptr(ts), 0, 8)
	mask := buf(8)
	call("ppoll with a sigmask of size 4", syscall.SYS_PPOLL, pp, 2, ptr(buf(16)), ptr(mask), 4)
	call("ppoll with a sigmask of size 8", syscall.SYS_PPOLL, pp, 2, ptr(buf(16)), ptr(mask), 8)
	call("ppoll timeout noaccess", syscall.SYS_PPOLL, pp, 2, noaccess, 0, 8)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	quiet(syscall.SYS_CLOSE, fdArg(ffd))
	cleanup()
}

// fdset is an fd_set with the given descriptors.
func fdset(fds ...int) []byte {
	b := buf(128)
	for _, fd := range fds {
		b[fd/8] |= 1 << (fd % 8)
	}
	return b
}

func members(b []byte, n int) string {
	var s []string
	for fd := 0; fd < n; fd++ {
		if b[fd/8]&(1<<(fd%8)) != 0 {
			s = append(s, fmt.Sprint(fd))
		}
	}
	return "[" + strings.Join(s, " ") + "]"
}

// testSelect: pselect6 (and select) with read, write and except sets, timeouts, and the errors.
func testSelect() {
	create("f", "x")
	ffd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	r, w := pipe(0)
	nfds := uintptr(max(r, w, ffd) + 1)
	ts := buf(16)
	rs, ws, es := fdset(r, ffd), fdset(w, r), fdset(r)
	call("pselect6(read [pipe, file], write [pipe w, pipe r], except [pipe]) {0,0}", syscall.SYS_PSELECT6, nfds, ptr(rs), ptr(ws), ptr(es), ptr(ts), 0)
	p("  read %s write %s except %s", members(rs, int(nfds)), members(ws, int(nfds)), members(es, int(nfds)))
	msg := buf(1)
	quiet(syscall.SYS_WRITE, fdArg(w), ptr(msg), 1)
	rs = fdset(r)
	call("pselect6(read [pipe with data]) NULL timeout", syscall.SYS_PSELECT6, nfds, ptr(rs), 0, 0, 0, 0)
	p("  read %s", members(rs, int(nfds)))
	quiet(syscall.SYS_READ, fdArg(r), ptr(buf(4)), 4)
	rs = fdset(r)
	binary.LittleEndian.PutUint64(ts[8:], 20e6)
	call("pselect6(read [empty pipe]) 20ms", syscall.SYS_PSELECT6, nfds, ptr(rs), 0, 0, ptr(ts), 0)
	p("  read %s", members(rs, int(nfds)))
	// 63, not higher: select ignores bits at or above the table's size, which is 64 unless the
	// process (or the parent it forked from) ever had a descriptor above 63.
	rs = fdset(r, 63)
	call("pselect6 with fd 63 in the set", syscall.SYS_PSELECT6, 64, ptr(rs), 0, 0, ptr(buf(16)), 0)
	call("pselect6 nfds -1", syscall.SYS_PSELECT6, neg(1), ptr(fdset(r)), 0, 0, ptr(buf(16)), 0)
	call("pselect6 nfds 0 {0, 0}", syscall.SYS_PSELECT6, 0, 0, 0, 0, ptr(buf(16)), 0)
	bad := buf(16)
	binary.LittleEndian.PutUint64(bad[8:], 1e9)
	call("pselect6 timeout nsec 1e9", syscall.SYS_PSELECT6, nfds, ptr(fdset(r)), 0, 0, ptr(bad), 0)
	call("pselect6 read set noaccess", syscall.SYS_PSELECT6, nfds, noaccess, 0, 0, ptr(buf(16)), 0)
	sig := buf(16)
	binary.LittleEndian.PutUint64(sig, uint64(ptr(buf(8))))
	binary.LittleEndian.PutUint64(sig[8:], 4)
	call("pselect6 sigmask size 4", syscall.SYS_PSELECT6, nfds, ptr(fdset(r)), 0, 0, ptr(buf(16)), ptr(sig))
	tv := buf(16)
	rs = fdset(ffd)
	call("select(read [file]) {0, 0}", syscall.SYS_SELECT, nfds, ptr(rs), 0, 0, ptr(tv))
	p("  read %s", members(rs, int(nfds)))
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	quiet(syscall.SYS_CLOSE, fdArg(ffd))
	cleanup()
}
