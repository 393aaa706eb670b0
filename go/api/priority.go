// Package ring0 is what a Go program may ask of Ring0, the kernel written in Java that runs native Go
// programs (https://ring0.dev): goroutine priorities, and whether it runs inside the kernel at all.
//
// A program imports it as any package. Built by `ring0 build` (which sets the build tag ring0),
// it talks to Ring0's patched Go runtime; built by plain `go build`, every function here is a
// no-op, so the same source runs on Linux (or anywhere else) unchanged.
//
// # Priorities
//
// A goroutine is Low, Normal (every goroutine, unless it asks) or High. Inside Ring0:
//
//   - A runnable High goroutine runs before Normal and Low ones, on whichever P (processor) comes
//     free first: it waits in one queue that every P checks before its own, never behind a busy
//     P's local queue. When it becomes runnable (a channel send, a mutex, a timer, the network) and
//     no P is idle, a P running a lower-priority goroutine is preempted to run it. While any High
//     goroutine exists, timers that are due are run promptly even when every P is busy, so a High
//     goroutine waiting for a ticker is woken on time.
//   - A Low goroutine runs only when a P has nothing else to do.
//   - Kernel wait queues (futexes, pipes, epoll) wake higher priorities first.
//
// Nothing starves forever. A P that has run only High goroutines for 50 ms gives one turn (one time
// slice, at most 10 ms) to Normal work, if there is any; so a flood of CPU-bound High goroutines
// leaves Normal work at least about one slice in six on every P. The oldest Low goroutine, once it
// has waited 50 ms, runs before anything else, at most one such every 50 ms in the whole program:
// under full load Low goroutines get at least 20 turns a second between them, first come first
// served.
//
// A goroutine started with the go statement is Normal whatever the priority of the goroutine that
// starts it: priority is not inherited, because libraries start goroutines on their callers' behalf
// and a High caller must not make them all High. Use Go to start a goroutine with a priority.
//
// Priorities are for latency, not throughput: a High goroutine should do a little work and block
// again. Among goroutines of the same priority the order is Go's own.
package ring0

import "strconv"

// Priority is a goroutine's scheduling priority: Low, Normal or High.
type Priority int

const (
	// Low: runs when a P has nothing else to do (but never starves, see the package comment).
	Low Priority = -1
	// Normal is every goroutine's priority unless it asks for another.
	Normal Priority = 0
	// High: runs before Normal and Low goroutines, on any P, preempting them if need be.
	High Priority = 1
)

// String returns "low", "normal" or "high", or "Priority(n)" for other values.
func (p Priority) String() string {
	switch p {
	case Low:
		return "low"
	case Normal:
		return "normal"
	case High:
		return "high"
	}
	return "Priority(" + strconv.Itoa(int(p)) + ")"
}

// clamp makes any Priority value one of the three levels.
func clamp(p Priority) Priority {
	return min(max(p, Low), High)
}

// SetPriority sets the priority of the calling goroutine and returns its previous one. A value
// above High is High, one below Low is Low. Lowering it yields at once if a High goroutine is
// waiting; otherwise a change takes effect at the goroutine's next scheduling point.
//
// Outside Ring0 it does nothing and returns Normal.
func SetPriority(p Priority) Priority {
	return setPriority(clamp(p))
}

// CurrentPriority returns the priority of the calling goroutine. Outside Ring0 it is always Normal.
func CurrentPriority() Priority {
	return currentPriority()
}

// Go starts f in a new goroutine of priority p (clamped as by SetPriority). The goroutine has its
// priority before it first becomes runnable: a High one may run, on this P, before Go returns.
//
// Outside Ring0 it is the go statement: go f().
func Go(p Priority, f func()) {
	if f == nil {
		panic("ring0.Go: nil func")
	}
	spawn(clamp(p), f)
}

// InKernel reports whether the program runs inside Ring0: built by ring0 build and started by
// ring0 run or ring0 insexe.
func InKernel() bool {
	return inKernel()
}
