// Command exit ends with the status named by its first argument, in several ways: a plain os.Exit, a
// return from main, os.Exit from another goroutine, and os.Exit with deferred calls pending (which must
// not run).
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: exit return|CODE|goroutine CODE|defer CODE")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "return":
		fmt.Println("returning from main")
		return
	case "goroutine":
		code := atoi(os.Args[2])
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			fmt.Println("goroutine: calling os.Exit", code)
			os.Exit(code)
			wg.Done()
		}()
		wg.Wait()
		fmt.Println("main: must not get here")
	case "defer":
		code := atoi(os.Args[2])
		defer fmt.Println("deferred call: must not run")
		fmt.Println("calling os.Exit with a deferred call pending")
		os.Exit(code)
	default:
		code := atoi(os.Args[1])
		fmt.Println("exiting with", code)
		fmt.Fprintln(os.Stderr, "stderr before exit", code)
		os.Exit(code)
	}
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	return n
}
