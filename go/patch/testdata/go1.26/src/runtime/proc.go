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

func findRunnable() (gp *g, inheritTime, tryWakeP bool) {
	mp := getg().m

top:
	pp := mp.p.ptr()
	now, pollUntil, _ := pp.timers.check(0, nil)

	// Check the global runnable queue once in a while to ensure fairness.
	// Otherwise two goroutines can completely occupy the local runqueue
	// by constantly respawning each other.
	if pp.schedtick%61 == 0 && !sched.runq.empty() {
	}

	// We have nothing to do.
	//
	// If we're in the GC mark phase, can safely scan and blacken objects,
	// and have work to do, run idle-time marking rather than give up the P.

	// return P and block
	lock(&sched.lock)
	if sched.gcwaiting.Load() || pp.runSafePointFn != 0 {
		unlock(&sched.lock)
		goto top
	}
	if !sched.runq.empty() {
	}
}

func injectglist(glist *gList) {
	if glist.empty() {
		return
	}
}

func gdestroy(gp *g) {
	mp := getg().m
	pp := mp.p.ptr()
}

func newproc1(fn *funcval, callergp *g, callerpc uintptr, parked bool, waitreason waitReason) *g {
	newg.parentGoid = callergp.goid
	newg.gopc = callerpc
	return newg
}

func sysmon() {
	for {
		if delay > 10*1000 { // up to 10ms
			delay = 10 * 1000
		}
		usleep(delay)
	}
}

func globrunqput(gp *g) {
	assertLockHeld(&sched.lock)

	sched.runq.pushBack(gp)
}

func runqput(pp *p, gp *g, next bool) {
	if !haveSysmon && next {
		next = false
	}
}
