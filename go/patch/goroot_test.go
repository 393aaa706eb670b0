package patch

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		path, dir string
		want      bool
	}{
		{"/m/golang.org/toolchain@v0.0.1-go1.25.5.linux-amd64", "/m", true},
		{"/m", "/m", true},
		{"/m/", "/m", true},
		{"/m/x/../y", "/m", true},
		{"/mod/x", "/m", false},
		{"/usr/local/go", "/root/go/pkg/mod", false},
		{"/m/../x", "/m", false},
		{"/m/..x", "/m", true},
	} {
		if got := within(c.path, c.dir); got != c.want {
			t.Errorf("within(%q, %q) = %v, want %v", c.path, c.dir, got, c.want)
		}
	}
}

// modcacheToolchain puts the go1.26 fixture where GOTOOLCHAIN would put go1.26.0, read-only as the
// go command leaves it, and returns the module cache and the toolchain.
func modcacheToolchain(t *testing.T) (string, Toolchain) {
	t.Helper()
	modcache := filepath.Join(t.TempDir(), "mod")
	goroot := filepath.Join(modcache, "golang.org", "toolchain@v0.0.1-go1.26.0.linux-amd64")
	if err := os.CopyFS(goroot, os.DirFS(fixture(t, "go1.26"))); err != nil {
		t.Fatal(err)
	}
	// Read-only, as in the module cache; restored so that t.TempDir can remove it.
	setMode(t, goroot, 0o555, 0o444)
	t.Cleanup(func() { setMode(t, goroot, 0o755, 0o644) })
	tc, err := ReadToolchain(goroot)
	if err != nil {
		t.Fatal(err)
	}
	return modcache, tc
}

func setMode(t *testing.T, root string, dirMode, fileMode fs.FileMode) {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		return os.Chmod(p, fileMode)
	})
	if err != nil {
		t.Fatal(err)
	}
	if dirMode&0o200 != 0 { // parents first when opening up, children first when closing
		for _, d := range dirs {
			_ = os.Chmod(d, dirMode)
		}
		return
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		_ = os.Chmod(dirs[i], dirMode)
	}
}

// TestPatchableModcache: a toolchain under GOMODCACHE is copied once, as cacheDir/<version>, into
// writable files with the same content; the copy can be patched, and is reused.
func TestPatchableModcache(t *testing.T) {
	modcache, tc := modcacheToolchain(t)
	cache := filepath.Join(t.TempDir(), "goroot")
	cp, err := Patchable(tc, modcache, cache)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "go1.26.0"); cp.GOROOT != want || cp.Version != tc.Version {
		t.Fatalf("Patchable = %+v, want GOROOT %s, version %s", cp, want, tc.Version)
	}
	var n int
	err = filepath.WalkDir(tc.GOROOT, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(tc.GOROOT, p)
		orig, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(cp.GOROOT, rel))
		if err != nil || string(got) != string(orig) {
			t.Errorf("copy of %s: %v, same content: %v", rel, err, string(got) == string(orig))
		}
		if fi, err := os.Stat(filepath.Join(cp.GOROOT, rel)); err == nil && fi.Mode().Perm()&0o200 == 0 {
			t.Errorf("copy of %s is read-only (%v)", rel, fi.Mode())
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("walking %s: %v (%d files)", tc.GOROOT, err, n)
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Errorf("%s holds %d entries, want only the copy", cache, len(entries))
	}

	ov, err := Cached(cp, t.TempDir())
	if err != nil {
		t.Fatalf("patching the copy: %v", err)
	}
	var j struct{ Replace map[string]string }
	b, _ := os.ReadFile(ov)
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	for from := range j.Replace {
		if within(from, modcache) || !within(from, cp.GOROOT) {
			t.Errorf("overlay replaces %s: want files of the copy %s only", from, cp.GOROOT)
		}
	}

	before, _ := os.Stat(filepath.Join(cp.GOROOT, "VERSION"))
	again, err := Patchable(tc, modcache, cache)
	if err != nil || again != cp {
		t.Fatalf("second call: %+v, %v; want %+v", again, err, cp)
	}
	if after, err := os.Stat(filepath.Join(cp.GOROOT, "VERSION")); err != nil || !os.SameFile(before, after) {
		t.Errorf("second call copied the toolchain again")
	}
}

// TestPatchableElsewhere: a GOROOT outside GOMODCACHE is used as it is, and nothing is copied.
func TestPatchableElsewhere(t *testing.T) {
	tc, err := ReadToolchain(fixture(t, "go1.26"))
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(t.TempDir(), "goroot")
	for _, modcache := range []string{"", filepath.Join(t.TempDir(), "mod")} {
		got, err := Patchable(tc, modcache, cache)
		if err != nil || got != tc {
			t.Errorf("Patchable(gomodcache %q) = %+v, %v; want %+v", modcache, got, err, tc)
		}
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("%s was created: %v", cache, err)
	}
}

// TestPatchableWrongCopy: a cache entry that holds another version is an error, not a silent reuse.
func TestPatchableWrongCopy(t *testing.T) {
	modcache, tc := modcacheToolchain(t)
	cache := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cache, tc.Version), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, tc.Version, "VERSION"), []byte("go1.25.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Patchable(tc, modcache, cache); err == nil || !strings.Contains(err.Error(), "go1.25.0") {
		t.Errorf("got error %v, want one naming the version found", err)
	}
}

func TestCopyGOROOTNotAGOROOT(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "copy")
	if err := CopyGOROOT(t.TempDir(), dst); err == nil || !strings.Contains(err.Error(), "not a GOROOT") {
		t.Errorf("got error %v, want one saying it is not a GOROOT", err)
	}
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Errorf("%s was created: %v", dst, err)
	}
}
