// Command timers uses time.Sleep, time.After, time.Timer, time.Ticker, time.AfterFunc and
// context.WithTimeout. Timing is never exact, so it prints only facts that hold on any machine: the
// order in which things happen and "elapsed >= d". It exits 1 if one fails.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

var failed bool

func check(what string, ok bool) {
	fmt.Printf("%s: %t\n", what, ok)
	if !ok {
		fmt.Fprintf(os.Stderr, "FAIL: %s\n", what)
		failed = true
	}
}

func main() {
	start := time.Now()
	time.Sleep(50 * time.Millisecond)
	check("Sleep(50ms): elapsed >= 50ms", time.Since(start) >= 50*time.Millisecond)
	time.Sleep(0)
	time.Sleep(-time.Second)
	check("Sleep(0) and Sleep(-1s) return", true)

	// The sooner of two timers wins; the later one is far away so load cannot change the order.
	start = time.Now()
	select {
	case <-time.After(20 * time.Millisecond):
		check("After(20ms) before After(5s)", true)
	case <-time.After(5 * time.Second):
		check("After(20ms) before After(5s)", false)
	}
	check("After: elapsed >= 20ms", time.Since(start) >= 20*time.Millisecond)

	// Timer Stop and Reset.
	t := time.NewTimer(time.Hour)
	check("Stop of an active timer returns true", t.Stop())
	check("Stop of a stopped timer returns false", !t.Stop())
	start = time.Now()
	t.Reset(30 * time.Millisecond)
	fired := <-t.C
	check("Reset(30ms) fires after >= 30ms", fired.Sub(start) >= 30*time.Millisecond && time.Since(start) >= 30*time.Millisecond)
	past := time.NewTimer(-time.Second)
	<-past.C
	check("a timer in the past fires", true)

	// Ticker: five ticks of 10ms take at least 50ms, and tick times increase.
	start = time.Now()
	tk := time.NewTicker(10 * time.Millisecond)
	var last time.Time
	increasing := true
	for i := 0; i < 5; i++ {
		tick := <-tk.C
		if !tick.After(last) {
			increasing = false
		}
		last = tick
	}
	tk.Stop()
	check("Ticker: 5 ticks of 10ms take >= 50ms", time.Since(start) >= 50*time.Millisecond)
	check("Ticker: tick times increase", increasing)
	tk.Reset(5 * time.Millisecond)
	<-tk.C
	tk.Stop()
	check("Ticker: ticks again after Reset", true)

	// AfterFunc callbacks far enough apart run in deadline order.
	order := make(chan int, 3)
	for _, d := range []int{3, 1, 2} {
		time.AfterFunc(time.Duration(d)*150*time.Millisecond, func() { order <- d })
	}
	got := []int{<-order, <-order, <-order}
	fmt.Println("AfterFunc order:", got)
	check("AfterFunc in deadline order", got[0] == 1 && got[1] == 2 && got[2] == 3)
	// Far enough off that no scheduling delay on a loaded machine lets it fire before Stop.
	stopped := time.AfterFunc(time.Minute, func() { fmt.Println("must not run") })
	check("AfterFunc stopped before it fires", stopped.Stop())

	// context.WithTimeout.
	start = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Millisecond)
	defer cancel()
	<-ctx.Done()
	fmt.Println("ctx.Err():", ctx.Err())
	check("WithTimeout: deadline exceeded", errors.Is(ctx.Err(), context.DeadlineExceeded))
	check("WithTimeout(40ms): elapsed >= 40ms", time.Since(start) >= 40*time.Millisecond)
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	cancel2()
	<-ctx2.Done()
	fmt.Println("cancelled ctx.Err():", ctx2.Err())

	// A goroutine sleeping while main waits on a channel; the runtime must not call it a deadlock.
	done := make(chan string)
	go func() {
		time.Sleep(30 * time.Millisecond)
		done <- "sleeper woke"
	}()
	fmt.Println(<-done)

	// Monotonic clock.
	a := time.Now()
	b := time.Now()
	check("monotonic: b - a >= 0", b.Sub(a) >= 0)
	check("wall clock after 2020", a.Year() >= 2020)

	if failed {
		os.Exit(1)
	}
}
