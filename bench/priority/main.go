// Priority measures what a High goroutine priority (package ring0.dev/api) buys: one goroutine woken
// by a 1 ms ticker while GOMAXPROCS×4 CPU-bound goroutines run. Its lateness is when it runs minus
// when the tick was due (the ticker's time value). Natively, and in Ring0 without -priority, a timer
// runs only when its P schedules, which CPU-bound goroutines let happen every 10 ms (preemption);
// in Ring0 with -priority the ticking goroutine is High.
//
//	go run ./bench/priority [-priority] [-n 2000] [-quick]     natively: -priority changes nothing
//	./ring0 run ./bench/priority [-priority] [-n 2000]          in Ring0
//
// It prints the lateness percentiles over n ticks, after a warm-up, as BENCH lines (ns per tick):
//
//	BENCH priority-<high|normal>-p50 <ns> ns/op <n> ops   (and -p99, -max)
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"ring0.dev/api"
	"ring0.dev/bench/internal/harness"
)

var sink, rounds atomic.Uint64

func main() {
	sizes := harness.NewSizes(2000, "measured ticks", time.Second, "ticks for this long before measuring")
	n, warm := sizes.N, sizes.Warm
	high := flag.Bool("priority", false, "the ticking goroutine is High (in Ring0; natively a no-op)")
	workersPerP := flag.Int("load", 4, "CPU-bound goroutines per P (GOMAXPROCS)")
	sizes.Parse()
	if *n <= 0 || *workersPerP < 0 {
		fmt.Fprintln(os.Stderr, "priority: bad flags")
		os.Exit(2)
	}
	prio := ring0.Normal
	if *high {
		prio = ring0.High
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0) * *workersPerP
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			spin(&stop)
		}()
	}

	done := make(chan []time.Duration)
	t0 := time.Now()
	ring0.Go(prio, func() { done <- tick(*n, *warm) })
	late := <-done
	stop.Store(true)
	wg.Wait()
	work := float64(rounds.Load()) / time.Since(t0).Seconds()

	slices.Sort(late)
	p50, p99, worst := late[len(late)/2], late[len(late)*99/100], late[len(late)-1]
	name := "priority-" + prio.String()
	fmt.Printf("%s: %d ticks of 1ms, %d CPU-bound goroutines, GOMAXPROCS=%d, in Ring0: %v, priority %v: lateness p50 %v p99 %v max %v; CPU-bound work %.0f rounds/s\n",
		name, len(late), workers, runtime.GOMAXPROCS(0), ring0.InKernel(), prio, p50, p99, worst, work)
	for _, r := range []struct {
		what string
		d    time.Duration
	}{{"p50", p50}, {"p99", p99}, {"max", worst}} {
		fmt.Println(harness.Line(harness.Result{Name: name + "-" + r.what, NsPerOp: float64(r.d.Nanoseconds()), Ops: int64(len(late))}))
	}
}

// tick receives n ticks of a 1 ms ticker after warm and returns how late each was received.
func tick(n int, warm time.Duration) []time.Duration {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for start := time.Now(); time.Since(start) < warm; {
		<-t.C
	}
	late := make([]time.Duration, 0, n)
	for len(late) < n {
		due := <-t.C
		late = append(late, time.Since(due))
	}
	return late
}

// spin is CPU-bound work without system calls or blocking until stop is set.
func spin(stop *atomic.Bool) {
	x := uint64(1)
	for !stop.Load() {
		for i := 0; i < 10_000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		rounds.Add(1)
	}
	sink.Add(x)
}
