// Package diff is the differential suite: the same Go program, run natively and in Ring0, gives the same
// output. Each case names a program (tests/diff/<prog>/main.go), its arguments, stdin and extra
// environment, and the status the program must end with natively. The harness builds every program
// once natively (go build) and once as a ring0 executable (ring0 build), runs the native build and
// checks its status against the case (a program must first pass natively), then runs the ring0
// executable with ring0 run and requires the same stdout, stderr and status (exit code, or the signal
// that killed it), and a kernel log without "BUG" lines.
//
// Both runs get the same arguments, stdin, environment and working directory: the working directory
// and $TMPDIR are fresh empty directories at the same paths for both runs. The two executables have the
// same base name in two different directories, so argv[0] differs only in its directory; programs print
// filepath.Base(os.Args[0]) when they print it at all.
//
// Normalization, in normalize, of what differs between two native runs or between an executable and
// a shared object by nature; everything else is compared byte for byte, tracebacks included
// (function names, files, lines, +0x PC offsets, goroutine states):
//   - in traceback frame lines ("main.index({0x2861dbf18ea0?, 0x2861dbf12018?}, 0x2?)"), argument words
//     of 6 hex digits or more become 0xADDR: Go 1.26 randomizes the heap's base address, so pointers
//     differ even between two native runs, and the addresses of types and static data differ between
//     a non-PIE executable (0x4ac780) and the ring0 executable, a shared object (0x7ff8206441e0);
//   - in frame lines, words the runtime marks as possibly inaccurate ("0xa0?": a spill slot that may
//     hold an old value) become 0x?;
//   - the pc= of a "[signal SIGSEGV: ...]" line becomes pc=0xPC (code addresses differ likewise).
//
// Goroutine numbers are not normalized: cases whose tracebacks show goroutines other than main run
// with GOMAXPROCS=1, where the numbering is deterministic (with several Ps a new goroutine's number
// depends on which P creates it, natively as well).
//
// Environment: the base environment is the test's own, with these changes, made for both runs alike:
//   - TMPDIR is the run's temporary directory, PWD its working directory (os/exec sets PWD only when
//     Env is nil);
//   - no RING0_DIFF_* variables but those a case sets (env prints the environment and counts them);
//   - no "_": shells set it to the path of the command they run, so it differs between commands by
//     nature (and the ring0 launcher, a bash script, drops it);
//   - SHLVL is set (to 1 if the test's environment has none);
//   - LANG=C.UTF-8 and no LC_ALL (case args/unicode-c-locale checks another locale).
//
// A case with bareEnv gets only PATH, LANG, TMPDIR, PWD and its own variables instead: PWD because
// the ring0 launcher, a shell script, exports it when the caller's environment lacks it, as shells do
// (a documented limit); SHLVL it restores as it found it.
package diff

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// status is how a process ended: an exit code, or the signal that killed it.
type status struct {
	code int
	sig  syscall.Signal // non-zero: killed by this signal (code is then -1)
}

func exited(code int) status           { return status{code: code} }
func killed(sig syscall.Signal) status { return status{code: -1, sig: sig} }

func (s status) String() string {
	if s.sig != 0 {
		return fmt.Sprintf("killed by signal %d (%v)", int(s.sig), s.sig)
	}
	return fmt.Sprintf("exit status %d", s.code)
}

func statusOf(ps *os.ProcessState) status {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return killed(ws.Signal())
	}
	return exited(ps.ExitCode())
}

type stdinKind int

const (
	stdinNull stdinKind = iota // /dev/null (cmd.Stdin == nil)
	stdinPipe                  // a pipe the harness writes the input into
	stdinFile                  // a regular file holding the input (seekable)
)

// testCase is one row of the table.
type testCase struct {
	name  string
	prog  string   // directory under tests/diff
	args  []string // after argv[0]
	env   []string // added to the base environment (later entries win)
	stdin stdinKind
	input []byte // stdin contents, for stdinPipe and stdinFile

	bareEnv     bool           // the environment is only PATH, LANG, TMPDIR and env
	combined    bool           // stdout and stderr are one pipe; the combined stream is compared
	brokenPipe  bool           // stdout is a pipe whose read end is already closed
	signalReady syscall.Signal // sent by the harness once the program printed "ready\n" on stdout

	want status // the status the native run must end with

	ramTmp bool // Ring0 runs the program with a RAM filesystem over $TMPDIR (--mount ram:$TMPDIR)

	ring0Args []string // more flags for ring0 run (e.g. --cache=none)

}

const (
	runTimeout = 2 * time.Minute
	readyWait  = 30 * time.Second
	maxBuilds  = 2 // concurrent program builds (each is a native go build and a ring0 build)
	maxCases   = 3 // concurrent cases (each runs its two processes one after the other)
)

var (
	// The torture sections that print nothing particular to one filesystem type (see torture/ramfs).
	tortureFsNeutral = []string{"open", "openat2", "close", "vectors", "unlink", "rename", "link", "symlink", "chown",
		"utimensat", "fallocate", "sync", "fcntl", "locks", "flock", "dup", "pipe", "eventfd", "memfd", "cwd", "access",
		"sendfile", "copy_file_range", "ioctl", "poll", "epoll", "badptr", "names", "fds"}
	// The variables that the env and exec programs check.
	diffEnv  = []string{"RING0_DIFF_VAR=value with spaces = and ünïcødé ✓", "RING0_DIFF_EMPTY=", "RING0_DIFF_EQ=a=b=c"}
	bigInput = genInput(4 << 20)
)

// genInput makes n bytes of text lines from a fixed generator: lines of varying length, mostly ASCII
// with some UTF-8, so that reads and writes do not line up with line or buffer boundaries.
func genInput(n int) []byte {
	var b bytes.Buffer
	x := uint32(2463534242)
	for i := 0; b.Len() < n; i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		fmt.Fprintf(&b, "%07d %s%s\n", i, strings.Repeat("abcdefghij", int(x%13)), []string{"", " ünï", " 日本", "\t"}[x%4])
	}
	return b.Bytes()[:n]
}

// withEnv is diffEnv and kv.
func withEnv(kv ...string) []string {
	return append(append([]string{}, diffEnv...), kv...)
}

func manyArgs(n int) []string {
	args := []string{"-expect", fmt.Sprint(n + 3)}
	for i := 3; i < n+3; i++ {
		args = append(args, fmt.Sprintf("arg-%04d", i))
	}
	return args
}

var cases = []testCase{
	// Command lines.
	{name: "args/none", prog: "args", want: exited(0)},
	{name: "args/empty-and-spaces", prog: "args", want: exited(0),
		args: []string{"", "a b", "  leading", "trailing  ", "", "tab\there", "new\nline", `quote"s`, "'single'", "$HOME", "*", "-flag", "--", `back\slash`, " "}},
	{name: "args/unicode", prog: "args", want: exited(0),
		args: []string{"héllo", "日本語", "emoji 🎉", "ünïcødé ✓", "zero\u200bwidth", "ÅΩЖ"}},
	{name: "args/many", prog: "args", want: exited(0), args: manyArgs(2000)},
	{name: "args/long", prog: "args", want: exited(0), args: []string{strings.Repeat("x", 100000), "after"}},
	{name: "args/invalid-utf8", prog: "args", want: exited(0), args: []string{"bad \xff byte", "\xc3\x28", "ok"}},
	{name: "args/unicode-c-locale", prog: "args", want: exited(0), env: []string{"LANG=C"},
		args: []string{"héllo", "日本語"}},

	// Environment.
	{name: "env/vars", prog: "env", want: exited(0), env: withEnv()},
	{name: "env/missing-var", prog: "env", want: exited(1), env: withEnv("RING0_DIFF_VAR=something else")},
	{name: "env/bare", prog: "env", want: exited(0), env: withEnv(), bareEnv: true},
	{name: "env/invalid-utf8", prog: "env", want: exited(0), env: withEnv("BYTES_NOT_UTF8=\xff\xfe")},

	// Exit statuses.
	{name: "exit/return", prog: "exit", args: []string{"return"}, want: exited(0)},
	{name: "exit/0", prog: "exit", args: []string{"0"}, want: exited(0)},
	{name: "exit/1", prog: "exit", args: []string{"1"}, want: exited(1)},
	{name: "exit/3", prog: "exit", args: []string{"3"}, want: exited(3)},
	{name: "exit/255", prog: "exit", args: []string{"255"}, want: exited(255)},
	{name: "exit/256-wraps", prog: "exit", args: []string{"256"}, want: exited(0)},
	{name: "exit/goroutine", prog: "exit", args: []string{"goroutine", "4"}, want: exited(4)},
	{name: "exit/defer-not-run", prog: "exit", args: []string{"defer", "5"}, want: exited(5)},

	// Panics: exit status 2, message and traceback on stderr.
	{name: "panic/custom-error", prog: "panic", args: []string{"custom"}, want: exited(2)},
	{name: "panic/named-type", prog: "panic", args: []string{"named"}, want: exited(2)},
	{name: "panic/string", prog: "panic", args: []string{"string"}, want: exited(2)},
	{name: "panic/nil-map", prog: "panic", args: []string{"nilmap"}, want: exited(2)},
	{name: "panic/index", prog: "panic", args: []string{"index"}, want: exited(2)},
	{name: "panic/nil-pointer", prog: "panic", args: []string{"nilptr"}, want: exited(2)},
	{name: "panic/goroutine", prog: "panic", args: []string{"goroutine"}, env: []string{"GOMAXPROCS=1"}, want: exited(2)},
	{name: "panic/repanic", prog: "panic", args: []string{"repanic"}, want: exited(2)},
	{name: "panic/recovered", prog: "panic", args: []string{"recover"}, want: exited(0)},

	// Runtime fatal errors.
	{name: "fatal/goexit", prog: "fatal", args: []string{"goexit"}, want: exited(2)},
	{name: "fatal/deadlock", prog: "fatal", args: []string{"deadlock"}, want: exited(2)},
	{name: "fatal/deadlock-many", prog: "fatal", args: []string{"deadlock-many"}, env: []string{"GOMAXPROCS=1"}, want: exited(2)},

	// Standard input.
	{name: "stdin/pipe-lines", prog: "stdin", args: []string{"lines"}, stdin: stdinPipe, want: exited(0),
		input: []byte("first line\n\nthird line with ünïcødé\nno newline at the end")},
	{name: "stdin/pipe-large-sum", prog: "stdin", stdin: stdinPipe, input: bigInput, want: exited(0),
		args: []string{"-size", fmt.Sprint(len(bigInput)), "-lines", fmt.Sprint(bytes.Count(bigInput, []byte("\n"))), "sum"}},
	{name: "stdin/pipe-large-cat", prog: "stdin", args: []string{"cat"}, stdin: stdinPipe, input: bigInput, want: exited(0)},
	{name: "stdin/file-large-cat", prog: "stdin", args: []string{"cat"}, stdin: stdinFile, input: bigInput, want: exited(0)},
	{name: "stdin/file-seek", prog: "stdin", args: []string{"seek"}, stdin: stdinFile, input: []byte("0123456789abc"), want: exited(0)},
	{name: "stdin/empty-pipe", prog: "stdin", args: []string{"-size", "0", "-lines", "0", "sum"}, stdin: stdinPipe, want: exited(0)},
	{name: "stdin/dev-null", prog: "stdin", args: []string{"-size", "0", "-lines", "0", "sum"}, want: exited(0)},

	// Standard output and error.
	{name: "stdio/interleave", prog: "stdio", args: []string{"interleave"}, want: exited(0)},
	{name: "stdio/interleave-combined", prog: "stdio", args: []string{"interleave"}, combined: true, want: exited(0)},
	{name: "stdio/big", prog: "stdio", args: []string{"big"}, want: exited(0)},
	{name: "stdio/big-combined", prog: "stdio", args: []string{"big"}, combined: true, want: exited(0)},
	{name: "stdio/epipe", prog: "stdio", args: []string{"epipe"}, brokenPipe: true, want: killed(syscall.SIGPIPE)},

	// Goroutines and synchronization.
	{name: "goroutines/gomaxprocs-1", prog: "goroutines", env: []string{"GOMAXPROCS=1"}, want: exited(0)},
	{name: "goroutines/gomaxprocs-2", prog: "goroutines", env: []string{"GOMAXPROCS=2"}, want: exited(0)},

	// Timers.
	{name: "timers/gomaxprocs-1", prog: "timers", env: []string{"GOMAXPROCS=1"}, want: exited(0)},
	{name: "timers/gomaxprocs-2", prog: "timers", env: []string{"GOMAXPROCS=2"}, want: exited(0)},

	// Files, in $TMPDIR.
	{name: "files/ops", prog: "files", want: exited(0)},
	{name: "files/ops-ramfs", prog: "files", ramTmp: true, want: exited(0)},
	{name: "files/ops-cache-always", prog: "files", ring0Args: []string{"--cache=always"}, want: exited(0)},
	{name: "files/ops-cache-none", prog: "files", ring0Args: []string{"--cache=none"}, want: exited(0)},
	// The host file caches (--cache, auto by default): what they must not change.
	{name: "cache/auto", prog: "cache", want: exited(0)},
	{name: "cache/always", prog: "cache", ring0Args: []string{"--cache=always"}, want: exited(0)},
	{name: "cache/none", prog: "cache", ring0Args: []string{"--cache=none"}, want: exited(0)},
	{name: "vfs/host", prog: "vfs", want: exited(0)},
	{name: "vfs/host-cache-always", prog: "vfs", ring0Args: []string{"--cache=always"}, want: exited(0)},
	{name: "vfs/host-cache-none", prog: "vfs", ring0Args: []string{"--cache=none"}, want: exited(0)},
	// Children run on the host and see its files: in a RAM filesystem, they get files as descriptors only.
	{name: "vfs/ramfs", prog: "vfs", args: []string{"fd-children"}, ramTmp: true, want: exited(0)},

	// C code (cgo) makes its file calls past the kernel: the caches must not hide them, nor hide the
	// app's writes from it.
	{name: "cgo/auto", prog: "cgo", want: exited(0)},
	{name: "cgo/cache-always", prog: "cgo", ring0Args: []string{"--cache=always"}, want: exited(0)},
	{name: "cgo/cache-none", prog: "cgo", ring0Args: []string{"--cache=none"}, want: exited(0)},

	// The file system calls one by one with raw system calls, errors included: a transcript compared
	// byte for byte, in each cache mode.
	{name: "torture/all", prog: "torture", want: exited(0)},
	{name: "torture/cache-none", prog: "torture", ring0Args: []string{"--cache=none"}, want: exited(0)},
	{name: "torture/cache-always", prog: "torture", ring0Args: []string{"--cache=always"}, want: exited(0)},
	// In a RAM filesystem (tmpfs's semantics): the sections whose transcript is the same on the host's
	// filesystem (ext4) and on tmpfs, that is all but those that show directory sizes, block counts,
	// the filesystem's type and its largest file.
	{name: "torture/ramfs", prog: "torture", args: tortureFsNeutral, ramTmp: true, want: exited(0)},

	// /proc and /dev: the kernel's procfs and devfs, over the host's.
	{name: "procdev/self-and-devices", prog: "procdev", want: exited(0)},
	{name: "procdev/stdin-pipe", prog: "procdev", stdin: stdinPipe, input: []byte("input"), want: exited(0)},
	{name: "procdev/ramfs", prog: "procdev", ramTmp: true, want: exited(0)},

	// Pipes and sockets within one process (the netpoller: epoll, eventfd, deadlines).
	{name: "pipes/os-pipe", prog: "pipes", want: exited(0)},
	{name: "net/loopback-and-unix", prog: "net", want: exited(0)},
	{name: "epoll/syscalls", prog: "epoll", want: exited(0)},
	{name: "epoll/syscalls-gomaxprocs-1", prog: "epoll", env: []string{"GOMAXPROCS=1"}, want: exited(0)},
	{name: "epoll/sigpipe-notify", prog: "epoll", args: []string{"sigpipe"}, want: exited(0)},
	{name: "iopipes/children-and-goroutines", prog: "iopipes", want: exited(0)},
	{name: "iopipes/gomaxprocs-1", prog: "iopipes", env: []string{"GOMAXPROCS=1"}, want: exited(0)},
	{name: "http/server-and-client", prog: "http", want: exited(0)},
	{name: "http/server-and-client-gomaxprocs-1", prog: "http", env: []string{"GOMAXPROCS=1"}, want: exited(0)},

	// Child processes.
	{name: "exec/children", prog: "exec", env: withEnv(), want: exited(0)},
	{name: "exec/children-cache-none", prog: "exec", env: withEnv(), ring0Args: []string{"--cache=none"}, want: exited(0)},
	{name: "exec/pidfd", prog: "exec", args: []string{"pidfd"}, want: exited(0)},

	// Signals.
	{name: "signal/self", prog: "signal", args: []string{"self"}, want: exited(0)},
	{name: "signal/sigint-notify", prog: "signal", args: []string{"notify"}, signalReady: syscall.SIGINT, want: exited(7)},
	{name: "signal/sigint-default", prog: "signal", args: []string{"plain"}, signalReady: syscall.SIGINT, want: killed(syscall.SIGINT)},
	{name: "signal/sigterm-default", prog: "signal", args: []string{"plain"}, signalReady: syscall.SIGTERM, want: killed(syscall.SIGTERM)},

	// CPU-bound work.
	{name: "compute/all", prog: "compute", want: exited(0)},
}

// Paths shared by all cases, set by TestMain.
var (
	repoRoot string    // the repository root (holds go.mod and the ring0 launcher)
	ring0    string    // the ring0 launcher
	binDir   string    // where the programs are built
	jarTime  time.Time // the kernel jar's modification time once the launcher built what was missing
)

// rebuiltNote says, if it happened, that the launcher rebuilt the kernel jar since the suite started.
// It rebuilds the jar in place when java/ is newer, and a run that starts meanwhile may fail to load
// its classes: failures then tell so, without being hidden.
func rebuiltNote() string {
	if jarModTime().Equal(jarTime) {
		return ""
	}
	return "note: java/target/ring0.jar was rebuilt while the suite ran (java/ changed): this failure may come from that; rerun"
}

// jarModTime is the modification time of the kernel jar the launcher runs (zero if it is missing).
func jarModTime() time.Time {
	fi, err := os.Stat(filepath.Join(repoRoot, "java", "target", "ring0.jar"))
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

func TestMain(m *testing.M) {
	if err := setup(); err != nil {
		fmt.Fprintln(os.Stderr, "tests/diff:", err)
		os.Exit(1)
	}
	code := m.Run()
	buildsMu.Lock()
	for _, b := range builds {
		<-b.done // a build still running would recreate its directory
	}
	buildsMu.Unlock()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// setup finds the repository from this package's directory (go test's working directory) and lets
// the launcher build what is missing once, before builds and runs start in parallel.
func setup() error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	repoRoot = filepath.Dir(filepath.Dir(wd))
	if mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod")); err != nil || !bytes.HasPrefix(mod, []byte("module ring0.dev\n")) {
		return fmt.Errorf("%s is not the ring0 repository root (no go.mod of module ring0.dev): run go test from the repository", repoRoot)
	}
	ring0 = filepath.Join(repoRoot, "ring0")
	out, err := exec.Command(ring0, "--version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s --version: %v\n%s", ring0, err, out)
	}
	jarTime = jarModTime()
	binDir, err = os.MkdirTemp("", "ring0-diff-")
	return err
}

// build is one program built both ways; done is closed when both builds ended.
type build struct {
	done          chan struct{}
	native, ring0 string
	err           error
}

var (
	buildsMu sync.Mutex
	builds   = map[string]*build{}
	buildSem = make(chan struct{}, maxBuilds)
)

// getBuild starts building prog (once per test run) and returns its build.
func getBuild(prog string) *build {
	buildsMu.Lock()
	defer buildsMu.Unlock()
	if b, ok := builds[prog]; ok {
		return b
	}
	b := &build{
		done:   make(chan struct{}),
		native: filepath.Join(binDir, "native", prog),
		ring0:  filepath.Join(binDir, "ring0", prog),
	}
	builds[prog] = b
	go func() {
		defer close(b.done)
		buildSem <- struct{}{}
		defer func() { <-buildSem }()
		pkg := "./tests/diff/" + prog
		var wg sync.WaitGroup
		var nerr, rerr error
		wg.Add(2)
		go func() { defer wg.Done(); nerr = runBuild("go", "build", "-o", b.native, pkg) }()
		go func() { defer wg.Done(); rerr = runBuild(ring0, "build", "-o", b.ring0, pkg) }()
		wg.Wait()
		b.err = errors.Join(nerr, rerr)
	}()
	return b
}

func runBuild(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// result is what one run produced.
type result struct {
	stdout, stderr []byte // stderr is nil when combined (all output is in stdout)
	status         status
	log            string // the kernel log (Ring0 runs only)
}

func TestDiff(t *testing.T) {
	sem := make(chan struct{}, maxCases)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := getBuild(c.prog)
			<-b.done
			if b.err != nil {
				t.Fatalf("building %s: %v", c.prog, b.err)
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			runCase(t, c, b)
		})
	}
}

func runCase(t *testing.T, c testCase, b *build) {
	dir := t.TempDir()
	native := run(t, c, dir, b.native, nil)
	if native.status != c.want {
		t.Fatalf("the native run misbehaves (fix the program or the case before comparing with Ring0):\n"+
			"native %s, the case wants %s\n%s", native.status, c.want, describe("native", native))
	}
	logFile := filepath.Join(dir, "kernel.log")
	pre := []string{"run", "--log", logFile}
	pre = append(pre, c.ring0Args...)
	if c.ramTmp {
		pre = append(pre, "--mount", "ram:"+filepath.Join(dir, "tmp"))
	}
	r0 := run(t, c, dir, ring0, append(pre, b.ring0))
	if c.combined {
		r0.stdout = stripRebuild(t, r0.stdout)
	} else {
		r0.stderr = stripRebuild(t, r0.stderr)
	}
	if log, err := os.ReadFile(logFile); err == nil {
		r0.log = string(log)
	} else {
		r0.log = fmt.Sprintf("(no kernel log: %v)", err)
	}

	var problems []string
	if r0.status != native.status {
		problems = append(problems, fmt.Sprintf("status: native %s, ring0 %s", native.status, r0.status))
	}
	streams := []string{"stdout", "stderr"}
	if c.combined {
		streams = []string{"stdout+stderr"}
	}
	for i, name := range streams {
		n, r := native.stdout, r0.stdout
		if i == 1 {
			n, r = native.stderr, r0.stderr
		}
		if d := compare(normalize(n), normalize(r)); d != "" {
			problems = append(problems, name+" differs: "+d)
		}
	}
	for _, line := range bugLines(r0.log) {
		problems = append(problems, "kernel log has a BUG line: "+line)
	}
	t.Logf("native: %s, stdout %d bytes, stderr %d bytes; ring0: %s, stdout %d bytes, stderr %d bytes",
		native.status, len(native.stdout), len(native.stderr), r0.status, len(r0.stdout), len(r0.stderr))
	if len(problems) > 0 {
		if note := rebuiltNote(); note != "" {
			problems = append(problems, note)
		}
		t.Errorf("Ring0 differs from native (%s %s):\n  %s\n\n%s\n%s\n--- kernel log:\n%s",
			c.prog, quoteArgs(c.args), strings.Join(problems, "\n  "),
			describe("native", native), describe("ring0", r0), r0.log)
	}
}

// bugLines returns the lines of a kernel log that report a bug (an exception escaped a handler).
func bugLines(log string) []string {
	var bugs []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "BUG") {
			bugs = append(bugs, line)
		}
	}
	return bugs
}

// launcherRebuild is what the ring0 launcher prints on stderr when java/ changed since its jar was
// built: TestMain builds the jar first, so it only shows up when the kernel's sources change while the
// suite runs (others at work in the same tree). It is the launcher's, not the program's: drop it.
const launcherRebuild = "ring0: building the kernel (java/)...\n"

func stripRebuild(t *testing.T, b []byte) []byte {
	if rest, ok := bytes.CutPrefix(b, []byte(launcherRebuild)); ok {
		t.Logf("the ring0 launcher rebuilt the kernel during this run (java/ changed while the suite ran)")
		return rest
	}
	return b
}

// run runs exe (with extra leading args, for ring0 run) as case c: a fresh working directory and
// TMPDIR under dir, at the same paths for every run of the case.
func run(t *testing.T, c testCase, dir, exe string, pre []string) result {
	t.Helper()
	wd, tmp := filepath.Join(dir, "wd"), filepath.Join(dir, "tmp")
	for _, d := range []string{wd, tmp} {
		if err := os.RemoveAll(d); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, append(append([]string{}, pre...), c.args...)...)
	cmd.Dir = wd
	cmd.Env = environment(wd, tmp, c.env)
	if c.bareEnv {
		// PWD too: the ring0 launcher, a shell script, exports it when it is missing, as shells do.
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "TMPDIR=" + tmp, "PWD=" + wd}, c.env...)
	}
	cmd.WaitDelay = 5 * time.Second

	switch c.stdin {
	case stdinPipe:
		cmd.Stdin = bytes.NewReader(c.input)
	case stdinFile:
		name := filepath.Join(dir, "stdin")
		if err := os.WriteFile(name, c.input, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdin = f
	}

	var res result
	stdout := &readyWriter{ready: make(chan struct{})}
	var stderr bytes.Buffer
	var closeAfterStart *os.File
	switch {
	case c.brokenPipe:
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		cmd.Stdout = w
		closeAfterStart = w
		cmd.Stderr = &stderr
	case c.combined:
		cmd.Stdout = stdout
		cmd.Stderr = stdout // the same writer: os/exec gives the child one pipe for both
	default:
		cmd.Stdout = stdout
		cmd.Stderr = &stderr
	}

	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	if closeAfterStart != nil {
		closeAfterStart.Close()
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var err error
	if c.signalReady != 0 {
		select {
		case <-stdout.ready:
			if err := cmd.Process.Signal(c.signalReady); err != nil {
				t.Errorf("sending %v: %v", c.signalReady, err)
			}
			err = <-waited
		case err = <-waited:
			// It ended before it was ready: its status and output will tell what happened.
		case <-time.After(readyWait):
			cmd.Process.Kill()
			<-waited
			t.Fatalf("%s did not print \"ready\" within %v; stdout so far: %q, stderr: %q\n%s", exe, readyWait, stdout.bytes(), stderr.Bytes(), rebuiltNote())
		}
	} else {
		err = <-waited
	}
	if ctx.Err() != nil {
		t.Fatalf("%s %s timed out after %v\nstdout: %q\nstderr: %q\n%s", exe, quoteArgs(cmd.Args[1:]), runTimeout, stdout.bytes(), stderr.Bytes(), rebuiltNote())
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running %s: %v", exe, err)
	}
	res.stdout = stdout.bytes()
	if !c.combined {
		res.stderr = stderr.Bytes()
	}
	res.status = statusOf(cmd.ProcessState)
	// Nothing of the JVM's may stay in /tmp, however the process ended: with -Xrs the JVM opens its
	// attach socket at start, and an exit that skips the JVM's own leaves it (the launcher turns the
	// attach mechanism off).
	if sock := fmt.Sprintf("/tmp/.java_pid%d", cmd.Process.Pid); os.Remove(sock) == nil {
		t.Errorf("%s left the JVM's attach socket %s behind", exe, sock)
	}
	return res
}

// environment is the base environment for a run (see the package comment) plus extra.
func environment(wd, tmp string, extra []string) []string {
	var env []string
	shlvl := false
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "RING0_DIFF_") {
			continue // the cases' own variables
		}
		switch k {
		case "PWD", "TMPDIR", "LANG", "LC_ALL", "_":
			continue
		case "SHLVL":
			shlvl = true
		}
		env = append(env, kv)
	}
	if !shlvl {
		env = append(env, "SHLVL=1")
	}
	env = append(env, "PWD="+wd, "TMPDIR="+tmp, "LANG=C.UTF-8")
	return append(env, extra...)
}

// readyWriter collects a stream and closes ready once it holds a line "ready".
type readyWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
	seen  bool
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.seen && (bytes.HasPrefix(w.buf.Bytes(), []byte("ready\n")) || bytes.Contains(w.buf.Bytes(), []byte("\nready\n"))) {
		w.seen = true
		close(w.ready)
	}
	return len(p), nil
}

func (w *readyWriter) bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Clone(w.buf.Bytes())
}

// tracebackFrame matches a function line of a goroutine traceback, e.g. "main.f({0xc000012345?, 0x3})"
// or "main.(*T).m(...)"; signalLine, the line a fatal signal adds to a panic message.
var (
	tracebackFrame = regexp.MustCompile(`(?m)^[\w./*()\[\]-]+\(.*\)$`)
	addressWord    = regexp.MustCompile(`0x[0-9a-f]{6,}`)
	uncertainWord  = regexp.MustCompile(`0x[0-9a-f]+\?`)
	signalLine     = regexp.MustCompile(`(?m)^(\[signal .* )pc=0x[0-9a-f]+\]$`)
)

// normalize rewrites what differs by nature between runs (see the package comment).
func normalize(b []byte) []byte {
	b = tracebackFrame.ReplaceAllFunc(b, func(line []byte) []byte {
		line = uncertainWord.ReplaceAll(line, []byte("0x?"))
		return addressWord.ReplaceAll(line, []byte("0xADDR"))
	})
	return signalLine.ReplaceAll(b, []byte("${1}pc=0xPC]"))
}

// compare returns "" if a (native) and b (ring0) are equal, else where they first differ and, for
// outputs of a few thousand lines or less, the lines that differ.
func compare(a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	line := bytes.Count(a[:i], []byte("\n")) + 1
	from := max(0, i-80)
	s := fmt.Sprintf("native %d bytes, ring0 %d bytes; first difference at byte %d (line %d):\n    native: %q\n    ring0:  %q",
		len(a), len(b), i, line, excerpt(a, from, i+80), excerpt(b, from, i+80))
	if d := lineDiff(a, b); d != "" {
		s += "\n    lines only in native (-) and only in ring0 (+):\n" + d
	}
	return s
}

// lineDiff lists the lines of a missing from b (-) and of b missing from a (+), in order, by a longest
// common subsequence; "" if either has more than 3000 lines.
func lineDiff(a, b []byte) string {
	x, y := strings.SplitAfter(string(a), "\n"), strings.SplitAfter(string(b), "\n")
	if len(x) > 3000 || len(y) > 3000 {
		return ""
	}
	// lcs[i][j]: length of the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i, j = i+1, j+1
		case j == len(y) || (i < len(x) && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, fmt.Sprintf("      - %q", x[i]))
			i++
		default:
			out = append(out, fmt.Sprintf("      + %q", y[j]))
			j++
		}
	}
	if len(out) > 40 {
		out = append(out[:40], fmt.Sprintf("      (%d more)", len(out)-40))
	}
	return strings.Join(out, "\n")
}

func excerpt(b []byte, from, to int) []byte {
	return b[min(from, len(b)):min(to, len(b))]
}

// describe shows a run's status and output; long output is abbreviated to its size, hash and ends.
func describe(who string, r result) string {
	var s strings.Builder
	fmt.Fprintf(&s, "--- %s: %s\n", who, r.status)
	show := func(name string, b []byte) {
		if len(b) <= 4000 {
			fmt.Fprintf(&s, "--- %s %s (%d bytes):\n%s\n", who, name, len(b), b)
			return
		}
		fmt.Fprintf(&s, "--- %s %s (%d bytes, sha256 %x), head and tail:\n%s\n[...]\n%s\n",
			who, name, len(b), sha256.Sum256(b), b[:1500], b[len(b)-1500:])
	}
	if r.stderr == nil {
		show("stdout+stderr", r.stdout)
	} else {
		show("stdout", r.stdout)
		show("stderr", r.stderr)
	}
	return s.String()
}

func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if len(a) > 60 {
			a = a[:60] + "..."
		}
		q[i] = fmt.Sprintf("%q", a)
	}
	if len(q) > 12 {
		q = append(q[:12], fmt.Sprintf("... (%d args)", len(args)))
	}
	return "[" + strings.Join(q, " ") + "]"
}

// The harness itself: its helpers must tell statuses and outputs apart.
func TestHarness(t *testing.T) {
	if exited(2) == killed(syscall.SIGINT) || exited(0) == exited(1) {
		t.Error("status values compare equal")
	}
	if compare([]byte("abc"), []byte("abc")) != "" || compare([]byte("abc"), []byte("abd")) == "" || compare(nil, []byte("x")) == "" {
		t.Error("compare is wrong")
	}
	if got, want := lineDiff([]byte("a\nb\nc\n"), []byte("a\nB\nc\nd\n")), "      - \"b\\n\"\n      + \"B\\n\"\n      + \"d\\n\""; got != want {
		t.Errorf("lineDiff = %q, want %q", got, want)
	}
	if got := string(stripRebuild(t, []byte(launcherRebuild+"program\n"))); got != "program\n" {
		t.Errorf("stripRebuild left %q", got)
	}
	if got := bugLines("[ 0.1] ring0: attached\n[ 0.2] ring0: BUG: read threw; returning EIO: x\n"); len(got) != 1 || !strings.Contains(got[0], "read threw") {
		t.Errorf("bugLines found %q", got)
	}
	if got := bugLines("[ 0.1] ring0: attached\n"); len(got) != 0 {
		t.Errorf("bugLines found %q in a clean log", got)
	}
	for script, want := range map[string]status{"exit 3": exited(3), "kill -INT $$": killed(syscall.SIGINT), "true": exited(0)} {
		cmd := exec.Command("sh", "-c", script)
		cmd.Run()
		if got := statusOf(cmd.ProcessState); got != want {
			t.Errorf("sh -c %q: status %v, want %v", script, got, want)
		}
	}
	if got := len(genInput(1000)); got != 1000 {
		t.Errorf("genInput(1000) has %d bytes", got)
	}
	if !bytes.Equal(genInput(5000), genInput(5000)) {
		t.Error("genInput is not deterministic")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Errorf("Ring0 runs on linux/amd64 only, this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	for in, want := range map[string]string{
		"goroutine 1 [running]:\nmain.index({0x2861dbf18ea0?, 0x2861dbf12018?}, 0x2?)\n\t/x/main.go:26 +0x19\n": "goroutine 1 [running]:\nmain.index({0x?, 0x?}, 0x?)\n\t/x/main.go:26 +0x19\n",
		"sync.(*WaitGroup).Wait(0x5c1e670e110)\nmain.f(0x2a, 0x4ac780)\n":                                       "sync.(*WaitGroup).Wait(0xADDR)\nmain.f(0x2a, 0xADDR)\n",
		"[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a15c0]\n":                              "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0xPC]\n",
		"not a frame 0x2861dbf18ea0 0x2a?\n":                                                                    "not a frame 0x2861dbf18ea0 0x2a?\n",
	} {
		if got := string(normalize([]byte(in))); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
	w := &readyWriter{ready: make(chan struct{})}
	fmt.Fprint(w, "not ready\nrea")
	select {
	case <-w.ready:
		t.Error("readyWriter saw \"ready\" too early")
	default:
	}
	fmt.Fprint(w, "dy\n")
	select {
	case <-w.ready:
	default:
		t.Error("readyWriter missed \"ready\"")
	}
}
