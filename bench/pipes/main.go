// Pipes measures pipes and eventfds, the objects Ring0's kernel serves itself (natively: the host's):
//
//	pipe-pingpong      two goroutines pass a byte back and forth over two os.Pipe pairs (the
//	                   netpoller: non-blocking reads, epoll waits); one op is one round trip
//	pipe-pingpong-raw  the same over blocking pipes with syscall.Read and syscall.Write (the
//	                   reader blocks in the kernel, its P handed off)
//	pipe-write-read    one goroutine writes 64 bytes into a pipe and reads them back
//	eventfd-write-read one goroutine writes 1 to an eventfd and reads it back
//
// GOMAXPROCS is 2 (-procs to change). Every op checks what it read.
//
//	go run ./bench/pipes [-n 200000] [-quick]     natively
//	./ring0 run ./bench/pipes [-n 200000]         in Ring0
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"

	"ring0.dev/bench/internal/harness"
)

func main() {
	harness.VariantsMain(200_000, "measured ops per variant (round trips for the ping-pongs)", 1000, []harness.Variant{
		{Name: "pipe-pingpong", Start: osPipePingPong},
		{Name: "pipe-pingpong-raw", Start: rawPipePingPong},
		{Name: "pipe-write-read", Start: pipeWriteRead},
		{Name: "eventfd-write-read", Start: eventfdWriteRead},
	})
}

// pingPong plays round trips over two pipes: the echo goroutine reads a byte from one and writes it
// plus one to the other; run sends n bytes and checks each answer.
func pingPong(read func(fd int, b []byte) (int, error), write func(fd int, b []byte) (int, error), r1, w1, r2, w2 int) (func(int), func()) {
	go func() {
		b := make([]byte, 1)
		for {
			if _, err := read(r1, b); err != nil {
				return
			}
			b[0]++
			if _, err := write(w2, b); err != nil {
				return
			}
		}
	}()
	run := func(n int) {
		b := make([]byte, 1)
		for i := 0; i < n; i++ {
			want := b[0] + 1
			if _, err := write(w1, b); err != nil {
				fail(err)
			}
			if k, err := read(r2, b); err != nil || k != 1 || b[0] != want {
				fail(fmt.Errorf("ping-pong: read %d bytes (%v), %d, want %d", k, err, b[0], want))
			}
		}
	}
	return run, func() { syscall.Close(w1) }
}

func osPipePingPong() (func(int), func()) {
	r1, w1, err := os.Pipe()
	must(err)
	r2, w2, err := os.Pipe()
	must(err)
	files := map[int]*os.File{1: r1, 2: w1, 3: r2, 4: w2}
	read := func(fd int, b []byte) (int, error) { return files[fd].Read(b) }
	write := func(fd int, b []byte) (int, error) { return files[fd].Write(b) }
	run, _ := pingPong(read, write, 1, 2, 3, 4)
	return run, func() {
		w1.Close()
		r2.Close()
	}
}

func rawPipePingPong() (func(int), func()) {
	var p1, p2 [2]int
	must(syscall.Pipe2(p1[:], syscall.O_CLOEXEC))
	must(syscall.Pipe2(p2[:], syscall.O_CLOEXEC))
	return pingPong(syscall.Read, syscall.Write, p1[0], p1[1], p2[0], p2[1])
}

func pipeWriteRead() (func(int), func()) {
	var p [2]int
	must(syscall.Pipe2(p[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK))
	out, in := make([]byte, 64), make([]byte, 64)
	return func(n int) {
			for i := 0; i < n; i++ {
				out[0] = byte(i)
				if k, err := syscall.Write(p[1], out); k != 64 || err != nil {
					fail(fmt.Errorf("write: %d, %v", k, err))
				}
				if k, err := syscall.Read(p[0], in); k != 64 || err != nil || in[0] != byte(i) {
					fail(fmt.Errorf("read: %d, %v", k, err))
				}
			}
		}, func() {
			syscall.Close(p[0])
			syscall.Close(p[1])
		}
}

func eventfdWriteRead() (func(int), func()) {
	fd, _, errno := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if errno != 0 {
		fail(errno)
	}
	one, got := make([]byte, 8), make([]byte, 8)
	binary.NativeEndian.PutUint64(one, 1)
	return func(n int) {
			for i := 0; i < n; i++ {
				if k, err := syscall.Write(int(fd), one); k != 8 || err != nil {
					fail(fmt.Errorf("write: %d, %v", k, err))
				}
				if k, err := syscall.Read(int(fd), got); k != 8 || err != nil || binary.NativeEndian.Uint64(got) != 1 {
					fail(fmt.Errorf("read: %d, %v", k, err))
				}
			}
		}, func() {
			syscall.Close(int(fd))
		}
}

func must(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pipes:", err)
	os.Exit(1)
}
