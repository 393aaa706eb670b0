// Command torture exercises the file system calls one by one, with raw system calls, in the scratch
// directory $TMPDIR, and prints a transcript: each call, its result (a number, or the errno's name)
// and what it did (sizes, modes, link counts, directory listings sorted by name, descriptor numbers,
// file contents). Error cases are part of it: missing and existing files, files that are not
// directories and directories that are, bad descriptors and flags, overlong names, symlink loops,
// bad pointers (0, an PROT_NONE page, the first non-canonical address 1<<47), unseekable files, empty
// nonblocking pipes.
//
// The transcript leaves out what legitimately differs between two runs: inode and device numbers,
// times the program did not set, free space. Descriptor numbers are in: Ring0 allocates them as Linux
// does, lowest first. Everything is done with raw system calls (no os.File), so that no descriptor
// of the Go runtime's netpoller appears among the program's own.
//
// Usage: torture [section...] (default: all sections, in order).
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// System call numbers (linux/amd64) the syscall package lacks.
const (
	sysCopyFileRange = 326
	sysPreadv2       = 327
	sysPwritev2      = 328
	sysStatx         = 332
	sysCloseRange    = 436
	sysOpenat2       = 437
	sysFaccessat2    = 439
	sysEpollPwait2   = 441
	sysMemfdCreate   = 319
	sysRenameat2     = 316
	sysSyncfs        = 306
)

// Flags and constants the syscall package lacks.
const (
	oTmpfile = 0x410000 // O_TMPFILE | O_DIRECTORY

	resolveNoXdev       = 0x01
	resolveNoMagiclinks = 0x02
	resolveNoSymlinks   = 0x04
	resolveBeneath      = 0x08
	resolveInRoot       = 0x10

	closeRangeCloexec = 4

	renameNoreplace = 1
	renameExchange  = 2
	renameWhiteout  = 4

	atEmptyPath       = 0x1000
	atStatxSyncType   = 0x6000
	atStatxForceSync  = 0x2000
	atStatxDontSync   = 0x4000
	atEaccess         = 0x200
	atSymlinkFollow   = 0x400
	atSymlinkNofollow = 0x100
	atRemovedir       = 0x200

	statxBasicStats = 0x7ff

	utimeNow  = (1 << 30) - 1
	utimeOmit = (1 << 30) - 2

	fallocKeepSize  = 1
	fallocPunchHole = 2

	fOfdGetlk       = 36
	fOfdSetlk       = 37
	fAddSeals       = 1033
	fGetSeals       = 1034
	fSealSeal       = 1
	fSealShrink     = 2
	fSealGrow       = 4
	fSealWrite      = 8
	mfdCloexec      = 1
	mfdAllowSealing = 2

	efdSemaphore = 1
	efdNonblock  = syscall.O_NONBLOCK
	efdCloexec   = syscall.O_CLOEXEC

	rwfNowait = 8
	rwfAppend = 16

	tcgets   = 0x5401
	fionbio  = 0x5421
	fionclex = 0x5450
	fioclex  = 0x5451

	pollIn  = 0x1
	pollPri = 0x2
	pollOut = 0x4

	epollet = 1 << 31

	epollExclusive = 1 << 28
)

// Bad addresses: NULL, the first address above user space (1<<47), and a PROT_NONE page.
var (
	badPtrs  = []uintptr{0, 1 << 47}
	noaccess uintptr
)

var out = bufio.NewWriter(os.Stdout)

// scratch is $TMPDIR, where everything happens; printed as $T.
var scratch string

func p(format string, a ...any) {
	fmt.Fprintf(out, format+"\n", a...)
}

// keep holds every buffer handed to the kernel as a uintptr, so that the collector never frees one
// while a call may use it (heap objects do not move).
var keep [][]byte

func buf(n int) []byte {
	b := make([]byte, n)
	keep = append(keep, b)
	return b
}

func ptr(b []byte) uintptr {
	if len(b) == 0 {
		return 0
	}
	return uintptr(unsafe.Pointer(&b[0]))
}

// cs is a NUL-terminated copy of s.
func cs(s string) uintptr {
	b := buf(len(s) + 1)
	copy(b, s)
	return ptr(b)
}

var errnoNames = map[syscall.Errno]string{
	syscall.EPERM: "EPERM", syscall.ENOENT: "ENOENT", syscall.ESRCH: "ESRCH", syscall.EINTR: "EINTR",
	syscall.EIO: "EIO", syscall.ENXIO: "ENXIO", syscall.E2BIG: "E2BIG", syscall.EBADF: "EBADF",
	syscall.EAGAIN: "EAGAIN", syscall.ENOMEM: "ENOMEM", syscall.EACCES: "EACCES", syscall.EFAULT: "EFAULT",
	syscall.EBUSY: "EBUSY", syscall.EEXIST: "EEXIST", syscall.EXDEV: "EXDEV", syscall.ENODEV: "ENODEV",
	syscall.ENOTDIR: "ENOTDIR", syscall.EISDIR: "EISDIR", syscall.EINVAL: "EINVAL", syscall.ENFILE: "ENFILE",
	syscall.EMFILE: "EMFILE", syscall.ENOTTY: "ENOTTY", syscall.ETXTBSY: "ETXTBSY", syscall.EFBIG: "EFBIG",
	syscall.ENOSPC: "ENOSPC", syscall.ESPIPE: "ESPIPE", syscall.EROFS: "EROFS", syscall.EMLINK: "EMLINK",
	syscall.EPIPE: "EPIPE", syscall.ERANGE: "ERANGE", syscall.ENAMETOOLONG: "ENAMETOOLONG",
	syscall.ENOSYS: "ENOSYS", syscall.ENOTEMPTY: "ENOTEMPTY", syscall.ELOOP: "ELOOP",
	syscall.EOPNOTSUPP: "EOPNOTSUPP", syscall.EOVERFLOW: "EOVERFLOW",
	syscall.ECHILD: "ECHILD", syscall.EDEADLK: "EDEADLK", syscall.ENOLCK: "ENOLCK", syscall.EBADFD: "EBADFD",
	syscall.ENOTSOCK: "ENOTSOCK", syscall.ENODATA: "ENODATA",
}

func ename(e syscall.Errno) string {
	if n, ok := errnoNames[e]; ok {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}

// call makes system call nr and prints "what = result"; it returns the result, or -1.
func call(what string, nr uintptr, args ...uintptr) int {
	var a [6]uintptr
	copy(a[:], args)
	r, _, e := syscall.Syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	for e == syscall.EINTR {
		// A sleeping call (poll with a timeout) that a signal of Go's own ended early (a preemption
		// SIGURG, a child's SIGCHLD), natively or not: no case here expects EINTR, so make it again.
		r, _, e = syscall.Syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	}
	if e != 0 {
		p("%s = %s", what, ename(e))
		return -1
	}
	p("%s = %d", what, int(r))
	return int(r)
}

// quiet makes a call without printing it; it returns the result or -errno.
func quiet(nr uintptr, args ...uintptr) int {
	var a [6]uintptr
	copy(a[:], args)
	r, _, e := syscall.Syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	if e != 0 {
		return -int(e)
	}
	return int(r)
}

// must makes a call the transcript does not show and stops the program if it fails.
func must(what string, nr uintptr, args ...uintptr) int {
	r := quiet(nr, args...)
	if r < 0 {
		p("SETUP FAILED: %s = %s", what, ename(syscall.Errno(-r)))
		out.Flush()
		os.Exit(1)
	}
	return r
}

func section(name string) {
	p("")
	p("== %s", name)
}

const atFdcwd = ^uintptr(99) // AT_FDCWD, -100

func fdArg(fd int) uintptr { return uintptr(fd) }

// neg is the two's complement of n as a system call argument.
func neg(n int) uintptr { return uintptr(-n) }

// create makes file name with contents data (mode 0644) and returns nothing; the transcript does not show it.
func create(name, data string) {
	fd := must("open "+name, syscall.SYS_OPENAT, atFdcwd, cs(name), syscall.O_CREAT|syscall.O_WRONLY|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
	if len(data) > 0 {
		b := buf(len(data))
		copy(b, data)
		must("write "+name, syscall.SYS_WRITE, fdArg(fd), ptr(b), uintptr(len(b)))
	}
	must("close", syscall.SYS_CLOSE, fdArg(fd))
}

// mode formats a st_mode: type letter and permission bits.
func mode(m uint32) string {
	t := "?"
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		t = "-"
	case syscall.S_IFDIR:
		t = "d"
	case syscall.S_IFLNK:
		t = "l"
	case syscall.S_IFIFO:
		t = "p"
	case syscall.S_IFCHR:
		t = "c"
	case syscall.S_IFBLK:
		t = "b"
	case syscall.S_IFSOCK:
		t = "s"
	}
	return fmt.Sprintf("%s%04o", t, m&0o7777)
}

// showStat prints what a stat call returned: type and mode, size, links, owner. Not st_blocks: the
// blocks section has it.
func showStat(what string, st *syscall.Stat_t) {
	p("%s: mode %s size %d nlink %d blksize %d uid %d gid %d", what, mode(st.Mode), st.Size, st.Nlink,
		st.Blksize, st.Uid, st.Gid)
}

func newStat() (*syscall.Stat_t, uintptr) {
	b := buf(int(unsafe.Sizeof(syscall.Stat_t{})))
	return (*syscall.Stat_t)(unsafe.Pointer(&b[0])), ptr(b)
}

// fstatat prints newfstatat(dirfd, name, flags) and its result.
func fstatat(what string, dirfd uintptr, name string, flags uintptr) *syscall.Stat_t {
	st, sp := newStat()
	if call(what, syscall.SYS_NEWFSTATAT, dirfd, cs(name), sp, flags) < 0 {
		return nil
	}
	showStat("  ", st)
	return st
}

func fstat(what string, fd int) *syscall.Stat_t {
	st, sp := newStat()
	if call(what, syscall.SYS_FSTAT, fdArg(fd), sp) < 0 {
		return nil
	}
	showStat("  ", st)
	return st
}

// readAll reads fd from its position to the end, in small reads, and returns the text.
func readAll(fd int) string {
	var sb strings.Builder
	b := buf(7)
	for {
		n := quiet(syscall.SYS_READ, fdArg(fd), ptr(b), uintptr(len(b)))
		if n <= 0 {
			if n < 0 {
				sb.WriteString("<" + ename(syscall.Errno(-n)) + ">")
			}
			return sb.String()
		}
		sb.Write(b[:n])
	}
}

// contents prints the contents of file name.
func contents(name string) {
	fd := quiet(syscall.SYS_OPENAT, atFdcwd, cs(name), syscall.O_RDONLY|syscall.O_CLOEXEC)
	if fd < 0 {
		p("  contents of %s: %s", name, ename(syscall.Errno(-fd)))
		return
	}
	p("  contents of %s: %q", name, readAll(fd))
	quiet(syscall.SYS_CLOSE, fdArg(fd))
}

// entry is a directory entry: its name and d_type.
type entry struct {
	name string
	typ  byte
}

// listing returns the entries of directory fd read with getdents64 (buffer size n) from its
// position to the end, sorted by name, "." and ".." included; or -errno.
func listing(fd int, n int) ([]entry, int) {
	b := buf(n)
	var es []entry
	for {
		r := quiet(syscall.SYS_GETDENTS64, fdArg(fd), ptr(b), uintptr(n))
		if r < 0 {
			return nil, r
		}
		if r == 0 {
			break
		}
		for off := 0; off < r; {
			reclen := int(*(*uint16)(unsafe.Pointer(&b[off+16])))
			name := string(b[off+19 : off+reclen])
			if i := strings.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			es = append(es, entry{name, b[off+18]})
			off += reclen
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].name < es[j].name })
	return es, 0
}

// format shows entries as name:type, names quoted where they are not plain.
func format(es []entry) string {
	var s []string
	for _, e := range es {
		name := e.name
		if strconv.Quote(name) != `"`+name+`"` || strings.ContainsAny(name, " :") {
			name = strconv.Quote(name)
		}
		s = append(s, name+":"+dtype(e.typ))
	}
	return strings.Join(s, " ")
}

func dtype(t byte) string {
	switch t {
	case syscall.DT_REG:
		return "f"
	case syscall.DT_DIR:
		return "d"
	case syscall.DT_LNK:
		return "l"
	case syscall.DT_FIFO:
		return "p"
	case syscall.DT_CHR:
		return "c"
	case syscall.DT_UNKNOWN:
		return "?"
	}
	return fmt.Sprint(t)
}

// ls prints the entries of directory name.
func ls(name string) {
	fd := quiet(syscall.SYS_OPENAT, atFdcwd, cs(name), syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC)
	if fd < 0 {
		p("  ls %s: %s", name, ename(syscall.Errno(-fd)))
		return
	}
	l, err := listing(fd, 4096)
	if err < 0 {
		p("  ls %s: %s", name, ename(syscall.Errno(-err)))
	} else {
		p("  ls %s: %s", name, format(l))
	}
	quiet(syscall.SYS_CLOSE, fdArg(fd))
}

func main() {
	scratch = os.Getenv("TMPDIR")
	if scratch == "" {
		fmt.Fprintln(os.Stderr, "torture: $TMPDIR is not set: it names the scratch directory")
		os.Exit(2)
	}
	must("chdir $TMPDIR", syscall.SYS_CHDIR, cs(scratch))
	quiet(syscall.SYS_UMASK, 0o022)
	// An address nobody can read or write: a page mapped PROT_NONE, which stays (an PROT_NONE page
	// would not: the Go runtime maps memory as it pleases).
	page := must("mmap", syscall.SYS_MMAP, 0, 4096, syscall.PROT_NONE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS, ^uintptr(0), 0)
	noaccess = uintptr(page)
	badPtrs = append(badPtrs, noaccess)

	sections := []struct {
		name string
		f    func()
	}{
		{"open", testOpen},
		{"openat2", testOpenat2},
		{"close", testClose},
		{"readwrite", testReadWrite},
		{"devnull", testDevNull},
		{"vectors", testVectors},
		{"lseek", testLseek},
		{"stat", testStat},
		{"statx", testStatx},
		{"getdents", testGetdents},
		{"mkdir", testMkdir},
		{"unlink", testUnlink},
		{"rename", testRename},
		{"link", testLink},
		{"symlink", testSymlink},
		{"chmod", testChmod},
		{"chown", testChown},
		{"utimensat", testUtimensat},
		{"truncate", testTruncate},
		{"fallocate", testFallocate},
		{"blocks", testBlocks},
		{"sync", testSync},
		{"fcntl", testFcntl},
		{"locks", testLocks},
		{"flock", testFlock},
		{"dup", testDup},
		{"pipe", testPipe},
		{"eventfd", testEventfd},
		{"memfd", testMemfd},
		{"cwd", testCwd},
		{"umask", testUmask},
		{"access", testAccess},
		{"statfs", testStatfs},
		{"sendfile", testSendfile},
		{"copy_file_range", testCopyFileRange},
		{"ioctl", testIoctl},
		{"poll", testPoll},
		{"select", testSelect},
		{"epoll", testEpoll},
		{"badptr", testBadPointers},
		{"names", testNames},
		{"fds", testFds},
	}
	want := map[string]bool{}
	for _, a := range os.Args[1:] {
		want[a] = true
	}
	for _, s := range sections {
		if len(want) > 0 && !want[s.name] {
			continue
		}
		section(s.name)
		s.f()
		out.Flush()
	}
	out.Flush()
}
