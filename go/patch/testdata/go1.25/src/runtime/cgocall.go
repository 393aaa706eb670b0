// Fixture: runtime/cgocall.go, cut down.

package runtime

import "unsafe"

func cgocall(fn, arg unsafe.Pointer) int32 {
	entersyscall()
	errno := asmcgocall(fn, arg)
	exitsyscall()
	return errno
}

func cgocallbackg(fn, frame unsafe.Pointer, ctxt uintptr) {
	gp := getg()
	exitsyscall()
	cgocallbackg1(fn, frame, ctxt)
	reentersyscall(gp.syscallpc, gp.syscallsp, gp.syscallbp)
}
