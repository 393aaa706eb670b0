package patch

import "path"

// PlanFor returns the whole patch for a profile. Each group of edits names the GOROOT files it touches
// and why; sites.txt lists every raw SYSCALL site and which of them the edits route to the kernel.
func PlanFor(p Profile) Plan {
	var edits []Edit
	edits = append(edits, entryEdits()...)
	edits = append(edits, stubEdits(p)...)
	edits = append(edits, schedEdits()...)
	edits = append(edits, cgoEdits()...)
	edits = append(edits, syscallEdits(p)...)
	edits = append(edits, priorityEdits()...)
	return Plan{
		Profile: p,
		Edits:   edits,
		Adds: []Add{
			{File: "src/runtime/ring0_linux_amd64.go", Template: "runtime_ring0.go.tmpl"},
			{File: path.Join("src", p.SysPkg, "ring0_linux_amd64.go"), Template: "rawsyscall.go.tmpl"},
			{File: "src/syscall/ring0_linux_amd64.go", Template: "syscall_ring0.go.tmpl"},
			{File: "src/runtime/ring0_priority_linux_amd64.go", Template: "priority.go.tmpl"},
			// The host can execute a ring0 executable: it then runs the ring0 launcher on itself.
			{File: "src/runtime/cgo/ring0_exec_linux_amd64.go", Template: "exec_entry.go.tmpl"},
			{File: "src/runtime/cgo/gcc_ring0_exec_linux_amd64.c", Template: "exec_entry.c.tmpl"},
		},
	}
}

// entryEdits: runtime/asm_amd64.s. The library constructor keeps the environment the dynamic loader
// passed it (DX), which is where the kernel left its address.
func entryEdits() []Edit {
	return []Edit{{
		File: "src/runtime/asm_amd64.s",
		Old:  "\tMOVQ\tSI, _rt0_amd64_lib_argv<>(SB)\n",
		New:  "\tMOVQ\tSI, _rt0_amd64_lib_argv<>(SB)\n\tMOVQ\tDX, runtime·ring0Envp(SB)\n",
		Why:  "save the constructor's envp for ring0attach",
	}}
}

// kernelStubs are the runtime's assembly system call stubs that may enter the kernel (sites.txt:
// kernel). Each is renamed to ring0host_<name> and replaced by a Go function in ring0_linux_amd64.go.
var kernelStubs = []string{"exit", "open", "closefd", "write1", "read", "pipe2", "usleep", "futex", "osyield"}

// stubEdits: runtime/sys_linux_amd64.s and the Go files that declare those stubs.
func stubEdits(p Profile) []Edit {
	var edits []Edit
	for _, name := range kernelStubs {
		edits = append(edits, Edit{
			File: "src/runtime/sys_linux_amd64.s",
			Old:  "TEXT runtime·" + name + "(SB),",
			New:  "TEXT runtime·ring0host_" + name + "(SB),",
			Why:  "the Go version in ring0_linux_amd64.go routes it",
		})
	}
	rename := func(file, name, params string) Edit {
		return Edit{
			File: "src/runtime/" + file,
			Old:  "\nfunc " + name + "(" + params,
			New:  "\nfunc ring0host_" + name + "(" + params,
			Why:  "the host stub keeps its declaration; ring0_linux_amd64.go defines " + name,
		}
	}
	return append(edits,
		rename("stubs2.go", "read", "fd int32, p unsafe.Pointer, n int32) int32\n"),
		rename("stubs2.go", "closefd", "fd int32) int32\n"),
		rename("stubs2.go", "exit", "code int32)\n"),
		rename("stubs2.go", "usleep", "usec uint32)\n"),
		rename("stubs2.go", "write1", "fd uintptr, p unsafe.Pointer, n int32) int32\n"),
		rename("stubs2.go", "open", "name *byte, mode, perm int32) int32\n"),
		rename("os_linux.go", "osyield", ")\n"),
		rename("os_linux.go", "pipe2", "flags int32) (r, w int32, errno int32)\n"),
		rename(p.FutexFile, "futex", "addr unsafe.Pointer, op int32, val uint32, "+futexMiddle(p)+"addr2 unsafe.Pointer, val3 uint32) int32\n"),
	)
}

func futexMiddle(p Profile) string {
	if p.FutexTS == "unsafe.Pointer" {
		return "ts, " // "ts, addr2 unsafe.Pointer"
	}
	return "ts " + p.FutexTS + ", "
}

// schedEdits: runtime/runtime2.go, proc.go, signal_unix.go.
func schedEdits() []Edit {
	return []Edit{
		{
			File: "src/runtime/runtime2.go",
			Old:  "\tincgo           bool          // m is executing a cgo call\n",
			New:  "\tincgo           bool          // m is executing a cgo call\n\tring0           ring0M        // Ring0: this thread's kernel state\n",
			Why:  "per-thread kernel state",
		},
		{
			File: "src/runtime/proc.go",
			Old:  "\tgoargs()\n\tgoenvs()\n",
			New:  "\tgoargs()\n\tgoenvs()\n\tring0attach()\n",
			Why:  "find the kernel before any package init; take argv and envp from it",
		},
		{
			File: "src/runtime/proc.go",
			Old:  "\tgp.m.locks++\n\tsigsave(&gp.m.sigmask)\n\tsigblock(false)\n",
			New:  "\tgp.m.locks++\n\tgp.m.ring0.hostOnly = true\n\tsigsave(&gp.m.sigmask)\n\tsigblock(false)\n",
			Why:  "a (v)fork child shares this thread's memory and must not enter the kernel",
		},
		{
			File: "src/runtime/proc.go",
			Old:  "\tmsigrestore(gp.m.sigmask)\n\n\tgp.m.locks--\n}\n",
			New:  "\tmsigrestore(gp.m.sigmask)\n\n\tgp.m.ring0.hostOnly = false\n\tgp.m.locks--\n}\n",
			Why:  "the parent enters the kernel again after the fork",
		},
		{
			File: "src/runtime/proc.go",
			Old:  "\tif !iscgo && cgoHasExtraM && extraMLength.Load() > 0 {\n",
			New:  "\tif (!iscgo || ring0Entry != 0) && cgoHasExtraM && extraMLength.Load() > 0 { // Ring0: cgo's extra M is not the app's\n",
			Why:  "deadlock detection as in a pure Go executable: the extra M that c-shared mode keeps for C callers is not running Go code",
		},
		{
			File: "src/runtime/signal_unix.go",
			Old:  "\t\tfwdSig[i] = getsig(i)\n",
			New:  "\t\tif handlingSig[i] == 0 { // Ring0: installed at preinit; keep the handler saved then\n\t\t\tfwdSig[i] = getsig(i)\n\t\t\tsig.ignored[i/32] &^= 1 << (i & 31) // decided again below, as by an executable\n\t\t}\n",
			Why:  "after attach the library initialises signals as an executable, once more; it must not forward to itself",
		},
		{
			File: "src/runtime/signal_unix.go",
			Old:  "\tif gp != nil && gp.m != nil && gp.m.curg != nil && !gp.m.isExtraInC && !gp.m.incgo {\n",
			New:  "\tif gp != nil && gp.m != nil && gp.m.curg != nil && !gp.m.isExtraInC && (!gp.m.incgo || gp.m.ring0.inKernel && sig == _SIGPIPE) {\n",
			Why:  "a SIGPIPE raised by a host write the kernel made for the app is the app's, as natively; not the JVM's",
		},
		{
			File: "src/runtime/signal_unix.go",
			Old:  "func badsignal(sig uintptr, c *sigctxt) {\n",
			New:  "func badsignal(sig uintptr, c *sigctxt) {\n\tif ring0RedirectSignal(uint32(sig), c) {\n\t\treturn\n\t}\n",
			Why:  "a signal sent to the process that lands on a JVM thread goes on to a Go thread, as natively",
		},
	}
}

// cgoEdits: runtime/cgocall.go. C code makes its system calls past the kernel: the kernel writes its
// dirty file data to the host before C runs, and distrusts its cached names after (ring0BeforeC,
// ring0AfterC in ring0_linux_amd64.go).
func cgoEdits() []Edit {
	return []Edit{
		{
			File: "src/runtime/cgocall.go",
			Old:  "\terrno := asmcgocall(fn, arg)\n",
			New:  "\tring0BeforeC()\n\terrno := asmcgocall(fn, arg)\n\tring0AfterC()\n",
			Why:  "a Go call into C: C sees the app's writes, and the kernel what C did",
		},
		{
			File: "src/runtime/cgocall.go",
			Old:  "func cgocallbackg(fn, frame unsafe.Pointer, ctxt uintptr) {\n\tgp := getg()\n",
			New:  "func cgocallbackg(fn, frame unsafe.Pointer, ctxt uintptr) {\n\tring0AfterC()\n\tgp := getg()\n",
			Why:  "C calls into Go: the kernel sees what C did before",
		},
		{
			File: "src/runtime/cgocall.go",
			Old:  "\tcgocallbackg1(fn, frame, ctxt)\n",
			New:  "\tcgocallbackg1(fn, frame, ctxt)\n\tring0BeforeC()\n",
			Why:  "Go returns to C: C sees what the callback wrote",
		},
	}
}

// ring0Try is the attempt that starts package syscall's Syscall and Syscall6 (runtime.ring0TrySyscall,
// declared in syscall's ring0_linux_amd64.go as ring0TryCall): if the kernel served the call at once,
// return its result without entersyscall and exitsyscall.
func ring0Try(a456 string) string {
	return "\tif r, e, ok := ring0TryCall(trap, a1, a2, a3, " + a456 + "); ok { // Ring0: served at once, no entersyscall\n" +
		"\t\treturn r, 0, Errno(e)\n\t}\n"
}

// syscallEdits: the runtime's syscall package (Syscall6 becomes RawSyscall6), syscall/syscall_linux.go
// (Syscall and Syscall6 try the kernel first) and syscall/exec_linux.go.
func syscallEdits(p Profile) []Edit {
	return []Edit{
		{
			File: path.Join("src", p.SysPkg, "asm_linux_amd64.s"),
			Old:  "TEXT ·Syscall6<ABIInternal>(SB),",
			New:  "TEXT ·RawSyscall6<ABIInternal>(SB),",
			Why:  "Syscall6 is now runtime.ring0Syscall6",
		},
		{
			File: "src/syscall/syscall_linux.go",
			Old:  "func Syscall(trap, a1, a2, a3 uintptr) (r1, r2 uintptr, err Errno) {\n\truntime_entersyscall()\n",
			New: "func Syscall(trap, a1, a2, a3 uintptr) (r1, r2 uintptr, err Errno) {\n" + ring0Try("0, 0, 0") +
				"\truntime_entersyscall()\n",
			Why: "a kernel call that cannot block skips entersyscall/exitsyscall",
		},
		{
			File: "src/syscall/syscall_linux.go",
			Old:  "func Syscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err Errno) {\n\truntime_entersyscall()\n",
			New: "func Syscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err Errno) {\n" + ring0Try("a4, a5, a6") +
				"\truntime_entersyscall()\n",
			Why: "a kernel call that cannot block skips entersyscall/exitsyscall",
		},
		{
			File: "src/syscall/exec_linux.go",
			Old:  "func forkAndExecInChild(argv0 *byte, argv, envv []*byte, chroot, dir *byte, attr *ProcAttr, sys *SysProcAttr, pipe int) (pid int, err Errno) {\n",
			New: "func forkAndExecInChild(argv0 *byte, argv, envv []*byte, chroot, dir *byte, attr *ProcAttr, sys *SysProcAttr, pipe int) (pid int, err Errno) {\n" +
				"\tif attr, sys, pipe, err = ring0HostFds(attr, sys, pipe); err != 0 {\n\t\treturn 0, err\n\t}\n",
			Why: "the child gets host descriptors",
		},
		{
			File: "src/syscall/exec_linux.go",
			Old:  "\t\tif err := forkExecPipe(mapPipe[:]); err != nil {\n\t\t\terr1 = err.(Errno)\n\t\t\treturn\n\t\t}\n",
			New: "\t\tif err := forkExecPipe(mapPipe[:]); err != nil {\n\t\t\terr1 = err.(Errno)\n\t\t\treturn\n\t\t}\n" +
				"\t\tif err1 = ring0HostMapPipe(mapPipe); err1 != 0 {\n\t\t\treturn\n\t\t}\n",
			Why: "the user namespace mapping pipe: the parent keeps the kernel's descriptors, the child gets host ones",
		},
		{
			File: "src/syscall/exec_linux.go",
			Old:  "\tif sys.PidFD != nil {\n\t\t*sys.PidFD = int(pidfd)\n\t}\n",
			New:  "\tif sys.PidFD != nil {\n\t\t*sys.PidFD = ring0AdoptFd(int(pidfd))\n\t}\n",
			Why:  "clone(CLONE_PIDFD) on the host made a host pidfd: the program gets the kernel's number for it",
		},
		{
			File: "src/syscall/exec_linux.go",
			Old:  "\tpid, errno := doCheckClonePidfd(&pidfd)\n\tif errno != 0 {\n\t\treturn errno\n\t}\n",
			New: "\tpid, errno := doCheckClonePidfd(&pidfd)\n\tif errno != 0 {\n\t\treturn errno\n\t}\n" +
				"\tpidfd = int32(ring0AdoptFd(int(pidfd)))\n",
			Why: "os's pidfd check: the host pidfd of its clone becomes the kernel's, for waitid and Close",
		},
		{
			File: "src/syscall/exec_linux.go",
			Old:  "\tfor {\n\t\tRawSyscall(SYS_EXIT_GROUP, 0, 0, 0)\n\t}\n",
			New:  "\tfor {\n\t\trawSyscallNoError(SYS_EXIT_GROUP, 0, 0, 0) // Ring0: the host's SYSCALL\n\t}\n",
			Why:  "doCheckClonePidfd's vfork child shares our memory and must not enter the kernel",
		},
		{
			File: "src/syscall/exec_linux.go",
			Old:  "RawSyscall(SYS_CLOSE, uintptr(mapPipe[1]), 0, 0)",
			New:  "RawSyscall(SYS_CLOSE, uintptr(ring0MapPipe[1]), 0, 0)",
			Why:  "in the child: the host descriptor",
		},
		{
			File: "src/syscall/exec_linux.go",
			Old:  "RawSyscall(SYS_READ, uintptr(mapPipe[0]),",
			New:  "RawSyscall(SYS_READ, uintptr(ring0MapPipe[0]),",
			Why:  "in the child: the host descriptor",
		},
	}
}
