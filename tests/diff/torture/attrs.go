package main

import (
	"syscall"
	"unsafe"
)

// testChmod: chmod, fchmod, fchmodat, and the errors.
func testChmod() {
	create("f", "F")
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	for _, m := range []uintptr{0o600, 0o4755, 0o2755, 0o1777, 0o7777, 0o177777} {
		call("chmod f "+octal(m), syscall.SYS_CHMOD, cs("f"), m)
		fstatat("  stat f", atFdcwd, "f", 0)
	}
	call("chmod l 0640 (follows)", syscall.SYS_CHMOD, cs("l"), 0o640)
	fstatat("  stat f", atFdcwd, "f", 0)
	fstatat("  lstat l", atFdcwd, "l", atSymlinkNofollow)
	call("chmod missing", syscall.SYS_CHMOD, cs("missing"), 0o644)
	call("chmod f/x", syscall.SYS_CHMOD, cs("f/x"), 0o644)
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("fchmod(O_RDONLY fd) 0604", syscall.SYS_FCHMOD, fdArg(fd), 0o604)
	fstat("  fstat", fd)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("fchmod(99)", syscall.SYS_FCHMOD, 99, 0o644)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	create("d/g", "")
	call("fchmodat(d, g, 0611)", syscall.SYS_FCHMODAT, fdArg(dfd), cs("g"), 0o611)
	fstatat("  stat d/g", atFdcwd, "d/g", 0)
	call("fchmodat(99, g)", syscall.SYS_FCHMODAT, 99, cs("g"), 0o611)
	call("fchmod(d) 0700", syscall.SYS_FCHMOD, fdArg(dfd), 0o700)
	fstat("  fstat d", dfd)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	cleanup()
}

func octal(m uintptr) string {
	s := ""
	for m > 0 || s == "" {
		s = string(rune('0'+m%8)) + s
		m /= 8
	}
	return "0" + s
}

// testChown: chown, fchown, lchown, fchownat (as root here and natively: ownership changes), and the errors.
func testChown() {
	create("f", "F")
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	call("chmod f 06755", syscall.SYS_CHMOD, cs("f"), 0o6755)
	call("chown f 1234:5678", syscall.SYS_CHOWN, cs("f"), 1234, 5678)
	fstatat("  stat f (chown clears set-id bits)", atFdcwd, "f", 0)
	call("chown f -1:-1 (no change)", syscall.SYS_CHOWN, cs("f"), ^uintptr(0)>>32, ^uintptr(0)>>32)
	fstatat("  stat f", atFdcwd, "f", 0)
	call("lchown l 42:43", syscall.SYS_LCHOWN, cs("l"), 42, 43)
	fstatat("  lstat l", atFdcwd, "l", atSymlinkNofollow)
	fstatat("  stat f", atFdcwd, "f", 0)
	call("chown l 7:8 (follows)", syscall.SYS_CHOWN, cs("l"), 7, 8)
	fstatat("  stat f", atFdcwd, "f", 0)
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("fchown(fd) 9:-1", syscall.SYS_FCHOWN, fdArg(fd), 9, ^uintptr(0)>>32)
	fstat("  fstat", fd)
	call("fchownat(fd, \"\", 0:0, AT_EMPTY_PATH)", syscall.SYS_FCHOWNAT, fdArg(fd), cs(""), 0, 0, atEmptyPath)
	fstat("  fstat", fd)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("fchownat(AT_FDCWD, l, 5:5, AT_SYMLINK_NOFOLLOW)", syscall.SYS_FCHOWNAT, atFdcwd, cs("l"), 5, 5, atSymlinkNofollow)
	fstatat("  lstat l", atFdcwd, "l", atSymlinkNofollow)
	call("fchownat flags 0x1 (unknown)", syscall.SYS_FCHOWNAT, atFdcwd, cs("f"), 0, 0, 1)
	call("fchown(99)", syscall.SYS_FCHOWN, 99, 0, 0)
	call("chown missing", syscall.SYS_CHOWN, cs("missing"), 0, 0)
	cleanup()
}

type timespec struct{ sec, nsec int64 }

// times makes a struct timespec[2].
func times(a, m timespec) uintptr {
	b := buf(32)
	t := unsafe.Slice((*timespec)(unsafe.Pointer(&b[0])), 2)
	t[0], t[1] = a, m
	return ptr(b)
}

func showTimes(what string) {
	st, sp := newStat()
	if quiet(syscall.SYS_LSTAT, cs(what), sp) < 0 {
		p("  lstat %s failed", what)
		return
	}
	p("  %s: atime %d.%09d mtime %d.%09d", what, st.Atim.Sec, st.Atim.Nsec, st.Mtim.Sec, st.Mtim.Nsec)
}

// testUtimensat: utimensat with set times, UTIME_OMIT, UTIME_NOW, NULL, AT_SYMLINK_NOFOLLOW, on a
// descriptor (futimens), and the errors.
func testUtimensat() {
	create("f", "F")
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	call("utimensat f {1000000000.5, 1200000000.123456789}", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"),
		times(timespec{1000000000, 5}, timespec{1200000000, 123456789}), 0)
	showTimes("f")
	call("utimensat f {UTIME_OMIT, 1300000000}", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"),
		times(timespec{0, utimeOmit}, timespec{1300000000, 0}), 0)
	showTimes("f")
	call("utimensat f {-1 s, 0}", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"), times(timespec{-1, 0}, timespec{0, 0}), 0)
	showTimes("f")
	call("utimensat f {0, nsec 1e9}", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"), times(timespec{0, 1e9}, timespec{0, 0}), 0)
	call("utimensat f {0, nsec -1}", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"), times(timespec{0, -1}, timespec{0, 0}), 0)
	call("utimensat l {1, 2} AT_SYMLINK_NOFOLLOW", syscall.SYS_UTIMENSAT, atFdcwd, cs("l"), times(timespec{1, 0}, timespec{2, 0}), atSymlinkNofollow)
	showTimes("l")
	showTimes("f")
	call("utimensat l {3, 4} (follows)", syscall.SYS_UTIMENSAT, atFdcwd, cs("l"), times(timespec{3, 0}, timespec{4, 0}), 0)
	showTimes("f")
	call("utimensat f flags 0x1 (unknown)", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"), times(timespec{3, 0}, timespec{4, 0}), 1)
	call("utimensat missing", syscall.SYS_UTIMENSAT, atFdcwd, cs("missing"), times(timespec{3, 0}, timespec{4, 0}), 0)
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("utimensat(fd, NULL, {5, 6}) (futimens)", syscall.SYS_UTIMENSAT, fdArg(fd), 0, times(timespec{5, 0}, timespec{6, 0}), 0)
	showTimes("f")
	call("utimensat(fd, \"\", {7, 8}, 0)", syscall.SYS_UTIMENSAT, fdArg(fd), cs(""), times(timespec{7, 0}, timespec{8, 0}), 0)
	call("utimensat(fd, \"\", {7, 8}, AT_EMPTY_PATH)", syscall.SYS_UTIMENSAT, fdArg(fd), cs(""), times(timespec{7, 0}, timespec{8, 0}), atEmptyPath)
	showTimes("f")
	call("utimensat(fd, NULL, {9, 9}, AT_SYMLINK_NOFOLLOW)", syscall.SYS_UTIMENSAT, fdArg(fd), 0, times(timespec{9, 0}, timespec{9, 0}), atSymlinkNofollow)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("utimensat(99, NULL, {1, 1})", syscall.SYS_UTIMENSAT, 99, 0, times(timespec{1, 0}, timespec{1, 0}), 0)
	call("utimensat(AT_FDCWD, NULL, {1, 1})", syscall.SYS_UTIMENSAT, atFdcwd, 0, times(timespec{1, 0}, timespec{1, 0}), 0)
	call("utimensat f {UTIME_OMIT, UTIME_OMIT}", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"), times(timespec{0, utimeOmit}, timespec{0, utimeOmit}), 0)
	showTimes("f")
	call("utimensat f times NULL (now)", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"), 0, 0)
	st, sp := newStat()
	quiet(syscall.SYS_STAT, cs("f"), sp)
	p("  mtime is now: %v", st.Mtim.Sec > 1700000000)
	call("utimensat f {UTIME_NOW, 10}", syscall.SYS_UTIMENSAT, atFdcwd, cs("f"), times(timespec{0, utimeNow}, timespec{10, 0}), 0)
	quiet(syscall.SYS_STAT, cs("f"), sp)
	p("  atime is now: %v, mtime %d", st.Atim.Sec > 1700000000, st.Mtim.Sec)
	cleanup()
}

// testTruncate: truncate, ftruncate (grow, shrink, contents), and the errors.
func testTruncate() {
	create("f", "0123456789")
	call("truncate f 4", syscall.SYS_TRUNCATE, cs("f"), 4)
	contents("f")
	call("truncate f 8 (zeros)", syscall.SYS_TRUNCATE, cs("f"), 8)
	contents("f")
	call("truncate f -1", syscall.SYS_TRUNCATE, cs("f"), neg(1))
	call("truncate f 1<<62", syscall.SYS_TRUNCATE, cs("f"), 1<<62)
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	call("truncate d", syscall.SYS_TRUNCATE, cs("d"), 0)
	call("truncate missing", syscall.SYS_TRUNCATE, cs("missing"), 0)
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	call("truncate l 2 (follows)", syscall.SYS_TRUNCATE, cs("l"), 2)
	contents("f")
	fd := must("open f rw", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	call("ftruncate 0", syscall.SYS_FTRUNCATE, fdArg(fd), 0)
	call("ftruncate 5", syscall.SYS_FTRUNCATE, fdArg(fd), 5)
	call("lseek cur", syscall.SYS_LSEEK, fdArg(fd), 0, 1)
	call("ftruncate -1", syscall.SYS_FTRUNCATE, fdArg(fd), neg(1))
	fstat("  fstat", fd)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	fd = must("open f ro", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("ftruncate on O_RDONLY", syscall.SYS_FTRUNCATE, fdArg(fd), 0)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	fd = must("open f append", syscall.SYS_OPEN, cs("f"), syscall.O_WRONLY|syscall.O_APPEND)
	call("ftruncate on O_APPEND", syscall.SYS_FTRUNCATE, fdArg(fd), 1)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("ftruncate on a directory", syscall.SYS_FTRUNCATE, fdArg(dfd), 0)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	call("ftruncate(99)", syscall.SYS_FTRUNCATE, 99, 0)
	r, w := pipe(0)
	call("ftruncate on a pipe", syscall.SYS_FTRUNCATE, fdArg(w), 0)
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(w))
	call("chmod f 0444", syscall.SYS_CHMOD, cs("f"), 0o444)
	call("truncate f 0 (read-only file, as root)", syscall.SYS_TRUNCATE, cs("f"), 0)
	cleanup()
}

// testFallocate: fallocate modes, and the errors.
func testFallocate() {
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR|syscall.O_CREAT, 0o644)
	call("fallocate 0, 0, 8192", syscall.SYS_FALLOCATE, fdArg(fd), 0, 0, 8192)
	fstat("  fstat", fd)
	call("fallocate KEEP_SIZE, 8192, 8192", syscall.SYS_FALLOCATE, fdArg(fd), fallocKeepSize, 8192, 8192)
	fstat("  fstat", fd)
	w := buf(4096)
	for i := range w {
		w[i] = 'x'
	}
	quiet(syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 4096, 0)
	call("fallocate PUNCH_HOLE|KEEP_SIZE, 0, 4096", syscall.SYS_FALLOCATE, fdArg(fd), fallocPunchHole|fallocKeepSize, 0, 4096)
	fstat("  fstat", fd)
	r := buf(4)
	quiet(syscall.SYS_PREAD64, fdArg(fd), ptr(r), 4, 0)
	p("  bytes at 0: %q", r)
	call("fallocate PUNCH_HOLE alone", syscall.SYS_FALLOCATE, fdArg(fd), fallocPunchHole, 0, 4096)
	call("fallocate length 0", syscall.SYS_FALLOCATE, fdArg(fd), 0, 0, 0)
	call("fallocate offset -1", syscall.SYS_FALLOCATE, fdArg(fd), 0, neg(1), 10)
	call("fallocate mode 0x100 (unknown)", syscall.SYS_FALLOCATE, fdArg(fd), 0x100, 0, 10)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	fd = must("open f ro", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("fallocate on O_RDONLY", syscall.SYS_FALLOCATE, fdArg(fd), 0, 0, 10)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	r1, w1 := pipe(0)
	call("fallocate on a pipe", syscall.SYS_FALLOCATE, fdArg(w1), 0, 0, 10)
	quiet(syscall.SYS_CLOSE, fdArg(r1))
	quiet(syscall.SYS_CLOSE, fdArg(w1))
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY)
	call("fallocate on a directory", syscall.SYS_FALLOCATE, fdArg(dfd), 0, 0, 10)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	call("fallocate(99)", syscall.SYS_FALLOCATE, 99, 0, 0, 10)
	cleanup()
}

// testSync: fsync, fdatasync, sync, syncfs on files, directories, pipes, and bad descriptors.
func testSync() {
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR|syscall.O_CREAT, 0o644)
	w := buf(5)
	quiet(syscall.SYS_WRITE, fdArg(fd), ptr(w), 5)
	call("fsync", syscall.SYS_FSYNC, fdArg(fd))
	call("fdatasync", syscall.SYS_FDATASYNC, fdArg(fd))
	call("syncfs", sysSyncfs, fdArg(fd))
	call("sync", syscall.SYS_SYNC)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	ro := must("open f ro", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("fsync on O_RDONLY", syscall.SYS_FSYNC, fdArg(ro))
	quiet(syscall.SYS_CLOSE, fdArg(ro))
	dfd := must("open .", syscall.SYS_OPEN, cs("."), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("fsync on a directory", syscall.SYS_FSYNC, fdArg(dfd))
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	r, wr := pipe(0)
	call("fsync on a pipe", syscall.SYS_FSYNC, fdArg(r))
	call("fdatasync on a pipe", syscall.SYS_FDATASYNC, fdArg(wr))
	call("syncfs on a pipe", sysSyncfs, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(r))
	quiet(syscall.SYS_CLOSE, fdArg(wr))
	call("fsync(99)", syscall.SYS_FSYNC, 99)
	call("fdatasync(99)", syscall.SYS_FDATASYNC, 99)
	call("syncfs(99)", sysSyncfs, 99)
	pfd := must("open f O_PATH", syscall.SYS_OPEN, cs("f"), unixOPath)
	call("fsync on O_PATH", syscall.SYS_FSYNC, fdArg(pfd))
	quiet(syscall.SYS_CLOSE, fdArg(pfd))
	cleanup()
}

// testBlocks: st_blocks of files written, synced, sparse, allocated and punched: what du and
// sparse-file detection read.
func testBlocks() {
	blocks := func(what string, fd int) {
		st, sp := newStat()
		if call(what, syscall.SYS_FSTAT, fdArg(fd), sp) >= 0 {
			p("  size %d blocks %d", st.Size, st.Blocks)
		}
	}
	w := buf(10000)
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR|syscall.O_CREAT, 0o644)
	blocks("fstat empty", fd)
	quiet(syscall.SYS_WRITE, fdArg(fd), ptr(w), 5)
	blocks("fstat after writing 5 bytes", fd)
	quiet(syscall.SYS_WRITE, fdArg(fd), ptr(w), 10000)
	blocks("fstat after writing 10000 more", fd)
	quiet(syscall.SYS_FSYNC, fdArg(fd))
	blocks("fstat after fsync", fd)
	quiet(syscall.SYS_FTRUNCATE, fdArg(fd), 1<<20)
	blocks("fstat after ftruncate 1MiB (sparse)", fd)
	quiet(syscall.SYS_PWRITE64, fdArg(fd), ptr(w), 100, 1<<19)
	blocks("fstat after 100 bytes at 512KiB", fd)
	quiet(syscall.SYS_FALLOCATE, fdArg(fd), fallocKeepSize, 1<<20, 8192)
	blocks("fstat after fallocate KEEP_SIZE 8KiB past the end", fd)
	quiet(syscall.SYS_FALLOCATE, fdArg(fd), fallocPunchHole|fallocKeepSize, 0, 8192)
	blocks("fstat after punching the first 8KiB", fd)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	st, sp := newStat()
	if call("stat f (closed)", syscall.SYS_STAT, cs("f"), sp) >= 0 {
		p("  size %d blocks %d", st.Size, st.Blocks)
	}
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	if call("stat d", syscall.SYS_STAT, cs("d"), sp) >= 0 {
		p("  size %d blocks %d", st.Size, st.Blocks)
	}
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	if call("lstat l", syscall.SYS_LSTAT, cs("l"), sp) >= 0 {
		p("  size %d blocks %d", st.Size, st.Blocks)
	}
	cleanup()
}
