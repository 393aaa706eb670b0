// Command stdin reads its standard input: "cat" copies it to stdout; "sum" prints its size, line count
// and SHA-256 (and checks them against -size/-lines when given); "lines" prints each line numbered;
// "seek" expects a regular file and reads it back to front.
package main

import (
	"bufio"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	size := flag.Int64("size", -1, "expected size in bytes (sum)")
	lines := flag.Int("lines", -1, "expected number of lines (sum)")
	flag.Parse()
	switch flag.Arg(0) {
	case "cat":
		n, err := io.Copy(os.Stdout, os.Stdin)
		fmt.Fprintf(os.Stderr, "copied %d bytes, err %v\n", n, err)
	case "sum":
		h := sha256.New()
		r := bufio.NewReaderSize(os.Stdin, 1000) // odd size: reads do not line up with the writer's
		var n int64
		nl := 0
		buf := make([]byte, 777)
		for {
			k, err := r.Read(buf)
			for _, b := range buf[:k] {
				if b == '\n' {
					nl++
				}
			}
			h.Write(buf[:k])
			n += int64(k)
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "read:", err)
				os.Exit(1)
			}
		}
		fmt.Printf("bytes %d lines %d sha256 %x\n", n, nl, h.Sum(nil))
		if (*size >= 0 && n != *size) || (*lines >= 0 && nl != *lines) {
			fmt.Fprintf(os.Stderr, "FAIL: want %d bytes, %d lines\n", *size, *lines)
			os.Exit(1)
		}
		// A read after EOF is EOF again.
		k, err := os.Stdin.Read(buf)
		fmt.Println("read after EOF:", k, err)
	case "lines":
		s := bufio.NewScanner(os.Stdin)
		i := 0
		for s.Scan() {
			i++
			fmt.Printf("%3d %q\n", i, s.Text())
		}
		fmt.Println("scanner error:", s.Err(), "lines:", i)
	case "seek":
		fi, err := os.Stdin.Stat()
		if err != nil {
			fmt.Fprintln(os.Stderr, "stat:", err)
			os.Exit(1)
		}
		fmt.Println("regular file:", fi.Mode().IsRegular(), "size:", fi.Size())
		one := make([]byte, 1)
		var out []byte
		for off := fi.Size() - 1; off >= 0; off-- {
			if _, err := os.Stdin.Seek(off, io.SeekStart); err != nil {
				fmt.Fprintln(os.Stderr, "seek:", err)
				os.Exit(1)
			}
			if _, err := io.ReadFull(os.Stdin, one); err != nil {
				fmt.Fprintln(os.Stderr, "read:", err)
				os.Exit(1)
			}
			out = append(out, one[0])
		}
		fmt.Printf("reversed: %q\n", out)
		pos, err := os.Stdin.Seek(0, io.SeekCurrent)
		fmt.Println("position:", pos, err)
	default:
		fmt.Fprintln(os.Stderr, "usage: stdin [-size N] [-lines N] cat|sum|lines|seek")
		os.Exit(2)
	}
}
