// Pingpong is the cross-core hand-off: two goroutines, each locked to its own OS thread
// (runtime.LockOSThread), pass a token back and forth over two unbuffered channels, GOMAXPROCS=2.
// A locked goroutine can only run on its own thread, so every hand-off wakes the other thread:
// natively a futex wake and a futex sleep per hop, in Ring0 a memory write when the other side is
// still spinning. One op is one round trip (two hand-offs).
//
//	pingpong-locked  both goroutines locked to their threads (the cross-core case)
//	pingpong         the same without LockOSThread (the scheduler may keep both on one P)
//
//	go run ./bench/pingpong [-n 20000] [-procs 2] [-quick]
package main

import (
	"fmt"
	"os"
	"runtime"

	"ring0.dev/bench/internal/harness"
)

func main() {
	variant := func(locked bool) func() (func(int), func()) {
		return func() (func(int), func()) {
			p := start(locked)
			return p.run, p.stop
		}
	}
	harness.VariantsMain(20_000, "measured round trips per variant", 1000, []harness.Variant{
		{Name: "pingpong-locked", Start: variant(true)},
		{Name: "pingpong", Start: variant(false)},
	})
}

// pair is the two players: ping runs in the caller's goroutine's partner, pong answers.
type pair struct {
	ping, pong chan int
	cmd        chan int // round trips to play; closed to stop
	done       chan int // the count each batch ended with
}

func start(locked bool) *pair {
	p := &pair{ping: make(chan int), pong: make(chan int), cmd: make(chan int), done: make(chan int)}
	go func() { // the server: answers each ping with its value plus one
		if locked {
			runtime.LockOSThread()
		}
		for v := range p.ping {
			p.pong <- v + 1
		}
		close(p.pong)
	}()
	go func() { // the client: plays batches of round trips
		if locked {
			runtime.LockOSThread()
		}
		for n := range p.cmd {
			v := 0
			for i := 0; i < n; i++ {
				p.ping <- v
				v = <-p.pong
			}
			p.done <- v
		}
		close(p.ping)
	}()
	return p
}

// run plays n round trips and checks that each was answered once.
func (p *pair) run(n int) {
	p.cmd <- n
	if v := <-p.done; v != n {
		fail(fmt.Errorf("%d round trips counted %d", n, v))
	}
}

func (p *pair) stop() {
	close(p.cmd)
	for range p.pong {
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pingpong:", err)
	os.Exit(1)
}
