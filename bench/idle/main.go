// Idle measures what an idle program costs: the process's CPU time (user + system, every thread,
// from getrusage(RUSAGE_SELF)) while the program does nothing for a while. Ring0's futex waiters
// spin before they sleep; this shows that the spinning is bounded and an idle app does not burn a
// core. In Ring0 the process is the JVM too: its own threads (JIT compiler, GC) count as well.
//
//	idle-sleep  main sleeps (time.Sleep) for -d; nothing else runs
//	idle-timers 8 goroutines each wake every 10 ms (a ticker) for -d, and go back to sleep
//	idle-wait   main blocks on a channel that a timer closes after -d
//
// One op is one second of wall time: the BENCH value is CPU nanoseconds per idle second (1e9 would be
// one core kept busy the whole time), e.g. "BENCH idle-sleep 2100000.00 ns/op 2 ops" means 2.1 ms of CPU
// per second of idleness.
//
//	go run ./bench/idle [-d 2s] [-warmup 1s] [-quick]
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"ring0.dev/bench/internal/harness"
)

func main() {
	d := flag.Duration("d", 2*time.Second, "how long each variant stays idle")
	warm := flag.Duration("warmup", time.Second, "run the timers variant unmeasured for this long first")
	quick := flag.Bool("quick", false, "a third of -d (for ring0 demo)")
	flag.Parse()
	if *quick {
		*d /= 3
	}
	if *d <= 0 {
		fail(fmt.Errorf("bad -d %v", *d))
	}
	// Let start-up work settle, and in Ring0 let the JIT compile the kernel's sleep and wake-up
	// paths, which an idle app runs rarely: the measured windows show the steady state.
	tickers(*warm)

	measure("idle-sleep", *d, func() { time.Sleep(*d) })
	measure("idle-timers", *d, func() { tickers(*d) })
	measure("idle-wait", *d, func() {
		c := make(chan struct{})
		time.AfterFunc(*d, func() { close(c) })
		<-c
	})
}

// tickers runs 8 goroutines that each wake every 10 ms, for d.
func tickers(d time.Duration) {
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for now := range t.C {
				if now.After(deadline) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// measure runs idle and prints the process CPU time it used per second of wall time.
func measure(name string, d time.Duration, idle func()) {
	c0 := cpuTime()
	t0 := time.Now()
	idle()
	wall := time.Since(t0)
	cpu := cpuTime() - c0
	perSec := float64(cpu.Nanoseconds()) / wall.Seconds()
	fmt.Printf("%s: %v of CPU in %v idle (%.2f%% of one core)\n", name, cpu, wall.Round(time.Millisecond), perSec/1e7)
	secs := int64(wall.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	// ns/op with one op per idle second: print the rate itself, with the whole seconds as ops.
	fmt.Println(harness.Line(harness.Result{Name: name, NsPerOp: perSec, Ops: secs}))
}

// cpuTime is the CPU time of the whole process so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fail(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "idle:", err)
	os.Exit(1)
}
