// Command stdio writes to stdout and stderr in a fixed interleaving; when the harness connects both to
// one pipe, the combined stream shows the order of the writes. "big" writes more than a pipe holds to
// both; "epipe" writes to a stdout whose reader is gone (natively: killed by SIGPIPE).
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	mode := "interleave"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "interleave":
		for i := 0; i < 50; i++ {
			fmt.Fprintf(os.Stdout, "stdout line %d\n", i)
			fmt.Fprintf(os.Stderr, "stderr line %d\n", i)
			if i%7 == 0 {
				os.Stdout.WriteString("partial line on stdout... ")
				os.Stderr.WriteString("partial line on stderr... ")
				os.Stdout.WriteString("finished\n")
				os.Stderr.WriteString("finished\n")
			}
		}
		n, err := os.Stdout.Write(nil)
		fmt.Println("empty write:", n, err)
		fmt.Fprint(os.Stdout, "no trailing newline")
	case "big":
		w := bufio.NewWriterSize(os.Stdout, 100000)
		line := strings.Repeat("0123456789", 10)
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(w, "%05d %s\n", i, line)
			if i%1000 == 0 {
				w.Flush()
				fmt.Fprintf(os.Stderr, "progress %d\n", i)
			}
		}
		w.Flush()
		big := strings.Repeat("e", 200000)
		n, err := os.Stderr.WriteString(big + "\n")
		fmt.Println("one 200 kB write to stderr:", n, err)
	case "epipe":
		fmt.Fprintln(os.Stderr, "writing to a stdout nobody reads")
		for i := 0; i < 3; i++ {
			_, err := fmt.Println("line", i)
			fmt.Fprintln(os.Stderr, "write returned:", err)
		}
		fmt.Fprintln(os.Stderr, "still alive after EPIPE on stdout")
	}
}
