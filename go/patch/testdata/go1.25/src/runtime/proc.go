// Fixture: runtime/proc.go, cut down.

package runtime

func schedinit() {
	goargs()
	goenvs()
	secure()
}

func syscall_runtime_BeforeFork() {
	gp := getg().m.curg
	gp.m.locks++
	sigsave(&gp.m.sigmask)
	sigblock(false)
}

func syscall_runtime_AfterFork() {
	gp := getg().m.curg
	msigrestore(gp.m.sigmask)

	gp.m.locks--
}

func checkdead() {
	if !iscgo && cgoHasExtraM && extraMLength.Load() > 0 {
		return
	}
}
