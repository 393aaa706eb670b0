// Package pipeline is the body of Test-2 and Test-3: a chain of goroutines connected by unbuffered
// channels. A feeder sends messages into the first stage; each stage receives a message, optionally
// writes 30 bytes to /dev/null, and passes it on; the caller receives at the end of the chain.
//
// With GOMAXPROCS=2 the chain keeps both Ps busy only part of the time: goroutines block on
// channels, Ps run out of work, their threads go to sleep (futex wait) and are woken again (futex
// wake). That is where "Golang in Ring-0" found its multi-core channel gains.
package pipeline

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"ring0.dev/bench/internal/harness"
)

// Msg is the 30-byte record each stage writes when the pipeline writes.
var Msg = []byte("ring0 bench pipeline: 30 B..\n\n")

// Pipeline is a running chain of stages.
type Pipeline struct {
	head   chan int
	tail   chan int
	stages int
}

// Start starts stages goroutines; if devnull is not nil, each stage writes Msg to it per message.
func Start(stages int, devnull *os.File) *Pipeline {
	head := make(chan int)
	in := head
	for i := 0; i < stages; i++ {
		out := make(chan int)
		go stage(in, out, devnull)
		in = out
	}
	return &Pipeline{head: head, tail: in, stages: stages}
}

func stage(in <-chan int, out chan<- int, devnull *os.File) {
	for v := range in {
		if devnull != nil {
			if _, err := devnull.Write(Msg); err != nil {
				fmt.Fprintln(os.Stderr, "pipeline: write:", err)
				os.Exit(1)
			}
		}
		out <- v + 1
	}
	close(out)
}

// Run sends msgs messages through the chain and waits for all of them at its end. Each message
// counts the stages it passed; a message that skipped or repeated one is an error.
func (p *Pipeline) Run(msgs int) error {
	go func() {
		for i := 0; i < msgs; i++ {
			p.head <- 0
		}
	}()
	for i := 0; i < msgs; i++ {
		if v := <-p.tail; v != p.stages {
			return fmt.Errorf("message %d passed %d stages, want %d", i, v, p.stages)
		}
	}
	return nil
}

// Stop ends the stages.
func (p *Pipeline) Stop() {
	close(p.head)
	for range p.tail {
	}
}

// Main is the whole program of Test-2 (write true) and Test-3 (write false): flags, GOMAXPROCS=2,
// warm-up, the timed run and the BENCH line. One op is one hop: a message received and passed on
// by one stage (plus its write, if any).
func Main(name string, write bool, defaultMsgs int) {
	flag.IntVar(&stagesFlag, "g", 50, "goroutines in the chain")
	sizes := harness.NewSizes(defaultMsgs, "measured messages (each passes every goroutine)", time.Second, "pass messages for this long before the timer starts")
	msgs, warm := sizes.N, sizes.Warm
	procs := flag.Int("procs", 2, "GOMAXPROCS")
	sizes.Parse()
	if stagesFlag <= 0 || *msgs <= 0 {
		fail(name, fmt.Errorf("bad flags: -g %d -n %d", stagesFlag, *msgs))
	}
	runtime.GOMAXPROCS(*procs)

	var devnull *os.File
	if write {
		f, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
		if err != nil {
			fail(name, err)
		}
		defer f.Close()
		devnull = f
	}
	p := Start(stagesFlag, devnull)
	harness.Warm(*warm, 100, func(n int) {
		if err := p.Run(n); err != nil {
			fail(name, err)
		}
	})
	start := time.Now()
	if err := p.Run(*msgs); err != nil {
		fail(name, err)
	}
	d := time.Since(start)
	p.Stop()

	hops := int64(*msgs) * int64(stagesFlag)
	what := "channels only"
	if write {
		what = fmt.Sprintf("channels + a %d-byte write to /dev/null per hop", len(Msg))
	}
	fmt.Printf("%s: %d messages through %d goroutines (%d hops, %s), GOMAXPROCS=%d, in %v (%.0f ns/message)\n",
		name, *msgs, stagesFlag, hops, what, runtime.GOMAXPROCS(0), d, float64(d.Nanoseconds())/float64(*msgs))
	harness.Print(name, d, hops)
}

var stagesFlag int

func fail(name string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
