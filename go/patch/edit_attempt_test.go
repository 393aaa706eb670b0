package patch

import (
	"go/format"
	"regexp"
	"strings"
	"testing"
)

// TestAttemptEdits: in every profile, package syscall's Syscall and Syscall6 try the kernel
// (ring0TryCall) before runtime_entersyscall, with their own arguments, and the patched file is
// still gofmt'd Go.
func TestAttemptEdits(t *testing.T) {
	for _, p := range Profiles {
		t.Run(p.Series, func(t *testing.T) {
			ov, err := PlanFor(p).Apply(fixture(t, p.Series))
			if err != nil {
				t.Fatal(err)
			}
			src := string(ov.Replace["src/syscall/syscall_linux.go"])
			if out, err := format.Source([]byte(src)); err != nil || string(out) != src {
				t.Errorf("patched syscall_linux.go is not gofmt'd Go: %v", err)
			}
			for fn, args := range map[string]string{
				"Syscall(trap, a1, a2, a3 uintptr)":              "trap, a1, a2, a3, 0, 0, 0",
				"Syscall6(trap, a1, a2, a3, a4, a5, a6 uintptr)": "trap, a1, a2, a3, a4, a5, a6",
			} {
				i := strings.Index(src, "\nfunc "+fn)
				if i < 0 {
					t.Fatalf("no func %s", fn)
				}
				body := src[i:]
				try := strings.Index(body, "ring0TryCall("+args+")")
				enter := strings.Index(body, "runtime_entersyscall()")
				if try < 0 || enter < 0 || try > enter {
					t.Errorf("%s does not try ring0TryCall(%s) before runtime_entersyscall", fn, args)
				}
			}
		})
	}
}

// TestAttemptLinkname: the function syscall declares is the one the runtime pushes, with the same
// signature.
func TestAttemptLinkname(t *testing.T) {
	rt, err := files.ReadFile("files/runtime_ring0.go.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := files.ReadFile("files/syscall_ring0.go.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	push := regexp.MustCompile(`(?m)^//go:linkname ring0TrySyscall syscall\.ring0TryCall\n//go:nosplit\nfunc ring0TrySyscall(\(.*\)) \{$`).FindSubmatch(rt)
	decl := regexp.MustCompile(`(?m)^func ring0TryCall(\(.*\))$`).FindSubmatch(sc)
	if push == nil || decl == nil {
		t.Fatalf("runtime pushes ring0TrySyscall: %v; syscall declares ring0TryCall: %v", push != nil, decl != nil)
	}
	norm := func(b []byte) string { return regexp.MustCompile(`\b(nr|trap)\b`).ReplaceAllString(string(b), "n") }
	if norm(push[1]) != norm(decl[1]) {
		t.Errorf("signatures differ: runtime %s, syscall %s", push[1], decl[1])
	}
}
