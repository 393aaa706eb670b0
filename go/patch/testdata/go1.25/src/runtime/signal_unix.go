// Fixture: runtime/signal_unix.go, cut down.

package runtime

func initsig(preinit bool) {
	for i := uint32(0); i < _NSIG; i++ {
		fwdSig[i] = getsig(i)
	}
}

func sigfwdgo(sig uint32, info *siginfo, ctx unsafe.Pointer) bool {
	gp := sigFetchG(c)
	if gp != nil && gp.m != nil && gp.m.curg != nil && !gp.m.isExtraInC && !gp.m.incgo {
		return false
	}
	return true
}

func badsignal(sig uintptr, c *sigctxt) {
	needm(true)
	dropm()
}
