// Test3 is the Golang-in-Ring0 "Test-3": Test-2 without the writes, channels only: 50 goroutines
// pass messages along a chain of unbuffered channels, GOMAXPROCS=2. Its only system calls are the
// scheduler's (futex sleeps and wake-ups of idle Ps, sched_yield). One op is one hop.
//
//	go run ./bench/test3 [-n 100000] [-g 50] [-quick]
package main

import "ring0.dev/bench/internal/pipeline"

func main() {
	pipeline.Main("test3", false, 100_000)
}
