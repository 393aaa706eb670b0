package patch

import (
	"bufio"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// site is one line of sites.txt.
type site struct {
	line     int
	file     string // relative to GOROOT, slash-separated; may contain $SYSPKG
	function string // TEXT symbol, without (SB) and ABI
	syscalls []string
	class    string // "kernel" or "host"
	why      string
}

func (s site) key(p Profile) string {
	return strings.ReplaceAll(s.file, "$SYSPKG", p.SysPkg) + " " + s.function
}

func readSites(t *testing.T) []site {
	t.Helper()
	f, err := os.Open("sites.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sites []site
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 {
			t.Errorf("sites.txt:%d: want FILE FUNCTION SYSCALLS CLASS [WHY], got %q", n, line)
			continue
		}
		s := site{line: n, file: fields[0], function: fields[1], syscalls: strings.Split(fields[2], ","),
			class: fields[3], why: strings.Join(fields[4:], " ")}
		switch {
		case s.class != "kernel" && s.class != "host":
			t.Errorf("sites.txt:%d: class %q, want kernel or host", n, s.class)
		case s.class == "host" && s.why == "":
			t.Errorf("sites.txt:%d: a host site needs a reason", n)
		}
		sites = append(sites, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sites
}

// asmSite is a TEXT function with a SYSCALL instruction, found in a GOROOT.
type asmSite struct {
	file     string   // relative to GOROOT, slash-separated
	function string   // TEXT symbol, without (SB) and ABI
	syscalls []string // the SYS_ constants it uses, sorted; empty if the caller passes the number
}

var (
	textRE    = regexp.MustCompile(`^TEXT\s+([^\s(]+)\(SB\)`)
	abiRE     = regexp.MustCompile(`<[^>]*>$`)
	labelRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*:`)
	sysnameRE = regexp.MustCompile(`\$SYS_([A-Za-z0-9_]+)`)
)

// sysAliases maps SYS_ constants that Go's assembly misspells to the Linux name.
var sysAliases = map[string]string{"setittimer": "setitimer"}

// scanSites finds every SYSCALL site that a linux/amd64 build of goroot compiles: TEXT functions
// containing a SYSCALL instruction in the .s files of src/runtime, src/syscall and src/internal
// whose name and build constraints select linux/amd64.
func scanSites(goroot string) ([]asmSite, error) {
	ctxt := build.Default
	ctxt.GOROOT, ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = goroot, "linux", "amd64", true
	var sites []asmSite
	for _, dir := range []string{"src/runtime", "src/syscall", "src/internal"} {
		err := filepath.WalkDir(filepath.Join(goroot, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".s") {
				return nil
			}
			if ok, err := ctxt.MatchFile(filepath.Dir(p), d.Name()); err != nil || !ok {
				return err
			}
			rel, _ := filepath.Rel(goroot, p)
			found, err := scanAsm(p, filepath.ToSlash(rel))
			sites = append(sites, found...)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return sites, nil
}

// scanAsm finds the SYSCALL sites of one assembly file. It fails on what it cannot attribute to a
// function (a SYSCALL in a macro or outside TEXT) rather than miss a site.
func scanAsm(p, rel string) ([]asmSite, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var sites []asmSite
	var cur *asmSite
	var sys map[string]bool
	flush := func() {
		if cur != nil {
			for s := range sys {
				cur.syscalls = append(cur.syscalls, s)
			}
			sort.Strings(cur.syscalls)
			sites = append(sites, *cur)
		}
	}
	var fn string
	inComment := false
	for n, line := range strings.Split(string(b), "\n") {
		// Drop comments: /* ... */, possibly over several lines, then // to the end of the line.
		var code strings.Builder
		for line != "" {
			if inComment {
				end := strings.Index(line, "*/")
				if end < 0 {
					line = ""
					break
				}
				line, inComment = line[end+2:], false
				continue
			}
			start := strings.Index(line, "/*")
			if start < 0 {
				code.WriteString(line)
				break
			}
			code.WriteString(line[:start])
			line, inComment = line[start+2:], true
		}
		s, _, _ := strings.Cut(code.String(), "//")
		s = strings.TrimSpace(s)
		if m := textRE.FindStringSubmatch(s); m != nil {
			flush()
			cur, sys = nil, map[string]bool{}
			fn = abiRE.ReplaceAllString(m[1], "")
			continue
		}
		isSyscall := slices.Contains(strings.FieldsFunc(s, func(r rune) bool {
			return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}), "SYSCALL")
		if strings.HasPrefix(s, "#") {
			if isSyscall {
				return nil, fmt.Errorf("%s:%d: SYSCALL in a preprocessor line: cannot tell which functions use it", rel, n+1)
			}
			continue
		}
		for labelRE.MatchString(s) {
			s = strings.TrimSpace(labelRE.ReplaceAllString(s, ""))
		}
		for _, m := range sysnameRE.FindAllStringSubmatch(s, -1) {
			if a, ok := sysAliases[m[1]]; ok {
				m[1] = a
			}
			if sys != nil {
				sys[m[1]] = true
			}
		}
		if f := strings.Fields(s); len(f) > 0 && f[0] == "SYSCALL" {
			if fn == "" {
				return nil, fmt.Errorf("%s:%d: SYSCALL outside a TEXT function", rel, n+1)
			}
			if cur == nil {
				cur = &asmSite{file: rel, function: fn}
			}
		} else if isSyscall {
			return nil, fmt.Errorf("%s:%d: SYSCALL in %q: not an instruction this scanner knows", rel, n+1, s)
		}
	}
	flush()
	return sites, nil
}

// TestSitesTable: sites.txt is well formed, and its kernel sites are exactly what plan.go routes:
// the stubs in kernelStubs and the runtime's syscall package's Syscall6.
func TestSitesTable(t *testing.T) {
	sites := readSites(t)
	var kernel []string
	seen := map[string]int{}
	for _, s := range sites {
		k := s.file + " " + s.function
		if prev, ok := seen[k]; ok {
			t.Errorf("sites.txt:%d: %s already listed at line %d", s.line, k, prev)
		}
		seen[k] = s.line
		if s.class == "kernel" {
			kernel = append(kernel, k)
		}
	}
	want := []string{"src/$SYSPKG/asm_linux_amd64.s ·Syscall6"}
	for _, name := range kernelStubs {
		want = append(want, "src/runtime/sys_linux_amd64.s runtime·"+name)
	}
	sort.Strings(kernel)
	sort.Strings(want)
	if !slices.Equal(kernel, want) {
		t.Errorf("kernel sites in sites.txt:\n\t%s\nwant (kernelStubs in plan.go, and Syscall6):\n\t%s",
			strings.Join(kernel, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// TestSitesClassified: every SYSCALL site of each toolchain here is in sites.txt with the system
// calls it makes, and every site in sites.txt exists.
func TestSitesClassified(t *testing.T) {
	sites := readSites(t)
	for series, tc := range available(t) {
		t.Run(series, func(t *testing.T) {
			p, _ := ProfileFor(tc.Version)
			found, err := scanSites(tc.GOROOT)
			if err != nil {
				t.Fatal(err)
			}
			if len(found) == 0 {
				t.Fatalf("no SYSCALL site found in %s", tc.GOROOT)
			}
			listed := map[string]site{}
			for _, s := range sites {
				listed[s.key(p)] = s
			}
			for _, f := range found {
				k := f.file + " " + f.function
				s, ok := listed[k]
				if !ok {
					t.Errorf("%s: %s: unclassified SYSCALL site (makes %s): add it to sites.txt", tc.Version, k, strings.Join(f.syscalls, ","))
					continue
				}
				delete(listed, k)
				want := f.syscalls
				if len(want) == 0 {
					want = []string{"nr"}
				}
				got := slices.Clone(s.syscalls)
				sort.Strings(got)
				if !slices.Equal(got, want) {
					t.Errorf("sites.txt:%d: %s makes %s in %s, not %s", s.line, k, strings.Join(want, ","), tc.Version, strings.Join(s.syscalls, ","))
				}
			}
			for k, s := range listed {
				t.Errorf("sites.txt:%d: %s: no such SYSCALL site in %s (%s)", s.line, k, tc.Version, tc.GOROOT)
			}
		})
	}
}

// TestSitesRouted: applied to each toolchain here, the plan renames every kernel site and replaces it
// by Go code (a function of the same package, or a go:linkname to it), and leaves every host site as
// it is.
func TestSitesRouted(t *testing.T) {
	sites := readSites(t)
	for series, tc := range available(t) {
		t.Run(series, func(t *testing.T) {
			p, _ := ProfileFor(tc.Version)
			plan := PlanFor(p)
			ov, err := plan.Apply(tc.GOROOT)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sites {
				file := strings.ReplaceAll(s.file, "$SYSPKG", p.SysPkg)
				orig, err := os.ReadFile(filepath.Join(tc.GOROOT, file))
				if err != nil {
					t.Errorf("sites.txt:%d: %v", s.line, err)
					continue
				}
				patched, ok := ov.Replace[file]
				if !ok {
					patched = orig
				}
				text := regexp.MustCompile(`(?m)^TEXT\s+` + regexp.QuoteMeta(s.function) + `(<[^>]*>)?\(SB\)`)
				before, after := len(text.FindAll(orig, -1)), len(text.FindAll(patched, -1))
				if before != 1 {
					t.Errorf("sites.txt:%d: %s defined %d times in %s, want once", s.line, s.function, before, file)
					continue
				}
				switch s.class {
				case "kernel":
					if after != 0 {
						t.Errorf("sites.txt:%d: kernel site %s %s: not renamed by the plan", s.line, file, s.function)
					}
					if !definedInGo(plan, ov, file, s.function) {
						t.Errorf("sites.txt:%d: kernel site %s %s: no Go replacement in the files the plan adds", s.line, file, s.function)
					}
				case "host":
					if after != 1 {
						t.Errorf("sites.txt:%d: host site %s %s: renamed by the plan", s.line, file, s.function)
					}
				}
			}
		})
	}
}

// definedInGo reports whether a file the plan adds defines the assembly function fn of file asm:
// a Go function of that name in the same package, or one linknamed to it.
func definedInGo(plan Plan, ov *Overlay, asm, fn string) bool {
	dir := path.Dir(asm)
	name := fn[strings.Index(fn, "·")+len("·"):]
	linkname := regexp.MustCompile(`(?m)^//go:linkname \w+ ` + regexp.QuoteMeta(strings.TrimPrefix(dir, "src/")+"."+name) + `$`)
	for _, a := range plan.Adds {
		b := ov.Replace[a.File]
		if path.Dir(a.File) == dir && strings.Contains(string(b), "\nfunc "+name+"(") || linkname.Match(b) {
			return true
		}
	}
	return false
}

// TestScanAsm: the scanner sees SYSCALL instructions (after labels too) and not comments, and
// refuses what it cannot attribute.
func TestScanAsm(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := write("a.s", `#define SYS_read 0
// SYSCALL in a comment
TEXT ·a(SB),NOSPLIT,$0
	MOVL	$SYS_read, AX
	SYSCALL
	RET
TEXT ·b<ABIInternal>(SB),NOSPLIT,$0 /* SYSCALL */
	RET
/*
	SYSCALL
*/
TEXT ·c(SB),NOSPLIT,$0
	JMP	l
l:	SYSCALL
	MOVL	$SYS_setittimer, AX
	SYSCALL
`)
	got, err := scanAsm(p, "a.s")
	if err != nil {
		t.Fatal(err)
	}
	want := []asmSite{{"a.s", "·a", []string{"read"}}, {"a.s", "·c", []string{"setitimer"}}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("scanAsm = %v, want %v", got, want)
	}
	for name, src := range map[string]string{
		"macro.s":   "#define CALLK MOVL $0, AX; SYSCALL\nTEXT ·a(SB),0,$0\n\tRET\n",
		"outside.s": "\tSYSCALL\n",
	} {
		if _, err := scanAsm(write(name, src), name); err == nil {
			t.Errorf("%s: scanAsm succeeded, want an error", name)
		}
	}
}
