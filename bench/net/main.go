// Net measures what a network service does most, over loopback TCP in one process. Sockets are the
// host's in Ring0: the kernel hands each socket call to the host and serves the netpoller's epoll
// waits, so these show what a service pays for being in Ring0 rather than what the kernel saves.
//
//	tcp-pingpong     one round trip of 64 bytes between two goroutines over a TCP connection
//	http-get         one GET of a 1 KiB body by a keep-alive net/http client from a net/http server
//	http-get-8conns  the same from 8 client goroutines at once, each on its own connection (one op:
//	                 one request; the time is the whole batch's over its requests)
//
// GOMAXPROCS is 2 (-procs to change). Every op checks what it read.
//
//	go run ./bench/net [-n 50000] [-quick]     natively
//	./ring0 run ./bench/net [-n 50000]         in Ring0
package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"

	"ring0.dev/bench/internal/harness"
)

func main() {
	harness.VariantsMain(50_000, "measured ops per variant", 100, []harness.Variant{
		{Name: "tcp-pingpong", Start: tcpPingPong},
		{Name: "http-get", Start: func() (func(int), func()) { return httpGets(1) }},
		{Name: "http-get-8conns", Start: func() (func(int), func()) { return httpGets(8) }},
	})
}

// listen listens on an ephemeral loopback port.
func listen() net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	return ln
}

// tcpPingPong: an echo goroutine sends each 64-byte message back with its first byte plus one.
func tcpPingPong() (func(int), func()) {
	ln := listen()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		b := make([]byte, 64)
		for {
			if _, err := io.ReadFull(c, b); err != nil {
				c.Close()
				return
			}
			b[0]++
			if _, err := c.Write(b); err != nil {
				return
			}
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fail(err)
	}
	b := make([]byte, 64)
	run := func(n int) {
		for i := 0; i < n; i++ {
			want := b[0] + 1
			if _, err := c.Write(b); err != nil {
				fail(err)
			}
			if _, err := io.ReadFull(c, b); err != nil || b[0] != want {
				fail(fmt.Errorf("tcp round trip: %v, got %d want %d", err, b[0], want))
			}
		}
	}
	return run, func() { c.Close(); ln.Close() }
}

// body is what the server answers: 1 KiB that a client can check.
var body = bytes.Repeat([]byte("ring0 net bench\n"), 64)

// httpGets serves body and makes conns clients that share each run's requests.
func httpGets(conns int) (func(int), func()) {
	ln := listen()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	})}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String() + "/"
	clients := make([]*http.Client, conns)
	for i := range clients {
		clients[i] = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
	}
	get := func(c *http.Client, buf *bytes.Buffer) {
		resp, err := c.Get(url)
		if err != nil {
			fail(err)
		}
		buf.Reset()
		_, err = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(buf.Bytes(), body) {
			fail(fmt.Errorf("GET: %v, status %d, %d bytes", err, resp.StatusCode, buf.Len()))
		}
	}
	run := func(n int) {
		var wg sync.WaitGroup
		for i, c := range clients {
			share := n / conns
			if i < n%conns {
				share++
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				var buf bytes.Buffer
				for j := 0; j < share; j++ {
					get(c, &buf)
				}
			}()
		}
		wg.Wait()
	}
	stop := func() {
		for _, c := range clients {
			c.CloseIdleConnections()
		}
		srv.Close()
	}
	return run, stop
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "net:", err)
	os.Exit(1)
}
