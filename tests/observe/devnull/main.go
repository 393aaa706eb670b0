// Command devnull writes one byte to /dev/null -n times (default 1000): writes that Ring0 answers on
// the Go side unless the kernel traces or counts every call.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("n", 1000, "writes")
	flag.Parse()
	f, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; i < *n; i++ {
		if _, err := f.Write([]byte("x")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
