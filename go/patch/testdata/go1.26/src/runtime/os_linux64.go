// Fixture: runtime/os_linux64.go, cut down.

package runtime

import "unsafe"

func futex(addr unsafe.Pointer, op int32, val uint32, ts *timespec, addr2 unsafe.Pointer, val3 uint32) int32
