// Syscall measures the cost of a trivial system call, four ways:
//
//	syscall-raw-fcntl  syscall.RawSyscall(SYS_FCNTL, fd, F_GETFD, 0)
//	syscall-fcntl      syscall.Syscall, same call (adds the runtime's entersyscall/exitsyscall)
//	syscall-raw-getppid syscall.RawSyscall(SYS_GETPPID)
//	syscall-getppid    syscall.Syscall(SYS_GETPPID)
//
// In Ring0 fcntl(F_GETFD) is served entirely by the kernel (its fd table; no host call), so it
// shows the cost of the upcall; getppid is always sent straight to the host, so it shows what a
// host-only call pays for the trampoline's check. Natively all four are plain traps.
//
//	go run ./bench/syscall [-n 3000000] [-quick]
package main

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"ring0.dev/bench/internal/harness"
)

// sink keeps the results alive so the loops cannot be optimised away.
var sink uintptr

type call struct {
	name string
	loop func(n int) uintptr
}

func main() {
	sizes := harness.NewSizes(3_000_000, "measured calls per variant", time.Second, "calls of each variant for this long before its timer starts")
	n, warm := sizes.N, sizes.Warm
	sizes.Parse()
	if *n <= 0 {
		fail(fmt.Errorf("bad -n %d", *n))
	}

	f, err := os.Open("/dev/null")
	if err != nil {
		fail(err)
	}
	defer f.Close()
	fd := f.Fd()
	// os.Open sets close-on-exec: F_GETFD must answer FD_CLOEXEC each time.
	if r, _, e := syscall.RawSyscall(syscall.SYS_FCNTL, fd, syscall.F_GETFD, 0); e != 0 || r != syscall.FD_CLOEXEC {
		fail(fmt.Errorf("fcntl(%d, F_GETFD) = %d, errno %v; want FD_CLOEXEC", fd, r, e))
	}
	ppid := uintptr(os.Getppid())

	calls := []call{
		{"syscall-raw-fcntl", func(n int) uintptr {
			var sum uintptr
			for i := 0; i < n; i++ {
				r, _, e := syscall.RawSyscall(syscall.SYS_FCNTL, fd, syscall.F_GETFD, 0)
				if e != 0 {
					fail(e)
				}
				sum += r
			}
			return sum
		}},
		{"syscall-fcntl", func(n int) uintptr {
			var sum uintptr
			for i := 0; i < n; i++ {
				r, _, e := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFD, 0)
				if e != 0 {
					fail(e)
				}
				sum += r
			}
			return sum
		}},
		{"syscall-raw-getppid", func(n int) uintptr {
			var sum uintptr
			for i := 0; i < n; i++ {
				r, _, _ := syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
				sum += r
			}
			return sum
		}},
		{"syscall-getppid", func(n int) uintptr {
			var sum uintptr
			for i := 0; i < n; i++ {
				r, _, _ := syscall.Syscall(syscall.SYS_GETPPID, 0, 0, 0)
				sum += r
			}
			return sum
		}},
	}
	want := map[string]uintptr{
		"syscall-raw-fcntl":   uintptr(*n) * syscall.FD_CLOEXEC,
		"syscall-fcntl":       uintptr(*n) * syscall.FD_CLOEXEC,
		"syscall-raw-getppid": uintptr(*n) * ppid,
		"syscall-getppid":     uintptr(*n) * ppid,
	}
	for _, c := range calls {
		harness.Warm(*warm, 10_000, func(n int) { sink += c.loop(n) })
		start := time.Now()
		sum := c.loop(*n)
		d := time.Since(start)
		if sum != want[c.name] {
			fail(fmt.Errorf("%s: results sum to %d, want %d", c.name, sum, want[c.name]))
		}
		sink += sum
		fmt.Printf("%s: %d calls in %v\n", c.name, *n, d)
		harness.Print(c.name, d, int64(*n))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "syscall:", err)
	os.Exit(1)
}
