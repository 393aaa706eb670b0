// Futex is a stress program for the Go scheduler's sleeps and wake-ups, which in Ring0 are the
// kernel's futex: many goroutines on GOMAXPROCS=2 use channels, sync.Mutex, sync.Cond, timers,
// select with timeouts, WaitGroups, goroutines locked to their threads, and signals sent to itself
// (delivered by sigsend's notewakeup on a signal handler's stack, a host futex wake), with idle gaps
// in which the scheduler's threads go to sleep. Every workload checks its own results. A watchdog
// prints every goroutine's stack and exits 2 if the workloads stop making progress: a lost wake-up
// shows up as a deadlock.
//
//	go run ./tests/stress/futex [-duration 3s] [-procs 2] [-seed 1] [-only ring,mutex] [-v]
//
// It prints one line per workload with its counts, then "ok", and exits 0; 1 on a wrong result.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	duration = flag.Duration("duration", 3*time.Second, "how long the workloads run (minutes for a stress run)")
	procs    = flag.Int("procs", 2, "GOMAXPROCS")
	seed     = flag.Int64("seed", 1, "random seed")
	verbose  = flag.Bool("v", false, "print progress every second")
	stall    = flag.Duration("stall", 30*time.Second, "no progress for this long is a deadlock")
	only     = flag.String("only", "", "comma-separated workloads to run (default: all)")
)

// progress is bumped by each workload as it works (progress[i] for workloads[i]); the watchdog
// checks that every workload still running moves.
var (
	progress []atomic.Int64
	finished []atomic.Bool
	names    []string
)

type workload struct {
	name string
	run  func(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (summary string, err error)
}

func main() {
	flag.Parse()
	runtime.GOMAXPROCS(*procs)
	workloads := []workload{
		{"ring", ring},
		{"mutex", mutex},
		{"cond", cond},
		{"timers", timers},
		{"select", selectTimeouts},
		{"waitgroup", waitGroups},
		{"locked", lockedPingPong},
		{"signals", signals},
		{"idle-gaps", idleGaps},
	}
	if *only != "" {
		var keep []workload
		for _, w := range workloads {
			if strings.Contains(","+*only+",", ","+w.name+",") {
				keep = append(keep, w)
			}
		}
		if len(keep) == 0 {
			fmt.Fprintf(os.Stderr, "futex stress: -only %q names no workload\n", *only)
			os.Exit(2)
		}
		workloads = keep
	}
	deadline := time.Now().Add(*duration)
	progress = make([]atomic.Int64, len(workloads))
	finished = make([]atomic.Bool, len(workloads))
	for _, w := range workloads {
		names = append(names, w.name)
	}
	done := make(chan struct{})
	go watchdog(done)

	type result struct {
		name, summary string
		err           error
	}
	results := make([]result, len(workloads))
	var wg sync.WaitGroup
	for i, w := range workloads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewSource(*seed + int64(i)))
			s, err := w.run(deadline, r, &progress[i])
			results[i] = result{w.name, s, err}
			finished[i].Store(true)
		}()
	}
	wg.Wait()
	close(done)
	failed := false
	for _, r := range results {
		if r.err != nil {
			failed = true
			fmt.Printf("%-10s FAIL: %v\n", r.name, r.err)
		} else {
			fmt.Printf("%-10s %s\n", r.name, r.summary)
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Println("ok")
}

// watchdog exits 2 with every goroutine's stack if a workload still running stops making progress
// for -stall. (A hang that stops the whole scheduler, such as a stop-the-world that never completes,
// stops the watchdog too: the test harness has its own time limit for that.)
func watchdog(done <-chan struct{}) {
	last := make([]int64, len(progress))
	since := make([]time.Time, len(progress))
	for i := range since {
		since[i] = time.Now()
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	lastPrint := time.Now()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			for i := range progress {
				if p := progress[i].Load(); p != last[i] || finished[i].Load() {
					last[i], since[i] = p, now
				} else if now.Sub(since[i]) > *stall {
					buf := make([]byte, 1<<20)
					n := runtime.Stack(buf, true)
					fmt.Fprintf(os.Stderr, "futex stress: %s made no progress for %v: deadlock (a lost wake-up?)\n%s\n", names[i], *stall, buf[:n])
					os.Exit(2)
				}
			}
			if *verbose && now.Sub(lastPrint) >= time.Second {
				fmt.Fprintf(os.Stderr, "progress %v\n", last)
				lastPrint = now
			}
		}
	}
}

// ring passes tokens around rings of goroutines connected by unbuffered channels; each token must
// come back having visited every member once.
func ring(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	const members = 50
	const tokens = 3
	chans := make([]chan int, members)
	for i := range chans {
		chans[i] = make(chan int)
	}
	var wg sync.WaitGroup
	for i := 0; i < members-1; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range chans[i] {
				chans[i+1] <- v + 1
			}
			close(chans[i+1])
		}()
	}
	var laps int64
	for time.Now().Before(deadline) {
		for k := 0; k < tokens; k++ {
			go func() { chans[0] <- 0 }()
		}
		for k := 0; k < tokens; k++ {
			if v := <-chans[members-1]; v != members-1 {
				return "", fmt.Errorf("a token visited %d members, want %d", v, members-1)
			}
			laps++
			progress.Add(1)
		}
	}
	close(chans[0])
	for range chans[members-1] {
	}
	wg.Wait()
	return fmt.Sprintf("%d laps of %d goroutines", laps, members), nil
}

// mutex: goroutines increment shared counters under sync.Mutex, some holding it across a Gosched or
// a short sleep, so that waiters queue in the mutex (semaphores: futex sleeps of their threads).
func mutex(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	const workers = 16
	var mu sync.Mutex
	var shared int64
	counts := make([]int64, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		seed := r.Int63()
		wg.Add(1)
		go func() {
			defer wg.Done()
			rr := rand.New(rand.NewSource(seed))
			for time.Now().Before(deadline) {
				mu.Lock()
				shared++
				switch rr.Intn(100) {
				case 0:
					time.Sleep(time.Duration(rr.Intn(200)) * time.Microsecond)
				case 1, 2:
					runtime.Gosched()
				}
				mu.Unlock()
				counts[w]++
				if counts[w]%64 == 0 {
					progress.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	var sum int64
	for _, c := range counts {
		sum += c
	}
	if sum != shared {
		return "", fmt.Errorf("counter %d under the mutex, but workers counted %d", shared, sum)
	}
	return fmt.Sprintf("%d increments by %d goroutines", sum, workers), nil
}

// cond: a bounded queue with sync.Cond (Wait, Signal, Broadcast); each producer's items must arrive
// in order and all of them exactly once.
func cond(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	const producers, consumers, capacity = 4, 4, 3
	var mu sync.Mutex
	notEmpty, notFull := sync.NewCond(&mu), sync.NewCond(&mu)
	type item struct{ producer, seq int }
	var queue []item
	closed := false
	produced := make([]int, producers)
	var pwg, cwg sync.WaitGroup
	for p := 0; p < producers; p++ {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			for seq := 0; time.Now().Before(deadline); seq++ {
				mu.Lock()
				for len(queue) == capacity {
					notFull.Wait()
				}
				queue = append(queue, item{p, seq})
				produced[p] = seq + 1
				if seq%3 == 0 {
					notEmpty.Broadcast()
				} else {
					notEmpty.Signal()
				}
				mu.Unlock()
			}
		}()
	}
	var errMu sync.Mutex
	var firstErr error
	lastSeen := make([][]int, consumers)
	received := make([]int, consumers)
	for c := 0; c < consumers; c++ {
		lastSeen[c] = make([]int, producers)
		for p := range lastSeen[c] {
			lastSeen[c][p] = -1
		}
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			for {
				mu.Lock()
				for len(queue) == 0 && !closed {
					notEmpty.Wait()
				}
				if len(queue) == 0 {
					mu.Unlock()
					return
				}
				it := queue[0]
				queue = queue[1:]
				notFull.Signal()
				mu.Unlock()
				// One producer's items leave the queue in order, so each consumer sees them increasing.
				if it.seq <= lastSeen[c][it.producer] {
					errMu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("consumer %d got item %d of producer %d after item %d", c, it.seq, it.producer, lastSeen[c][it.producer])
					}
					errMu.Unlock()
				}
				lastSeen[c][it.producer] = it.seq
				received[c]++
				progress.Add(1)
			}
		}()
	}
	pwg.Wait()
	mu.Lock()
	closed = true
	notEmpty.Broadcast()
	mu.Unlock()
	cwg.Wait()
	if firstErr != nil {
		return "", firstErr
	}
	total, want := 0, 0
	for _, n := range received {
		total += n
	}
	for _, n := range produced {
		want += n
	}
	if total != want {
		return "", fmt.Errorf("%d items produced, %d received", want, total)
	}
	return fmt.Sprintf("%d items through a queue of %d", total, capacity), nil
}

// timers: time.Sleep, time.AfterFunc, Timer.Stop and Reset with short random durations; nothing
// fires early, every AfterFunc not stopped runs once, and every sleep ends.
func timers(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	const workers = 8
	var fired, stopped, sleeps atomic.Int64
	var early atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		seed := r.Int63()
		wg.Add(1)
		go func() {
			defer wg.Done()
			rr := rand.New(rand.NewSource(seed))
			var pending sync.WaitGroup
			for time.Now().Before(deadline) {
				d := time.Duration(rr.Intn(2000)) * time.Microsecond
				start := time.Now()
				switch rr.Intn(3) {
				case 0:
					time.Sleep(d)
					if time.Since(start) < d {
						early.Add(1)
					}
					sleeps.Add(1)
				case 1:
					pending.Add(1)
					t := time.AfterFunc(d, func() {
						if time.Since(start) < d {
							early.Add(1)
						}
						fired.Add(1)
						pending.Done()
					})
					if rr.Intn(4) == 0 && t.Stop() {
						stopped.Add(1)
						pending.Done()
					}
				case 2:
					t := time.NewTimer(time.Hour)
					t.Reset(d)
					<-t.C
					if time.Since(start) < d {
						early.Add(1)
					}
					fired.Add(1)
				}
				progress.Add(1)
			}
			pending.Wait()
		}()
	}
	wg.Wait()
	if early.Load() != 0 {
		return "", fmt.Errorf("%d timers fired early", early.Load())
	}
	return fmt.Sprintf("%d sleeps, %d timers fired, %d stopped", sleeps.Load(), fired.Load(), stopped.Load()), nil
}

// selectTimeouts: receivers select on a channel and a short timeout; senders send numbered items at
// random intervals; every item is received exactly once.
func selectTimeouts(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	const senders, receivers = 3, 3
	c := make(chan int)
	stop := make(chan struct{})
	var timeouts atomic.Int64
	var swg, rwg sync.WaitGroup
	sent := make([]int, senders)
	for s := 0; s < senders; s++ {
		seed := r.Int63()
		swg.Add(1)
		go func() {
			defer swg.Done()
			rr := rand.New(rand.NewSource(seed))
			for i := 0; time.Now().Before(deadline); i++ {
				if rr.Intn(4) == 0 {
					time.Sleep(time.Duration(rr.Intn(500)) * time.Microsecond)
				}
				c <- s<<32 | i
				sent[s]++
			}
		}()
	}
	got := make([]map[int]bool, receivers)
	for k := 0; k < receivers; k++ {
		got[k] = map[int]bool{}
		seed := r.Int63()
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			rr := rand.New(rand.NewSource(seed))
			for {
				select {
				case v := <-c:
					got[k][v] = true
					progress.Add(1)
				case <-time.After(time.Duration(50+rr.Intn(300)) * time.Microsecond):
					timeouts.Add(1)
				case <-stop:
					return
				}
			}
		}()
	}
	swg.Wait()
	close(stop)
	rwg.Wait()
	all := map[int]bool{}
	total := 0
	for _, g := range got {
		for v := range g {
			if all[v] {
				return "", fmt.Errorf("item %#x received twice", v)
			}
			all[v] = true
			total++
		}
	}
	want := 0
	for s, n := range sent {
		want += n
		for i := 0; i < n; i++ {
			if !all[s<<32|i] {
				return "", fmt.Errorf("item %d of sender %d lost", i, s)
			}
		}
	}
	if total != want {
		return "", fmt.Errorf("%d received, %d sent", total, want)
	}
	return fmt.Sprintf("%d items, %d timeouts", total, timeouts.Load()), nil
}

// waitGroups: rounds of fan-out and fan-in; each round's results must add up.
func waitGroups(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	rounds := 0
	for time.Now().Before(deadline) {
		n := 1 + r.Intn(64)
		var wg sync.WaitGroup
		var sum atomic.Int64
		for i := 1; i <= n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%8 == 0 {
					runtime.Gosched()
				}
				sum.Add(int64(i))
			}()
		}
		wg.Wait()
		if want := int64(n * (n + 1) / 2); sum.Load() != want {
			return "", fmt.Errorf("round %d: sum %d, want %d", rounds, sum.Load(), want)
		}
		rounds++
		progress.Add(1)
	}
	return fmt.Sprintf("%d fan-out rounds", rounds), nil
}

// lockedPingPong: two goroutines, each locked to its own thread, hand a counter back and forth:
// every hand-off is a futex wake of the other thread.
func lockedPingPong(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	v := 0
	for n := 0; time.Now().Before(deadline); n++ {
		ping <- v
		w := <-pong
		if w != v+1 {
			return "", fmt.Errorf("sent %d, got %d back", v, w)
		}
		v = w
		if n%16 == 0 {
			progress.Add(1)
		}
		if n%1000 == 0 {
			time.Sleep(time.Millisecond) // both threads go to sleep
		}
	}
	close(ping)
	for range pong {
	}
	return fmt.Sprintf("%d locked round trips", v), nil
}

// signals: SIGUSR1 sent to ourselves, one at a time, each awaited: the receiving goroutine's thread
// sleeps in a futex that sigsend wakes from the signal handler, a host futex wake. Some are sent
// while the process is idle (its threads asleep), some while it is busy.
func signals(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	defer signal.Stop(c)
	n := 0
	for time.Now().Before(deadline) {
		if r.Intn(2) == 0 {
			time.Sleep(time.Duration(r.Intn(3000)) * time.Microsecond)
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
			return "", err
		}
		select {
		case <-c:
			n++
			progress.Add(1)
		case <-time.After(10 * time.Second):
			return "", fmt.Errorf("signal %d not delivered within 10s (a lost wake-up of the signal receiver?)", n+1)
		}
	}
	return fmt.Sprintf("%d signals delivered", n), nil
}

// idleGaps: now and then everything here stops for a while, long enough for the scheduler's threads
// to stop spinning and sleep; then a burst of goroutines wakes them all at once.
func idleGaps(deadline time.Time, r *rand.Rand, progress *atomic.Int64) (string, error) {
	gaps, bursts := 0, 0
	for time.Now().Before(deadline) {
		time.Sleep(time.Duration(5+r.Intn(45)) * time.Millisecond)
		gaps++
		const n = 32
		results := make(chan int, n)
		for i := 0; i < n; i++ {
			go func() { results <- i * i }()
		}
		got := make([]int, 0, n)
		for i := 0; i < n; i++ {
			got = append(got, <-results)
		}
		sort.Ints(got)
		for i, v := range got {
			if v != i*i {
				return "", fmt.Errorf("burst %d: result %d is %d, want %d (%s)", bursts, i, v, i*i, strings.Trim(fmt.Sprint(got), "[]"))
			}
		}
		bursts++
		progress.Add(1)
	}
	return fmt.Sprintf("%d idle gaps, each followed by a burst", gaps), nil
}
