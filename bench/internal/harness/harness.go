// Package harness is what the benchmark programs share: the one line each prints and the runner
// parses,
//
//	BENCH <name> <ns_per_op> ns/op <ops> ops
//
// (any other output line is free text for people), and a time-based warm-up.
package harness

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Result is one measured loop.
type Result struct {
	Name    string
	NsPerOp float64
	Ops     int64
}

// Line formats r as a BENCH line (without the newline).
func Line(r Result) string {
	return fmt.Sprintf("BENCH %s %.2f ns/op %d ops", r.Name, r.NsPerOp, r.Ops)
}

// Print prints the BENCH line of a loop of ops operations that took d.
func Print(name string, d time.Duration, ops int64) {
	fmt.Println(Line(Result{Name: name, NsPerOp: float64(d.Nanoseconds()) / float64(ops), Ops: ops}))
}

// Parse reads a BENCH line; ok is false for any other line.
func Parse(line string) (r Result, ok bool) {
	f := strings.Fields(line)
	if len(f) != 6 || f[0] != "BENCH" || f[3] != "ns/op" || f[5] != "ops" {
		return Result{}, false
	}
	ns, err := strconv.ParseFloat(f[2], 64)
	if err != nil {
		return Result{}, false
	}
	ops, err := strconv.ParseInt(f[4], 10, 64)
	if err != nil {
		return Result{}, false
	}
	return Result{Name: f[1], NsPerOp: ns, Ops: ops}, true
}

// Warm calls loop with batches of chunk iterations until at least d has passed: long enough for the
// caches, the Go scheduler and, in Ring0, the JIT compiler to reach their steady state.
func Warm(d time.Duration, chunk int, loop func(n int)) {
	if chunk < 1 {
		chunk = 1
	}
	for start := time.Now(); time.Since(start) < d; {
		loop(chunk)
	}
}

// Sizes are the flags every benchmark program takes: -n (how many ops it measures), -warmup (how
// long it runs them first) and -quick (for ring0 demo: a tenth of -n). The warm-up stays with
// -quick: in Ring0 the kernel's JIT needs it (with a third of it, test1 measured 166-266 ns/op
// instead of 74 on a busy machine).
type Sizes struct {
	N     *int
	Warm  *time.Duration
	Quick *bool
}

// NewSizes registers the three flags; nWhat and warmWhat say what -n counts and what the warm-up
// runs. The program defines its own flags, then calls Parse.
func NewSizes(n int, nWhat string, warm time.Duration, warmWhat string) Sizes {
	return Sizes{
		N:     flag.Int("n", n, nWhat),
		Warm:  flag.Duration("warmup", warm, warmWhat),
		Quick: flag.Bool("quick", false, "a tenth of -n, for ring0 demo (the warm-up stays: the kernel's JIT needs it)"),
	}
}

// Parse parses the command line and applies -quick to -n.
func (s Sizes) Parse() {
	flag.Parse()
	if *s.Quick {
		*s.N /= 10
	}
}

// Variant is one benchmark of a program that measures several over objects it sets up: Start makes
// them and returns the loop (n ops) and what tears them down.
type Variant struct {
	Name  string
	Start func() (run func(n int), stop func())
}

// VariantsMain is the main of such a program: the Sizes flags (n ops measured per variant, nWhat
// says what one is; a 1 s warm-up) and -procs (GOMAXPROCS, 2 by default); then, for each variant in
// turn, it sets it up, warms its loop in batches of chunk ops, times n ops, tears it down and prints
// a line for people and the BENCH line.
func VariantsMain(n int, nWhat string, chunk int, vs []Variant) {
	sizes := NewSizes(n, nWhat, time.Second, "ops for this long before each timer starts")
	procs := flag.Int("procs", 2, "GOMAXPROCS")
	sizes.Parse()
	if *sizes.N <= 0 {
		fmt.Fprintf(os.Stderr, "%s: bad -n %d\n", filepath.Base(os.Args[0]), *sizes.N)
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*procs)
	n = *sizes.N
	for _, v := range vs {
		run, stop := v.Start()
		Warm(*sizes.Warm, chunk, run)
		t0 := time.Now()
		run(n)
		d := time.Since(t0)
		stop()
		fmt.Printf("%s: %d ops in %v (%.0f ns each), GOMAXPROCS=%d\n", v.Name, n, d, float64(d.Nanoseconds())/float64(n), runtime.GOMAXPROCS(0))
		Print(v.Name, d, int64(n))
	}
}
