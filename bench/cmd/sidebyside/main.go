// Sidebyside runs Ring0's benchmarks natively and in Ring0, side by side, and prints a table.
//
//	go run ./bench/cmd/sidebyside [-n 5] [-quick] [-json FILE] [-ring0 PATH] [benchmarks...]
//
// Each benchmark (a main package under bench/) is built twice: with go build, and as a ring0
// executable with <repo>/ring0 build. Then, n times, each benchmark runs natively and in Ring0 one
// right after the other, the order swapped every round, so that machine noise falls on both sides
// alike. Each program times its own measured loop (start-up, JVM boot and build are not in the
// numbers) and prints BENCH lines; the table shows the median ns/op of each side, the ratio
// native/Ring0 (above 1: Ring0 is faster) and the spread (min-max) of each side.
//
// Flags:
//
//	-n N        rounds (default 5; 3 with -quick)
//	-quick      fewer iterations in each program (a tenth) and 3 rounds, for ring0 demo
//	-json FILE  also write the results, every sample included, as JSON
//	-ring0 PATH the ring0 launcher (default: <repo>/ring0, the repository found from the working
//	            directory or this source file); any command that takes ring0's build and run
//	            arguments will do, e.g. a wrapper that runs a pinned copy of the kernel jar
//	-v          copy each run's output to stderr
//	-keep       keep the build directory and print its path
//
// Benchmarks: test1 test2 test3 pingpong pipes syscall cpu files net (default: all).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"ring0.dev/bench/internal/harness"
)

// all is every benchmark, in the order the table shows them.
var all = []string{"test1", "test2", "test3", "pingpong", "pipes", "syscall", "cpu", "files", "net"}

// runTimeout bounds one run of one program; a default run takes a few seconds.
const runTimeout = 5 * time.Minute

func usage() {
	fmt.Fprintf(os.Stderr, "usage: go run ./bench/cmd/sidebyside [-n 5] [-quick] [-json FILE] [-ring0 PATH] [-v] [-keep] [benchmarks...]\n")
	fmt.Fprintf(os.Stderr, "benchmarks: %s (default: all)\n", strings.Join(all, " "))
	flag.PrintDefaults()
}

func main() {
	os.Exit(sidebyside())
}

// sidebyside is the program; it returns the exit status, so that deferred clean-ups run.
func sidebyside() int {
	rounds := flag.Int("n", 5, "rounds: runs of each side, alternating (default 5, or 3 with -quick)")
	quick := flag.Bool("quick", false, "fewer iterations in each program, for ring0 demo")
	jsonFile := flag.String("json", "", "write the results as JSON to `FILE`")
	launcher := flag.String("ring0", "", "the ring0 launcher (default: <repo>/ring0)")
	verbose := flag.Bool("v", false, "copy each run's output to stderr")
	keep := flag.Bool("keep", false, "keep the build directory")
	flag.Usage = usage
	flag.Parse()
	if *quick && !flagSet("n") {
		*rounds = 3
	}
	if *rounds < 1 {
		return usageError("-n must be at least 1")
	}
	names := flag.Args()
	if len(names) == 0 {
		names = all
	}
	for _, n := range names {
		if !slices.Contains(all, n) {
			return usageError(fmt.Sprintf("unknown benchmark %q", n))
		}
	}

	root, ring0, err := findRing0(*launcher)
	if err != nil {
		return fatal(err)
	}
	dir, err := os.MkdirTemp("", "ring0-bench-")
	if err != nil {
		return fatal(err)
	}
	if *keep {
		fmt.Fprintf(os.Stderr, "sidebyside: build directory %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	r := &runner{root: root, ring0: ring0, dir: dir, verbose: *verbose}
	var progArgs []string
	if *quick {
		progArgs = []string{"-quick"}
	}
	rep, err := r.run(names, *rounds, progArgs)
	if err != nil {
		return fatal(err)
	}
	rep.Quick = *quick
	rep.print(os.Stdout)
	if *jsonFile != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonFile, append(b, '\n'), 0o644)
		}
		if err != nil {
			return fatal(err)
		}
	}
	if len(rep.Failures) > 0 {
		return 1
	}
	return 0
}

// runner builds and runs the benchmark programs.
type runner struct {
	root    string // the repository
	ring0   string // the launcher
	dir     string // where the executables go
	verbose bool
}

// report is what the table shows and -json writes.
type report struct {
	Date      string   `json:"date"`
	GoVersion string   `json:"go_version"`
	Ring0     string   `json:"ring0_version"`
	Commit    string   `json:"commit"`
	Machine   string   `json:"machine"`
	Rounds    int      `json:"rounds"`
	LoadStart string   `json:"loadavg_start"`
	LoadEnd   string   `json:"loadavg_end"`
	Quick     bool     `json:"quick"`
	Results   []*row   `json:"results"`
	Walls     []*wall  `json:"process_wall_seconds"`
	Failures  []string `json:"failures,omitempty"`
	// KernelChanged says the kernel jar was rebuilt between runs (someone edited java/ meanwhile):
	// the Ring0 samples then come from more than one kernel.
	KernelChanged bool `json:"kernel_changed,omitempty"`
}

// row is one BENCH name measured on both sides.
type row struct {
	Name    string `json:"name"`
	Program string `json:"program"`
	Native  stats  `json:"native"`
	Ring0   stats  `json:"ring0"`
	// Ratio is the native median over the Ring0 median: above 1, Ring0 is faster.
	Ratio float64 `json:"ratio_native_over_ring0"`
}

// wall is the wall-clock time of whole runs of one program, start-up included.
type wall struct {
	Program string `json:"program"`
	Native  stats  `json:"native"`
	Ring0   stats  `json:"ring0"`
}

type stats struct {
	Median  float64   `json:"median"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
	Samples []float64 `json:"samples"`
}

func (s *stats) add(v float64) {
	s.Samples = append(s.Samples, v)
	sorted := slices.Clone(s.Samples)
	sort.Float64s(sorted)
	s.Min, s.Max = sorted[0], sorted[len(sorted)-1]
	if n := len(sorted); n%2 == 1 {
		s.Median = sorted[n/2]
	} else {
		s.Median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
}

// side is one way of running a program: argv gives the command line that runs it.
type side struct {
	name string
	argv func(prog string, args []string) []string
}

func (r *runner) sides() [2]side {
	return [2]side{
		{"native", func(prog string, args []string) []string {
			return append([]string{filepath.Join(r.dir, prog+".native")}, args...)
		}},
		{"ring0", func(prog string, args []string) []string {
			return append([]string{r.ring0, "run", filepath.Join(r.dir, prog+".ring0")}, args...)
		}},
	}
}

func (r *runner) run(names []string, rounds int, args []string) (*report, error) {
	rep := &report{
		Date:      time.Now().UTC().Format(time.RFC3339),
		GoVersion: output(r.root, "go", "version"),
		Ring0:     output(r.root, r.ring0, "--version"),
		Commit:    output(r.root, "git", "describe", "--always", "--dirty"),
		Machine:   machine(),
		Rounds:    rounds,
		LoadStart: loadavg(),
	}
	if busy() {
		fmt.Fprintf(os.Stderr, "sidebyside: warning: the machine is busy (load average %s, %d CPUs): expect noise\n",
			rep.LoadStart, runtime.NumCPU())
	}
	for _, n := range names {
		if err := r.build(n); err != nil {
			return nil, err
		}
	}
	kernel := r.kernelStamp()

	rows := map[string]*row{}
	walls := map[string]*wall{}
	for _, n := range names {
		walls[n] = &wall{Program: n}
		rep.Walls = append(rep.Walls, walls[n])
	}
	sides := r.sides()
	for round := 0; round < rounds; round++ {
		fmt.Fprintf(os.Stderr, "sidebyside: round %d/%d\n", round+1, rounds)
		for _, prog := range names {
			order := []int{0, 1}
			if round%2 == 1 {
				order = []int{1, 0}
			}
			for _, i := range order {
				s := sides[i]
				results, secs, err := r.runOnce(s.argv(prog, args))
				if st := r.kernelStamp(); st != kernel && !rep.KernelChanged {
					rep.KernelChanged = true
					fmt.Fprintf(os.Stderr, "sidebyside: warning: the kernel (%s) was rebuilt during the runs\n", r.jar())
				}
				if err != nil {
					msg := fmt.Sprintf("round %d, %s %s: %v", round+1, prog, s.name, err)
					fmt.Fprintln(os.Stderr, "sidebyside:", msg)
					rep.Failures = append(rep.Failures, msg)
					continue
				}
				w := &walls[prog].Native
				if s.name == "ring0" {
					w = &walls[prog].Ring0
				}
				w.add(secs)
				for _, res := range results {
					rw := rows[res.Name]
					if rw == nil {
						rw = &row{Name: res.Name, Program: prog}
						rows[res.Name] = rw
						rep.Results = append(rep.Results, rw)
					}
					if s.name == "native" {
						rw.Native.add(res.NsPerOp)
					} else {
						rw.Ring0.add(res.NsPerOp)
					}
				}
			}
		}
	}
	rep.LoadEnd = loadavg()
	// Rows in program order, then in the order the program printed them.
	slices.SortStableFunc(rep.Results, func(a, b *row) int {
		return slices.Index(names, a.Program) - slices.Index(names, b.Program)
	})
	for _, rw := range rep.Results {
		if len(rw.Native.Samples) > 0 && len(rw.Ring0.Samples) > 0 && rw.Ring0.Median > 0 {
			rw.Ratio = rw.Native.Median / rw.Ring0.Median
		}
	}
	return rep, nil
}

// jar is the kernel the launcher runs; it rebuilds it when java/ is newer.
func (r *runner) jar() string {
	return filepath.Join(r.root, "java", "target", "ring0.jar")
}

// kernelStamp identifies the kernel jar's current build ("" if there is none).
func (r *runner) kernelStamp() string {
	fi, err := os.Stat(r.jar())
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d/%d", fi.Size(), fi.ModTime().UnixNano())
}

// buildFlags are extra go build flags of a benchmark, given to both sides alike.
//
// cpu: every function 64-byte aligned. By default Go aligns functions to 32 bytes, so where a hot
// loop falls in its 64-byte cache line depends on the size of all the code linked before it, which
// differs between the executable and the c-shared library (cgo, the patched runtime): cpu-sieve's
// inner loop (18 bytes) sat inside one line natively and across two in Ring0, and that alone made
// it ~12% slower in CPU time, with identical instructions; a native build with one small function
// added before main.main was as slow (see bench/README.md). With -funcalign=64 both builds put every
// hot loop at the same offset in its line, so the benchmark compares Ring0 with native, not two
// code layouts.
var buildFlags = map[string][]string{
	"cpu": {"-ldflags=-funcalign=64"},
}

// build builds bench/<name> natively and as a ring0 executable.
func (r *runner) build(name string) error {
	pkg := "./bench/" + name
	flags := buildFlags[name]
	fmt.Fprintf(os.Stderr, "sidebyside: building %s (go build, ring0 build)\n", name)
	native := exec.Command("go", slices.Concat([]string{"build", "-o", filepath.Join(r.dir, name+".native")}, flags, []string{pkg})...)
	if err := r.quiet(native); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	ring0 := exec.Command(r.ring0, slices.Concat([]string{"build", "-o", filepath.Join(r.dir, name+".ring0")}, flags, []string{pkg})...)
	if err := r.quiet(ring0); err != nil {
		return fmt.Errorf("%s build %s: %w", r.ring0, pkg, err)
	}
	return nil
}

// quiet runs cmd in the repository; on failure the error carries its output.
func (r *runner) quiet(cmd *exec.Cmd) error {
	cmd.Dir = r.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, bytes.TrimSpace(out))
	}
	return nil
}

// runOnce runs one program and returns its BENCH lines and the wall-clock seconds of the run.
func (r *runner) runOnce(argv []string) ([]harness.Result, float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = r.root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	secs := time.Since(start).Seconds()
	if r.verbose {
		os.Stderr.Write(stdout.Bytes())
		os.Stderr.Write(stderr.Bytes())
	}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("timed out after %v", runTimeout)
		}
		return nil, secs, fmt.Errorf("%v\n%s", err, tail(stderr.String(), 20))
	}
	var results []harness.Result
	for _, line := range strings.Split(stdout.String(), "\n") {
		if res, ok := harness.Parse(line); ok {
			results = append(results, res)
		}
	}
	if len(results) == 0 {
		return nil, secs, errors.New("no BENCH line in its output")
	}
	return results, secs, nil
}

func (rep *report) print(w *os.File) {
	quick := ""
	if rep.Quick {
		quick = ", -quick"
	}
	fmt.Fprintf(w, "%s; %s (%s); %s\n", rep.GoVersion, rep.Ring0, rep.Commit, rep.Machine)
	fmt.Fprintf(w, "%s, %d rounds%s, load average %s at start, %s at end\n",
		rep.Date, rep.Rounds, quick, rep.LoadStart, rep.LoadEnd)
	// Names are padded to one width so that they stay left-aligned in a right-aligned table.
	width := len("benchmark")
	for _, rw := range rep.Results {
		width = max(width, len(rw.Name))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tnative ns/op\tRing0 ns/op\tnative/Ring0\tnative min-max\tRing0 min-max\t\n", width, "benchmark")
	for _, rw := range rep.Results {
		ratio := "-"
		if rw.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", rw.Ratio)
		}
		fmt.Fprintf(tw, "%-*s\t%s\t%s\t%s\t%s\t%s\t\n", width, rw.Name, num(rw.Native.Median, rw.Native.Samples),
			num(rw.Ring0.Median, rw.Ring0.Samples), ratio, spread(rw.Native), spread(rw.Ring0))
	}
	tw.Flush()
	fmt.Fprintln(w, "(median of each side; ratio above 1: Ring0 is faster; ns/op timed inside each program)")
	fmt.Fprint(w, "whole runs, wall seconds (median, start-up included; Ring0 boots a JVM):")
	for _, wl := range rep.Walls {
		fmt.Fprintf(w, " %s %s/%s", wl.Program, secs(wl.Native), secs(wl.Ring0))
	}
	fmt.Fprintln(w)
	if rep.KernelChanged {
		fmt.Fprintf(w, "WARNING: the kernel was rebuilt during the runs: the Ring0 samples mix kernel versions\n")
	}
	for _, f := range rep.Failures {
		fmt.Fprintln(w, "FAILED:", firstLine(f))
	}
}

func num(v float64, samples []float64) string {
	switch {
	case len(samples) == 0:
		return "-"
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

func spread(s stats) string {
	if len(s.Samples) == 0 {
		return "-"
	}
	return num(s.Min, s.Samples) + "-" + num(s.Max, s.Samples)
}

func secs(s stats) string {
	if len(s.Samples) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", s.Median)
}

// findRing0 returns the repository root and the launcher. With -ring0, the launcher is that file
// and the root its directory if that is the repository (otherwise, e.g. for a wrapper that runs a
// pinned copy of the kernel, the root is found as without the flag). Without it, the root is the
// first directory holding a ring0.dev go.mod and a ring0 launcher, going up from the working
// directory, then from this source file.
func findRing0(flagPath string) (root, launcher string, err error) {
	if flagPath != "" {
		abs, err := filepath.Abs(flagPath)
		if err != nil {
			return "", "", err
		}
		if _, err := os.Stat(abs); err != nil {
			return "", "", fmt.Errorf("-ring0: %w", err)
		}
		if isRepo(filepath.Dir(abs)) {
			return filepath.Dir(abs), abs, nil
		}
		root, _, err := findRing0("")
		return root, abs, err
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		starts = append(starts, filepath.Dir(file))
	}
	for _, d := range starts {
		for {
			if isRepo(d) {
				if _, err := os.Stat(filepath.Join(d, "ring0")); err == nil {
					return d, filepath.Join(d, "ring0"), nil
				}
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return "", "", errors.New("cannot find the Ring0 repository from the working directory or this source file: use -ring0 PATH")
}

func isRepo(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" && f[1] == "ring0.dev" {
			return true
		}
	}
	return false
}

// machine describes the host: CPU model and count.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d vCPU, %s/%s", model, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
}

// loadavg is the host's 1, 5 and 15 minute load averages.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// busy tells whether other work already keeps the CPUs busy (1-minute load above half of them).
func busy() bool {
	var one float64
	if _, err := fmt.Sscan(loadavg(), &one); err != nil {
		return false
	}
	return one > float64(runtime.NumCPU())/2
}

func output(dir, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return name + ": " + err.Error()
	}
	return strings.TrimSpace(string(out))
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

func usageError(msg string) int {
	fmt.Fprintln(os.Stderr, "sidebyside:", msg)
	usage()
	return 2
}

func fatal(err error) int {
	fmt.Fprintln(os.Stderr, "sidebyside:", err)
	return 1
}
