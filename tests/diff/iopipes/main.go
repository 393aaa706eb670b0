// Command iopipes moves data through pipes between goroutines and child processes: io.Copy through
// chains of os.Pipe, a child in the middle of a pipeline, two children connected by a pipe, a pipe
// that already holds data when a child gets it, ExtraFiles, StdinPipe with more than a pipe holds,
// CombinedOutput, and a pipe whose reader a child keeps after the parent closes it. Each transfer
// is checked by its SHA-256. It exits 1 if a result it can check is wrong.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
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

func data(n int) []byte {
	b := make([]byte, n)
	x := uint32(12345)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return fmt.Sprintf("%x", s[:8])
}

func main() {
	big := data(3 << 20)

	// io.Copy through a chain of three pipes and two copying goroutines.
	r1, w1, err := os.Pipe()
	must("pipe", err)
	r2, w2, err := os.Pipe()
	must("pipe", err)
	r3, w3, err := os.Pipe()
	must("pipe", err)
	go func() { w1.Write(big); w1.Close() }()
	go func() { io.Copy(w2, r1); w2.Close() }()
	go func() { io.CopyBuffer(w3, r2, make([]byte, 777)); w3.Close() }()
	out, err := io.ReadAll(r3)
	must("read chain", err)
	check("chain of pipes", sum(out), sum(big))

	// A child in the middle: goroutine -> pipe -> cat -> pipe -> goroutine.
	cmd := exec.Command("cat")
	in, err := cmd.StdinPipe()
	must("stdin pipe", err)
	stdout, err := cmd.StdoutPipe()
	must("stdout pipe", err)
	must("start cat", cmd.Start())
	go func() { in.Write(big); in.Close() }()
	out, err = io.ReadAll(stdout)
	must("read cat", err)
	must("wait cat", cmd.Wait())
	check("through cat", sum(out), sum(big))

	// Two children connected by an os.Pipe: printf | tr.
	pr, pw, err := os.Pipe()
	must("pipe", err)
	producer := exec.Command("sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done")
	producer.Stdout = pw
	consumer := exec.Command("tr", "a-z", "A-Z")
	consumer.Stdin = pr
	var upper bytes.Buffer
	consumer.Stdout = &upper
	must("start producer", producer.Start())
	must("start consumer", consumer.Start())
	pw.Close()
	pr.Close()
	must("wait producer", producer.Wait())
	must("wait consumer", consumer.Wait())
	fmt.Printf("producer | consumer: %q\n", upper.String())

	// A pipe that already holds bytes when a child gets its read end.
	pr, pw, err = os.Pipe()
	must("pipe", err)
	fmt.Fprint(pw, "written before the child started\n")
	cmd = exec.Command("cat")
	cmd.Stdin = pr
	var got bytes.Buffer
	cmd.Stdout = &got
	must("start", cmd.Start())
	fmt.Fprint(pw, "and after\n")
	pw.Close()
	pr.Close()
	must("wait", cmd.Wait())
	fmt.Printf("buffered, then handed over: %q\n", got.String())

	// ExtraFiles: the child writes to fd 3, a pipe of ours.
	pr, pw, err = os.Pipe()
	must("pipe", err)
	cmd = exec.Command("sh", "-c", "echo to fd 3 >&3; echo to stdout")
	cmd.ExtraFiles = []*os.File{pw}
	out, err = cmd.Output()
	must("extra files", err)
	pw.Close()
	fd3, err := io.ReadAll(pr)
	must("read fd 3", err)
	fmt.Printf("stdout %q, fd 3 %q\n", out, fd3)

	// Lines written while the child answers them, over StdinPipe and StdoutPipe, both ways at once.
	cmd = exec.Command("sh", "-c", `while read l; do echo "got $l"; done`)
	in, _ = cmd.StdinPipe()
	stdout, _ = cmd.StdoutPipe()
	must("start", cmd.Start())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 2000; i++ {
			fmt.Fprintf(in, "%04d %s\n", i, strings.Repeat("x", i%97))
		}
		in.Close()
	}()
	sc := bufio.NewScanner(stdout)
	lines, last := 0, ""
	for sc.Scan() {
		lines++
		last = sc.Text()
	}
	wg.Wait()
	must("wait", cmd.Wait())
	check("lines answered", lines, 2000)
	fmt.Printf("last answer: %q\n", last)

	// CombinedOutput, with more than a pipe holds on both streams.
	out, err = exec.Command("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' a; echo; head -c 100000 /dev/zero | tr '\\0' b >&2").CombinedOutput()
	must("combined", err)
	check("combined bytes", len(out), 200001)
	check("a then b", bytes.Count(out, []byte("a"))+bytes.Count(out, []byte("b")), 200000)

	// The parent closes its read end while a child still reads: the child sees all, then EOF.
	pr, pw, err = os.Pipe()
	must("pipe", err)
	cmd = exec.Command("wc", "-c")
	cmd.Stdin = pr
	out2, _ := cmd.StdoutPipe()
	must("start wc", cmd.Start())
	pr.Close()
	pw.Write(big[:100000])
	pw.Close()
	count, _ := io.ReadAll(out2)
	must("wait wc", cmd.Wait())
	check("wc -c", strings.TrimSpace(string(count)), "100000")

	// A write into a pipe whose only reader, a child, exited.
	pr, pw, err = os.Pipe()
	must("pipe", err)
	cmd = exec.Command("true")
	cmd.Stdin = pr
	must("run true", cmd.Run())
	pr.Close()
	_, err = pw.Write([]byte("nobody"))
	fmt.Println("write after the reader exited:", err)
	pw.Close()

	if failed {
		os.Exit(1)
	}
}
