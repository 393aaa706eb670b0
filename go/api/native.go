//go:build !(ring0 && linux && amd64)

package ring0

// Built by plain go build: no Ring0 runtime, so priorities are not recorded and nothing is in a
// kernel.

func setPriority(Priority) Priority { return Normal }
func currentPriority() Priority     { return Normal }
func spawn(_ Priority, f func())    { go f() }
func inKernel() bool                { return false }
