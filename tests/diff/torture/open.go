package main

import (
	"syscall"
	"unsafe"
)

// testOpen: open, openat, creat; O_CREAT|O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_PATH,
// O_TMPFILE, and the errors of each.
func testOpen() {
	create("f", "hello")
	must("mkdir d", syscall.SYS_MKDIRAT, atFdcwd, cs("d"), 0o755)
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("lf"))
	must("symlink", syscall.SYS_SYMLINKAT, cs("loop2"), atFdcwd, cs("loop1"))
	must("symlink", syscall.SYS_SYMLINKAT, cs("loop1"), atFdcwd, cs("loop2"))
	must("symlink", syscall.SYS_SYMLINKAT, cs("missing"), atFdcwd, cs("dangling"))

	fd := call("open f O_RDONLY", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	fstat("  fstat", fd)
	p("  read: %q", readAll(fd))
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	call("open missing", syscall.SYS_OPEN, cs("missing"), syscall.O_RDONLY)
	call("open f O_CREAT|O_EXCL", syscall.SYS_OPEN, cs("f"), syscall.O_CREAT|syscall.O_EXCL|syscall.O_WRONLY, 0o644)
	call("open lf O_CREAT|O_EXCL (a symlink)", syscall.SYS_OPEN, cs("lf"), syscall.O_CREAT|syscall.O_EXCL|syscall.O_WRONLY, 0o644)
	fd = call("open dangling O_CREAT (creates the target)", syscall.SYS_OPEN, cs("dangling"), syscall.O_CREAT|syscall.O_WRONLY|syscall.O_CLOEXEC, 0o600)
	fstatat("stat missing", atFdcwd, "missing", 0)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	call("open dangling O_CREAT|O_EXCL (the target exists)", syscall.SYS_OPEN, cs("dangling"), syscall.O_CREAT|syscall.O_EXCL|syscall.O_WRONLY, 0o600)
	call("unlink missing", syscall.SYS_UNLINK, cs("missing"))
	call("open dangling O_CREAT|O_EXCL (never follows)", syscall.SYS_OPEN, cs("dangling"), syscall.O_CREAT|syscall.O_EXCL|syscall.O_WRONLY, 0o600)
	call("open f/x (f is a file)", syscall.SYS_OPEN, cs("f/x"), syscall.O_RDONLY)
	call("open f/ (trailing slash on a file)", syscall.SYS_OPEN, cs("f/"), syscall.O_RDONLY)
	call("open d O_WRONLY", syscall.SYS_OPEN, cs("d"), syscall.O_WRONLY)
	call("open d O_RDWR", syscall.SYS_OPEN, cs("d"), syscall.O_RDWR)
	call("open d O_CREAT", syscall.SYS_OPEN, cs("d"), syscall.O_CREAT|syscall.O_RDONLY, 0o644)
	fd = call("open d O_RDONLY", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	call("open f O_DIRECTORY", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("open \"\"", syscall.SYS_OPEN, cs(""), syscall.O_RDONLY)
	call("open new/ O_CREAT (trailing slash)", syscall.SYS_OPEN, cs("new/"), syscall.O_CREAT|syscall.O_WRONLY, 0o644)
	call("open loop1", syscall.SYS_OPEN, cs("loop1"), syscall.O_RDONLY)
	call("open lf O_NOFOLLOW", syscall.SYS_OPEN, cs("lf"), syscall.O_RDONLY|syscall.O_NOFOLLOW)
	fd = call("open lf O_NOFOLLOW|O_PATH", syscall.SYS_OPEN, cs("lf"), syscall.O_NOFOLLOW|unixOPath)
	fstat("  fstat", fd)
	b := buf(8)
	call("  read on O_PATH", syscall.SYS_READ, fdArg(fd), ptr(b), 8)
	call("  fchmod on O_PATH", syscall.SYS_FCHMOD, fdArg(fd), 0o644)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	fd = call("open f O_PATH", syscall.SYS_OPEN, cs("f"), unixOPath)
	call("  openat(O_PATH fd of a file, \"x\")", syscall.SYS_OPENAT, fdArg(fd), cs("x"), syscall.O_RDONLY)
	call("  fstatat(O_PATH fd, \"\", AT_EMPTY_PATH)", syscall.SYS_NEWFSTATAT, fdArg(fd), cs(""), ptr(buf(256)), atEmptyPath)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	call("open dangling", syscall.SYS_OPEN, cs("dangling"), syscall.O_RDONLY)

	// O_TRUNC and O_APPEND.
	fd = call("open f O_WRONLY|O_TRUNC", syscall.SYS_OPEN, cs("f"), syscall.O_WRONLY|syscall.O_TRUNC)
	w := buf(3)
	copy(w, "abc")
	call("  write abc", syscall.SYS_WRITE, fdArg(fd), ptr(w), 3)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	fd = call("open f O_WRONLY|O_APPEND", syscall.SYS_OPEN, cs("f"), syscall.O_WRONLY|syscall.O_APPEND)
	call("  lseek 0", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	call("  write abc", syscall.SYS_WRITE, fdArg(fd), ptr(w), 3)
	call("  pwrite abc at 0 (O_APPEND: appends)", syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 3, 0)
	call("  lseek cur", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	contents("f")
	fd = call("open f O_RDONLY|O_TRUNC (truncates)", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY|syscall.O_TRUNC)
	fstat("  fstat", fd)
	call("close", syscall.SYS_CLOSE, fdArg(fd))

	// creat.
	fd = call("creat c 0640", syscall.SYS_CREAT, cs("c"), 0o640)
	call("  write abc", syscall.SYS_WRITE, fdArg(fd), ptr(w), 3)
	call("  read (creat opens O_WRONLY)", syscall.SYS_READ, fdArg(fd), ptr(b), 8)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	fd = call("creat c again (truncates)", syscall.SYS_CREAT, cs("c"), 0o600)
	fstat("  fstat", fd)
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	call("creat d (a directory)", syscall.SYS_CREAT, cs("d"), 0o644)
	call("creat nodir/c", syscall.SYS_CREAT, cs("nodir/c"), 0o644)

	// openat.
	dfd := call("open d O_DIRECTORY", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	fd = call("  openat(d, \"in\", O_CREAT)", syscall.SYS_OPENAT, fdArg(dfd), cs("in"), syscall.O_CREAT|syscall.O_RDWR, 0o644)
	call("  close", syscall.SYS_CLOSE, fdArg(fd))
	fd = call("  openat(d, \"../f\")", syscall.SYS_OPENAT, fdArg(dfd), cs("../f"), syscall.O_RDONLY)
	p("    read: %q", readAll(fd))
	call("  close", syscall.SYS_CLOSE, fdArg(fd))
	fd = call("  openat(d, absolute $T/f)", syscall.SYS_OPENAT, fdArg(dfd), cs(scratch+"/f"), syscall.O_RDONLY)
	call("  close", syscall.SYS_CLOSE, fdArg(fd))
	ffd := call("  open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("  openat(file fd, \"x\")", syscall.SYS_OPENAT, fdArg(ffd), cs("x"), syscall.O_RDONLY)
	fd = call("  openat(file fd, absolute $T/f)", syscall.SYS_OPENAT, fdArg(ffd), cs(scratch+"/f"), syscall.O_RDONLY)
	call("  close", syscall.SYS_CLOSE, fdArg(fd))
	call("  close", syscall.SYS_CLOSE, fdArg(ffd))
	call("  openat(99, \"x\")", syscall.SYS_OPENAT, 99, cs("x"), syscall.O_RDONLY)
	call("  openat(-1, \"x\")", syscall.SYS_OPENAT, neg(1), cs("x"), syscall.O_RDONLY)
	fd = call("  openat(-1, absolute $T/f)", syscall.SYS_OPENAT, neg(1), cs(scratch+"/f"), syscall.O_RDONLY)
	call("  close", syscall.SYS_CLOSE, fdArg(fd))
	call("close d", syscall.SYS_CLOSE, fdArg(dfd))

	// O_TMPFILE: an unnamed file in d, linked in afterwards.
	fd = call("open d O_TMPFILE|O_RDWR", syscall.SYS_OPEN, cs("d"), oTmpfile|syscall.O_RDWR, 0o600)
	if fd >= 0 {
		call("  write abc", syscall.SYS_WRITE, fdArg(fd), ptr(w), 3)
		st := fstat("  fstat", fd)
		_ = st
		call("  linkat(fd, \"\", d/tmp, AT_EMPTY_PATH)", syscall.SYS_LINKAT, fdArg(fd), cs(""), atFdcwd, cs("d/tmp"), atEmptyPath)
		call("  close", syscall.SYS_CLOSE, fdArg(fd))
		contents("d/tmp")
	}
	call("open d O_TMPFILE|O_RDONLY", syscall.SYS_OPEN, cs("d"), oTmpfile|syscall.O_RDONLY, 0o600)
	call("open f O_TMPFILE|O_RDWR (a file)", syscall.SYS_OPEN, cs("f"), oTmpfile|syscall.O_RDWR, 0o600)
	fd = call("open d O_TMPFILE|O_RDWR|O_EXCL", syscall.SYS_OPEN, cs("d"), oTmpfile|syscall.O_RDWR|syscall.O_EXCL, 0o600)
	if fd >= 0 {
		call("  linkat(fd, \"\", d/tmp2, AT_EMPTY_PATH) (O_EXCL: never linkable)", syscall.SYS_LINKAT, fdArg(fd), cs(""), atFdcwd, cs("d/tmp2"), atEmptyPath)
		call("  close", syscall.SYS_CLOSE, fdArg(fd))
	}
	ls("d")

	// Flags Linux ignores or refuses.
	fd = call("open f with unknown flag bits 0x40000000", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY|0x40000000)
	if fd >= 0 {
		fl := quiet(syscall.SYS_FCNTL, fdArg(fd), syscall.F_GETFL)
		p("  F_GETFL & O_ACCMODE|O_APPEND|O_NONBLOCK = %#x", fl&(syscall.O_ACCMODE|syscall.O_APPEND|syscall.O_NONBLOCK))
		call("  close", syscall.SYS_CLOSE, fdArg(fd))
	}
	fd = call("open f O_WRONLY|O_RDWR (access mode 3)", syscall.SYS_OPEN, cs("f"), 3)
	if fd >= 0 {
		call("  read", syscall.SYS_READ, fdArg(fd), ptr(b), 8)
		call("  close", syscall.SYS_CLOSE, fdArg(fd))
	}
	fd = call("open f O_RDONLY|O_CREAT|O_EXCL|O_DIRECTORY", syscall.SYS_OPEN, cs("newdir"), syscall.O_RDONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_DIRECTORY, 0o755)
	if fd >= 0 {
		call("  close", syscall.SYS_CLOSE, fdArg(fd))
	}
	ls(".")
	cleanup()
}

// testOpenat2: openat2 and its how.resolve flags, sizes and the errors of each.
func testOpenat2() {
	create("f", "top")
	must("mkdir", syscall.SYS_MKDIRAT, atFdcwd, cs("d"), 0o755)
	must("mkdir", syscall.SYS_MKDIRAT, atFdcwd, cs("d/sub"), 0o755)
	create("d/sub/g", "inner")
	must("symlink", syscall.SYS_SYMLINKAT, cs("sub/g"), atFdcwd, cs("d/rel"))
	must("symlink", syscall.SYS_SYMLINKAT, cs("/etc"), atFdcwd, cs("d/abs"))
	must("symlink", syscall.SYS_SYMLINKAT, cs("../f"), atFdcwd, cs("d/up"))
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC)
	p("d is fd %d", dfd)

	type openHow struct{ flags, mode, resolve uint64 }
	how := func(flags, mode, resolve uint64) []byte {
		b := buf(24)
		*(*openHow)(unsafe.Pointer(&b[0])) = openHow{flags, mode, resolve}
		return b
	}
	try := func(what, name string, flags, mode, resolve uint64) {
		h := how(flags, mode, resolve)
		fd := call("openat2(d, "+name+", "+what+")", sysOpenat2, fdArg(dfd), cs(name), ptr(h), 24)
		if fd >= 0 {
			p("  read: %q", readAll(fd))
			quiet(syscall.SYS_CLOSE, fdArg(fd))
		}
	}
	try("0", "sub/g", syscall.O_RDONLY, 0, 0)
	try("RESOLVE_BENEATH", "sub/g", syscall.O_RDONLY, 0, resolveBeneath)
	try("RESOLVE_BENEATH", "../f", syscall.O_RDONLY, 0, resolveBeneath)
	try("RESOLVE_BENEATH", "sub/../sub/g", syscall.O_RDONLY, 0, resolveBeneath)
	try("RESOLVE_BENEATH", scratch+"/f", syscall.O_RDONLY, 0, resolveBeneath)
	try("RESOLVE_BENEATH", "rel", syscall.O_RDONLY, 0, resolveBeneath)
	try("RESOLVE_BENEATH", "up", syscall.O_RDONLY, 0, resolveBeneath)
	try("RESOLVE_BENEATH", "abs/hostname", syscall.O_RDONLY, 0, resolveBeneath)
	try("RESOLVE_NO_SYMLINKS", "rel", syscall.O_RDONLY, 0, resolveNoSymlinks)
	try("RESOLVE_NO_SYMLINKS", "sub/g", syscall.O_RDONLY, 0, resolveNoSymlinks)
	try("RESOLVE_IN_ROOT", "../../sub/g", syscall.O_RDONLY, 0, resolveInRoot)
	try("RESOLVE_IN_ROOT", "/sub/g", syscall.O_RDONLY, 0, resolveInRoot)
	try("RESOLVE_IN_ROOT", "up", syscall.O_RDONLY, 0, resolveInRoot)
	try("RESOLVE_NO_XDEV", "sub/g", syscall.O_RDONLY, 0, resolveNoXdev)
	try("RESOLVE_NO_MAGICLINKS", "sub/g", syscall.O_RDONLY, 0, resolveNoMagiclinks)
	try("RESOLVE_BENEATH|RESOLVE_IN_ROOT", "sub/g", syscall.O_RDONLY, 0, resolveBeneath|resolveInRoot)
	try("resolve 0x40 (unknown)", "sub/g", syscall.O_RDONLY, 0, 0x40)
	try("RESOLVE_CACHED with O_CREAT", "sub/h", syscall.O_RDWR|syscall.O_CREAT, 0o644, 0x20)
	try("mode without O_CREAT", "sub/g", syscall.O_RDONLY, 0o644, 0)
	try("mode 010000", "new", syscall.O_RDONLY|syscall.O_CREAT, 0o10000, 0)
	try("flags 1<<40 (unknown)", "sub/g", syscall.O_RDONLY|1<<40, 0, 0)
	try("O_CREAT|O_EXCL", "sub/g", syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL, 0o644, 0)
	h := how(syscall.O_RDONLY, 0, 0)
	call("openat2 size 8 (too small)", sysOpenat2, fdArg(dfd), cs("sub/g"), ptr(h), 8)
	call("openat2 size 0", sysOpenat2, fdArg(dfd), cs("sub/g"), ptr(h), 0)
	big := buf(64)
	copy(big, h)
	fd := call("openat2 size 64, zero tail", sysOpenat2, fdArg(dfd), cs("sub/g"), ptr(big), 64)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	big[40] = 1
	call("openat2 size 64, non-zero tail", sysOpenat2, fdArg(dfd), cs("sub/g"), ptr(big), 64)
	call("openat2 size 4097", sysOpenat2, fdArg(dfd), cs("sub/g"), ptr(buf(4097)), 4097)
	call("openat2 how NULL", sysOpenat2, fdArg(dfd), cs("sub/g"), 0, 24)
	call("openat2 bad dirfd", sysOpenat2, 77, cs("sub/g"), ptr(h), 24)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	cleanup()
}

const unixOPath = 0x200000 // O_PATH

// cleanup removes everything in the scratch directory, so that each section starts empty.
func cleanup() {
	must("chdir", syscall.SYS_CHDIR, cs(scratch))
	removeAll(".")
}

func removeAll(dir string) {
	fd := quiet(syscall.SYS_OPENAT, atFdcwd, cs(dir), syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW)
	if fd < 0 {
		return
	}
	l, _ := listing(fd, 8192)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	for _, e := range l {
		if e.name == "." || e.name == ".." {
			continue
		}
		path := dir + "/" + e.name
		if e.typ == syscall.DT_DIR {
			quiet(syscall.SYS_FCHMODAT, atFdcwd, cs(path), 0o755)
			removeAll(path)
			quiet(syscall.SYS_UNLINKAT, atFdcwd, cs(path), atRemovedir)
		} else {
			quiet(syscall.SYS_UNLINKAT, atFdcwd, cs(path), 0)
		}
	}
}
