// Package priority tests goroutine priorities (package ring0.dev/api, go/api): the API natively (a
// no-op), and the scheduler patch in Ring0, by running the cases of check/main.go inside the kernel
// (ring0 build, then ring0 run) and natively. The cases assert orders of events and that starved
// goroutines progress, never durations; the README of go/api has the latency benchmark.
package priority

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"ring0.dev/tests/internal/repo"
	"strings"
	"sync"
	"testing"

	"ring0.dev/api"
)

// TestAPINative: built by plain go build (this test), the API is a no-op.
func TestAPINative(t *testing.T) {
	if ring0.InKernel() {
		t.Fatal("InKernel() = true in a plain go test")
	}
	if got := ring0.SetPriority(ring0.High); got != ring0.Normal {
		t.Errorf("SetPriority(High) = %v, want Normal", got)
	}
	if got := ring0.CurrentPriority(); got != ring0.Normal {
		t.Errorf("CurrentPriority() = %v after SetPriority(High), want Normal (not recorded natively)", got)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	ran := false
	ring0.Go(ring0.High, func() {
		defer wg.Done()
		ran = true
	})
	wg.Wait()
	if !ran {
		t.Error("Go(High, f) did not run f")
	}
}

var cases = []string{"api", "high-first", "low-last", "low-progress", "normal-under-high", "low-under-high"}

// TestCheck builds check/ natively and as a ring0 executable, and runs every case both ways: each
// must print "ok" and exit 0 (natively the priority cases only print what they saw), and the kernel
// log of a Ring0 run must have no BUG line.
func TestCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a ring0 executable and boots a kernel per case: run without -short")
	}
	root := repo.Root(t)
	native, r0 := repo.BuildBoth(t, root, "./tests/priority/check", t.TempDir(), "check")

	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			run := func(how string, name string, args ...string) {
				cmd := exec.Command(name, args...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				out := stdout.String()
				if err != nil || !strings.HasSuffix(out, "ok\n") {
					t.Errorf("%s: %s %s: %v\nstdout:\n%s\nstderr:\n%s", how, name, strings.Join(args, " "), err, out, stderr.String())
					return
				}
				t.Logf("%s:\n%s", how, out)
			}
			run("native", native, c)
			log := filepath.Join(t.TempDir(), "kernel.log")
			run("ring0", filepath.Join(root, "ring0"), "run", "--log", log, r0, c)
			if b, err := os.ReadFile(log); err == nil && bytes.Contains(b, []byte("BUG")) {
				t.Errorf("kernel log has BUG lines:\n%s", b)
			}
		})
	}
}
