// Fixture: runtime/stubs2.go, cut down.

package runtime

import "unsafe"

func read(fd int32, p unsafe.Pointer, n int32) int32

func closefd(fd int32) int32

func exit(code int32)
func usleep(usec uint32)

func write1(fd uintptr, p unsafe.Pointer, n int32) int32

func open(name *byte, mode, perm int32) int32
