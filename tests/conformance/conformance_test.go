// Package conformance runs Go's own standard-library tests inside Ring0: the conformance suite nobody
// here wrote. Each package of the suite is tested natively (go test -json) and in Ring0 (ring0 test
// -json: the test binary built as a ring0 executable, run in a fresh kernel), with -short and the
// tests of exclusions.txt skipped; every test that passes natively must pass in Ring0. A test that
// fails natively on this machine is reported, not required.
package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// suite: the packages the filesystem issue names.
var suite = []string{"os", "io", "io/fs", "bufio", "path/filepath", "os/exec", "archive/tar", "archive/zip",
	"compress/gzip", "syscall"}

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
}

func parse(t *testing.T, out []byte) results {
	r := results{map[string]string{}, map[string]*strings.Builder{}}
	s := bufio.NewScanner(bytes.NewReader(out))
	s.Buffer(make([]byte, 1<<20), 1<<24)
	for s.Scan() {
		line := s.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // build output, not an event
		}
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("bad test2json line %q: %v", line, err)
		}
		if e.Test == "" {
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

// exclusions reads exclusions.txt: the -skip pattern of each package.
func exclusions(t *testing.T) map[string]string {
	data, err := os.ReadFile("exclusions.txt")
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			t.Fatalf("exclusions.txt:%d: want <package> <pattern> <reason>", i+1)
		}
		if skip[f[0]] != "" {
			t.Fatalf("exclusions.txt:%d: %s has a pattern already: one line per package", i+1, f[0])
		}
		skip[f[0]] = f[1]
	}
	return skip
}

func TestStdlib(t *testing.T) {
	if testing.Short() {
		t.Skip("runs standard-library test binaries in Ring0 (minutes): run without -short")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(filepath.Dir(wd))
	launcher := filepath.Join(root, "ring0")
	skip := exclusions(t)
	for _, pkg := range suite {
		t.Run(pkg, func(t *testing.T) {
			args := []string{"test", "-json", "-short", "-count=1", "-timeout=8m"}
			if p := skip[pkg]; p != "" {
				args = append(args, "-skip", p)
			}
			args = append(args, pkg)
			native := run(t, "go", args...)
			inRing0 := run(t, launcher, args...)
			compare(t, pkg, parse(t, native), parse(t, inRing0))
		})
	}
}

// run runs a go test command in a scratch directory (the packages are import paths) and returns its
// output: a failing status is what compare looks into.
func run(t *testing.T, name string, args ...string) []byte {
	cmd := exec.Command(name, args...)
	cmd.Dir = t.TempDir()
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

func compare(t *testing.T, pkg string, native, inRing0 results) {
	var names []string
	for name := range native.action {
		names = append(names, name)
	}
	sort.Strings(names)
	passed := 0
	for _, name := range names {
		switch native.action[name] {
		case "fail":
			t.Logf("%s %s fails natively on this machine: not required in Ring0", pkg, name)
		case "pass":
			passed++
			if got := inRing0.action[name]; got != "pass" {
				if got == "" {
					got = "did not finish (the binary crashed or timed out?)"
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
	t.Logf("%s: %d tests pass natively, %s", pkg, passed, fmt.Sprint(len(inRing0.action), " results in Ring0"))
}
