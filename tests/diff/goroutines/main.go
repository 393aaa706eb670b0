// Command goroutines runs concurrent code whose results do not depend on scheduling: a worker pool,
// WaitGroup, Mutex, RWMutex, Cond, Once, atomics, unbuffered ping-pong, a pipeline of channels (the
// concurrent prime sieve) and select. It prints GOMAXPROCS (set by the harness through the
// environment) and every result, and exits 1 if one is wrong.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

var failed bool

func check(what string, got, want any) {
	fmt.Printf("%s: %v\n", what, got)
	if got != want {
		fmt.Fprintf(os.Stderr, "FAIL: %s = %v, want %v\n", what, got, want)
		failed = true
	}
}

func main() {
	fmt.Println("GOMAXPROCS:", runtime.GOMAXPROCS(0))

	// Worker pool: 8 workers square 10000 numbers.
	jobs := make(chan int, 100)
	results := make(chan int, 100)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- j * j
			}
		}()
	}
	go func() {
		for i := 1; i <= 10000; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	go func() { wg.Wait(); close(results) }()
	sum, count := 0, 0
	for r := range results {
		sum += r
		count++
	}
	check("worker pool count", count, 10000)
	check("worker pool sum of squares", sum, 10000*10001*20001/6)

	// Mutex: 16 goroutines increment a shared counter.
	var mu sync.Mutex
	counter := 0
	var wg2 sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for i := 0; i < 5000; i++ {
				mu.Lock()
				counter++
				if i%100 == 0 {
					runtime.Gosched()
				}
				mu.Unlock()
			}
		}()
	}
	wg2.Wait()
	check("mutex counter", counter, 16*5000)

	// RWMutex: readers see either none or all of a writer's two updates.
	var rw sync.RWMutex
	a, b := 0, 0
	var torn atomic.Int32
	var wg3 sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg3.Add(2)
		go func() {
			defer wg3.Done()
			for i := 0; i < 2000; i++ {
				rw.Lock()
				a++
				b++
				rw.Unlock()
			}
		}()
		go func() {
			defer wg3.Done()
			for i := 0; i < 2000; i++ {
				rw.RLock()
				if a != b {
					torn.Add(1)
				}
				rw.RUnlock()
			}
		}()
	}
	wg3.Wait()
	check("rwmutex final", a, 8000)
	check("rwmutex torn reads", torn.Load(), int32(0))

	// Atomics.
	var n atomic.Int64
	var wg4 sync.WaitGroup
	for g := 0; g < 10; g++ {
		wg4.Add(1)
		go func(g int) {
			defer wg4.Done()
			for i := 0; i < 10000; i++ {
				n.Add(int64(g))
			}
		}(g)
	}
	wg4.Wait()
	check("atomic sum", n.Load(), int64(45*10000))

	// Once.
	var once sync.Once
	var calls atomic.Int32
	var wg5 sync.WaitGroup
	for g := 0; g < 20; g++ {
		wg5.Add(1)
		go func() { defer wg5.Done(); once.Do(func() { calls.Add(1) }) }()
	}
	wg5.Wait()
	check("once calls", calls.Load(), int32(1))

	// Cond: a barrier released by Broadcast.
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	ready, released := 0, false
	var woke atomic.Int32
	var wg6 sync.WaitGroup
	for g := 0; g < 5; g++ {
		wg6.Add(1)
		go func() {
			defer wg6.Done()
			cmu.Lock()
			ready++
			cond.Broadcast()
			for !released {
				cond.Wait()
			}
			cmu.Unlock()
			woke.Add(1)
		}()
	}
	cmu.Lock()
	for ready < 5 {
		cond.Wait()
	}
	released = true
	cond.Broadcast()
	cmu.Unlock()
	wg6.Wait()
	check("cond woke", woke.Load(), int32(5))

	// Unbuffered ping-pong.
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < 20000; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	_, ok := <-pong
	check("ping-pong", v, 20000)
	check("pong closed", ok, false)

	// The concurrent prime sieve: a chain of goroutines, one per prime.
	ch := make(chan int)
	go func(ch chan<- int) {
		for i := 2; ; i++ {
			ch <- i
		}
	}(ch)
	var primes []int
	for i := 0; i < 200; i++ {
		p := <-ch
		primes = append(primes, p)
		in, out := ch, make(chan int)
		go func() {
			for {
				if x := <-in; x%p != 0 {
					out <- x
				}
			}
		}()
		ch = out
	}
	fmt.Println("first primes:", primes[:10])
	check("200th prime", primes[199], 1223)

	// Select over several producers: every value arrives exactly once.
	c1, c2, c3 := make(chan int), make(chan int), make(chan int, 5)
	for _, c := range []chan int{c1, c2, c3} {
		go func(c chan int) {
			for i := 0; i < 1000; i++ {
				c <- i
			}
			close(c)
		}(c)
	}
	got := make([]int, 0, 3000)
	for open := 3; open > 0; {
		select {
		case x, ok := <-c1:
			if !ok {
				c1 = nil
				open--
				continue
			}
			got = append(got, x)
		case x, ok := <-c2:
			if !ok {
				c2 = nil
				open--
				continue
			}
			got = append(got, x)
		case x, ok := <-c3:
			if !ok {
				c3 = nil
				open--
				continue
			}
			got = append(got, x)
		}
	}
	sort.Ints(got)
	dup := 0
	for i, x := range got {
		if x != i/3 {
			dup++
		}
	}
	check("select received", len(got), 3000)
	check("select misplaced", dup, 0)

	// Many short-lived goroutines.
	var wg7 sync.WaitGroup
	var total atomic.Int64
	for g := 0; g < 10000; g++ {
		wg7.Add(1)
		go func(g int) { defer wg7.Done(); total.Add(int64(g)) }(g)
	}
	wg7.Wait()
	check("10000 goroutines", total.Load(), int64(9999*10000/2))

	if failed {
		os.Exit(1)
	}
}
