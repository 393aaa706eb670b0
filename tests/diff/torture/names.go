package main

import (
	"encoding/binary"
	"fmt"
	"strings"
	"syscall"
)

// testStat: stat, lstat, fstat, newfstatat (flags, dirfd, AT_EMPTY_PATH) and the errors.
func testStat() {
	create("f", "12345")
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o750)
	must("mkdir", syscall.SYS_MKDIR, cs("d/e"), 0o700)
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	must("symlink", syscall.SYS_SYMLINKAT, cs("nowhere"), atFdcwd, cs("dangling"))
	st, sp := newStat()
	for _, name := range []string{"f", "d", "d/e", "l", "dangling", "missing", "f/x", "", ".", "d/e/..", "d/../f", "d/e/../../f", "l/"} {
		if call("stat "+name, syscall.SYS_STAT, cs(name), sp) >= 0 {
			showStat("  ", st)
		}
		if call("lstat "+name, syscall.SYS_LSTAT, cs(name), sp) >= 0 {
			showStat("  ", st)
		}
	}
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	fstatat("newfstatat(d, e, 0)", fdArg(dfd), "e", 0)
	fstatat("newfstatat(d, \"\", AT_EMPTY_PATH)", fdArg(dfd), "", atEmptyPath)
	fstatat("newfstatat(d, \"\", 0)", fdArg(dfd), "", 0)
	fstatat("newfstatat(AT_FDCWD, l, AT_SYMLINK_NOFOLLOW)", atFdcwd, "l", atSymlinkNofollow)
	fstatat("newfstatat(AT_FDCWD, l, 0x8000) (unknown flag)", atFdcwd, "l", 0x8000)
	fstatat("newfstatat(99, e, 0)", 99, "e", 0)
	fstatat("newfstatat(99, absolute $T/f, 0)", 99, scratch+"/f", 0)
	fstatat("newfstatat(AT_FDCWD, \"\", AT_EMPTY_PATH) (the cwd)", atFdcwd, "", atEmptyPath)
	fstat("fstat d", dfd)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	fstat("fstat closed", dfd)
	fstat("fstat -1", -1)
	fstat("fstat 0 (stdin)", 0)
	cleanup()
}

// testStatx: statx masks, flags, AT_EMPTY_PATH, and the errors.
func testStatx() {
	create("f", "123456789")
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o711)
	sx := buf(256)
	// What comes back beyond the request (stx_mask) is the filesystem's business: only the
	// requested fields are shown, and st_blocks not at all (the blocks section has it).
	show := func(want uint32) {
		le := binary.LittleEndian
		mask := le.Uint32(sx[0:]) & want
		p("  mask %#x mode %s nlink %d uid %d gid %d size %d blksize %d", mask,
			mode(uint32(le.Uint16(sx[28:]))), le.Uint32(sx[16:]), le.Uint32(sx[20:]), le.Uint32(sx[24:]),
			le.Uint64(sx[40:]), le.Uint32(sx[4:]))
	}
	try := func(what string, dirfd uintptr, name string, flags, mask uintptr) {
		for i := range sx {
			sx[i] = 0
		}
		if call("statx("+what+")", sysStatx, dirfd, cs(name), flags, mask, ptr(sx)) >= 0 {
			show(uint32(mask) & statxBasicStats &^ 0x400)
		}
	}
	try("f, 0, BASIC", atFdcwd, "f", 0, statxBasicStats)
	try("l, 0, BASIC", atFdcwd, "l", 0, statxBasicStats)
	try("l, AT_SYMLINK_NOFOLLOW, BASIC", atFdcwd, "l", atSymlinkNofollow, statxBasicStats)
	try("d, 0, BASIC", atFdcwd, "d", 0, statxBasicStats)
	try("f, 0, STATX_SIZE only", atFdcwd, "f", 0, 0x200)
	try("f, 0, mask 0", atFdcwd, "f", 0, 0)
	try("f, AT_STATX_FORCE_SYNC", atFdcwd, "f", atStatxForceSync, statxBasicStats)
	try("f, AT_STATX_DONT_SYNC", atFdcwd, "f", atStatxDontSync, statxBasicStats)
	try("f, both sync flags", atFdcwd, "f", atStatxSyncType, statxBasicStats)
	try("f, mask STATX__RESERVED", atFdcwd, "f", 0, 0x80000000)
	try("f, flag 0x10000 (unknown)", atFdcwd, "f", 0x10000, statxBasicStats)
	try("missing", atFdcwd, "missing", 0, statxBasicStats)
	try("f/x", atFdcwd, "f/x", 0, statxBasicStats)
	fd := must("open", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	try("fd, \"\", AT_EMPTY_PATH", fdArg(fd), "", atEmptyPath, statxBasicStats)
	try("fd, \"\", 0", fdArg(fd), "", 0, statxBasicStats)
	try("99, \"\", AT_EMPTY_PATH", 99, "", atEmptyPath, statxBasicStats)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	call("statx(f) into NULL", sysStatx, atFdcwd, cs("f"), 0, statxBasicStats, 0)
	call("statx(NULL path)", sysStatx, atFdcwd, 0, 0, statxBasicStats, ptr(sx))
	call("statx(NULL path, AT_EMPTY_PATH) (the cwd, since Linux 6.11)", sysStatx, atFdcwd, 0, atEmptyPath, statxBasicStats, ptr(sx))
	cleanup()
}

// testGetdents: getdents64 with buffer sizes from too small to large, on directories that change,
// rewound with lseek, and the errors.
func testGetdents() {
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	for i := 0; i < 40; i++ {
		create(fmt.Sprintf("d/file-%02d-%s", i, strings.Repeat("x", i)), "")
	}
	must("mkdir", syscall.SYS_MKDIR, cs("d/sub"), 0o755)
	must("symlink", syscall.SYS_SYMLINKAT, cs("x"), atFdcwd, cs("d/link"))
	must("mknod fifo", syscall.SYS_MKNODAT, atFdcwd, cs("d/fifo"), syscall.S_IFIFO|0o644, 0)
	fd := call("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	for _, n := range []int{4096, 64, 100, 1 << 16} {
		quiet(syscall.SYS_LSEEK, fdArg(fd), 0, 0)
		l, err := listing(fd, n)
		if err < 0 {
			p("getdents64 buffer %d: %s", n, ename(syscall.Errno(-err)))
		} else {
			p("getdents64 buffer %d: %d entries: %s", n, len(l), format(l))
		}
	}
	quiet(syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	b := buf(64)
	call("getdents64 buffer 10 (smaller than one entry)", syscall.SYS_GETDENTS64, fdArg(fd), ptr(b), 10)
	call("getdents64 buffer 0", syscall.SYS_GETDENTS64, fdArg(fd), ptr(b), 0)
	call("getdents64 into NULL", syscall.SYS_GETDENTS64, fdArg(fd), 0, 64)
	call("getdents64 into an PROT_NONE page", syscall.SYS_GETDENTS64, fdArg(fd), noaccess, 4096)
	// Entries removed and added while reading: the rest comes as Linux gives it; rewinding sees all.
	quiet(syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	for i := 0; i < 40; i += 2 {
		quiet(syscall.SYS_UNLINK, cs(fmt.Sprintf("d/file-%02d-%s", i, strings.Repeat("x", i))))
	}
	create("d/late", "")
	quiet(syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	l, _ := listing(fd, 4096)
	p("after unlinks, rewound: %d entries: %s", len(l), format(l))
	l, _ = listing(fd, 4096)
	p("at the end: %d entries", len(l))
	call("close", syscall.SYS_CLOSE, fdArg(fd))
	create("f", "")
	ffd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("getdents64 on a file", syscall.SYS_GETDENTS64, fdArg(ffd), ptr(b), 64)
	quiet(syscall.SYS_CLOSE, fdArg(ffd))
	call("getdents64 on fd 99", syscall.SYS_GETDENTS64, 99, ptr(b), 64)
	pfd := must("open d O_PATH", syscall.SYS_OPEN, cs("d"), unixOPath)
	call("getdents64 on an O_PATH fd", syscall.SYS_GETDENTS64, fdArg(pfd), ptr(b), 64)
	quiet(syscall.SYS_CLOSE, fdArg(pfd))
	// A directory removed while open: empty, and new entries refused.
	must("mkdir", syscall.SYS_MKDIR, cs("gone"), 0o755)
	gfd := must("open gone", syscall.SYS_OPEN, cs("gone"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("rmdir gone (open)", syscall.SYS_RMDIR, cs("gone"))
	call("getdents64 on a removed directory", syscall.SYS_GETDENTS64, fdArg(gfd), ptr(buf(4096)), 4096)
	call("openat(removed dir, \"new\", O_CREAT)", syscall.SYS_OPENAT, fdArg(gfd), cs("new"), syscall.O_CREAT|syscall.O_RDWR, 0o644)
	call("mkdirat(removed dir, \"new\")", syscall.SYS_MKDIRAT, fdArg(gfd), cs("new"), 0o755)
	fstat("fstat removed dir", gfd)
	quiet(syscall.SYS_CLOSE, fdArg(gfd))
	cleanup()
}

// testMkdir: mkdir, mkdirat, and the errors.
func testMkdir() {
	call("mkdir a 0755", syscall.SYS_MKDIR, cs("a"), 0o755)
	call("mkdir a again", syscall.SYS_MKDIR, cs("a"), 0o755)
	call("mkdir a/b/c (no a/b)", syscall.SYS_MKDIR, cs("a/b/c"), 0o755)
	create("f", "")
	call("mkdir f (a file)", syscall.SYS_MKDIR, cs("f"), 0o755)
	call("mkdir f/x", syscall.SYS_MKDIR, cs("f/x"), 0o755)
	call("mkdir a/b/ (trailing slash)", syscall.SYS_MKDIR, cs("a/b/"), 0o755)
	call("mkdir a/c/// (slashes)", syscall.SYS_MKDIR, cs("a/c///"), 0o755)
	call("mkdir \"\"", syscall.SYS_MKDIR, cs(""), 0o755)
	call("mkdir .", syscall.SYS_MKDIR, cs("."), 0o755)
	call("mkdir ..", syscall.SYS_MKDIR, cs(".."), 0o755)
	call("mkdir a/. ", syscall.SYS_MKDIR, cs("a/."), 0o755)
	call("mkdir mode 07777", syscall.SYS_MKDIR, cs("m"), 0o7777)
	fstatat("stat m", atFdcwd, "m", 0)
	must("symlink", syscall.SYS_SYMLINKAT, cs("a"), atFdcwd, cs("la"))
	call("mkdir la (a symlink)", syscall.SYS_MKDIR, cs("la"), 0o755)
	call("mkdir la/x (through a symlink)", syscall.SYS_MKDIR, cs("la/x"), 0o755)
	must("symlink", syscall.SYS_SYMLINKAT, cs("target"), atFdcwd, cs("dangling"))
	call("mkdir dangling (a dangling symlink)", syscall.SYS_MKDIR, cs("dangling"), 0o755)
	dfd := must("open a", syscall.SYS_OPEN, cs("a"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("mkdirat(a, x)", syscall.SYS_MKDIRAT, fdArg(dfd), cs("x2"), 0o700)
	call("mkdirat(99, x)", syscall.SYS_MKDIRAT, 99, cs("x"), 0o700)
	ffd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("mkdirat(file fd, x)", syscall.SYS_MKDIRAT, fdArg(ffd), cs("x"), 0o700)
	quiet(syscall.SYS_CLOSE, fdArg(ffd))
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	fstatat("stat a (nlink counts subdirectories)", atFdcwd, "a", 0)
	ls("a")
	cleanup()
}

// testUnlink: unlink, unlinkat (with AT_REMOVEDIR), rmdir, and the errors.
func testUnlink() {
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	must("mkdir", syscall.SYS_MKDIR, cs("e"), 0o755)
	create("d/f", "x")
	create("f", "x")
	must("symlink", syscall.SYS_SYMLINKAT, cs("d"), atFdcwd, cs("ld"))
	call("rmdir d (not empty)", syscall.SYS_RMDIR, cs("d"))
	call("rmdir f (a file)", syscall.SYS_RMDIR, cs("f"))
	call("rmdir ld (a symlink to a directory)", syscall.SYS_RMDIR, cs("ld"))
	call("rmdir missing", syscall.SYS_RMDIR, cs("missing"))
	call("rmdir .", syscall.SYS_RMDIR, cs("."))
	call("rmdir e/.", syscall.SYS_RMDIR, cs("e/."))
	call("rmdir e/..", syscall.SYS_RMDIR, cs("e/.."))
	call("rmdir \"\"", syscall.SYS_RMDIR, cs(""))
	call("unlink d (a directory)", syscall.SYS_UNLINK, cs("d"))
	call("unlink f/ (trailing slash)", syscall.SYS_UNLINK, cs("f/"))
	call("unlink ld/ (a symlink to a directory, trailing slash)", syscall.SYS_UNLINK, cs("ld/"))
	call("unlinkat(AT_FDCWD, f, AT_REMOVEDIR)", syscall.SYS_UNLINKAT, atFdcwd, cs("f"), atRemovedir)
	call("unlinkat(AT_FDCWD, e, 0)", syscall.SYS_UNLINKAT, atFdcwd, cs("e"), 0)
	call("unlinkat(AT_FDCWD, f, 0x1) (unknown flag)", syscall.SYS_UNLINKAT, atFdcwd, cs("f"), 1)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("unlinkat(d, f, 0)", syscall.SYS_UNLINKAT, fdArg(dfd), cs("f"), 0)
	call("unlinkat(d, f, 0) again", syscall.SYS_UNLINKAT, fdArg(dfd), cs("f"), 0)
	call("unlinkat(99, f, 0)", syscall.SYS_UNLINKAT, 99, cs("f"), 0)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	call("rmdir d (now empty)", syscall.SYS_RMDIR, cs("d"))
	call("unlink ld", syscall.SYS_UNLINK, cs("ld"))
	call("unlinkat(AT_FDCWD, e, AT_REMOVEDIR)", syscall.SYS_UNLINKAT, atFdcwd, cs("e"), atRemovedir)
	// A file unlinked while open lives on.
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDWR)
	call("unlink f (open)", syscall.SYS_UNLINK, cs("f"))
	fstat("fstat unlinked f", fd)
	w := buf(3)
	copy(w, "yz!")
	call("write to unlinked f", syscall.SYS_WRITE, fdArg(fd), ptr(w), 3)
	call("lseek 0", syscall.SYS_LSEEK, fdArg(fd), 0, 0)
	p("  read: %q", readAll(fd))
	call("linkat(unlinked fd, \"\", back, AT_EMPTY_PATH)", syscall.SYS_LINKAT, fdArg(fd), cs(""), atFdcwd, cs("back"), atEmptyPath)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	ls(".")
	cleanup()
}

// testRename: rename, renameat2 with RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT, and the errors.
func testRename() {
	create("a", "A")
	create("b", "B")
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	must("mkdir", syscall.SYS_MKDIR, cs("e"), 0o755)
	must("mkdir", syscall.SYS_MKDIR, cs("full"), 0o755)
	create("full/x", "X")
	call("rename a c", syscall.SYS_RENAME, cs("a"), cs("c"))
	call("rename c b (replaces b)", syscall.SYS_RENAME, cs("c"), cs("b"))
	contents("b")
	call("rename missing x", syscall.SYS_RENAME, cs("missing"), cs("x"))
	call("rename b b (itself)", syscall.SYS_RENAME, cs("b"), cs("b"))
	call("rename b d (a file over a directory)", syscall.SYS_RENAME, cs("b"), cs("d"))
	call("rename d b (a directory over a file)", syscall.SYS_RENAME, cs("d"), cs("b"))
	call("rename d e (over an empty directory)", syscall.SYS_RENAME, cs("d"), cs("e"))
	call("rename e full (over a non-empty directory)", syscall.SYS_RENAME, cs("e"), cs("full"))
	call("rename e e/sub (into itself)", syscall.SYS_RENAME, cs("e"), cs("e/sub"))
	call("rename full/x full/x/y", syscall.SYS_RENAME, cs("full/x"), cs("full/x/y"))
	call("rename b nodir/b", syscall.SYS_RENAME, cs("b"), cs("nodir/b"))
	call("rename . x", syscall.SYS_RENAME, cs("."), cs("x"))
	call("rename e .", syscall.SYS_RENAME, cs("e"), cs("."))
	call("rename e/ f/ (trailing slashes)", syscall.SYS_RENAME, cs("e/"), cs("f/"))
	call("rename b g/ (a file, trailing slash)", syscall.SYS_RENAME, cs("b"), cs("g/"))
	call("rename f e", syscall.SYS_RENAME, cs("f"), cs("e"))
	create("c", "C")
	call("renameat2 c b RENAME_NOREPLACE (b exists)", sysRenameat2, atFdcwd, cs("c"), atFdcwd, cs("b"), renameNoreplace)
	call("renameat2 c n RENAME_NOREPLACE", sysRenameat2, atFdcwd, cs("c"), atFdcwd, cs("n"), renameNoreplace)
	call("renameat2 n b RENAME_EXCHANGE", sysRenameat2, atFdcwd, cs("n"), atFdcwd, cs("b"), renameExchange)
	contents("n")
	contents("b")
	call("renameat2 n full RENAME_EXCHANGE (a file and a directory)", sysRenameat2, atFdcwd, cs("n"), atFdcwd, cs("full"), renameExchange)
	ls(".")
	ls("n")
	call("renameat2 n missing RENAME_EXCHANGE", sysRenameat2, atFdcwd, cs("n"), atFdcwd, cs("missing"), renameExchange)
	call("renameat2 n b RENAME_EXCHANGE|RENAME_NOREPLACE", sysRenameat2, atFdcwd, cs("n"), atFdcwd, cs("b"), renameExchange|renameNoreplace)
	call("renameat2 b w RENAME_WHITEOUT", sysRenameat2, atFdcwd, cs("b"), atFdcwd, cs("w"), renameWhiteout)
	call("renameat2 flags 0x80 (unknown)", sysRenameat2, atFdcwd, cs("w"), atFdcwd, cs("v"), 0x80)
	dfd := must("open e", syscall.SYS_OPEN, cs("e"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("renameat2(AT_FDCWD, w, e, w)", sysRenameat2, atFdcwd, cs("w"), fdArg(dfd), cs("w"), 0)
	call("renameat2(99, w, e, w)", sysRenameat2, 99, cs("w"), fdArg(dfd), cs("w"), 0)
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	ls(".")
	ls("e")
	// Across filesystems: /dev/shm is a tmpfs of its own.
	call("rename e/w /dev/shm/... (another filesystem)", syscall.SYS_RENAME, cs("e/w"), cs("/dev/shm/ring0-torture-never"))
	cleanup()
}

// testLink: link, linkat (AT_SYMLINK_FOLLOW, AT_EMPTY_PATH), link counts, and the errors.
func testLink() {
	create("f", "F")
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	must("symlink", syscall.SYS_SYMLINKAT, cs("f"), atFdcwd, cs("l"))
	call("link f g", syscall.SYS_LINK, cs("f"), cs("g"))
	st := fstatat("stat f", atFdcwd, "f", 0)
	st2 := fstatat("stat g", atFdcwd, "g", 0)
	if st != nil && st2 != nil {
		p("  same inode: %v", st.Ino == st2.Ino)
	}
	call("link f g (exists)", syscall.SYS_LINK, cs("f"), cs("g"))
	call("link d dd (a directory)", syscall.SYS_LINK, cs("d"), cs("dd"))
	call("link missing x", syscall.SYS_LINK, cs("missing"), cs("x"))
	call("link f nodir/x", syscall.SYS_LINK, cs("f"), cs("nodir/x"))
	call("link f/ x", syscall.SYS_LINK, cs("f/"), cs("x"))
	call("link l hl (link to the symlink itself)", syscall.SYS_LINK, cs("l"), cs("hl"))
	fstatat("lstat hl", atFdcwd, "hl", atSymlinkNofollow)
	call("linkat(l, hf, AT_SYMLINK_FOLLOW)", syscall.SYS_LINKAT, atFdcwd, cs("l"), atFdcwd, cs("hf"), atSymlinkFollow)
	fstatat("lstat hf", atFdcwd, "hf", atSymlinkNofollow)
	call("linkat flags 0x1 (unknown)", syscall.SYS_LINKAT, atFdcwd, cs("f"), atFdcwd, cs("u"), 1)
	fd := must("open f", syscall.SYS_OPEN, cs("f"), syscall.O_RDONLY)
	call("linkat(fd, \"\", e, AT_EMPTY_PATH)", syscall.SYS_LINKAT, fdArg(fd), cs(""), atFdcwd, cs("e"), atEmptyPath)
	call("linkat(fd, \"\", e2, 0)", syscall.SYS_LINKAT, fdArg(fd), cs(""), atFdcwd, cs("e2"), 0)
	quiet(syscall.SYS_CLOSE, fdArg(fd))
	fstatat("stat f (nlink)", atFdcwd, "f", 0)
	call("unlink g", syscall.SYS_UNLINK, cs("g"))
	fstatat("stat f (nlink)", atFdcwd, "f", 0)
	ls(".")
	cleanup()
}

// testSymlink: symlink, symlinkat, readlink, readlinkat (buffer sizes), and the errors.
func testSymlink() {
	create("f", "F")
	call("symlink f l", syscall.SYS_SYMLINK, cs("f"), cs("l"))
	call("symlink x l (exists)", syscall.SYS_SYMLINK, cs("x"), cs("l"))
	call("symlink \"\" e (empty target)", syscall.SYS_SYMLINK, cs(""), cs("e"))
	call("symlink x nodir/l", syscall.SYS_SYMLINK, cs("x"), cs("nodir/l"))
	call("symlink x f/l", syscall.SYS_SYMLINK, cs("x"), cs("f/l"))
	long := strings.Repeat("t/", 2047) + "x"
	call("symlink (a 4095-byte target)", syscall.SYS_SYMLINK, cs(long), cs("long"))
	call("symlink (a 4096-byte target)", syscall.SYS_SYMLINK, cs(long+"y"), cs("toolong"))
	b := buf(5000)
	n := call("readlink l", syscall.SYS_READLINK, cs("l"), ptr(b), 100)
	p("  %q", b[:max(n, 0)])
	n = call("readlink long", syscall.SYS_READLINK, cs("long"), ptr(b), 5000)
	if n > 0 {
		p("  %d bytes, ends %q", n, b[n-3:n])
	}
	b[0], b[1], b[2] = '#', '#', '#'
	n = call("readlink l, buffer 1 (truncated, no NUL)", syscall.SYS_READLINK, cs("l"), ptr(b), 1)
	p("  %q", b[:3])
	call("readlink l, buffer 0", syscall.SYS_READLINK, cs("l"), ptr(b), 0)
	call("readlink l, buffer -1", syscall.SYS_READLINK, cs("l"), ptr(b), neg(1))
	call("readlink f (not a symlink)", syscall.SYS_READLINK, cs("f"), ptr(b), 100)
	call("readlink missing", syscall.SYS_READLINK, cs("missing"), ptr(b), 100)
	call("readlink e (empty target)", syscall.SYS_READLINK, cs("e"), ptr(b), 100)
	call("stat e (empty target)", syscall.SYS_STAT, cs("e"), ptr(buf(256)))
	call("readlink \"\"", syscall.SYS_READLINK, cs(""), ptr(b), 100)
	call("readlink l/ (trailing slash follows)", syscall.SYS_READLINK, cs("l/"), ptr(b), 100)
	must("mkdir", syscall.SYS_MKDIR, cs("d"), 0o755)
	dfd := must("open d", syscall.SYS_OPEN, cs("d"), syscall.O_RDONLY|syscall.O_DIRECTORY)
	call("symlinkat(../f, d, r)", syscall.SYS_SYMLINKAT, cs("../f"), fdArg(dfd), cs("r"))
	n = call("readlinkat(d, r)", syscall.SYS_READLINKAT, fdArg(dfd), cs("r"), ptr(b), 100)
	p("  %q", b[:max(n, 0)])
	contents("d/r")
	call("readlinkat(99, r)", syscall.SYS_READLINKAT, 99, cs("r"), ptr(b), 100)
	call("symlinkat(x, 99, r)", syscall.SYS_SYMLINKAT, cs("x"), 99, cs("r"))
	quiet(syscall.SYS_CLOSE, fdArg(dfd))
	lfd := must("open l O_PATH|O_NOFOLLOW", syscall.SYS_OPEN, cs("l"), unixOPath|syscall.O_NOFOLLOW)
	n = call("readlinkat(O_PATH fd of l, \"\")", syscall.SYS_READLINKAT, fdArg(lfd), cs(""), ptr(b), 100)
	p("  %q", b[:max(n, 0)])
	quiet(syscall.SYS_CLOSE, fdArg(lfd))
	// Chains: 40 links are followed, 41 are too many.
	for i := 1; i <= 41; i++ {
		must("symlink", syscall.SYS_SYMLINK, cs(fmt.Sprintf("c%d", i-1)), cs(fmt.Sprintf("c%d", i)))
	}
	must("rename", syscall.SYS_RENAME, cs("f"), cs("c0"))
	call("open c40 (40 links)", syscall.SYS_OPEN, cs("c40"), syscall.O_RDONLY)
	quiet(syscall.SYS_CLOSE, 3)
	call("open c41 (41 links)", syscall.SYS_OPEN, cs("c41"), syscall.O_RDONLY)
	must("symlink", syscall.SYS_SYMLINK, cs("self"), cs("self"))
	call("open self (a loop)", syscall.SYS_OPEN, cs("self"), syscall.O_RDONLY)
	call("stat self/x", syscall.SYS_STAT, cs("self/x"), ptr(buf(256)))
	call("lstat self", syscall.SYS_LSTAT, cs("self"), ptr(buf(256)))
	cleanup()
}
