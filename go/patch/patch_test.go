package patch

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The fixtures in testdata/<series>/ are hand-made GOROOTs cut down to the lines the plan anchors on:
// every file the plan of that series edits, nothing else. The tests below break them one file or one
// anchor at a time.

func fixture(t *testing.T, series string) string {
	t.Helper()
	dir := filepath.Join("testdata", series)
	if _, err := os.Stat(filepath.Join(dir, "VERSION")); err != nil {
		t.Fatalf("no fixture for %s: every profile needs one in testdata/%s: %v", series, series, err)
	}
	return dir
}

// copyFixture copies a fixture GOROOT into a temporary directory the test may change.
func copyFixture(t *testing.T, series string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "goroot")
	if err := os.CopyFS(dst, os.DirFS(fixture(t, series))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// editedFiles returns the GOROOT files a plan edits, in the order of their first edit.
func editedFiles(p Plan) []string {
	var files []string
	seen := map[string]bool{}
	for _, e := range p.Edits {
		if !seen[e.File] {
			seen[e.File] = true
			files = append(files, e.File)
		}
	}
	return files
}

func goEnv(t *testing.T, names ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"env"}, names...)...).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", strings.Join(names, " "), err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// installed returns the toolchain running the tests (`go env GOROOT`), which must be supported.
func installed(t *testing.T) Toolchain {
	t.Helper()
	tc, err := ReadToolchain(goEnv(t, "GOROOT")[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ProfileFor(tc.Version); err != nil {
		t.Fatalf("the installed Go: %v", err)
	}
	return tc
}

// available returns one toolchain per supported series found here: the installed one, and those
// that GOTOOLCHAIN downloaded into GOMODCACHE (read-only: copy one before patching it).
func available(t *testing.T) map[string]Toolchain {
	t.Helper()
	tcs := map[string]Toolchain{}
	inst := installed(t)
	p, _ := ProfileFor(inst.Version)
	tcs[p.Series] = inst
	dirs, _ := filepath.Glob(filepath.Join(goEnv(t, "GOMODCACHE")[0], "golang.org", "toolchain@v0.0.1-go*.linux-amd64"))
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, dir := range dirs {
		tc, err := ReadToolchain(dir)
		if err != nil {
			continue // a download in progress, or an extraction that failed
		}
		if p, err := ProfileFor(tc.Version); err == nil {
			if _, ok := tcs[p.Series]; !ok {
				tcs[p.Series] = tc
			}
		}
	}
	return tcs
}

func TestProfileFor(t *testing.T) {
	for _, p := range Profiles {
		for _, v := range []string{p.Series, p.Series + ".0", p.Series + ".12"} {
			got, err := ProfileFor(v)
			if err != nil || got != p {
				t.Errorf("ProfileFor(%q) = %+v, %v; want %+v", v, got, err, p)
			}
		}
	}
}

func TestProfileForUnsupported(t *testing.T) {
	for _, v := range []string{"go1.23.4", "go1.27.0", "go1.2", "go1.250.1", "devel go1.27-0123abcd", ""} {
		_, err := ProfileFor(v)
		if err == nil {
			t.Errorf("ProfileFor(%q) succeeded, want an error", v)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "unsupported Go version "+v) {
			t.Errorf("ProfileFor(%q): %q does not name the version", v, msg)
		}
		for _, p := range Profiles {
			if !strings.Contains(msg, p.Series) {
				t.Errorf("ProfileFor(%q): %q does not name supported series %s", v, msg, p.Series)
			}
		}
	}
}

// TestApplyFixture: on a layout it knows, the plan makes every edit and adds every file, templates
// expanded for the profile.
func TestApplyFixture(t *testing.T) {
	for _, p := range Profiles {
		t.Run(p.Series, func(t *testing.T) {
			plan := PlanFor(p)
			ov, err := plan.Apply(fixture(t, p.Series))
			if err != nil {
				t.Fatal(err)
			}
			want := editedFiles(plan)
			for _, e := range plan.Edits {
				if !strings.Contains(string(ov.Replace[e.File]), e.New) {
					t.Errorf("%s: edit %q not applied", e.File, firstLine(e.New))
				}
			}
			for _, a := range plan.Adds {
				want = append(want, a.File)
				b := ov.Replace[a.File]
				if len(b) == 0 {
					t.Errorf("%s: not added", a.File)
				}
				if i := strings.Index(string(b), "{{"); i >= 0 {
					t.Errorf("%s: template not expanded: %q", a.File, firstLine(string(b[i:])))
				}
			}
			var got []string
			for f := range ov.Replace {
				got = append(got, f)
			}
			sort.Strings(got)
			sort.Strings(want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("overlay replaces %v, want %v", got, want)
			}
		})
	}
}

// TestApplyMissingFile: a layout missing any file the plan edits fails, naming the file.
func TestApplyMissingFile(t *testing.T) {
	for _, p := range Profiles {
		plan := PlanFor(p)
		for _, file := range editedFiles(plan) {
			t.Run(p.Series+"/"+file, func(t *testing.T) {
				root := copyFixture(t, p.Series)
				if err := os.Remove(filepath.Join(root, file)); err != nil {
					t.Fatal(err)
				}
				_, err := plan.Apply(root)
				if err == nil {
					t.Fatalf("Apply succeeded without %s", file)
				}
				if msg := err.Error(); !strings.Contains(msg, p.Series+" layout unknown to Ring0") || !strings.Contains(msg, filepath.Join(root, file)) {
					t.Errorf("error %q does not name the layout and %s", msg, file)
				}
			})
		}
	}
}

// TestApplyOtherLayout: the go1.26 plan on the go1.25 layout (the runtime's syscall package and futex
// live elsewhere) fails at the first file it cannot find.
func TestApplyOtherLayout(t *testing.T) {
	p, err := ProfileFor("go1.26.0")
	if err != nil {
		t.Fatal(err)
	}
	_, err = PlanFor(p).Apply(fixture(t, "go1.25"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join("src", "runtime", "os_linux64.go")) {
		t.Fatalf("go1.26 plan on the go1.25 layout: got error %v, want one naming src/runtime/os_linux64.go", err)
	}
}

// TestApplyAnchorCount: an anchor that matches zero times or twice fails, naming the file and the anchor.
func TestApplyAnchorCount(t *testing.T) {
	for _, p := range Profiles {
		plan := PlanFor(p)
		for i, e := range plan.Edits {
			for _, n := range []int{0, 2} {
				t.Run(fmt.Sprintf("%s/%d/%s/%d", p.Series, i, e.File, n), func(t *testing.T) {
					root := copyFixture(t, p.Series)
					path := filepath.Join(root, e.File)
					b, err := os.ReadFile(path)
					if err != nil {
						t.Fatal(err)
					}
					s := string(b)
					if strings.Count(s, e.Old) != 1 {
						t.Fatalf("fixture %s: anchor %q matches %d times, want 1", e.File, firstLine(e.Old), strings.Count(s, e.Old))
					}
					if n == 0 {
						s = strings.Replace(s, e.Old, "", 1)
					} else {
						s += "\n" + e.Old
					}
					if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
						t.Fatal(err)
					}
					_, err = plan.Apply(root)
					if err == nil {
						t.Fatalf("Apply succeeded with anchor %q matching %d times", firstLine(e.Old), n)
					}
					msg := err.Error()
					for _, want := range []string{e.File, fmt.Sprintf("%q", firstLine(e.Old)), fmt.Sprintf("matches %d times", n)} {
						if !strings.Contains(msg, want) {
							t.Errorf("error %q does not contain %s", msg, want)
						}
					}
				})
			}
		}
	}
}

// TestApplyAddExists: a GOROOT that already has a file the plan adds is not a layout Ring0 knows.
func TestApplyAddExists(t *testing.T) {
	for _, p := range Profiles {
		plan := PlanFor(p)
		for _, a := range plan.Adds {
			root := copyFixture(t, p.Series)
			if err := os.MkdirAll(filepath.Dir(filepath.Join(root, a.File)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, a.File), []byte("package x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := plan.Apply(root); err == nil || !strings.Contains(err.Error(), a.File+" already exists") {
				t.Errorf("%s: %s present: got error %v, want one naming it", p.Series, a.File, err)
			}
		}
	}
}

// TestApplyInstalled: the plan applies to the real GOROOT of the installed Go and changes every file
// it edits.
func TestApplyInstalled(t *testing.T) {
	tc := installed(t)
	p, _ := ProfileFor(tc.Version)
	plan := PlanFor(p)
	ov, err := plan.Apply(tc.GOROOT)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range editedFiles(plan) {
		orig, err := os.ReadFile(filepath.Join(tc.GOROOT, f))
		if err != nil {
			t.Fatal(err)
		}
		if string(ov.Replace[f]) == string(orig) {
			t.Errorf("%s: unchanged", f)
		}
	}
	if len(ov.Replace) != len(editedFiles(plan))+len(plan.Adds) {
		t.Errorf("overlay has %d files, want %d edited + %d added", len(ov.Replace), len(editedFiles(plan)), len(plan.Adds))
	}
}

// TestCached: Cached writes an overlay.json whose entries replace the files the plan edits, add the
// files it adds, and point at existing backing files with the patched content; a second call
// returns the same entry without rewriting it.
func TestCached(t *testing.T) {
	tc := installed(t)
	p, _ := ProfileFor(tc.Version)
	plan := PlanFor(p)
	want, err := plan.Apply(tc.GOROOT)
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	path, err := Cached(tc, cache)
	if err != nil {
		t.Fatal(err)
	}
	if !within(path, cache) {
		t.Fatalf("overlay %s is not in the cache %s", path, cache)
	}
	var ov struct{ Replace map[string]string }
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ov); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(ov.Replace) != len(want.Replace) {
		t.Errorf("overlay.json has %d entries, want %d", len(ov.Replace), len(want.Replace))
	}
	added := map[string]bool{}
	for _, a := range plan.Adds {
		added[a.File] = true
	}
	stats := map[string]os.FileInfo{}
	for rel, content := range want.Replace {
		from := filepath.Join(tc.GOROOT, rel)
		backing, ok := ov.Replace[from]
		if !ok {
			t.Errorf("overlay.json does not replace %s", from)
			continue
		}
		if _, err := os.Stat(from); (err == nil) == added[rel] {
			t.Errorf("%s: exists in GOROOT = %v, but added by the plan = %v", from, err == nil, added[rel])
		}
		if !filepath.IsAbs(backing) || !within(backing, filepath.Dir(path)) {
			t.Errorf("%s -> %s: not an absolute path in the cache entry", from, backing)
		}
		got, err := os.ReadFile(backing)
		if err != nil {
			t.Errorf("%s -> %v", from, err)
			continue
		}
		if string(got) != string(content) {
			t.Errorf("%s: backing file differs from the plan's output", backing)
		}
		stats[backing], _ = os.Stat(backing)
	}
	stats[path], _ = os.Stat(path)

	again, err := Cached(tc, cache)
	if err != nil {
		t.Fatal(err)
	}
	if again != path {
		t.Errorf("second call: %s, want %s", again, path)
	}
	for f, before := range stats {
		after, err := os.Stat(f)
		if err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
			t.Errorf("%s: rewritten by the second call", f)
		}
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 1 {
		t.Errorf("cache holds %d entries, want 1 (no temporary directories left)", len(entries))
	}
}
