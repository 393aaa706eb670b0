// Package patch makes Ring0's runtime patch for an installed Go toolchain: anchored edits of a few
// GOROOT files plus a few added files, written as a `go build -overlay` directory and cached per Go
// version. An edit whose anchor does not match exactly once fails the whole patch with an error
// naming the file: a half-patched runtime is never produced.
package patch

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Edit replaces the only occurrence of Old in File (a path relative to GOROOT) by New.
type Edit struct {
	File string
	Old  string
	New  string
	Why  string
}

// Add is a file the overlay adds to GOROOT, made from an embedded template.
type Add struct {
	File     string // relative to GOROOT
	Template string // name under files/
}

// Profile is what differs between supported Go versions.
type Profile struct {
	Series    string // "go1.26"
	SysPkg    string // the runtime's syscall package: where Syscall6 lives
	FutexFile string // the runtime file that declares futex
	FutexTS   string // the type of futex's timeout parameter
	TimersArg string // timers.check's arguments after now: ", nil" (a synctest bubble) since go1.25
}

// Profiles lists the supported Go release series.
var Profiles = []Profile{
	{Series: "go1.24", SysPkg: "internal/runtime/syscall", FutexFile: "os_linux.go", FutexTS: "unsafe.Pointer"},
	{Series: "go1.25", SysPkg: "internal/runtime/syscall", FutexFile: "os_linux.go", FutexTS: "unsafe.Pointer", TimersArg: ", nil"},
	{Series: "go1.26", SysPkg: "internal/runtime/syscall/linux", FutexFile: "os_linux64.go", FutexTS: "*timespec", TimersArg: ", nil"},
}

// SupportedSeries returns the supported series, for messages: "go1.25, go1.26".
func SupportedSeries() string {
	var s []string
	for _, p := range Profiles {
		s = append(s, p.Series)
	}
	return strings.Join(s, ", ")
}

//go:embed files
var files embed.FS

// Toolchain is an installed Go toolchain.
type Toolchain struct {
	GOROOT  string
	Version string // "go1.26.8", from GOROOT/VERSION
}

// ReadToolchain reads the version of the toolchain at goroot.
func ReadToolchain(goroot string) (Toolchain, error) {
	b, err := os.ReadFile(filepath.Join(goroot, "VERSION"))
	if err != nil {
		return Toolchain{}, fmt.Errorf("reading Go version: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return Toolchain{GOROOT: goroot, Version: strings.TrimSpace(line)}, nil
}

// ProfileFor returns the profile of a Go version such as "go1.26.8".
func ProfileFor(version string) (Profile, error) {
	for _, p := range Profiles {
		if version == p.Series || strings.HasPrefix(version, p.Series+".") {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("unsupported Go version %s: Ring0 supports %s", version, SupportedSeries())
}

// Plan is the complete patch for one profile.
type Plan struct {
	Profile Profile
	Edits   []Edit
	Adds    []Add
}

// Overlay is the result of applying a plan: the replaced and added files.
type Overlay struct {
	Replace map[string][]byte // GOROOT-relative path -> new content
}

// Apply reads each edited file from goroot and applies the plan in memory.
func (p Plan) Apply(goroot string) (*Overlay, error) {
	out := &Overlay{Replace: map[string][]byte{}}
	read := func(rel string) ([]byte, error) {
		if b, ok := out.Replace[rel]; ok {
			return b, nil
		}
		b, err := os.ReadFile(filepath.Join(goroot, rel))
		if err != nil {
			return nil, fmt.Errorf("%s layout unknown to Ring0: %w", p.Profile.Series, err)
		}
		return b, nil
	}
	for _, e := range p.Edits {
		b, err := read(e.File)
		if err != nil {
			return nil, err
		}
		if n := bytes.Count(b, []byte(e.Old)); n != 1 {
			return nil, fmt.Errorf("%s layout unknown to Ring0: %s: anchor for %q matches %d times, want 1",
				p.Profile.Series, e.File, firstLine(e.Old), n)
		}
		out.Replace[e.File] = bytes.Replace(b, []byte(e.Old), []byte(e.New), 1)
	}
	for _, a := range p.Adds {
		if _, err := os.Stat(filepath.Join(goroot, a.File)); err == nil {
			return nil, fmt.Errorf("%s layout unknown to Ring0: %s already exists", p.Profile.Series, a.File)
		}
		t, err := files.ReadFile("files/" + a.Template)
		if err != nil {
			return nil, err
		}
		out.Replace[a.File] = []byte(p.expand(string(t)))
	}
	return out, nil
}

func (p Plan) expand(s string) string {
	return strings.NewReplacer(
		"{{SYSPKG}}", p.Profile.SysPkg,
		"{{SYSNAME}}", filepath.Base(p.Profile.SysPkg),
		"{{FUTEX_TS}}", p.Profile.FutexTS,
		"{{TIMERS_ARG}}", p.Profile.TimersArg,
	).Replace(s)
}

func firstLine(s string) string {
	s = strings.TrimLeft(s, "\n\t ")
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Hash identifies the plan's content, so that a cache entry is reused only for the same patch.
func (p Plan) Hash() string {
	h := sha256.New()
	fmt.Fprintf(h, "%+v\n", p.Profile)
	for _, e := range p.Edits {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", e.File, e.Old, e.New)
	}
	for _, a := range p.Adds {
		t, _ := files.ReadFile("files/" + a.Template)
		fmt.Fprintf(h, "%s\x00%s\x00", a.File, t)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Write writes the overlay under dir: the files under dir/goroot/ and dir/overlay.json, in the form
// `go build -overlay` takes ({"Replace": {absolute GOROOT path: backing file}}). The backing files are
// named as they will be once dir is renamed to finalDir.
func (o *Overlay) Write(dir, finalDir, goroot string) (string, error) {
	replace := map[string]string{}
	paths := make([]string, 0, len(o.Replace))
	for rel := range o.Replace {
		paths = append(paths, rel)
	}
	sort.Strings(paths)
	for _, rel := range paths {
		dst := filepath.Join(dir, "goroot", rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(dst, o.Replace[rel], 0o644); err != nil {
			return "", err
		}
		replace[filepath.Join(goroot, rel)] = filepath.Join(finalDir, "goroot", rel)
	}
	j, err := json.MarshalIndent(map[string]any{"Replace": replace}, "", "\t")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	return path, os.WriteFile(path, append(j, '\n'), 0o644)
}

// Cached returns the overlay.json for the toolchain, making it under cacheDir if it is not there yet.
// Entries are keyed by Go version, GOROOT and plan hash and written atomically.
func Cached(tc Toolchain, cacheDir string) (string, error) {
	prof, err := ProfileFor(tc.Version)
	if err != nil {
		return "", err
	}
	plan := PlanFor(prof)
	key := fmt.Sprintf("%s-%s-%s", tc.Version, shortHash(tc.GOROOT), plan.Hash())
	final := filepath.Join(cacheDir, key)
	if _, err := os.Stat(filepath.Join(final, "overlay.json")); err == nil {
		return filepath.Join(final, "overlay.json"), nil
	}
	ov, err := plan.Apply(tc.GOROOT)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(cacheDir, key+".tmp")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if _, err := ov.Write(tmp, final, tc.GOROOT); err != nil {
		return "", err
	}
	// Another build may have won the race: its entry is identical, so either one will do.
	if err := os.Rename(tmp, final); err != nil {
		if _, statErr := os.Stat(filepath.Join(final, "overlay.json")); statErr != nil {
			return "", err
		}
	}
	return filepath.Join(final, "overlay.json"), nil
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}
