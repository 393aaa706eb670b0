// Command panic dies of a panic chosen by its first argument: a custom error value, a named
// non-error type, a plain string, a write to a nil map, an index out of range, a nil pointer
// dereference, a panic in a goroutine, and a re-panic after recover. Each exits 2 with the panic
// message and the traceback of the panicking goroutine on stderr.
package main

import (
	"fmt"
	"os"
)

type customError struct {
	op   string
	code int
}

func (e *customError) Error() string {
	return fmt.Sprintf("custom error in %s (code %d)", e.op, e.code)
}

type level int

type point struct{ x, y int }

//go:noinline
func index(s []int, i int) int { return s[i] }

//go:noinline
func deref(p *point) int { return p.x + p.y }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: panic MODE")
		os.Exit(1)
	}
	fmt.Println("before panic:", os.Args[1])
	switch os.Args[1] {
	case "custom":
		panic(&customError{op: "frobnicate", code: 42})
	case "named":
		panic(level(7))
	case "string":
		panic("something went wrong\nwith a second line")
	case "nilmap":
		var m map[string]int
		m["key"] = 1
	case "index":
		s := []int{1, 2, 3}
		fmt.Println(index(s, len(os.Args)+3))
	case "nilptr":
		var p *point
		fmt.Println(deref(p))
	case "goroutine":
		never := make(chan bool)
		go func() {
			panic(fmt.Errorf("panic in a goroutine: %w", os.ErrNotExist))
		}()
		<-never
	case "repanic":
		defer func() {
			r := recover()
			fmt.Println("recovered:", r)
			panic(fmt.Sprint("re-panic after ", r))
		}()
		panic("first")
	case "recover":
		func() {
			defer func() { fmt.Println("recovered:", recover()) }()
			var m map[int]int
			m[1]++
		}()
		fmt.Println("still running after recover")
		return
	}
	fmt.Println("not reached")
}
