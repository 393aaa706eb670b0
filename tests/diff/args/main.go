// Command args prints its command line: the base name of argv[0] (the directories differ between the
// native and the Ring0 run), then each argument quoted with its length in bytes.
//
// With -expect N as the first argument it also checks that it got N arguments in all (self-check).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"unicode/utf8"
)

func main() {
	args := os.Args[1:]
	fmt.Printf("argv[0] base: %s\n", filepath.Base(os.Args[0]))
	fmt.Printf("argc: %d\n", len(os.Args))
	for i, a := range args {
		fmt.Printf("arg %d: %q (%d bytes, %d runes, valid utf-8: %t)\n", i+1, a, len(a), utf8.RuneCountInString(a), utf8.ValidString(a))
	}
	if len(args) >= 2 && args[0] == "-expect" {
		n, err := strconv.Atoi(args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad -expect:", err)
			os.Exit(2)
		}
		if len(os.Args) != n {
			fmt.Fprintf(os.Stderr, "FAIL: argc is %d, want %d\n", len(os.Args), n)
			os.Exit(1)
		}
		for i := 3; i < len(os.Args); i++ {
			if want := fmt.Sprintf("arg-%04d", i); os.Args[i] != want {
				fmt.Fprintf(os.Stderr, "FAIL: argv[%d] is %q, want %q\n", i, os.Args[i], want)
				os.Exit(1)
			}
		}
		fmt.Println("self-check: ok")
	}
}
