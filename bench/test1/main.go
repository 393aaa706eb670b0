// Test1 is the original Golang-in-Ring0 "Test-1": many 30-byte writes to /dev/null through
// os.File.Write, one system call each. It measures the whole write path: os.File, the poller's fd
// lock, syscall.Write, and the system call itself (a trap natively, a call into the kernel in Ring0).
//
//	go run ./bench/test1 [-n 8000000] [-quick]
package main

import (
	"fmt"
	"os"
	"time"

	"ring0.dev/bench/internal/harness"
)

// msg is 30 bytes, as in the original test.
var msg = []byte("ring0 bench test1: 30 bytes.\n\n")

func main() {
	sizes := harness.NewSizes(8_000_000, "measured writes", time.Second, "writes for this long before the timer starts")
	n, warm := sizes.N, sizes.Warm
	sizes.Parse()
	if len(msg) != 30 || *n <= 0 {
		fail(fmt.Errorf("bad setup: len(msg)=%d n=%d", len(msg), *n))
	}

	f, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
	if err != nil {
		fail(err)
	}
	defer f.Close()

	harness.Warm(*warm, 10_000, func(n int) { write(f, n) })
	start := time.Now()
	total := write(f, *n)
	d := time.Since(start)
	if total != int64(*n)*int64(len(msg)) {
		fail(fmt.Errorf("wrote %d bytes, want %d", total, int64(*n)*int64(len(msg))))
	}
	fmt.Printf("test1: %d writes of %d B to /dev/null in %v\n", *n, len(msg), d)
	harness.Print("test1", d, int64(*n))
}

// write writes msg to f n times and returns the bytes written.
func write(f *os.File, n int) int64 {
	var total int64
	for i := 0; i < n; i++ {
		k, err := f.Write(msg)
		if err != nil {
			fail(err)
		}
		total += int64(k)
	}
	return total
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "test1:", err)
	os.Exit(1)
}
