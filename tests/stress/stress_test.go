// Package stress runs the stress programs under tests/stress natively and in Ring0. Each program
// checks its own results and exits 0 after printing "ok"; a run that does not end in time is a hang
// (a lost wake-up, a deadlock): the harness sends it SIGQUIT, so that the Go runtime prints every
// goroutine, and fails with that output.
//
//	go test ./tests/stress/                                        # CI: a few seconds per run
//	RING0_STRESS_DURATION=5m go test ./tests/stress/ -timeout 30m -v  # stress mode
//	go test ./tests/stress/ -run 'TestStress/futex/ring0'           # one side
package stress

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"ring0.dev/tests/internal/repo"
	"strings"
	"syscall"
	"testing"
	"time"
)

// programs are the stress programs, by directory under tests/stress.
var programs = []string{"futex"}

// duration is how long each program runs: RING0_STRESS_DURATION, or 5s (2s with -short).
func duration(t *testing.T) time.Duration {
	if s := os.Getenv("RING0_STRESS_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("RING0_STRESS_DURATION=%q: %v", s, err)
		}
		return d
	}
	if testing.Short() {
		return 2 * time.Second
	}
	return 5 * time.Second
}

func TestStress(t *testing.T) {
	root := repo.Root(t)
	ring0 := repo.Launcher(root)
	d := duration(t)
	bin := t.TempDir()
	for _, prog := range programs {
		t.Run(prog, func(t *testing.T) {
			pkg := "./tests/stress/" + prog
			native, r0 := repo.BuildBoth(t, root, pkg, bin, prog)
			args := []string{"-duration", d.String()}
			t.Run("native", func(t *testing.T) { run(t, d, append([]string{native}, args...)) })
			t.Run("ring0", func(t *testing.T) { run(t, d, append([]string{ring0, "run", r0}, args...)) })
		})
	}
}

// run runs argv, which must end within d plus a margin (Ring0 boots a JVM; a loaded CI machine is
// slow) with status 0 and "ok" as its last line.
func run(t *testing.T, d time.Duration, argv []string) {
	limit := d + 2*time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// The Go runtime prints every goroutine on SIGQUIT; the JVM leaves it alone (-Xrs).
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 20 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(limit, cancel)
	err := cmd.Wait()
	hung := !timer.Stop()
	took := time.Since(start).Round(time.Millisecond)
	text := out.String()
	if hung {
		t.Fatalf("%s did not end within %v: a hang (lost wake-up or deadlock). Its output, with the goroutines at SIGQUIT:\n%s",
			strings.Join(argv, " "), limit, tail(text, 400))
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if err != nil || lines[len(lines)-1] != "ok" {
		t.Fatalf("%s: %v after %v\n%s", strings.Join(argv, " "), err, took, tail(text, 200))
	}
	t.Logf("%s: %v\n%s", filepath.Base(argv[len(argv)-3]), took, text)
}

func tail(s string, n int) string {
	l := strings.Split(s, "\n")
	if len(l) > n {
		l = append([]string{fmt.Sprintf("... (%d lines before)", len(l)-n)}, l[len(l)-n:]...)
	}
	return strings.Join(l, "\n")
}
