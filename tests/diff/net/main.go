// Command net uses sockets on the loopback interface and Unix sockets, all within one process: a TCP
// echo server with several clients, a large transfer, half-close, deadlines, UDP, a Unix stream socket
// and socketpair-like pairs, and the errors for a refused connection and a used address. Port numbers
// differ between runs, so printed errors show PORT instead. It exits 1 if a result it can check is wrong.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
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

var loopbackPort = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

// portless prints err with the loopback ports (which differ between runs) replaced by PORT.
func portless(err error) string {
	return loopbackPort.ReplaceAllString(fmt.Sprint(err), "127.0.0.1:PORT")
}

func echo(c net.Conn) {
	defer c.Close()
	io.Copy(c, c)
}

func main() {
	// TCP echo server, several clients at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must("listen", err)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go echo(c)
		}
	}()
	var wg sync.WaitGroup
	replies := make([]string, 8)
	for i := range replies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			must("dial", err)
			defer c.Close()
			fmt.Fprintf(c, "hello from client %d\n", i)
			line, err := bufio.NewReader(c).ReadString('\n')
			must("read", err)
			replies[i] = line
		}(i)
	}
	wg.Wait()
	for _, r := range replies {
		fmt.Print("echo: ", r)
	}

	// A large transfer with half-close: write 4 MiB, CloseWrite, read everything back.
	c, err := net.Dial("tcp", ln.Addr().String())
	must("dial", err)
	big := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz\n"), 4<<20/37)
	go func() {
		_, err := c.Write(big)
		must("write", err)
		must("closewrite", c.(*net.TCPConn).CloseWrite())
	}()
	back, err := io.ReadAll(c)
	must("readall", err)
	check("4 MiB echoed", bytes.Equal(back, big), true)
	c.Close()

	// Read deadline.
	c, err = net.Dial("tcp", ln.Addr().String())
	must("dial", err)
	c.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	_, err = c.Read(make([]byte, 1))
	var ne net.Error
	check("timeout error", errors.As(err, &ne) && ne.Timeout(), true)
	fmt.Println("deadline error:", portless(err))
	c.Close()

	// Address in use, and a refused connection (the port of a closed listener).
	_, err = net.Listen("tcp", ln.Addr().String())
	fmt.Println("listen on a used address:", portless(err))
	addr := ln.Addr()
	ln.Close()
	_, err = net.Dial("tcp", addr.String())
	fmt.Println("dial a closed port:", portless(err))
	_, err = net.Dial("tcp", "not-a-valid-address")
	fmt.Println("dial a bad address:", err)

	// UDP.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	must("listenpacket", err)
	uc, err := net.Dial("udp", pc.LocalAddr().String())
	must("dial udp", err)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(uc, "datagram %d", i)
		buf := make([]byte, 100)
		n, from, err := pc.ReadFrom(buf)
		must("readfrom", err)
		check("datagram from the client", from.String() == uc.LocalAddr().String(), true)
		fmt.Printf("udp got %q\n", buf[:n])
	}
	uc.Close()
	pc.Close()

	// Unix stream socket in $TMPDIR.
	path := filepath.Join(os.TempDir(), "sock")
	ul, err := net.Listen("unix", path)
	must("listen unix", err)
	go func() {
		c, err := ul.Accept()
		if err != nil {
			return
		}
		echo(c)
	}()
	c, err = net.Dial("unix", path)
	must("dial unix", err)
	fmt.Fprint(c, "over a unix socket")
	c.(*net.UnixConn).CloseWrite()
	got, err := io.ReadAll(c)
	must("read unix", err)
	check("unix echo", string(got), "over a unix socket")
	c.Close()
	fi, err := os.Lstat(path)
	must("lstat socket", err)
	fmt.Println("socket file mode type:", fi.Mode().Type())
	_, err = net.Listen("unix", path)
	fmt.Println("listen on a used unix path:", err)
	ul.Close()
	_, err = os.Lstat(path)
	fmt.Println("socket file after Close:", err)
	_, err = net.Dial("unix", filepath.Join(os.TempDir(), "nobody-listens"))
	fmt.Println("dial a missing unix socket:", err)

	// net.Pipe (no descriptors).
	a, b := net.Pipe()
	go func() { a.Write([]byte("net.Pipe")); a.Close() }()
	got, _ = io.ReadAll(b)
	check("net.Pipe", string(got), "net.Pipe")

	if failed {
		os.Exit(1)
	}
}
