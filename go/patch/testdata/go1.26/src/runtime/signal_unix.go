// Fixture: runtime/signal_unix.go, cut down.

package runtime

func initsig(preinit bool) {
	for i := uint32(0); i < _NSIG; i++ {
		fwdSig[i] = getsig(i)
	}
}
