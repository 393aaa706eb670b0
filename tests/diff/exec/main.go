// Command exec starts child processes with os/exec (host programs: sh, cat, tr, env, true, false) and
// prints what they did: their output, their exit status, stdin piped to them, a child writing straight
// to the inherited stdout and stderr, the environment passed to them, a child killed by a signal, and
// the errors for programs that do not exist. It exits 1 if a result it can check is wrong.
// "exec pidfd" uses pidfds instead (pidfd.go): clone(CLONE_PIDFD), pidfd_open, pidfd_send_signal,
// pidfd_getfd, waitid(P_PIDFD), poll and epoll on a pidfd, one handed to a child, and their errors.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

var failed bool

func check(what string, got, want any) {
	fmt.Printf("%s: %v\n", what, got)
	if got != want {
		fmt.Fprintf(os.Stderr, "FAIL: %s = %v, want %v\n", what, got, want)
		failed = true
	}
}

func status(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Sprintf("%v (exit code %d, exited %t)", err, ee.ExitCode(), ee.Exited())
	}
	return fmt.Sprint(err)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "pidfd" {
		pidfds()
		if failed {
			os.Exit(1)
		}
		return
	}

	// Output of a child.
	out, err := exec.Command("echo", "hello from a child", "two  spaces").Output()
	check("echo error", err, nil)
	check("echo output", string(out), "hello from a child two  spaces\n")

	// Exit statuses.
	for _, code := range []int{0, 1, 3, 255} {
		err := exec.Command("sh", "-c", fmt.Sprintf("exit %d", code)).Run()
		fmt.Printf("sh exit %d: %s\n", code, status(err))
	}
	err = exec.Command("false").Run()
	fmt.Println("false:", status(err))
	check("true", exec.Command("true").Run(), nil)

	// Killed by a signal.
	err = exec.Command("sh", "-c", "kill -TERM $$").Run()
	fmt.Println("sh killed by SIGTERM:", status(err))

	// Stdin piped to the child.
	cmd := exec.Command("tr", "a-z", "A-Z")
	cmd.Stdin = strings.NewReader("piped to the child\nsecond line\n")
	out, err = cmd.Output()
	check("tr error", err, nil)
	check("tr output", string(out), "PIPED TO THE CHILD\nSECOND LINE\n")

	// A large amount through cat, both ways at once.
	big := strings.Repeat("0123456789abcdef\n", 64*1024) // 1 MiB: more than a pipe holds
	cmd = exec.Command("cat")
	cmd.Stdin = strings.NewReader(big)
	out, err = cmd.Output()
	check("cat 1 MiB error", err, nil)
	check("cat 1 MiB round trip", string(out) == big, true)

	// StdinPipe and StdoutPipe.
	cmd = exec.Command("sh", "-c", "while read l; do echo \"got: $l\"; done")
	in, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	check("start", cmd.Start(), nil)
	go func() {
		for i := 0; i < 3; i++ {
			fmt.Fprintf(in, "line %d\n", i)
		}
		in.Close()
	}()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		fmt.Println("from pipe:", sc.Text())
	}
	check("wait", cmd.Wait(), nil)

	// A child that inherits our stdout and stderr.
	fmt.Println("parent: before the child")
	cmd = exec.Command("sh", "-c", "echo child on stdout; echo child on stderr >&2; exit 4")
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	fmt.Println("parent: after the child:", status(err))
	fmt.Fprintln(os.Stderr, "parent: stderr after the child")

	// CombinedOutput.
	out, err = exec.Command("sh", "-c", "echo one; echo two >&2; echo three").CombinedOutput()
	check("combined error", err, nil)
	fmt.Printf("combined: %q\n", out)

	// The environment passed to a child.
	cmd = exec.Command("sh", "-c", `echo "CHILD_VAR=$CHILD_VAR RING0_DIFF_VAR=$RING0_DIFF_VAR"`)
	cmd.Env = append(os.Environ(), "CHILD_VAR=only for the child")
	out, err = cmd.Output()
	check("env error", err, nil)
	check("env to child", string(out), "CHILD_VAR=only for the child RING0_DIFF_VAR="+os.Getenv("RING0_DIFF_VAR")+"\n")
	envPath, err := exec.LookPath("env")
	check("lookpath env", err, nil)
	cmd = exec.Command(envPath)
	cmd.Env = []string{"ONLY=this", "AND=that"}
	out, err = cmd.Output()
	check("env error", err, nil)
	check("exact env", string(out), "ONLY=this\nAND=that\n")
	// The child sees the parent's environment when Env is nil.
	out, _ = exec.Command("sh", "-c", "echo $RING0_DIFF_VAR").Output()
	check("inherited env", string(out), os.Getenv("RING0_DIFF_VAR")+"\n")

	// Working directory.
	cmd = exec.Command("pwd")
	cmd.Dir = "/"
	out, err = cmd.Output()
	check("pwd error", err, nil)
	check("pwd in /", string(out), "/\n")

	// Programs that do not exist.
	err = exec.Command("ring0-no-such-program").Run()
	fmt.Println("missing program:", err)
	check("missing is ErrNotFound", errors.Is(err, exec.ErrNotFound), true)
	err = exec.Command("/nonexistent/dir/prog", "x").Run()
	fmt.Println("missing path:", err)
	check("missing path is ErrNotExist", errors.Is(err, os.ErrNotExist), true)
	err = exec.Command("/etc/passwd").Run()
	fmt.Println("not executable:", err)
	cmd = exec.Command("/")
	err = cmd.Run()
	fmt.Println("a directory:", err)

	// Several children at once.
	cmds := make([]*exec.Cmd, 5)
	outs := make([]strings.Builder, 5)
	for i := range cmds {
		cmds[i] = exec.Command("sh", "-c", fmt.Sprintf("sleep 0.0%d; echo child %d", 5-i, i))
		cmds[i].Stdout = &outs[i]
		check("start", cmds[i].Start(), nil)
	}
	for i := range cmds {
		check("wait", cmds[i].Wait(), nil)
		fmt.Print(outs[i].String())
	}

	if failed {
		os.Exit(1)
	}
}
