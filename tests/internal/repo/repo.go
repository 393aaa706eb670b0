// Package repo serves the repository's Go test suites that run programs natively and in Ring0: it
// finds the repository from a suite's directory and builds a main package both ways.
package repo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Root is the repository: two directories up from a tests/<suite> package, go test's working
// directory.
func Root(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(filepath.Dir(wd))
	if mod, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !bytes.HasPrefix(mod, []byte("module ring0.dev\n")) {
		t.Fatalf("%s is not the ring0 repository root: run go test from the repository", root)
	}
	return root
}

// Launcher is the ring0 launcher of the repository at root.
func Launcher(root string) string {
	return filepath.Join(root, "ring0")
}

// BuildBoth builds the main package pkg (relative to root, "./tests/x/y") into dir twice: name with
// go build and name.ring0 with ring0 build. It returns the two paths.
func BuildBoth(t testing.TB, root, pkg, dir, name string) (native, ring0 string) {
	t.Helper()
	native = filepath.Join(dir, name)
	Run(t, root, "go", "build", "-o", native, pkg)
	return native, BuildRing0(t, root, pkg, dir, name)
}

// BuildRing0 builds the main package pkg into dir/name.ring0 with ring0 build and returns its path.
func BuildRing0(t testing.TB, root, pkg, dir, name string) string {
	t.Helper()
	ring0 := filepath.Join(dir, name+".ring0")
	Run(t, root, Launcher(root), "build", "-o", ring0, pkg)
	return ring0
}

// Run runs a command in dir and fails the test, with its output, if it fails.
func Run(t testing.TB, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}
