// Command signal exercises signal delivery.
//
//	self    installs signal.Notify, sends itself SIGINT, SIGUSR1 and SIGTERM and prints what arrives;
//	        then ignores SIGINT and sends it again (it must survive), then resets it.
//	notify  installs signal.Notify for SIGINT, prints "ready" and waits: the harness sends SIGINT;
//	        it prints the signal and exits 7.
//	plain   prints "ready" and sleeps without handling signals: SIGINT from the harness kills it.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: signal self|notify|plain")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "self":
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt, syscall.SIGUSR1, syscall.SIGTERM)
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGUSR1, syscall.SIGTERM} {
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				fmt.Fprintln(os.Stderr, "kill:", err)
				os.Exit(1)
			}
			select {
			case got := <-c:
				fmt.Printf("sent %v, got %v\n", sig, got)
				if got != sig {
					os.Exit(1)
				}
			case <-time.After(10 * time.Second):
				fmt.Printf("sent %v, got nothing in 10s\n", sig)
				os.Exit(1)
			}
		}
		p, err := os.FindProcess(os.Getpid())
		if err != nil {
			fmt.Fprintln(os.Stderr, "findprocess:", err)
			os.Exit(1)
		}
		if err := p.Signal(os.Interrupt); err != nil {
			fmt.Fprintln(os.Stderr, "signal:", err)
			os.Exit(1)
		}
		fmt.Println("Process.Signal(os.Interrupt), got", <-c)
		signal.Stop(c)

		signal.Ignore(os.Interrupt)
		fmt.Println("ignored SIGINT:", signal.Ignored(os.Interrupt))
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		time.Sleep(100 * time.Millisecond)
		fmt.Println("still alive after an ignored SIGINT")
		signal.Reset(os.Interrupt)
		fmt.Println("ignored after Reset:", signal.Ignored(os.Interrupt))
		// Not killing ourselves with the default action here: the harness case "plain" does that.
	case "notify":
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		fmt.Println("ready")
		select {
		case got := <-c:
			fmt.Println("got signal:", got)
			os.Exit(7)
		case <-time.After(30 * time.Second):
			fmt.Println("no signal in 30s")
			os.Exit(1)
		}
	case "plain":
		fmt.Println("ready")
		time.Sleep(30 * time.Second)
		fmt.Println("not killed in 30s")
		os.Exit(1)
	}
}
