package patch

import (
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPriorityTemplate: the runtime file the priority edits call into is gofmt'd Go for every
// profile once expanded.
func TestPriorityTemplate(t *testing.T) {
	for _, p := range Profiles {
		t.Run(p.Series, func(t *testing.T) {
			b, err := files.ReadFile("files/priority.go.tmpl")
			if err != nil {
				t.Fatal(err)
			}
			src := PlanFor(p).expand(string(b))
			out, err := format.Source([]byte(src))
			if err != nil {
				t.Fatalf("priority.go.tmpl expanded for %s: %v", p.Series, err)
			}
			if string(out) != src {
				t.Errorf("priority.go.tmpl expanded for %s is not gofmt'd", p.Series)
			}
		})
	}
}

// TestPriorityLinknames: every runtime function that package ring0.dev/api (go/api) links to is
// defined in the runtime patch and marked there for linking (a push linkname, which Go 1.23 and
// later require before another package may pull a runtime symbol).
func TestPriorityLinknames(t *testing.T) {
	api, err := os.ReadFile(filepath.Join("..", "api", "ring0.go"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := files.ReadFile("files/priority.go.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	pulls := regexp.MustCompile(`(?m)^//go:linkname \w+ runtime\.(\w+)$`).FindAllStringSubmatch(string(api), -1)
	if len(pulls) == 0 {
		t.Fatal("go/api/ring0.go links to no runtime function")
	}
	for _, m := range pulls {
		name := m[1]
		if !strings.Contains(string(tmpl), "//go:linkname "+name+"\nfunc "+name+"(") {
			t.Errorf("go/api links to runtime.%s, which priority.go.tmpl does not define with a push linkname", name)
		}
	}
}
