// Demo is the program `ring0 demo` runs inside the kernel: an ordinary Go program (it builds and runs
// natively too) that touches files, pipes, a child process, the network and timers, and says so.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

func main() {
	fmt.Printf("Hello from Go %s (%s/%s, GOMAXPROCS=%d), pid %d\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), os.Getpid())

	dir, err := os.MkdirTemp("", "ring0-demo-")
	check(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "greeting.txt")
	check(os.WriteFile(path, []byte("written through the kernel\n"), 0o644))
	b, err := os.ReadFile(path)
	check(err)
	fmt.Printf("file:    %s", b)

	r, w, err := os.Pipe()
	check(err)
	go func() {
		fmt.Fprintln(w, "a pipe between two goroutines")
		w.Close()
	}()
	line, err := bufio.NewReader(r).ReadString('\n')
	check(err)
	fmt.Printf("pipe:    %s", line)

	out, err := exec.Command("sh", "-c", "echo a child process on the host, reading $0", path).Output()
	check(err)
	fmt.Printf("exec:    %s", out)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "an HTTP server and client on loopback")
	})}
	go srv.Serve(ln)
	resp, err := http.Get("http://" + ln.Addr().String())
	check(err)
	body, err := io.ReadAll(resp.Body)
	check(err)
	resp.Body.Close()
	srv.Close()
	fmt.Printf("net:     %s\n", body)

	var wg sync.WaitGroup
	start := time.Now()
	results := make([]string, 4)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(10*(i+1)) * time.Millisecond)
			results[i] = fmt.Sprint(i)
		}(i)
	}
	wg.Wait()
	fmt.Printf("timers:  4 goroutines slept and woke in order %s (%v >= 40ms)\n",
		strings.Join(results, ","), time.Since(start) >= 40*time.Millisecond)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
