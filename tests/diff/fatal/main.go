// Command fatal ends in a runtime fatal error (exit status 2): runtime.Goexit in main once no other
// goroutine is left, or a deadlock where every goroutine is blocked.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: fatal goexit|deadlock|deadlock-many")
		os.Exit(1)
	}
	switch os.Args[1] {
	case "goexit":
		done := make(chan bool)
		go func() {
			fmt.Println("other goroutine runs to completion")
			close(done)
		}()
		<-done
		defer fmt.Println("deferred call in main runs before Goexit ends main")
		runtime.Goexit()
	case "deadlock":
		fmt.Println("receiving from a channel nobody sends on")
		ch := make(chan int)
		<-ch
	case "deadlock-many":
		var mu sync.Mutex
		mu.Lock()
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mu.Lock()
			}()
		}
		fmt.Println("waiting for goroutines blocked on a mutex")
		wg.Wait()
	}
	fmt.Println("not reached")
}
