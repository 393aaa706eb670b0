// Fixture: runtime/runtime2.go, cut down.

package runtime

import "internal/runtime/atomic"

type m struct {
	incgo           bool          // m is executing a cgo call
	freeWait        atomic.Uint32 // Whether it is safe to free g0 and delete m
	g0StackAccurate bool          // whether the g0 stack has accurate bounds
}

type g struct {
	sigpc      uintptr
	parentGoid uint64  // goid of goroutine that created this goroutine
	gopc       uintptr // pc of go statement that created this goroutine
}
