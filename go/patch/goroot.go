package patch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Patchable returns a toolchain whose GOROOT `go build -overlay` may patch: tc itself, or, when its
// GOROOT lies under gomodcache, a copy made once as cacheDir/<version>. The go command refuses to
// replace files under GOMODCACHE, and that is where the toolchains that GOTOOLCHAIN selects live
// (GOMODCACHE/golang.org/toolchain@v0.0.1-go1.25.5.linux-amd64). Build with the copy's bin/go,
// GOTOOLCHAIN=local and GOROOT set to it.
func Patchable(tc Toolchain, gomodcache, cacheDir string) (Toolchain, error) {
	if gomodcache == "" || !within(tc.GOROOT, gomodcache) {
		return tc, nil
	}
	dst := filepath.Join(cacheDir, tc.Version)
	if cp, err := ReadToolchain(dst); err == nil {
		if cp.Version != tc.Version {
			return Toolchain{}, fmt.Errorf("%s holds %s, not %s: remove it", dst, cp.Version, tc.Version)
		}
		return cp, nil
	}
	if err := CopyGOROOT(tc.GOROOT, dst); err != nil {
		return Toolchain{}, err
	}
	return ReadToolchain(dst)
}

// within reports whether path is dir or lies under it, comparing cleaned paths as the go command does.
func within(path, dir string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// CopyGOROOT copies the Go toolchain at src to dst. The copy is made beside dst and renamed into
// place, so dst either does not exist or is complete; if another process made dst first, its copy
// is kept. Files get mode 0644 or 0755 (the module cache's are read-only, which would make the copy
// hard to delete).
func CopyGOROOT(src, dst string) error {
	if _, err := os.Stat(filepath.Join(src, "VERSION")); err != nil {
		return fmt.Errorf("%s is not a GOROOT: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), filepath.Base(dst)+".tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.CopyFS(tmp, os.DirFS(src)); err != nil {
		return fmt.Errorf("copying GOROOT %s: %w", src, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		if _, statErr := os.Stat(filepath.Join(dst, "VERSION")); statErr != nil {
			return fmt.Errorf("copying GOROOT %s: %w", src, err)
		}
	}
	return nil
}
