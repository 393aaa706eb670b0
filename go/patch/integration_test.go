package patch

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const helloMain = `package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	done := make(chan error)
	go func() {
		p := filepath.Join(os.TempDir(), "hello")
		done <- os.WriteFile(p, []byte("hello"), 0o644)
	}()
	fmt.Println(<-done)
}
`

// TestBuildCShared builds a small program as a ring0 executable with every supported toolchain
// here, as `ring0 build` does: the toolchain's own bin/go, GOTOOLCHAIN=local, its GOROOT, cgo on,
// -buildmode=c-shared and the overlay. A toolchain from GOMODCACHE is copied first, since the go
// command refuses to patch files there.
func TestBuildCShared(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the patched runtime with each supported toolchain (slow): run without -short")
	}
	gomodcache := goEnv(t, "GOMODCACHE")[0]
	tcs := available(t)
	for _, p := range Profiles {
		t.Run(p.Series, func(t *testing.T) {
			tc, ok := tcs[p.Series]
			if !ok {
				t.Skipf("no %s toolchain here: neither `go env GOROOT` nor in %s/golang.org", p.Series, gomodcache)
			}
			if within(tc.GOROOT, gomodcache) {
				var err error
				tc, err = Patchable(tc, gomodcache, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
			}
			overlay, err := Cached(tc, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			gomod := "module hello\n\ngo " + strings.TrimPrefix(p.Series, "go") + "\n"
			for name, s := range map[string]string{"go.mod": gomod, "main.go": helloMain} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(dir, "hello.ring0")
			cmd := exec.Command(filepath.Join(tc.GOROOT, "bin", "go"), "build", "-buildmode=c-shared", "-overlay="+overlay, "-o", out, ".")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOROOT="+tc.GOROOT, "CGO_ENABLED=1")
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, b)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte("\x00RING0EXE:abi=5\x00")) {
				t.Errorf("%s: no ring0 marker", out)
			}
			// The overlay took effect: the routing code is in, and the renamed host stubs are kept.
			f, err := elf.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			syms, err := f.Symbols()
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{}
			for _, s := range syms {
				have[s.Name] = true
			}
			for _, name := range []string{"runtime.ring0call", "runtime.ring0attach", "runtime.ring0host_exit.abi0",
				p.SysPkg + ".RawSyscall6", "runtime.ring0runnable", "runtime.ring0sysmon"} {
				if !have[name] {
					t.Errorf("%s: no symbol %s", out, name)
				}
			}
		})
	}
}
