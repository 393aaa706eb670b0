package patch

// priorityEdits: goroutine priorities (package ring0.dev/api), in runtime/runtime2.go and proc.go.
// Each edit adds one call into ring0_priority_linux_amd64.go (files/priority.go.tmpl), which holds
// the design, the starvation policy and all the logic; the anchors are lines that go1.24, go1.25 and
// go1.26 share.
func priorityEdits() []Edit {
	const proc = "src/runtime/proc.go"
	return []Edit{
		{
			File: "src/runtime/runtime2.go",
			Old:  "\tparentGoid ",
			New:  "\tring0 ring0G // Ring0: priority\n\tparentGoid ",
			Why:  "per-goroutine priority",
		},
		{
			File: proc,
			Old:  "\t// Check the global runnable queue once in a while to ensure fairness.\n",
			New: "\tif gp := ring0runnable(pp); gp != nil { // Ring0: High goroutines first, on every P\n\t\treturn gp, false, false\n\t}\n\n" +
				"\t// Check the global runnable queue once in a while to ensure fairness.\n",
			Why: "findRunnable: every P takes a queued High goroutine (or an aged Low one) before Go's queues",
		},
		{
			File: proc,
			Old:  "\t// We have nothing to do.\n",
			New: "\tif gp := ring0idle(); gp != nil { // Ring0: Low goroutines when there is nothing else\n\t\treturn gp, false, false\n\t}\n\n" +
				"\t// We have nothing to do.\n",
			Why: "findRunnable: a P with no other work runs Low goroutines",
		},
		{
			File: proc,
			Old:  "\tif sched.gcwaiting.Load() || pp.runSafePointFn != 0 {\n",
			New:  "\tif sched.gcwaiting.Load() || pp.runSafePointFn != 0 || ring0queued() { // Ring0: not idle with High or Low work queued\n",
			Why:  "findRunnable: a P does not go idle while the priority queues hold work",
		},
		{
			File: proc,
			Old:  "func runqput(pp *p, gp *g, next bool) {\n",
			New:  "func runqput(pp *p, gp *g, next bool) {\n\tif ring0put(gp) { // Ring0: High and Low goroutines have their own queues\n\t\treturn\n\t}\n",
			Why:  "ready, newproc, goyield: High and Low goroutines go to their queues, never to a P's",
		},
		{
			File: proc,
			Old:  "func globrunqput(gp *g) {\n\tassertLockHeld(&sched.lock)\n",
			New:  "func globrunqput(gp *g) {\n\tassertLockHeld(&sched.lock)\n\tif ring0putLocked(gp) { // Ring0: High and Low goroutines have their own queues\n\t\treturn\n\t}\n",
			Why:  "Gosched, preemption, exitsyscall: likewise",
		},
		{
			File: proc,
			Old:  "func injectglist(glist *gList) {\n",
			New:  "func injectglist(glist *gList) {\n\tring0inject(glist) // Ring0: High and Low goroutines have their own queues\n",
			Why:  "the netpoller's goroutines: likewise",
		},
		{
			File: proc,
			Old:  "\tnewg.parentGoid = callergp.goid\n",
			New:  "\tnewg.parentGoid = callergp.goid\n\tring0newg(newg, callergp)\n",
			Why:  "newproc1: a new goroutine is Normal, or what ring0Go asked for",
		},
		{
			File: proc,
			Old:  "func gdestroy(gp *g) {\n",
			New:  "func gdestroy(gp *g) {\n\tring0exit(gp)\n",
			Why:  "a dead goroutine gives its priority up (it may be reused)",
		},
		{
			File: proc,
			Old:  "\t\tusleep(delay)\n",
			New:  "\t\tusleep(ring0sysmon(delay))\n",
			Why:  "sysmon: overdue timers and waiting High goroutines get a P promptly while High goroutines exist",
		},
	}
}
