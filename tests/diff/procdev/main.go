// Command procdev reads the files Go programs and common libraries read under /proc and /dev: its
// own /proc/self (fd/ with os.ReadDir, fdinfo, cmdline, environ, status, stat, comm, exe through
// os.Executable, cwd, root, mounts, mountinfo), the host's files that show through /proc (cpuinfo,
// uptime, sys/), and the devices (null, zero, full, urandom, stdout, fd, tty, a mapping of /dev/zero,
// isatty of stdin by ioctl TCGETS). It prints what is the same natively and in Ring0: facts, never
// pids, inode numbers or times (the pid is checked, then printed as PID); it exits 1 if a result it
// can check is wrong.
//
// With the argument "ring0-state" it reads the kernel's own state instead (/proc/ring0/files and
// tasks) and checks that it shows this very program; natively there is none (exit 3).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
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

// errnoOf prints an expected error by its errno name.
func errnoOf(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return fmt.Sprintf("errno %d (%v)", int(errno), errno)
	}
	if err == nil {
		return "no error"
	}
	return err.Error()
}

var pid = strconv.Itoa(os.Getpid())

// hidePid replaces this process's id, which differs between runs, in a path.
func hidePid(s string) string {
	return strings.ReplaceAll(s, "/proc/"+pid+"/", "/proc/PID/")
}

// hideIno replaces the inode number of "pipe:[123]" and "socket:[123]".
func hideIno(s string) string {
	if i := strings.Index(s, ":["); i > 0 && strings.HasSuffix(s, "]") {
		return s[:i] + ":[N]"
	}
	return s
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "ring0-state" {
		ring0State()
		return
	}
	self()
	fds()
	status()
	mounts()
	hostFiles()
	devices()
	if failed {
		os.Exit(1)
	}
}

// self: the links and files of /proc/self that name the program.
func self() {
	link, err := os.Readlink("/proc/self")
	must("readlink /proc/self", err)
	check("/proc/self is the pid", link == pid, true)
	// The goroutine must stay on its thread between the readlink and gettid.
	runtime.LockOSThread()
	tl, err := os.Readlink("/proc/thread-self")
	must("readlink /proc/thread-self", err)
	check("/proc/thread-self", tl == pid+"/task/"+strconv.Itoa(syscall.Gettid()), true)
	runtime.UnlockOSThread()

	exe, err := os.Executable()
	must("os.Executable", err)
	check("os.Executable is argv[0]", exe == os.Args[0] || exe == mustAbs(os.Args[0]), true)
	check("os.Executable base", filepath.Base(exe), "procdev")

	cmdline, err := os.ReadFile("/proc/self/cmdline")
	must("read cmdline", err)
	args := strings.Split(strings.TrimSuffix(string(cmdline), "\x00"), "\x00")
	check("cmdline args", len(args), len(os.Args))
	check("cmdline argv[0] base", filepath.Base(args[0]), filepath.Base(os.Args[0]))
	check("cmdline ends with NUL", strings.HasSuffix(string(cmdline), "\x00"), true)

	environ, err := os.ReadFile("/proc/self/environ")
	must("read environ", err)
	vars := strings.Split(strings.TrimSuffix(string(environ), "\x00"), "\x00")
	sort.Strings(vars)
	env := os.Environ()
	sort.Strings(env)
	check("environ is the initial environment", strings.Join(vars, "\n") == strings.Join(env, "\n"), true)
	os.Setenv("PROCDEV_LATER", "1")
	environ, _ = os.ReadFile("/proc/self/environ")
	check("environ after setenv", bytes.Contains(environ, []byte("PROCDEV_LATER")), false)

	comm, err := os.ReadFile("/proc/self/comm")
	must("read comm", err)
	check("comm", string(comm), "procdev\n")

	cwd, err := os.Readlink("/proc/self/cwd")
	must("readlink cwd", err)
	wd, _ := os.Getwd()
	check("cwd is the working directory", cwd == wd, true)
	root, err := os.Readlink("/proc/self/root")
	must("readlink root", err)
	check("root", root, "/")
	st, err := os.Stat("/proc/self/cwd")
	must("stat cwd", err)
	check("cwd is a directory", st.IsDir(), true)
	fi, err := os.Lstat("/proc/self/exe")
	must("lstat exe", err)
	check("exe is a symlink", fi.Mode()&os.ModeSymlink != 0, true)

	_, err = os.ReadFile("/proc/self/nonexistent")
	check("a missing entry", errnoOf(err), errnoOf(syscall.ENOENT))
	fi, err = os.Stat("/proc/self/status")
	must("stat status", err)
	check("status mode", fi.Mode().String(), "-r--r--r--")
	check("status size", fi.Size(), int64(0))
	fi, err = os.Stat("/proc/self/environ")
	must("stat environ", err)
	check("environ mode", fi.Mode().String(), "-r--------")
	check("unlink status", errnoOf(os.Remove("/proc/self/status")), errnoOf(syscall.EPERM))
	check("chmod status", errnoOf(os.Chmod("/proc/self/status", 0o600)), errnoOf(syscall.EPERM))
	check("create in /proc", errnoOf(os.WriteFile("/proc/procdev-new", nil, 0o644)), errnoOf(syscall.ENOENT))
	check("mkdir in /proc", errnoOf(os.Mkdir("/proc/procdev-new", 0o755)), errnoOf(syscall.ENOENT))
}

func mustAbs(p string) string {
	a, _ := filepath.Abs(p)
	return a
}

// fds: /proc/self/fd read with os.ReadDir, the links' texts and modes, fdinfo, and reopening.
func fds() {
	r, w, err := os.Pipe()
	must("pipe", err)
	f, err := os.Open("/proc/self/cmdline")
	must("open cmdline", err)
	nul, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
	must("open /dev/null", err)
	tmp, err := os.CreateTemp("", "procdev-")
	must("create temp", err)
	fmt.Fprint(tmp, "0123456789")
	tmp.Seek(3, 0)

	roles := map[uintptr]string{0: "stdin", 1: "stdout", 2: "stderr", r.Fd(): "pipe read end", w.Fd(): "pipe write end",
		f.Fd(): "/proc/self/cmdline", nul.Fd(): "/dev/null", tmp.Fd(): "temporary file"}
	entries, err := os.ReadDir("/proc/self/fd")
	must("readdir /proc/self/fd", err)
	var lines []string
	for _, e := range entries {
		n, _ := strconv.Atoi(e.Name())
		role, ok := roles[uintptr(n)]
		if !ok {
			continue // the runtime's own (netpoller, cgroup limit) and the directory being read
		}
		target, err := os.Readlink("/proc/self/fd/" + e.Name())
		must("readlink fd", err)
		fi, err := os.Lstat("/proc/self/fd/" + e.Name())
		must("lstat fd", err)
		switch {
		case n <= 2:
			target = "(the harness's)"
		case uintptr(n) == tmp.Fd():
			target = strings.Replace(target, tmp.Name(), "$TMPDIR/procdev-*", 1)
		default:
			target = hideIno(hidePid(target))
		}
		lines = append(lines, fmt.Sprintf("fd of %s: type %v, mode %v, -> %s", role, e.Type(), fi.Mode(), target))
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	check("descriptors listed", len(lines), len(roles))

	info, err := os.ReadFile(fmt.Sprintf("/proc/self/fdinfo/%d", tmp.Fd()))
	must("read fdinfo", err)
	infoLines := strings.Split(string(info), "\n")
	check("fdinfo pos", infoLines[0], "pos:\t3")
	check("fdinfo flags", infoLines[1], "flags:\t02100002")

	re, err := os.OpenFile(fmt.Sprintf("/proc/self/fd/%d", tmp.Fd()), os.O_RDONLY, 0)
	must("reopen temp", err)
	buf := make([]byte, 4)
	n, _ := re.Read(buf)
	check("reopened file reads from its start", string(buf[:n]), "0123")
	re.Close()
	n, _ = tmp.Read(buf)
	check("the original keeps its offset", string(buf[:n]), "3456")

	rp, err := os.OpenFile(fmt.Sprintf("/proc/self/fd/%d", w.Fd()), os.O_WRONLY, 0)
	must("reopen pipe", err)
	fmt.Fprint(rp, "through /proc")
	rp.Close()
	n, _ = r.Read(buf[:4])
	check("a reopened pipe is the same pipe", string(buf[:n]), "thro")

	ev, _, errno := syscall.Syscall(syscall.SYS_EVENTFD2, 0, syscall.O_CLOEXEC, 0)
	if errno != 0 {
		must("eventfd", errno)
	}
	target, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", ev))
	must("readlink eventfd", err)
	check("eventfd link", target, "anon_inode:[eventfd]")
	_, err = os.Open(fmt.Sprintf("/proc/self/fd/%d", ev))
	check("reopen eventfd", errnoOf(err), errnoOf(syscall.ENXIO))
	syscall.Close(int(ev))

	st, err := os.Stat(fmt.Sprintf("/proc/self/fd/%d", nul.Fd()))
	must("stat through fd link", err)
	check("stat /proc/self/fd/N of /dev/null", st.Mode().String(), "Dcrw-rw-rw-")
	_, err = os.Readlink("/proc/self/fd/9999")
	check("a closed descriptor", errnoOf(err), errnoOf(syscall.ENOENT))

	for _, c := range []*os.File{r, w, f, nul, tmp} {
		c.Close()
	}
	os.Remove(tmp.Name())
}

// status: the fields programs parse.
func status() {
	data, err := os.ReadFile("/proc/self/status")
	must("read status", err)
	fields := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			fields[k] = strings.TrimSpace(v)
		}
	}
	check("status Name", fields["Name"], "procdev")
	check("status Pid is the pid", fields["Pid"] == pid, true)
	check("status Tgid is the pid", fields["Tgid"] == pid, true)
	check("status PPid is the parent's", fields["PPid"] == strconv.Itoa(os.Getppid()), true)
	check("status Umask", fields["Umask"], fmt.Sprintf("%04o", syscall.Umask(0o22)))
	uid := strings.Fields(fields["Uid"])
	check("status Uid", len(uid) == 4 && uid[0] == strconv.Itoa(os.Getuid()), true)
	for _, k := range []string{"State", "Threads", "VmRSS", "SigBlk", "CapEff", "voluntary_ctxt_switches"} {
		check("status has "+k, fields[k] != "", true)
	}
	stat, err := os.ReadFile("/proc/self/stat")
	must("read stat", err)
	check("stat pid and comm", strings.HasPrefix(string(stat), pid+" (procdev) "), true)
	check("stat fields", len(strings.Fields(string(stat))) >= 44, true)
}

// mounts: the table has /proc and /dev of the right types, and the root.
func mounts() {
	for _, name := range []string{"/proc/self/mounts", "/proc/mounts"} {
		data, err := os.ReadFile(name)
		must("read "+name, err)
		types := map[string]string{}
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) >= 3 {
				types[f[1]] = f[2]
			}
		}
		check(name+": /proc", types["/proc"], "proc")
		fmt.Printf("%s: /dev: %s\n", name, types["/dev"]) // devtmpfs, or tmpfs in a container: the host's
		check(name+": / is there", types["/"] != "", true)
	}
	data, err := os.ReadFile("/proc/self/mountinfo")
	must("read mountinfo", err)
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 9 && f[4] == "/proc" {
			check("mountinfo /proc", f[len(f)-3], "proc")
			n++
		}
	}
	check("mountinfo has /proc once", n, 1)
}

// hostFiles: what shows through from the host's /proc.
func hostFiles() {
	f, err := os.Open("/proc/cpuinfo")
	must("open cpuinfo", err)
	s := bufio.NewScanner(f)
	processors := 0
	for s.Scan() {
		if strings.HasPrefix(s.Text(), "processor") {
			processors++
		}
	}
	f.Close()
	check("cpuinfo has processors", processors > 0, true)
	data, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	must("read somaxconn", err)
	_, err = strconv.Atoi(strings.TrimSpace(string(data)))
	check("somaxconn is a number", err, nil)
	data, err = os.ReadFile("/proc/uptime")
	must("read uptime", err)
	check("uptime has two numbers", len(strings.Fields(string(data))), 2)

	entries, err := os.ReadDir("/proc")
	must("readdir /proc", err)
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Name()]++
	}
	for _, name := range []string{"self", "thread-self", "mounts", "cpuinfo", "sys", pid} {
		check("/proc lists "+strings.Replace(name, pid, "PID", 1)+" once", seen[name], 1)
	}
	pidEntries, err := os.ReadDir("/proc/self")
	must("readdir /proc/self", err)
	names := map[string]bool{}
	for _, e := range pidEntries {
		names[e.Name()] = true
	}
	for _, name := range []string{"fd", "fdinfo", "cmdline", "environ", "status", "stat", "exe", "cwd", "maps", "task"} {
		check("/proc/self lists "+name, names[name], true)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	must("read maps", err)
	check("maps has lines", bytes.Count(maps, []byte("\n")) > 5, true)

	// /proc/net is the host's link to self/net: followed, it is a directory.
	fi, err := os.Stat("/proc/net")
	must("stat /proc/net", err)
	check("/proc/net mode", fi.Mode().String(), "dr-xr-xr-x")
	dev, err := os.ReadFile("/proc/net/dev")
	must("read /proc/net/dev", err)
	check("/proc/net/dev lists lo", bytes.Contains(dev, []byte(" lo:")), true)
}

// devices: the kernel's devices.
func devices() {
	null, err := os.OpenFile("/dev/null", os.O_RDWR, 0)
	must("open /dev/null", err)
	n, err := null.Write(make([]byte, 30))
	check("write /dev/null", fmt.Sprint(n, err), "30 <nil>")
	n, err = null.Read(make([]byte, 10))
	check("read /dev/null", fmt.Sprint(n, err), "0 EOF")
	off, err := null.Seek(100, 0)
	check("seek /dev/null", fmt.Sprint(off, err), "0 <nil>")
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, null.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&syscall.Termios{})))
	check("isatty /dev/null", errnoOf(errno), errnoOf(syscall.ENOTTY))
	null.Close()

	zero, err := os.Open("/dev/zero")
	must("open /dev/zero", err)
	buf := bytes.Repeat([]byte{0xff}, 4096)
	n, err = zero.Read(buf)
	check("read /dev/zero", fmt.Sprint(n, err, bytes.Count(buf, []byte{0})), "4096 <nil> 4096")
	m, err := syscall.Mmap(int(zero.Fd()), 0, 8192, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	must("mmap /dev/zero", err)
	check("mapping of /dev/zero is zero", bytes.Count(m, []byte{0}), 8192)
	m[100] = 7
	check("and writable", m[100], byte(7))
	syscall.Munmap(m)
	zero.Close()

	full, err := os.OpenFile("/dev/full", os.O_RDWR, 0)
	must("open /dev/full", err)
	_, err = full.Write([]byte("x"))
	check("write /dev/full", errnoOf(err), errnoOf(syscall.ENOSPC))
	n, _ = full.Read(buf[:8])
	check("read /dev/full", n, 8)
	full.Close()

	ur, err := os.Open("/dev/urandom")
	must("open /dev/urandom", err)
	a, b := make([]byte, 32), make([]byte, 32)
	n1, _ := ur.Read(a)
	n2, _ := ur.Read(b)
	check("read /dev/urandom", fmt.Sprint(n1, n2), "32 32")
	check("two reads differ", bytes.Equal(a, b), false)
	check("not all zero", bytes.Count(a, []byte{0}) < 32, true)
	big := make([]byte, 1<<20)
	n, _ = ur.Read(big)
	check("a large read", n, 1<<20)
	ur.Close()

	for _, name := range []string{"null", "zero", "full", "random", "urandom", "tty"} {
		var st syscall.Stat_t
		must("stat /dev/"+name, syscall.Stat("/dev/"+name, &st))
		fmt.Printf("/dev/%s: mode %o rdev %d:%d\n", name, st.Mode, (st.Rdev>>8)&0xfff, st.Rdev&0xff|(st.Rdev>>12)&0xfff00)
	}
	for _, name := range []string{"fd", "stdin", "stdout", "stderr"} {
		target, err := os.Readlink("/dev/" + name)
		check("/dev/"+name, fmt.Sprint(target, err), fmt.Sprint(map[string]string{"fd": "/proc/self/fd",
			"stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"}[name], nil))
	}
	out, err := os.OpenFile("/dev/stdout", os.O_WRONLY, 0)
	must("open /dev/stdout", err)
	fmt.Fprintln(out, "written through /dev/stdout")
	out.Close()

	// What these give depends on how the program was started (the same for both runs of a case).
	var t syscall.Termios
	_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, 0, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	fmt.Println("isatty(stdin):", errno == 0)
	tty, err := os.Open("/dev/tty")
	fmt.Println("open /dev/tty:", errnoOf(err)) // ENXIO without a controlling terminal
	if err == nil {
		tty.Close()
	}

	entries, err := os.ReadDir("/dev")
	must("readdir /dev", err)
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Name()]++
	}
	for _, name := range []string{"null", "zero", "full", "random", "urandom", "tty", "stdout", "fd"} {
		check("/dev lists "+name+" once", seen[name], 1)
	}
	if _, err := os.Stat("/dev/shm"); err != nil {
		fmt.Println("no /dev/shm on this host")
		return
	}
	check("/dev lists shm once", seen["shm"], 1)
	shm, err := os.CreateTemp("/dev/shm", "procdev-")
	must("create in /dev/shm", err)
	fmt.Fprint(shm, "shared")
	shm.Close()
	data, err := os.ReadFile(shm.Name())
	check("a file in /dev/shm", fmt.Sprint(string(data), " ", err), "shared <nil>")
	must("remove it", os.Remove(shm.Name()))
}

// ring0State checks that the kernel's state shows this program: its open files and its threads.
func ring0State() {
	if _, err := os.Stat("/proc/ring0"); err != nil {
		fmt.Println("no /proc/ring0: not running in Ring0")
		os.Exit(3)
	}
	f, err := os.CreateTemp("", "ring0-state-")
	must("create temp", err)
	defer os.Remove(f.Name())
	files, err := os.ReadFile("/proc/ring0/files")
	must("read /proc/ring0/files", err)
	found := false
	for _, line := range strings.Split(string(files), "\n") {
		fl := strings.Fields(line)
		if len(fl) > 4 && fl[0] == strconv.Itoa(int(f.Fd())) && strings.HasSuffix(line, filepath.Base(f.Name())) {
			found = true
		}
	}
	check("/proc/ring0/files shows the temporary file", found, true)
	tasks, err := os.ReadFile("/proc/ring0/tasks")
	must("read /proc/ring0/tasks", err)
	tid := strconv.Itoa(syscall.Gettid())
	me := ""
	for _, line := range strings.Split(string(tasks), "\n") {
		if fl := strings.Fields(line); len(fl) > 8 && fl[0] == tid {
			me = fl[7]
		}
	}
	check("/proc/ring0/tasks shows this thread in read", me, "read")
	for _, name := range []string{"mounts", "syscalls", "dmesg", "cache", "stats"} {
		data, err := os.ReadFile("/proc/ring0/" + name)
		check("/proc/ring0/"+name+" is readable", err == nil && len(data) > 0, true)
	}
	if failed {
		os.Exit(1)
	}
}
