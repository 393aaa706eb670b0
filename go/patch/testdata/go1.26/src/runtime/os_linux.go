// Fixture: runtime/os_linux.go, cut down.

package runtime

func osyield()

func pipe2(flags int32) (r, w int32, errno int32)
