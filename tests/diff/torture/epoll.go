package main

import (
	"encoding/binary"
	"fmt"
	"strings"
	"syscall"
)

// epollEvent is struct epoll_event (packed on amd64: 12 bytes).
func epollEvent(events uint32, data uint64) uintptr {
	b := buf(12)
	binary.LittleEndian.PutUint32(b, events)
	binary.LittleEndian.PutUint64(b[4:], data)
	return ptr(b)
}

// wait calls epoll_pwait (or epoll_pwait2 with a zero timeout) and prints the events, sorted.
func wait(what string, epfd int, max int, timeout int, two bool) {
	b := buf(12 * 16)
	var n int
	if two {
		n = call(what, sysEpollPwait2, fdArg(epfd), ptr(b), uintptr(max), ptr(buf(16)), 0, 8)
	} else {
		n = call(what, syscall.SYS_EPOLL_PWAIT, fdArg(epfd), ptr(b), uintptr(max), uintptr(timeout), 0, 8)
	}
	var evs []string
	for i := 0; i < n; i++ {
		evs = append(evs, fmt.Sprintf("data %d events %#x", binary.LittleEndian.Uint64(b[12*i+4:]), binary.LittleEndian.Uint32(b[12*i:])))
	}
	if n > 0 {
		sortStrings(evs)
		p("  %s", strings.Join(evs, "; "))
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// testEpoll: epoll_create1, epoll_ctl (ADD, MOD, DEL and their errors), epoll_pwait and epoll_pwait2
// on pipes and eventfds: level and edge triggering, EPOLLONESHOT, hang-ups, nesting.
func testEpoll() {
	ep := call("epoll_create1(0)", syscall.SYS_EPOLL_CREATE1, 0)
	ep2 := call("epoll_create1(EPOLL_CLOEXEC)", syscall.SYS_EPOLL_CREATE1, syscall.EPOLL_CLOEXEC)
	call("  F_GETFD", syscall.SYS_FCNTL, fdArg(ep2), syscall.F_GETFD)
	call("epoll_create1(0x1) (unknown flag)", syscall.SYS_EPOLL_CREATE1, 1)
	call("epoll_create(0)", syscall.SYS_EPOLL_CREATE, 0)
	e3 := call("epoll_create(1)", syscall.SYS_EPOLL_CREATE, 1)
	quiet(syscall.SYS_CLOSE, fdArg(e3))
	r, w := pipe(syscall.O_NONBLOCK)
	efd := must("eventfd", syscall.SYS_EVENTFD2, 0, efdNonblock)
	create("f", "x")
	ffd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	p("pipe %d %d, eventfd %d, file %d", r, w, efd, ffd)
	in, out := uint32(syscall.EPOLLIN), uint32(syscall.EPOLLOUT)
	call("ctl ADD read end EPOLLIN data 1", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(r), epollEvent(in, 1))
	call("ctl ADD read end again", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(r), epollEvent(in, 1))
	call("ctl MOD write end (not in the set)", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_MOD, fdArg(w), epollEvent(out, 2))
	call("ctl DEL write end (not in the set)", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_DEL, fdArg(w), 0)
	call("ctl ADD a regular file", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(ffd), epollEvent(in, 3))
	call("ctl ADD the epoll fd to itself", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(ep), epollEvent(in, 4))
	call("ctl ADD fd 99", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, 99, epollEvent(in, 5))
	call("ctl on a non-epoll fd", syscall.SYS_EPOLL_CTL, fdArg(r), syscall.EPOLL_CTL_ADD, fdArg(w), epollEvent(in, 6))
	call("ctl op 9", syscall.SYS_EPOLL_CTL, fdArg(ep), 9, fdArg(w), epollEvent(in, 7))
	call("ctl ADD event NULL", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(w), 0)
	call("ctl ADD EPOLLEXCLUSIVE|EPOLLONESHOT", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(w), epollEvent(out|epollExclusive|syscall.EPOLLONESHOT, 8))
	call("ctl ADD write end EPOLLOUT data 2", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(w), epollEvent(out, 2))
	call("ctl ADD eventfd EPOLLIN|EPOLLET data 3", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(efd), epollEvent(in|epollet, 3))
	wait("pwait 0ms (write end ready)", ep, 8, 0, false)
	msg := buf(8)
	quiet(syscall.SYS_WRITE, fdArg(w), ptr(msg), 1)
	wait("pwait 0ms (data in the pipe)", ep, 8, 0, false)
	wait("pwait 0ms again (level-triggered: still there)", ep, 8, 0, false)
	wait("pwait maxevents 1", ep, 1, 0, false)
	binary.LittleEndian.PutUint64(msg, 1)
	quiet(syscall.SYS_WRITE, fdArg(efd), ptr(msg), 8)
	wait("pwait2 {0,0} (eventfd counted, edge)", ep, 8, 0, true)
	wait("pwait2 {0,0} again (edge: no new event)", ep, 8, 0, true)
	quiet(syscall.SYS_WRITE, fdArg(efd), ptr(msg), 8)
	wait("pwait2 after another eventfd write (a new edge)", ep, 8, 0, true)
	call("ctl DEL write end", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_DEL, fdArg(w), 0)
	call("ctl MOD read end EPOLLIN|EPOLLONESHOT data 11", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_MOD, fdArg(r), epollEvent(in|syscall.EPOLLONESHOT, 11))
	wait("pwait (one shot)", ep, 8, 0, false)
	wait("pwait (disarmed)", ep, 8, 0, false)
	call("ctl MOD read end EPOLLIN data 12 (rearm)", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_MOD, fdArg(r), epollEvent(in, 12))
	wait("pwait", ep, 8, 0, false)
	quiet(syscall.SYS_READ, fdArg(r), ptr(buf(8)), 8)
	quiet(syscall.SYS_READ, fdArg(efd), ptr(buf(8)), 8)
	wait("pwait 20ms (nothing: times out)", ep, 8, 20, false)
	call("pwait maxevents 0", syscall.SYS_EPOLL_PWAIT, fdArg(ep), ptr(buf(12)), 0, 0, 0, 8)
	call("pwait maxevents -1", syscall.SYS_EPOLL_PWAIT, fdArg(ep), ptr(buf(12)), neg(1), 0, 0, 8)
	call("pwait events NULL", syscall.SYS_EPOLL_PWAIT, fdArg(ep), 0, 1, 0, 0, 8)
	call("pwait on a pipe fd", syscall.SYS_EPOLL_PWAIT, fdArg(r), ptr(buf(12)), 1, 0, 0, 8)
	call("pwait on fd 99", syscall.SYS_EPOLL_PWAIT, 99, ptr(buf(12)), 1, 0, 0, 8)
	call("pwait sigmask size 4", syscall.SYS_EPOLL_PWAIT, fdArg(ep), ptr(buf(12)), 1, 0, ptr(buf(8)), 4)
	bad := buf(16)
	binary.LittleEndian.PutUint64(bad[8:], 1e9)
	call("pwait2 timeout nsec 1e9", sysEpollPwait2, fdArg(ep), ptr(buf(12)), 1, ptr(bad), 0, 8)
	call("pwait2 timeout in a PROT_NONE page", sysEpollPwait2, fdArg(ep), ptr(buf(12)), 1, noaccess, 0, 8)
	// Hang-ups: the writer goes, then the reader.
	quiet(syscall.SYS_CLOSE, fdArg(w))
	wait("pwait (writer closed: EPOLLHUP)", ep, 8, 0, false)
	r2, w2 := pipe(syscall.O_NONBLOCK)
	call("ctl ADD second write end EPOLLOUT data 21", syscall.SYS_EPOLL_CTL, fdArg(ep2), syscall.EPOLL_CTL_ADD, fdArg(w2), epollEvent(out, 21))
	quiet(syscall.SYS_CLOSE, fdArg(r2))
	wait("pwait on the second set (reader closed: EPOLLERR)", ep2, 8, 0, false)
	// Nesting: an epoll set in another one.
	call("ctl ADD the first set into the second", syscall.SYS_EPOLL_CTL, fdArg(ep2), syscall.EPOLL_CTL_ADD, fdArg(ep), epollEvent(in, 22))
	wait("pwait on the second set (the first is readable)", ep2, 8, 0, false)
	call("ctl ADD the second set into the first (a loop)", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(ep2), epollEvent(in, 23))
	// A descriptor closed while in a set disappears from it.
	call("close the read end (in the first set)", syscall.SYS_CLOSE, fdArg(r))
	wait("pwait on the first set", ep, 8, 0, false)
	call("ctl DEL the closed fd", syscall.SYS_EPOLL_CTL, fdArg(ep), syscall.EPOLL_CTL_DEL, fdArg(r), 0)
	quiet(syscall.SYS_CLOSE, fdArg(w2))
	quiet(syscall.SYS_CLOSE, fdArg(efd))
	quiet(syscall.SYS_CLOSE, fdArg(ffd))
	quiet(syscall.SYS_CLOSE, fdArg(ep))
	quiet(syscall.SYS_CLOSE, fdArg(ep2))
	cleanup()
}

// testBadPointers: every call that takes a pointer, given NULL, an PROT_NONE page and 1<<47: EFAULT,
// and afterwards the files and descriptors are as they were.
func testBadPointers() {
	create("f", "intact")
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	r, w := pipe(syscall.O_NONBLOCK)
	quiet(syscall.SYS_WRITE, fdArg(w), ptr(buf(4)), 4)
	ep := must("epoll", syscall.SYS_EPOLL_CREATE1, 0)
	for _, bp := range badPtrs {
		p("-- %s", ptrName(bp))
		for _, c := range []struct {
			what string
			nr   uintptr
			args []uintptr
		}{
			{"open", syscall.SYS_OPEN, []uintptr{bp, syscall.O_RDONLY}},
			{"openat", syscall.SYS_OPENAT, []uintptr{atFdcwd, bp, syscall.O_RDONLY}},
			{"openat2 path", sysOpenat2, []uintptr{atFdcwd, bp, ptr(buf(24)), 24}},
			{"openat2 how", sysOpenat2, []uintptr{atFdcwd, cs("f"), bp, 24}},
			{"creat", syscall.SYS_CREAT, []uintptr{bp, 0o644}},
			{"read", syscall.SYS_READ, []uintptr{fdArg(fd), bp, 4}},
			{"write", syscall.SYS_WRITE, []uintptr{fdArg(fd), bp, 4}},
			{"pread64", syscall.SYS_PREAD64, []uintptr{fdArg(fd), bp, 4, 0}},
			{"pwrite64", syscall.SYS_PWRITE64, []uintptr{fdArg(fd), bp, 4, 0}},
			{"read from a pipe", syscall.SYS_READ, []uintptr{fdArg(r), bp, 4}},
			{"write to a pipe", syscall.SYS_WRITE, []uintptr{fdArg(w), bp, 4}},
			{"readv", syscall.SYS_READV, []uintptr{fdArg(fd), bp, 1}},
			{"writev", syscall.SYS_WRITEV, []uintptr{fdArg(fd), bp, 1}},
			{"preadv2", sysPreadv2, []uintptr{fdArg(fd), bp, 1, 0, 0, 0}},
			{"pwritev2", sysPwritev2, []uintptr{fdArg(fd), bp, 1, 0, 0, 0}},
			{"fstat", syscall.SYS_FSTAT, []uintptr{fdArg(fd), bp}},
			{"stat path", syscall.SYS_STAT, []uintptr{bp, ptr(buf(256))}},
			{"stat buf", syscall.SYS_STAT, []uintptr{cs("f"), bp}},
			{"lstat buf", syscall.SYS_LSTAT, []uintptr{cs("f"), bp}},
			{"newfstatat path", syscall.SYS_NEWFSTATAT, []uintptr{atFdcwd, bp, ptr(buf(256)), 0}},
			{"newfstatat buf", syscall.SYS_NEWFSTATAT, []uintptr{atFdcwd, cs("f"), bp, 0}},
			{"statx path", sysStatx, []uintptr{atFdcwd, bp, 0, statxBasicStats, ptr(buf(256))}},
			{"statx buf", sysStatx, []uintptr{atFdcwd, cs("f"), 0, statxBasicStats, bp}},
			{"getdents64", syscall.SYS_GETDENTS64, []uintptr{fdArg(dfd), bp, 4096}},
			{"mkdirat", syscall.SYS_MKDIRAT, []uintptr{atFdcwd, bp, 0o755}},
			{"unlinkat", syscall.SYS_UNLINKAT, []uintptr{atFdcwd, bp, 0}},
			{"rmdir", syscall.SYS_RMDIR, []uintptr{bp}},
			{"renameat2 old", sysRenameat2, []uintptr{atFdcwd, bp, atFdcwd, cs("x"), 0}},
			{"renameat2 new", sysRenameat2, []uintptr{atFdcwd, cs("f"), atFdcwd, bp, 0}},
			{"linkat old", syscall.SYS_LINKAT, []uintptr{atFdcwd, bp, atFdcwd, cs("x"), 0}},
			{"linkat new", syscall.SYS_LINKAT, []uintptr{atFdcwd, cs("f"), atFdcwd, bp, 0}},
			{"symlinkat target", syscall.SYS_SYMLINKAT, []uintptr{bp, atFdcwd, cs("x")}},
			{"symlinkat name", syscall.SYS_SYMLINKAT, []uintptr{cs("f"), atFdcwd, bp}},
			{"readlinkat path", syscall.SYS_READLINKAT, []uintptr{atFdcwd, bp, ptr(buf(64)), 64}},
			{"fchmodat", syscall.SYS_FCHMODAT, []uintptr{atFdcwd, bp, 0o644}},
			{"fchownat", syscall.SYS_FCHOWNAT, []uintptr{atFdcwd, bp, 0, 0, 0}},
			{"utimensat path", syscall.SYS_UTIMENSAT, []uintptr{atFdcwd, bp, 0, 0}},
			{"utimensat times", syscall.SYS_UTIMENSAT, []uintptr{atFdcwd, cs("f"), bp, 0}},
			{"truncate", syscall.SYS_TRUNCATE, []uintptr{bp, 0}},
			{"fcntl F_SETLK", syscall.SYS_FCNTL, []uintptr{fdArg(fd), syscall.F_SETLK, bp}},
			{"fcntl F_GETLK", syscall.SYS_FCNTL, []uintptr{fdArg(fd), syscall.F_GETLK, bp}},
			{"fcntl F_OFD_SETLK", syscall.SYS_FCNTL, []uintptr{fdArg(fd), fOfdSetlk, bp}},
			{"pipe2", syscall.SYS_PIPE2, []uintptr{bp, 0}},
			{"memfd_create", sysMemfdCreate, []uintptr{bp, 0}},
			{"getcwd", syscall.SYS_GETCWD, []uintptr{bp, 4096}},
			{"chdir", syscall.SYS_CHDIR, []uintptr{bp}},
			{"faccessat", syscall.SYS_FACCESSAT, []uintptr{atFdcwd, bp, 0}},
			{"faccessat2", sysFaccessat2, []uintptr{atFdcwd, bp, 0, 0}},
			{"statfs path", syscall.SYS_STATFS, []uintptr{bp, ptr(buf(128))}},
			{"statfs buf", syscall.SYS_STATFS, []uintptr{cs("."), bp}},
			{"fstatfs", syscall.SYS_FSTATFS, []uintptr{fdArg(fd), bp}},
			{"sendfile offset", syscall.SYS_SENDFILE, []uintptr{fdArg(w), fdArg(fd), bp, 4}},
			{"copy_file_range offset", sysCopyFileRange, []uintptr{fdArg(fd), bp, fdArg(fd), 0, 4, 0}},
			{"ioctl FIONREAD", syscall.SYS_IOCTL, []uintptr{fdArg(r), syscall.TIOCINQ, bp}},
			{"ioctl TCGETS on a file", syscall.SYS_IOCTL, []uintptr{fdArg(fd), tcgets, bp}},
			{"poll", syscall.SYS_POLL, []uintptr{bp, 1, 0}},
			{"ppoll fds", syscall.SYS_PPOLL, []uintptr{bp, 1, ptr(buf(16)), 0, 8}},
			{"pselect6 readfds", syscall.SYS_PSELECT6, []uintptr{uintptr(r + 1), bp, 0, 0, ptr(buf(16)), 0}},
			{"epoll_ctl event", syscall.SYS_EPOLL_CTL, []uintptr{fdArg(ep), syscall.EPOLL_CTL_ADD, fdArg(r), bp}},
			{"epoll_pwait events", syscall.SYS_EPOLL_PWAIT, []uintptr{fdArg(ep), bp, 1, 0, 0, 8}},
			{"epoll_pwait2 timeout", sysEpollPwait2, []uintptr{fdArg(ep), ptr(buf(12)), 1, bp, 0, 8}},
		} {
			if bp == 0 && c.nr == sysEpollPwait2 {
				continue // a NULL timeout: wait forever
			}
			call(c.what, c.nr, c.args...)
		}
	}
	p("-- at the end of a file")
	quiet(syscall.SYS_LSEEK, fdArg(fd), 0, 2)
	for _, bp := range badPtrs {
		call("read at EOF into "+ptrName(bp), syscall.SYS_READ, fdArg(fd), bp, 4)
		call("pread beyond EOF into "+ptrName(bp), syscall.SYS_PREAD64, fdArg(fd), bp, 4, 100)
		call("read 0 bytes into "+ptrName(bp), syscall.SYS_READ, fdArg(fd), bp, 0)
		call("write 0 bytes from "+ptrName(bp), syscall.SYS_WRITE, fdArg(fd), bp, 0)
	}
	p("-- afterwards")
	call("lseek cur f", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	contents("f")
	fstatat("stat f", atFdcwd, "f", 0)
	ls(".")
	call("read the pipe", syscall.SYS_READ, fdArg(r), ptr(buf(16)), 16)
	for _, c := range []int{fd, dfd, r, w, ep} {
		quiet(syscall.SYS_CLOSE, fdArg(c))
	}
	call("open (lowest free)", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	quiet(syscall.SYS_CLOSE, 3)
	cleanup()
}

// testNames: overlong names and paths (ENAMETOOLONG), names with odd bytes, "." and ".." at the top.
func testNames() {
	n255 := strings.Repeat("n", 255)
	n256 := strings.Repeat("n", 256)
	fd := call("open 255-byte name O_CREAT", syscall.SYS_OPEN, cs(n255), syscall.O_CREAT|syscall.O_RDWR, 0o644)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("open 256-byte name O_CREAT", syscall.SYS_OPEN, cs(n256), syscall.O_CREAT|syscall.O_RDWR, 0o644)
	call("stat 256-byte name", syscall.SYS_STAT, cs(n256), ptr(buf(256)))
	call("mkdir 256-byte name", syscall.SYS_MKDIR, cs(n256), 0o755)
	call("unlink 256-byte name", syscall.SYS_UNLINK, cs(n256))
	call("rename to a 256-byte name", syscall.SYS_RENAME, cs(n255), cs(n256))
	call("symlink to a 256-byte name", syscall.SYS_SYMLINK, cs("x"), cs(n256))
	call("symlink with a 256-byte target component (fine)", syscall.SYS_SYMLINK, cs(n256), cs("l256"))
	call("stat l256 (the target's component is too long)", syscall.SYS_STAT, cs("l256"), ptr(buf(256)))
	long := strings.Repeat("a/", 2047) + "b"
	call("open a 4095-byte path", syscall.SYS_OPEN, cs(long), syscall.O_RDONLY)
	call("open a 4096-byte path", syscall.SYS_OPEN, cs(long+"c"), syscall.O_RDONLY)
	call("stat a 5000-byte path", syscall.SYS_STAT, cs(strings.Repeat("x", 5000)), ptr(buf(256)))
	call("chdir a 4096-byte path", syscall.SYS_CHDIR, cs(long+"c"))
	call("access a 4096-byte path", syscall.SYS_ACCESS, cs(long+"c"), 0)
	dots := strings.Repeat("./", 2000) + "x"
	call("open ././...x (4001 bytes, creates x)", syscall.SYS_OPEN, cs(dots), syscall.O_CREAT|syscall.O_RDWR, 0o644)
	quiet(syscall.SYS_CLOSE, 3)
	for _, name := range []string{"sp ace", "tab\t", "new\nline", "ünï", "\xff\xfe", "-", "..."} {
		fd := call(fmt.Sprintf("create %q", name), syscall.SYS_OPEN, cs(name), syscall.O_CREAT|syscall.O_RDWR, 0o644)
		quiet(syscall.SYS_CLOSE, fdArg(fd))
	}
	ls(".")
	call("stat /.. (the root's parent is the root)", syscall.SYS_STAT, cs("/.."), ptr(buf(256)))
	call("stat //.//..//", syscall.SYS_STAT, cs("//.//..//"), ptr(buf(256)))
	cleanup()
}

// testFds: the descriptor table at the end: nothing leaked, the lowest number is free.
func testFds() {
	var open []int
	for fd := 0; fd < 64; fd++ {
		if quiet(syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFD) >= 0 {
			open = append(open, fd)
		}
	}
	p("open descriptors below 64: %v", open)
	call("open (lowest free)", syscall.SYS_OPEN, cs("."), syscall.O_RDONLY)
	quiet(syscall.SYS_CLOSE, 3)
}

func ptrName(bp uintptr) string {
	switch bp {
	case 0:
		return "NULL"
	case 1 << 47:
		return "1<<47"
	case noaccess:
		return "a PROT_NONE page"
	}
	return "?"
}
