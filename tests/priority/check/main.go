// Check is the goroutine-priority check that tests/priority runs inside Ring0 (and natively, where
// the API is a no-op). Each case prints what it saw and "ok", or what went wrong and exits 1. It
// asserts orders of events and that work eventually progresses, never how long anything took.
//
//	check api          the API (in Ring0: priorities recorded, clamped, not inherited; natively: no-ops)
//	check high-first   GOMAXPROCS=1: a High goroutine made runnable runs before Normal ones queued
//	                   before and after it
//	check low-last     GOMAXPROCS=1: a Low goroutine runs after Normal ones queued after it
//	check low-progress GOMAXPROCS=1: a Low goroutine makes progress among CPU-bound Normal ones
//	check normal-under-high  GOMAXPROCS=1: a Normal goroutine makes progress among CPU-bound High ones
//	check low-under-high     GOMAXPROCS=1: a Low one too
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ring0.dev/api"
)

// progressBound is how long a starved goroutine may take to progress before the check fails: far
// above the policy's 50 ms, so that a loaded CI machine does not fail it.
const progressBound = 60 * time.Second

// orderBound: an order check that took longer than this may have met the 50 ms aging rule (a Low
// goroutine that waited 50 ms runs first), so it is retried rather than judged.
const orderBound = 30 * time.Millisecond

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: check api|high-first|low-last|low-progress|normal-under-high|low-under-high")
		os.Exit(2)
	}
	cases := map[string]func() error{
		"api":               checkAPI,
		"high-first":        checkHighFirst,
		"low-last":          checkLowLast,
		"low-progress":      func() error { return checkProgress(ring0.Normal, ring0.Low) },
		"normal-under-high": func() error { return checkProgress(ring0.High, ring0.Normal) },
		"low-under-high":    func() error { return checkProgress(ring0.High, ring0.Low) },
	}
	f, ok := cases[os.Args[1]]
	if !ok {
		fmt.Fprintln(os.Stderr, "check: unknown case", os.Args[1])
		os.Exit(2)
	}
	if err := f(); err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
}

func checkAPI() error {
	in := ring0.InKernel()
	fmt.Println("in kernel:", in)
	want := func(p ring0.Priority) ring0.Priority { // what the API reports natively: always Normal
		if in {
			return p
		}
		return ring0.Normal
	}
	var errs []string
	expect := func(what string, got, want ring0.Priority) {
		if got != want {
			errs = append(errs, fmt.Sprintf("%s: %v, want %v", what, got, want))
		}
	}
	expect("initial", ring0.CurrentPriority(), ring0.Normal)
	expect("SetPriority(High) returns", ring0.SetPriority(ring0.High), ring0.Normal)
	expect("after SetPriority(High)", ring0.CurrentPriority(), want(ring0.High))
	expect("SetPriority(7) returns", ring0.SetPriority(7), want(ring0.High))
	expect("after SetPriority(7)", ring0.CurrentPriority(), want(ring0.High))

	// Started by a High goroutine: the go statement gives Normal, Go gives what it is asked.
	got := make(chan ring0.Priority)
	go func() { got <- ring0.CurrentPriority() }()
	expect("go statement in a High goroutine", <-got, ring0.Normal)
	for _, p := range []ring0.Priority{ring0.Low, ring0.Normal, ring0.High, -5, 5} {
		ring0.Go(p, func() { got <- ring0.CurrentPriority() })
		expect(fmt.Sprintf("Go(%v)", p), <-got, want(min(max(p, ring0.Low), ring0.High)))
	}

	expect("SetPriority(-3) returns", ring0.SetPriority(-3), want(ring0.High))
	expect("after SetPriority(-3)", ring0.CurrentPriority(), want(ring0.Low))
	expect("SetPriority(Normal) returns", ring0.SetPriority(ring0.Normal), want(ring0.Low))
	expect("after SetPriority(Normal)", ring0.CurrentPriority(), ring0.Normal)

	names := fmt.Sprint(ring0.Low, ring0.Normal, ring0.High, ring0.Priority(3))
	if names != "low normal high Priority(3)" {
		errs = append(errs, "String: "+names)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// log records the order in which goroutines ran.
type log struct {
	mu    sync.Mutex
	names []string
}

func (l *log) add(name string) {
	l.mu.Lock()
	l.names = append(l.names, name)
	l.mu.Unlock()
}

// checkHighFirst: with one P, Normal goroutines n1..n4 are queued; then main, Normal, readies a
// High goroutine (blocked on gate) and starts n5..n8. The High one must run first: natively it would
// sit in runnext until main starts n5, then behind n1..n4, and n8 would run first.
func checkHighFirst() error {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var l log
	var wg sync.WaitGroup
	gate, parked := make(chan struct{}), make(chan struct{})
	wg.Add(1)
	ring0.Go(ring0.High, func() {
		defer wg.Done()
		parked <- struct{}{}
		<-gate
		l.add("high")
	})
	<-parked // the High goroutine runs on to <-gate before main runs again: one P, and it is High
	start := func(from, to int) {
		for i := from; i <= to; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.add(fmt.Sprintf("n%d", i))
			}()
		}
	}
	start(1, 4)
	close(gate)
	start(5, 8)
	wg.Wait()
	fmt.Println("order:", strings.Join(l.names, " "))
	if !ring0.InKernel() {
		return nil // natively nothing is promised
	}
	if l.names[0] != "high" {
		return fmt.Errorf("want high first, got %v", l.names)
	}
	return nil
}

// checkLowLast: with one P, main starts a Low goroutine and then Normal n1..n4 and waits: the Low
// one runs last (natively: n4, which took runnext, then in order of creation).
func checkLowLast() error {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for attempt := 1; ; attempt++ {
		var l log
		var wg sync.WaitGroup
		t0 := time.Now()
		wg.Add(1)
		ring0.Go(ring0.Low, func() {
			defer wg.Done()
			l.add("low")
		})
		for i := 1; i <= 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.add(fmt.Sprintf("n%d", i))
			}()
		}
		wg.Wait()
		elapsed := time.Since(t0)
		if !ring0.InKernel() {
			fmt.Println("order:", strings.Join(l.names, " "))
			return nil
		}
		if l.names[len(l.names)-1] == "low" {
			fmt.Println("order:", strings.Join(l.names, " "))
			return nil
		}
		if elapsed < orderBound || attempt == 10 {
			return fmt.Errorf("want low last, got %v (attempt %d, %v)", l.names, attempt, elapsed)
		}
		// Slower than the aging rule's 50 ms allows to judge (a loaded machine): again.
	}
}

// checkProgress: with one P, GOMAXPROCS+2 CPU-bound goroutines of priority busy run while one of the
// lower priority starved counts; it must count, eventually. The observer (main) is busy too, so
// that it is not starved itself.
func checkProgress(busy, starved ring0.Priority) error {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	defer ring0.SetPriority(ring0.SetPriority(busy))
	var stop atomic.Bool
	var count atomic.Int64
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		ring0.Go(busy, func() {
			defer wg.Done()
			for x := uint64(0); !stop.Load(); {
				x = work(x)
			}
		})
	}
	wg.Add(1)
	ring0.Go(starved, func() {
		defer wg.Done()
		for x := uint64(0); !stop.Load(); {
			x = work(x)
			count.Add(1)
		}
	})
	deadline := time.Now().Add(progressBound)
	for count.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	n := count.Load()
	fmt.Printf("%v goroutine among CPU-bound %v ones: progressed: %v\n", starved, busy, n >= 3)
	if n < 3 {
		return fmt.Errorf("%v goroutine made %d rounds in %v among 3 CPU-bound %v goroutines", starved, n, progressBound, busy)
	}
	return nil
}

// work is a little CPU-bound work in a function call (a preemption point).
//
//go:noinline
func work(x uint64) uint64 {
	for i := 0; i < 1000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}
