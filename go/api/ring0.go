//go:build ring0 && linux && amd64

package ring0

import _ "unsafe" // go:linkname

// Built by ring0 build: these are implemented by Ring0's runtime patch, in package runtime, which
// marks them for linking from here (go/patch/files/priority.go.tmpl). Plain go build with
// -tags ring0 fails to link: it has no such runtime.

//go:linkname runtimeSetPriority runtime.ring0SetPriority
func runtimeSetPriority(p int) int

//go:linkname runtimePriority runtime.ring0Priority
func runtimePriority() int

//go:linkname runtimeGo runtime.ring0Go
func runtimeGo(p int, f func())

//go:linkname runtimeAttached runtime.ring0Attached
func runtimeAttached() bool

func setPriority(p Priority) Priority { return Priority(runtimeSetPriority(int(p))) }
func currentPriority() Priority       { return Priority(runtimePriority()) }
func spawn(p Priority, f func())      { runtimeGo(int(p), f) }
func inKernel() bool                  { return runtimeAttached() }
