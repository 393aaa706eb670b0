// Files measures what the kernel's host file caches are for, on files in a fresh directory under
// $TMPDIR (removed at the end):
//
//	files-stat          os.Stat of an existing file at a five-component absolute path
//	files-fstatat       newfstatat(2) of the same path with syscall.Syscall6: the call without the
//	                    work os.Stat does around it (the path's copy, the FileInfo)
//	files-open-close    os.Open and Close of that file
//	files-append-1b     a 1-byte os.File.Write to a file opened with O_APPEND
//	files-pread-4k      a 4 KiB os.File.ReadAt of a file read before (cached), offsets cycling over 1 MiB
//	files-seq-write     writing a 256 MiB file from start to end in -piece pieces (one op: one piece)
//	files-seq-read      reading it back in -piece pieces (one op: one piece)
//	files-seq-256m      the whole write, close, then read of the 256 MiB file (one op: both passes)
//
// In Ring0 the first four need no host call once the file is cached (names, attributes, the open
// descriptor and the pages are the kernel's); the sequential passes are large transfers, which the
// kernel sends straight to the host file, as a native program's calls are.
//
//	go run ./bench/files [-n 300000] [-size 256] [-piece 1048576] [-rounds 3] [-only NAME] [-quick]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"ring0.dev/bench/internal/harness"
)

func main() {
	// Longer than the other programs' 1 s: the kernel's file paths are deep, and on a busy 2-CPU
	// machine its JIT compiler takes seconds to settle with them.
	sizes := harness.NewSizes(300_000, "measured ops of the small benchmarks", 3*time.Second, "ops of all the small benchmarks in turn for this long first (and a tenth of it before each timer starts)")
	n, warm := sizes.N, sizes.Warm
	sizeMiB := flag.Int("size", 256, "MiB of the sequential file (32 with -quick)")
	piece := flag.Int("piece", 1<<20, "bytes per write and read of the sequential passes")
	rounds := flag.Int("rounds", 3, "measured write-then-read passes of the sequential file (1 with -quick)")
	onlyFlag := flag.String("only", "", "run only the benchmarks whose name contains this")
	sizes.Parse()
	if *sizes.Quick {
		*sizeMiB = 32
		*rounds = 1
	}
	only = *onlyFlag
	if *n <= 0 || *sizeMiB <= 0 || *piece <= 0 || *rounds <= 0 {
		fail(fmt.Errorf("bad setup: -n %d -size %d -piece %d -rounds %d", *n, *sizeMiB, *piece, *rounds))
	}
	base, err := os.MkdirTemp("", "ring0-bench-files-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(base)

	// A five-component absolute path: /tmp/ring0-bench-files-N/a/b/f (with the default TMPDIR).
	deep := filepath.Join(base, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		fail(err)
	}
	file := filepath.Join(deep, "f")
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		fail(err)
	}

	logf, err := os.OpenFile(filepath.Join(base, "log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fail(err)
	}
	rf, err := os.Open(file)
	if err != nil {
		fail(err)
	}
	cpath, err := syscall.BytePtrFromString(file)
	if err != nil {
		fail(err)
	}
	var st syscall.Stat_t
	one := []byte{'x'}
	var appended int64
	buf := make([]byte, 4096)
	off := int64(0)
	benchmarks := []benchmark{
		{"files-stat", func(n int) {
			for i := 0; i < n; i++ {
				st, err := os.Stat(file)
				if err != nil || st.Size() != int64(len(data)) {
					fail(fmt.Errorf("stat: %v", err))
				}
			}
		}},
		{"files-fstatat", func(n int) {
			for i := 0; i < n; i++ {
				_, _, e := syscall.Syscall6(syscall.SYS_NEWFSTATAT, atFdcwd, uintptr(unsafe.Pointer(cpath)), uintptr(unsafe.Pointer(&st)), 0, 0, 0)
				if e != 0 || st.Size != int64(len(data)) {
					fail(fmt.Errorf("fstatat: %v", e))
				}
			}
		}},
		{"files-open-close", func(n int) {
			for i := 0; i < n; i++ {
				f, err := os.Open(file)
				if err != nil {
					fail(err)
				}
				if err := f.Close(); err != nil {
					fail(err)
				}
			}
		}},
		{"files-append-1b", func(n int) {
			for i := 0; i < n; i++ {
				if k, err := logf.Write(one); err != nil || k != 1 {
					fail(fmt.Errorf("append: %d, %v", k, err))
				}
			}
			appended += int64(n)
		}},
		{"files-pread-4k", func(n int) {
			for i := 0; i < n; i++ {
				if k, err := rf.ReadAt(buf, off); err != nil || k != len(buf) {
					fail(fmt.Errorf("pread at %d: %d, %v", off, k, err))
				}
				if buf[1] != byte(off+1) {
					fail(fmt.Errorf("pread at %d: wrong data", off))
				}
				off = (off + 4096*7) % int64(len(data))
			}
		}},
	}
	// Warm up all of them in turn first: the kernel's paths share code, and its JIT compiler settles
	// (compiles, and compiles again what a first rare branch deoptimized) in the first seconds.
	var chosen []benchmark
	for _, b := range benchmarks {
		if strings.Contains(b.name, only) {
			chosen = append(chosen, b)
		}
	}
	for start := time.Now(); len(chosen) > 0 && time.Since(start) < *warm; {
		for _, b := range chosen {
			b.loop(1000)
		}
	}
	for _, b := range chosen {
		bench(b.name, *n, *warm/10, b.loop)
	}
	if err := logf.Close(); err != nil {
		fail(err)
	}
	if st, err := os.Stat(filepath.Join(base, "log")); err != nil || st.Size() != appended {
		fail(fmt.Errorf("log: %v, size %v, want %d", err, st.Size(), appended))
	}
	rf.Close()

	if strings.Contains("files-seq", only) || strings.Contains(only, "files-seq") {
		sequential(filepath.Join(base, "seq"), int64(*sizeMiB)<<20, *piece, *rounds)
	}
}

// atFdcwd is AT_FDCWD (-100) as a system call argument.
const atFdcwd = ^uintptr(99)

// only is -only: run just the benchmarks whose name contains it.
var only string

// benchmark is one measured loop of n ops.
type benchmark struct {
	name string
	loop func(n int)
}

// bench runs loop for the warm-up, then times n ops of it and prints its BENCH line.
func bench(name string, n int, warm time.Duration, loop func(n int)) {
	harness.Warm(warm, 1000, loop)
	start := time.Now()
	loop(n)
	d := time.Since(start)
	fmt.Printf("%s: %d ops in %v\n", name, n, d)
	harness.Print(name, d, int64(n))
}

// sequential writes a new file of size bytes in pieces, closes it, reads it back, checks it and
// removes it; once to warm up, then rounds times measured (the removal is not timed).
func sequential(name string, size int64, piece, rounds int) {
	buf := make([]byte, piece)
	for i := range buf {
		buf[i] = byte(i * 31)
	}
	var write, read, both time.Duration
	var pieces int64
	for r := 0; r <= rounds; r++ {
		t0 := time.Now()
		f, err := os.Create(name)
		if err != nil {
			fail(err)
		}
		var done int64
		for done < size {
			k := int(min(int64(piece), size-done))
			if _, err := f.Write(buf[:k]); err != nil {
				fail(err)
			}
			done += int64(k)
		}
		if err := f.Close(); err != nil {
			fail(err)
		}
		t1 := time.Now()
		g, err := os.Open(name)
		if err != nil {
			fail(err)
		}
		got := int64(0)
		in := make([]byte, piece)
		for {
			k, err := g.Read(in)
			if k > 0 {
				if in[0] != buf[0] || in[k-1] != buf[(k-1)%piece] {
					fail(fmt.Errorf("read back wrong data at %d", got))
				}
				got += int64(k)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				fail(err)
			}
		}
		g.Close()
		t2 := time.Now()
		if got != size {
			fail(fmt.Errorf("read back %d bytes, want %d", got, size))
		}
		// A new file each round: truncating a written one would time the filesystem's truncation and,
		// on ext4 (auto_da_alloc), a writeback forced at the close of a file truncated and rewritten.
		if err := os.Remove(name); err != nil {
			fail(err)
		}
		if r == 0 {
			continue // warm-up
		}
		write += t1.Sub(t0)
		read += t2.Sub(t1)
		both += t2.Sub(t0)
		pieces += (size + int64(piece) - 1) / int64(piece)
	}
	fmt.Printf("files-seq: %d MiB written and read %d times in %d-byte pieces: write %v, read %v\n",
		size>>20, rounds, piece, write, read)
	harness.Print("files-seq-write", write, pieces)
	harness.Print("files-seq-read", read, pieces)
	harness.Print(fmt.Sprintf("files-seq-%dm", size>>20), both, int64(rounds))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "files:", err)
	os.Exit(1)
}
