// Package observe tests that the kernel's observation options see every call the app makes, the
// ones Ring0 otherwise answers on the Go side (writes to /dev/null, ABI 4) included: --stats counts
// them and --strace prints them.
package observe

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"ring0.dev/tests/internal/repo"
	"testing"
)

const writes = 1000

func build(t *testing.T) (launcher, exe string) {
	if testing.Short() {
		t.Skip("builds a ring0 executable and boots a kernel: run without -short")
	}
	root := repo.Root(t)
	exe = repo.BuildRing0(t, root, "./tests/observe/devnull", t.TempDir(), "devnull")
	return repo.Launcher(root), exe
}

func TestStatsCountEveryWrite(t *testing.T) {
	launcher, exe := build(t)
	stats := filepath.Join(t.TempDir(), "stats.json")
	if out, err := exec.Command(launcher, "run", "--stats="+stats, exe).CombinedOutput(); err != nil {
		t.Fatalf("ring0 run --stats: %v\n%s", err, out)
	}
	data, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Syscalls map[string]struct{ Kernel int }
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", stats, err)
	}
	if got := s.Syscalls["write"].Kernel; got != writes {
		t.Errorf("--stats counts %d writes served by the kernel, want %d", got, writes)
	}
}

func TestStraceShowsEveryWrite(t *testing.T) {
	launcher, exe := build(t)
	var stderr bytes.Buffer
	cmd := exec.Command(launcher, "run", "--strace", exe)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ring0 run --strace: %v\n%s", err, stderr.Bytes())
	}
	lines := regexp.MustCompile(`(?m)^\[\d+\] write\(\d+, "x", 1\) = 1$`).FindAll(stderr.Bytes(), -1)
	if len(lines) != writes {
		t.Errorf("--strace shows %d writes of \"x\", want %d", len(lines), writes)
	}
}
