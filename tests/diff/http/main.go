// Command http runs a small HTTP server and its client in one program, on loopback TCP: the sockets
// are the host's and the netpoller's epoll set holds them with the runtime's eventfd and with
// pipes. It serves plain responses, a POSTed body echoed back with its hash, a streamed (chunked)
// response the client reads as it comes, a handler that runs a child process and streams its
// output through a pipe, a slow handler that the client gives up on (a context deadline), and many
// requests at once over keep-alive connections. It exits 1 if a result it can check is wrong.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
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

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s\n", r.URL.Query().Get("name"))
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		s := sha256.Sum256(body)
		w.Header().Set("X-Sha256", fmt.Sprintf("%x", s[:8]))
		w.Write(body)
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		f := w.(http.Flusher)
		for i := 0; i < 5; i++ {
			fmt.Fprintf(w, "chunk %d\n", i)
			f.Flush()
			time.Sleep(5 * time.Millisecond)
		}
	})
	mux.HandleFunc("/exec", func(w http.ResponseWriter, r *http.Request) {
		cmd := exec.Command("sh", "-c", "for i in 1 2 3; do echo child line $i; done")
		out, err := cmd.StdoutPipe()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if err := cmd.Start(); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		io.Copy(w, out)
		cmd.Wait()
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
			fmt.Fprintln(w, "too late")
		}
	})
	return mux
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must("listen", err)
	srv := &http.Server{Handler: handler()}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}

	get := func(path string) (string, int) {
		resp, err := client.Get(base + path)
		must("get "+path, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		must("read "+path, err)
		return string(b), resp.StatusCode
	}

	body, code := get("/hello?name=ring0")
	fmt.Printf("GET /hello: %d %q\n", code, body)
	_, code = get("/missing")
	fmt.Println("GET /missing:", code)

	payload := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	resp, err := client.Post(base+"/echo", "application/octet-stream", bytes.NewReader(payload))
	must("post", err)
	echoed, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	must("read echo", err)
	s := sha256.Sum256(payload)
	check("POST /echo hash", resp.Header.Get("X-Sha256"), fmt.Sprintf("%x", s[:8]))
	check("POST /echo body", bytes.Equal(echoed, payload), true)

	resp, err = client.Get(base + "/stream")
	must("stream", err)
	sc := bufio.NewScanner(resp.Body)
	var chunks []string
	for sc.Scan() {
		chunks = append(chunks, sc.Text())
	}
	resp.Body.Close()
	fmt.Println("GET /stream:", strings.Join(chunks, ", "), "transfer-encoding:", resp.TransferEncoding)

	body, code = get("/exec")
	fmt.Printf("GET /exec: %d %q\n", code, body)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/slow", nil)
	start := time.Now()
	_, err = client.Do(req)
	cancel()
	fmt.Println("GET /slow with a 50ms deadline:", errors.Is(err, context.DeadlineExceeded), "waited >= 50ms:", time.Since(start) >= 50*time.Millisecond)

	var mu sync.Mutex
	var results []string
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b, c := get(fmt.Sprintf("/hello?name=client%02d", i))
			mu.Lock()
			results = append(results, fmt.Sprintf("%d %s", c, strings.TrimSpace(b)))
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Strings(results)
	check("concurrent requests", len(results), 40)
	fmt.Println("first and last:", results[0], "/", results[len(results)-1])

	// Connections the client dialed but never used are "new" to the server, which Shutdown waits
	// for: close them first (how many there are depends on timing).
	client.CloseIdleConnections()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	must("shutdown", srv.Shutdown(ctx))
	cancel()
	_, err = client.Get(base + "/hello")
	fmt.Println("after shutdown, a request fails:", err != nil)
	if failed {
		os.Exit(1)
	}
}
