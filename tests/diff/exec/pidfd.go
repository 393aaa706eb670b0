package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"unsafe"
)

// The pidfd calls (not in package syscall, which is frozen) and waitid's P_PIDFD.
const (
	sysPidfdSendSignal = 424
	sysPidfdOpen       = 434
	sysPidfdGetfd      = 438
	pPidfd             = 3
	cldExited          = 1
	cldKilled          = 2
)

// siginfo is the start of siginfo_t as waitid fills it for a child (SIGCHLD).
type siginfo struct {
	Signo, Errno, Code, _ int32
	Pid                   int32
	Uid                   uint32
	Status                int32
	_                     [128 - 28]byte
}

func errnoName(e syscall.Errno) string {
	switch e {
	case 0:
		return "ok"
	case syscall.EBADF:
		return "EBADF"
	case syscall.EINVAL:
		return "EINVAL"
	case syscall.ESRCH:
		return "ESRCH"
	case syscall.ECHILD:
		return "ECHILD"
	}
	return fmt.Sprintf("errno %d", int(e))
}

// startWithPidfd starts argv with syscall.ForkExec and CLONE_PIDFD: its pid and pidfd.
func startWithPidfd(argv ...string) (int, int) {
	path, err := exec.LookPath(argv[0])
	check("lookpath "+argv[0], err, nil)
	pidfd := -1
	pid, err := syscall.ForkExec(path, argv, &syscall.ProcAttr{
		Env:   os.Environ(),
		Files: []uintptr{0, 1, 2},
		Sys:   &syscall.SysProcAttr{PidFD: &pidfd},
	})
	check("forkexec "+argv[0], err, nil)
	check("got a pidfd", pidfd >= 0, true)
	return pid, pidfd
}

func waitidPidfd(pidfd int, options int) (siginfo, syscall.Errno) {
	var info siginfo
	_, _, e := syscall.Syscall6(syscall.SYS_WAITID, pPidfd, uintptr(pidfd), uintptr(unsafe.Pointer(&info)), uintptr(options), 0, 0)
	return info, e
}

func pidfds() {
	// A child that exits: poll says POLLIN, waitid(P_PIDFD) reaps it.
	pid, pidfd := startWithPidfd("sh", "-c", "exit 7")
	fds := []struct {
		fd             int32
		events, revent int16
	}{{int32(pidfd), 0x1, 0}}
	n, _, e := syscall.Syscall(syscall.SYS_POLL, uintptr(unsafe.Pointer(&fds[0])), 1, 10000)
	check("poll pidfd", fmt.Sprint(n, " ", errnoName(e), " revents&POLLIN=", fds[0].revent&0x1), "1 ok revents&POLLIN=1")
	info, e := waitidPidfd(pidfd, syscall.WEXITED)
	check("waitid P_PIDFD", errnoName(e), "ok")
	check("waitid pid is the child's", int(info.Pid) == pid, true)
	check("waitid code/status", fmt.Sprint(info.Code, "/", info.Status), fmt.Sprint(cldExited, "/7"))
	_, e = waitidPidfd(pidfd, syscall.WEXITED)
	check("waitid again", errnoName(e), "ECHILD")
	_, _, e = syscall.Syscall6(sysPidfdSendSignal, uintptr(pidfd), 0, 0, 0, 0, 0)
	check("signal of a reaped child", errnoName(e), "ESRCH")
	syscall.Close(pidfd)

	// pidfd_open of a child, pidfd_send_signal, epoll on the pidfd.
	cmd := exec.Command("sleep", "60")
	check("start sleep", cmd.Start(), nil)
	r, _, e := syscall.Syscall(sysPidfdOpen, uintptr(cmd.Process.Pid), 0, 0)
	check("pidfd_open", errnoName(e), "ok")
	opened := int(r)
	flags, _, _ := syscall.Syscall(syscall.SYS_FCNTL, uintptr(opened), syscall.F_GETFD, 0)
	check("pidfd_open is close-on-exec", flags, uintptr(syscall.FD_CLOEXEC))
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	check("epoll_create1", err, nil)
	check("epoll_ctl pidfd", syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, opened, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(opened)}), nil)
	events := make([]syscall.EpollEvent, 1)
	n2, err := syscall.EpollWait(ep, events, 0)
	check("epoll before the end", fmt.Sprint(n2, err), "0 <nil>")

	// The pidfd handed to a child (ExtraFiles): it is a pidfd of the same process there.
	check_ := exec.Command("sh", "-c", `test "$(sed -n 's/^Pid:[[:space:]]*//p' /proc/self/fdinfo/3)" = "$1" && echo "the child's fd 3 is a pidfd of the sleeper"`, "sh", strconv.Itoa(cmd.Process.Pid))
	check_.ExtraFiles = []*os.File{os.NewFile(uintptr(opened), "pidfd")}
	out, err := check_.Output()
	check("ExtraFiles pidfd", fmt.Sprintf("%q %v", out, err), `"the child's fd 3 is a pidfd of the sleeper\n" <nil>`)

	_, _, e = syscall.Syscall6(sysPidfdSendSignal, uintptr(opened), uintptr(syscall.SIGTERM), 0, 0, 0, 0)
	check("pidfd_send_signal SIGTERM", errnoName(e), "ok")
	for {
		n2, err = syscall.EpollWait(ep, events, 10000)
		if err != syscall.EINTR {
			break
		}
	}
	check("epoll after the end", fmt.Sprintf("%d %v %t %t", n2, err, events[0].Fd == int32(opened), events[0].Events&syscall.EPOLLIN != 0), "1 <nil> true true")
	err = cmd.Wait()
	check("sleep ended by", fmt.Sprint(err), "signal: terminated")
	syscall.Close(ep)
	syscall.Close(opened)

	// os.Process uses pidfds where the system has them: Kill, Wait, then ErrProcessDone.
	cmd = exec.Command("sleep", "60")
	check("start sleep", cmd.Start(), nil)
	check("kill", cmd.Process.Kill(), nil)
	check("wait", fmt.Sprint(cmd.Wait()), "signal: killed")
	check("signal after wait", cmd.Process.Signal(syscall.SIGTERM), os.ErrProcessDone)
	p, err := os.FindProcess(os.Getpid())
	check("find self", err, nil)
	check("signal 0 to self", p.Signal(syscall.Signal(0)), nil)
	p.Release()

	// pidfd_getfd of the app's own process: a duplicate of its own descriptor.
	r, _, e = syscall.Syscall(sysPidfdOpen, uintptr(os.Getpid()), 0, 0)
	check("pidfd_open self", errnoName(e), "ok")
	self := int(r)
	var pipe [2]int
	check("pipe", syscall.Pipe2(pipe[:], syscall.O_CLOEXEC), nil)
	r, _, e = syscall.Syscall(sysPidfdGetfd, uintptr(self), uintptr(pipe[1]), 0)
	check("pidfd_getfd self", errnoName(e), "ok")
	dup := int(r)
	flags, _, _ = syscall.Syscall(syscall.SYS_FCNTL, uintptr(dup), syscall.F_GETFD, 0)
	check("pidfd_getfd is close-on-exec", flags, uintptr(syscall.FD_CLOEXEC))
	syscall.Write(dup, []byte("through the copy"))
	buf := make([]byte, 64)
	n3, _ := syscall.Read(pipe[0], buf)
	check("read", string(buf[:n3]), "through the copy")
	_, _, e = syscall.Syscall(sysPidfdGetfd, uintptr(self), 9999, 0)
	check("pidfd_getfd self of a closed descriptor", errnoName(e), "EBADF")
	_, _, e = syscall.Syscall(sysPidfdGetfd, uintptr(self), uintptr(pipe[0]), 1)
	check("pidfd_getfd with flags", errnoName(e), "EINVAL")
	_, e = waitidPidfd(self, syscall.WEXITED|syscall.WNOHANG)
	check("waitid P_PIDFD of self", errnoName(e), "ECHILD")
	syscall.Close(dup)

	// Bad descriptors and descriptors that are not pidfds.
	f, err := os.CreateTemp("", "pidfd")
	check("create temp", err, nil)
	defer os.Remove(f.Name())
	null, err := os.Open("/dev/null")
	check("open /dev/null", err, nil)
	for _, c := range []struct {
		what string
		fd   int
		want string
	}{
		{"closed", 9999, "EBADF"},
		{"negative", -1, "EBADF"},
		// Linux answers EBADF for a descriptor that is not a pidfd (pidfd_pid), not the EINVAL of the man pages.
		{"a pipe", pipe[0], "EBADF"},
		{"/dev/null", int(null.Fd()), "EBADF"},
		{"a file", int(f.Fd()), "EBADF"},
	} {
		_, _, e = syscall.Syscall6(sysPidfdSendSignal, uintptr(c.fd), 0, 0, 0, 0, 0)
		check("pidfd_send_signal on "+c.what, errnoName(e), c.want)
		_, e = waitidPidfd(c.fd, syscall.WEXITED|syscall.WNOHANG)
		want := c.want
		if c.fd < 0 {
			want = "EINVAL" // waitid checks the pidfd's sign first
		}
		check("waitid P_PIDFD on "+c.what, errnoName(e), want)
		_, _, e = syscall.Syscall(sysPidfdGetfd, uintptr(c.fd), 0, 0)
		check("pidfd_getfd on "+c.what, errnoName(e), c.want)
	}
	_, _, e = syscall.Syscall(sysPidfdOpen, 0, 0, 0)
	check("pidfd_open(0)", errnoName(e), "EINVAL")
	// Options and flags are checked before the descriptor.
	_, e = waitidPidfd(pipe[0], 0)
	check("waitid P_PIDFD on a pipe without options", errnoName(e), "EINVAL")
	_, _, e = syscall.Syscall6(sysPidfdSendSignal, uintptr(pipe[0]), 0, 0, 0x8000, 0, 0)
	check("pidfd_send_signal on a pipe with bad flags", errnoName(e), "EINVAL")
	_, _, e = syscall.Syscall(sysPidfdGetfd, 9999, 0, 1)
	check("pidfd_getfd on a closed descriptor with flags", errnoName(e), "EINVAL")
	_, _, e = syscall.Syscall(sysPidfdOpen, uintptr(os.Getpid()), 0x12345, 0)
	check("pidfd_open bad flags", errnoName(e), "EINVAL")
	syscall.Close(self)
	syscall.Close(pipe[0])
	syscall.Close(pipe[1])
	null.Close()
	f.Close()
}
