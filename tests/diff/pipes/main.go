// Command pipes uses os.Pipe inside one process: a large transfer between goroutines, EOF once the
// writer is closed, EPIPE when the reader is gone (an error: only stdout and stderr raise SIGPIPE),
// read deadlines through the netpoller, and io.Pipe. It exits 1 if a result it can check is wrong.
package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

var failed bool

func check(what string, got, want any) {
	fmt.Printf("%s: %v\n", what, got)
	if got != want {
		fmt.Fprintf(os.Stderr, "FAIL: %s = %v, want %v\n", what, got, want)
		failed = true
	}
}

func must(what string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %s: %v\n", what, err)
		os.Exit(1)
	}
}

func main() {
	// 8 MiB through a pipe, written in odd-sized chunks, read with a different size.
	r, w, err := os.Pipe()
	must("pipe", err)
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i*31 + i>>9)
	}
	go func() {
		for off := 0; off < len(data); off += 12345 {
			end := min(off+12345, len(data))
			if _, err := w.Write(data[off:end]); err != nil {
				fmt.Fprintln(os.Stderr, "FAIL: write:", err)
				os.Exit(1)
			}
		}
		w.Close()
	}()
	h := sha256.New()
	n, err := io.CopyBuffer(h, r, make([]byte, 4000))
	must("copy", err)
	check("bytes through the pipe", n, int64(len(data)))
	check("sha256 matches", bytes.Equal(h.Sum(nil), func() []byte { s := sha256.Sum256(data); return s[:] }()), true)
	k, err := r.Read(make([]byte, 10))
	fmt.Println("read after the writer closed:", k, err)
	r.Close()

	// Writing to a pipe whose reader is closed: EPIPE as an error.
	r, w, err = os.Pipe()
	must("pipe", err)
	r.Close()
	_, err = w.Write([]byte("nobody reads this"))
	fmt.Println("write with the reader closed:", err)
	check("is EPIPE", errors.Is(err, syscall.EPIPE), true)
	w.Close()

	// Read deadlines on a pipe go through the netpoller.
	r, w, err = os.Pipe()
	must("pipe", err)
	start := time.Now()
	must("deadline", r.SetReadDeadline(start.Add(50*time.Millisecond)))
	_, err = r.Read(make([]byte, 10))
	fmt.Println("read past the deadline:", err)
	check("is ErrDeadlineExceeded", errors.Is(err, os.ErrDeadlineExceeded), true)
	check("waited >= 50ms", time.Since(start) >= 50*time.Millisecond, true)
	must("deadline", r.SetReadDeadline(time.Time{}))
	go func() {
		time.Sleep(20 * time.Millisecond)
		w.Write([]byte("late data"))
	}()
	buf := make([]byte, 100)
	k, err = r.Read(buf)
	check("read that waited for data", string(buf[:k]), "late data")
	check("error", err, nil)

	// Closing the read end while a goroutine is blocked reading it.
	done := make(chan error)
	go func() {
		_, err := r.Read(buf)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	r.Close()
	err = <-done
	fmt.Println("read interrupted by close:", err)
	check("is ErrClosed", errors.Is(err, os.ErrClosed), true)
	w.Close()

	// Ping-pong over two pipes.
	r1, w1, _ := os.Pipe()
	r2, w2, _ := os.Pipe()
	go func() {
		b := make([]byte, 1)
		for {
			if _, err := r1.Read(b); err != nil {
				w2.Close()
				return
			}
			b[0]++
			w2.Write(b)
		}
	}()
	b := []byte{0}
	for i := 0; i < 1000; i++ {
		w1.Write(b)
		if _, err := io.ReadFull(r2, b); err != nil {
			must("ping-pong", err)
		}
	}
	w1.Close()
	check("ping-pong byte after 1000 rounds", int(b[0]), 1000%256)
	_, err = r2.Read(b)
	check("EOF after the other side closed", err, io.EOF)

	// io.Pipe (no descriptors at all).
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, "through io.Pipe")
		pw.CloseWithError(errors.New("custom close error"))
	}()
	all, err := io.ReadAll(pr)
	fmt.Printf("io.Pipe: %q, %v\n", all, err)

	if failed {
		os.Exit(1)
	}
}
