package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary runs main when RING0_OVERLAY_MAIN is set, so the tests run the command itself.
func TestMain(m *testing.M) {
	if os.Getenv("RING0_OVERLAY_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "RING0_OVERLAY_MAIN=1")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// fixtureUnder copies the go1.26 GOROOT fixture of package patch to dir/<version dir name>.
func fixtureUnder(t *testing.T, dir string) string {
	t.Helper()
	goroot := filepath.Join(dir, "golang.org", "toolchain@v0.0.1-go1.26.0.linux-amd64")
	if err := os.CopyFS(goroot, os.DirFS("../../patch/testdata/go1.26")); err != nil {
		t.Fatal(err)
	}
	return goroot
}

// TestModcacheGOROOT: a GOROOT under -gomodcache is copied into DIR/goroot/<version>; the command
// prints the copy, then an overlay (in DIR/overlay) that replaces the copy's files only.
func TestModcacheGOROOT(t *testing.T) {
	modcache := filepath.Join(t.TempDir(), "mod")
	goroot := fixtureUnder(t, modcache)
	cache := t.TempDir()
	stdout, stderr, code := run(t, "-goroot", goroot, "-gomodcache", modcache, "-cache", cache)
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("printed %q, want two lines: GOROOT, overlay", stdout)
	}
	copyRoot, overlay := lines[0], lines[1]
	if want := filepath.Join(cache, "goroot", "go1.26.0"); copyRoot != want {
		t.Errorf("GOROOT %s, want %s", copyRoot, want)
	}
	if _, err := os.Stat(filepath.Join(copyRoot, "src", "runtime", "proc.go")); err != nil {
		t.Errorf("the copy: %v", err)
	}
	if !strings.HasPrefix(overlay, filepath.Join(cache, "overlay")+string(filepath.Separator)) {
		t.Errorf("overlay %s, want one under %s", overlay, filepath.Join(cache, "overlay"))
	}
	var j struct{ Replace map[string]string }
	b, err := os.ReadFile(overlay)
	if err == nil {
		err = json.Unmarshal(b, &j)
	}
	if err != nil || len(j.Replace) == 0 {
		t.Fatalf("overlay %s: %v, %d entries", overlay, err, len(j.Replace))
	}
	for from := range j.Replace {
		if !strings.HasPrefix(from, copyRoot+string(filepath.Separator)) {
			t.Errorf("overlay replaces %s, outside the copy", from)
		}
	}
	again, _, code := run(t, "-goroot", goroot, "-gomodcache", modcache, "-cache", cache)
	if code != 0 || again != stdout {
		t.Errorf("second run printed %q (status %d), want %q", again, code, stdout)
	}
}

// TestLocalGOROOT: a GOROOT outside the module cache is patched where it is.
func TestLocalGOROOT(t *testing.T) {
	goroot := fixtureUnder(t, t.TempDir())
	cache := t.TempDir()
	stdout, stderr, code := run(t, "-goroot", goroot, "-gomodcache", filepath.Join(t.TempDir(), "mod"), "-cache", cache)
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	if lines := strings.Split(stdout, "\n"); len(lines) < 2 || lines[0] != goroot {
		t.Errorf("printed %q, want %s first", stdout, goroot)
	}
	if _, err := os.Stat(filepath.Join(cache, "goroot")); !os.IsNotExist(err) {
		t.Errorf("a GOROOT copy was made: %v", err)
	}
}

// TestUnsupported: an unsupported version fails with status 1 and the supported series, before
// anything is copied.
func TestUnsupported(t *testing.T) {
	modcache := filepath.Join(t.TempDir(), "mod")
	goroot := fixtureUnder(t, modcache)
	if err := os.WriteFile(filepath.Join(goroot, "VERSION"), []byte("go1.23.4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	_, stderr, code := run(t, "-goroot", goroot, "-gomodcache", modcache, "-cache", cache)
	if code != 1 || !strings.HasPrefix(stderr, "ring0: unsupported Go version go1.23.4") || !strings.Contains(stderr, "go1.26") {
		t.Errorf("status %d, stderr %q; want 1 and the supported series", code, stderr)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("the cache is not empty: %v", entries)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"-goroot", "/x", "extra"}} {
		if _, stderr, code := run(t, args...); code != 2 || !strings.HasPrefix(stderr, "usage: ring0-overlay") {
			t.Errorf("%q: status %d, stderr %q; want 2 and usage", args, code, stderr)
		}
	}
}
