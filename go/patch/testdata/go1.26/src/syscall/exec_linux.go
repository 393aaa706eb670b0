// Fixture: syscall/exec_linux.go, cut down.

package syscall

func forkAndExecInChild(argv0 *byte, argv, envv []*byte, chroot, dir *byte, attr *ProcAttr, sys *SysProcAttr, pipe int) (pid int, err Errno) {
	return forkAndExecInChild1(argv0, argv, envv, chroot, dir, attr, sys, pipe)
}
