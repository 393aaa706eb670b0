// Fixture: runtime/os_linux.go, cut down.

package runtime

import "unsafe"

func futex(addr unsafe.Pointer, op int32, val uint32, ts, addr2 unsafe.Pointer, val3 uint32) int32

func osyield()

func pipe2(flags int32) (r, w int32, errno int32)
