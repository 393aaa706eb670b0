// Package conformance runs Go's own standard-library tests inside Ring0, and the tests of a few
// third-party modules that lean on the kernel: the conformance suite nobody here wrote. Each package
// is tested natively (go test -json) and in Ring0 (ring0 test -json: the test binary built as a ring0
// executable, run in a fresh kernel), with -short and the tests of exclusions.txt skipped; every test
// that passes natively must pass in Ring0. A test that fails natively on this machine is reported,
// not required.
package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"ring0.dev/tests/internal/repo"
	"sort"
	"strings"
	"testing"
)

// suite: the packages the filesystem issue names, then the network, timers, signals and the poller
// that IO-heavy services stand on, then what rests on the kernel's futex (sync's mutexes, conds and
// pools; context's cancellation), a few more of the kernel's callers (getrandom, unix sockets, RPC
// over loopback), and the runtime's own tests (scheduler, GC, signals, crashes, profiling).
var suite = []string{"os", "io", "io/fs", "bufio", "path/filepath", "os/exec", "archive/tar", "archive/zip",
	"compress/gzip", "syscall",
	"net", "net/http", "internal/poll", "mime/multipart", "os/signal", "os/user", "time",
	"sync", "context", "crypto/rand", "log/syslog", "net/rpc", "runtime", "runtime/pprof"}

// event is one line of test2json's output.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// results maps a test ("TestX" or "TestX/sub") to its final action (pass, fail, skip), and keeps
// each test's output for failure reports.
type results struct {
	action map[string]string
	output map[string]*strings.Builder
	tail   []string // the last lines outside any test (a crash's message lands here)
}

func parse(t *testing.T, out []byte) results {
	r := results{action: map[string]string{}, output: map[string]*strings.Builder{}}
	s := bufio.NewScanner(bytes.NewReader(out))
	s.Buffer(make([]byte, 1<<20), 1<<24)
	for s.Scan() {
		line := s.Bytes()
		if len(line) == 0 || line[0] != '{' {
			r.keepTail(string(line)) // build output or a crash's stderr, not an event
			continue
		}
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("bad test2json line %q: %v", line, err)
		}
		if e.Test == "" {
			if e.Action == "output" {
				r.keepTail(strings.TrimSuffix(e.Output, "\n"))
			}
			continue
		}
		switch e.Action {
		case "pass", "fail", "skip":
			r.action[e.Test] = e.Action
		case "output":
			b := r.output[e.Test]
			if b == nil {
				b = &strings.Builder{}
				r.output[e.Test] = b
			}
			if b.Len() < 8192 {
				b.WriteString(e.Output)
			}
		}
	}
	return r
}

// tailLines is how many of a run's last lines outside any test a report shows.
const tailLines = 40

func (r *results) keepTail(line string) {
	if r.tail = append(r.tail, line); len(r.tail) > 2*tailLines {
		r.tail = append(r.tail[:0], r.tail[len(r.tail)-tailLines:]...)
	}
}

// exclusion is one line of exclusions.txt.
type exclusion struct {
	pattern []*regexp.Regexp // the test name's elements (split at "/"), each matched whole
	skip    bool             // not run at all (it would hang the binary); else run, and may fail
}

func (e exclusion) matches(test string) bool {
	parts := strings.Split(test, "/")
	if len(parts) < len(e.pattern) {
		return false
	}
	for i, re := range e.pattern {
		if !re.MatchString(parts[i]) {
			return false
		}
	}
	return true
}

// exclusions reads exclusions.txt: by package, its excluded tests.
func exclusions(t *testing.T) map[string][]exclusion {
	data, err := os.ReadFile("exclusions.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]exclusion{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || (f[2] != "skip" && f[2] != "exempt") {
			t.Fatalf("exclusions.txt:%d: want <package> <test pattern> skip|exempt <reason>", i+1)
		}
		var e exclusion
		for _, p := range strings.Split(f[1], "/") {
			e.pattern = append(e.pattern, regexp.MustCompile("^(?:"+p+")$"))
		}
		e.skip = f[2] == "skip"
		if e.skip {
			for _, o := range out[f[0]] {
				if o.skip {
					t.Fatalf("exclusions.txt:%d: %s: one skip per package (go test takes one -skip pattern)", i+1, f[0])
				}
			}
		}
		out[f[0]] = append(out[f[0]], e)
	}
	return out
}

func TestStdlib(t *testing.T) {
	conform(t, "", suite)
}

// TestModules runs the tests of the packages that modules/modules.go imports (each import says why
// it is there), at the versions modules/go.mod pins; go fetches them from the module proxy.
func TestModules(t *testing.T) {
	dir, err := filepath.Abs("modules")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list in %s: %v", dir, err)
	}
	conform(t, dir, strings.Fields(string(out)))
}

// conform runs each package's tests natively and in Ring0, from dir (a module that requires them;
// "" for the standard library: a scratch directory), and compares the results.
func conform(t *testing.T, dir string, pkgs []string) {
	if testing.Short() {
		t.Skip("runs test binaries in Ring0 (minutes): run without -short")
	}
	launcher := repo.Launcher(repo.Root(t))
	excluded := exclusions(t)
	for _, pkg := range pkgs {
		t.Run(pkg, func(t *testing.T) {
			args := []string{"test", "-json", "-short", "-count=1", "-timeout=8m"}
			for _, e := range excluded[pkg] {
				if e.skip {
					args = append(args, "-skip", skipPattern(e))
				}
			}
			args = append(args, pkg)
			where := dir
			if where == "" {
				where = t.TempDir()
			}
			native := run(t, where, "go", args...)
			inRing0 := run(t, where, launcher, args...)
			compare(t, pkg, parse(t, native), parse(t, inRing0), excluded[pkg])
		})
	}
}

// skipPattern is e's pattern as go test's -skip takes it.
func skipPattern(e exclusion) string {
	var parts []string
	for _, re := range e.pattern {
		parts = append(parts, re.String())
	}
	return strings.Join(parts, "/")
}

func exempt(excluded []exclusion, test string) bool {
	for _, e := range excluded {
		if !e.skip && e.matches(test) {
			return true
		}
	}
	return false
}

// run runs a go test command in dir (the packages are import paths) and returns its output: a
// failing status is what compare looks into.
func run(t *testing.T, dir, name string, args ...string) []byte {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
	}
	return out.Bytes()
}

func compare(t *testing.T, pkg string, native, inRing0 results, excluded []exclusion) {
	var names []string
	for name := range native.action {
		names = append(names, name)
	}
	sort.Strings(names)
	passed, unfinished := 0, 0
	for _, name := range names {
		switch native.action[name] {
		case "fail":
			t.Logf("%s %s fails natively on this machine: not required in Ring0", pkg, name)
		case "pass":
			passed++
			if got := inRing0.action[name]; got != "pass" && !exempt(excluded, name) {
				if got == "" {
					got = "did not finish (the binary crashed or timed out?)"
					unfinished++
				}
				var out string
				if b := inRing0.output[name]; b != nil {
					out = b.String()
				}
				t.Errorf("%s %s passes natively, in Ring0: %s\n%s", pkg, name, got, out)
			}
		}
	}
	if passed == 0 {
		t.Errorf("%s: no test passed natively: the package did not build or run?", pkg)
	}
	if unfinished > 0 {
		tail := inRing0.tail
		if len(tail) > tailLines {
			tail = tail[len(tail)-tailLines:]
		}
		t.Errorf("%s: %d tests did not finish in Ring0; the run's last lines outside any test:\n%s", pkg, unfinished, strings.Join(tail, "\n"))
	}
	t.Logf("%s: %d tests pass natively, %s", pkg, passed, fmt.Sprint(len(inRing0.action), " results in Ring0"))
}
