// Test2 is the Golang-in-Ring0 "Test-2": 50 goroutines pass messages along a chain of unbuffered
// channels, and each writes 30 bytes to /dev/null per message it passes on; GOMAXPROCS=2. It mixes
// system calls (write) with the scheduler's futex sleeps and wake-ups. One op is one hop.
//
//	go run ./bench/test2 [-n 40000] [-g 50] [-quick]
package main

import "ring0.dev/bench/internal/pipeline"

func main() {
	pipeline.Main("test2", true, 40_000)
}
