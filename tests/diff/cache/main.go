// Command cache checks what a kernel's file caches must not change: children see what the app wrote
// just before starting them and the app sees what they wrote, appends and their sizes, writes that
// straddle the end of a file, holes and truncation, mappings coherent with reads and writes, renames
// over open files, unlinked open files, more files than the caches keep descriptors for, large
// transfers, fsync and O_SYNC, sendfile and copy_file_range. All in a fresh directory under $TMPDIR;
// it prints facts and exits 1 if a result it can check is wrong. An argument picks one part.
package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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

func size(name string) int64 {
	st, err := os.Stat(name)
	must("stat "+name, err)
	return st.Size()
}

func read(name string) string {
	b, err := os.ReadFile(name)
	must("read "+name, err)
	return string(b)
}

// run runs a shell command as a child process and returns its output.
func run(script string) string {
	cmd := exec.Command("sh", "-c", script)
	cmd.Stdin, cmd.Stderr = strings.NewReader(""), os.Stderr
	out, err := cmd.Output()
	must("child "+script, err)
	return string(out)
}

var parts = []struct {
	name string
	fn   func()
}{
	{"children", children},
	{"appends", appends},
	{"edges", edges},
	{"mmap", mmap},
	{"renames", renames},
	{"many", many},
	{"large", large},
	{"sync", syncs},
	{"copies", copies},
}

func main() {
	dir := filepath.Join(os.TempDir(), "cache-test")
	must("mkdir", os.Mkdir(dir, 0o755))
	must("chdir", os.Chdir(dir))
	for _, p := range parts {
		if len(os.Args) > 1 && os.Args[1] != p.name {
			continue
		}
		fmt.Printf("== %s\n", p.name)
		p.fn()
	}
	if failed {
		os.Exit(1)
	}
}

// children: a child process sees what the app wrote just before it started (not closed, not synced),
// and the app sees what the child wrote once it has waited for it.
func children() {
	f, err := os.OpenFile("shared.txt", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	must("open", err)
	for i := 0; i < 5; i++ {
		_, err = f.WriteString(fmt.Sprintf("line %d\n", i))
		must("write", err)
	}
	check("child cat", run("cat shared.txt"), "line 0\nline 1\nline 2\nline 3\nline 4\n")
	check("child wc -c", strings.TrimSpace(run("wc -c < shared.txt")), "35")
	_, err = f.WriteString("after the child\n")
	must("write", err)
	run("echo from the child >> shared.txt")
	check("size after the child appended", size("shared.txt"), int64(35+16+15))
	_, err = f.WriteString("parent again\n")
	must("write", err)
	must("close", f.Close())
	check("content", read("shared.txt"), "line 0\nline 1\nline 2\nline 3\nline 4\nafter the child\nfrom the child\nparent again\n")
	// A child appends to a log the app keeps open: the app's next append lands after the child's line,
	// with no look at the file in between.
	l, err := os.OpenFile("log.txt", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	must("open", err)
	_, err = l.WriteString("app 1\n")
	must("write", err)
	run("echo child >> log.txt")
	_, err = l.WriteString("app 2\n")
	must("write", err)
	pos, err := l.Seek(0, io.SeekCurrent)
	must("seek", err)
	check("offset after the append", pos, int64(18))
	must("close", l.Close())
	check("log", read("log.txt"), "app 1\nchild\napp 2\n")
	// A child that truncates and rewrites a file the app has open.
	g, err := os.Open("shared.txt")
	must("open", err)
	b := make([]byte, 4)
	_, err = g.Read(b)
	must("read", err)
	run("printf 'short' > shared.txt")
	n, err := g.ReadAt(b, 0)
	check("readat after the child truncated", fmt.Sprintf("%d %v %s", n, err, b[:n]), "4 <nil> shor")
	n, err = g.ReadAt(make([]byte, 100), 100)
	check("readat past the new end", fmt.Sprint(n, err), "0 EOF")
	st, err := g.Stat()
	must("fstat", err)
	check("fstat size", st.Size(), int64(5))
	must("close", g.Close())
	// A child runs a script the app has just written.
	must("write script", os.WriteFile("script.sh", []byte("#!/bin/sh\necho script ran\n"), 0o755))
	cmd := exec.Command("./script.sh")
	cmd.Stdin, cmd.Stderr = strings.NewReader(""), os.Stderr
	out, err := cmd.Output()
	check("script", fmt.Sprintf("%q %v", out, err), `"script ran\n" <nil>`)
	// A child inherits an open file and writes at the shared offset.
	h, err := os.Create("inherited.txt")
	must("create", err)
	_, err = h.WriteString("parent:")
	must("write", err)
	cmd = exec.Command("sh", "-c", "echo child")
	cmd.Stdin, cmd.Stderr = strings.NewReader(""), os.Stderr
	cmd.Stdout = h
	must("child with the file as stdout", cmd.Run())
	_, err = h.WriteString("parent again\n")
	must("write", err)
	must("close", h.Close())
	check("inherited", read("inherited.txt"), "parent:child\nparent again\n")
}

// appends: one-byte appends, the size after each, and the content.
func appends() {
	f, err := os.OpenFile("log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	must("open", err)
	ok := true
	for i := 0; i < 3000; i++ {
		_, err := f.Write([]byte{byte('a' + i%26)})
		must("write", err)
		if i%500 == 0 {
			st, err := f.Stat()
			must("fstat", err)
			if st.Size() != int64(i+1) || size("log") != int64(i+1) {
				ok = false
			}
		}
	}
	check("sizes along the way", ok, true)
	pos, err := f.Seek(0, io.SeekCurrent)
	must("seek", err)
	check("offset after appends", pos, int64(3000))
	must("close", f.Close())
	b := read("log")
	check("length", len(b), 3000)
	check("content", b[:30], "abcdefghijklmnopqrstuvwxyzabcd")
	// Two descriptions appending in turn.
	a, err := os.OpenFile("two", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	must("open", err)
	c, err := os.OpenFile("two", os.O_WRONLY|os.O_APPEND, 0o644)
	must("open", err)
	for i := 0; i < 3; i++ {
		a.WriteString("A")
		c.WriteString("C")
	}
	a.Close()
	c.Close()
	check("two appenders", read("two"), "ACACAC")
	// os.WriteFile over an existing file truncates it.
	must("writefile", os.WriteFile("two", []byte("new"), 0o644))
	check("rewritten", read("two"), "new")
}

// edges: writes that straddle the end, holes, truncation up and down, seeks from the end.
func edges() {
	must("writefile", os.WriteFile("e", []byte("0123456789"), 0o644))
	f, err := os.OpenFile("e", os.O_RDWR, 0)
	must("open", err)
	_, err = f.WriteAt([]byte("ABCDEF"), 7)
	must("writeat", err)
	check("straddle", read("e"), "0123456ABCDEF")
	_, err = f.WriteAt([]byte("!"), 20)
	must("writeat", err)
	b, err := os.ReadFile("e")
	must("read", err)
	check("hole", fmt.Sprintf("%q", b), `"0123456ABCDEF\x00\x00\x00\x00\x00\x00\x00!"`)
	must("truncate", f.Truncate(4))
	check("truncated", read("e"), "0123")
	must("truncate up", f.Truncate(6))
	b, _ = os.ReadFile("e")
	check("truncated up", fmt.Sprintf("%q", b), `"0123\x00\x00"`)
	end, err := f.Seek(-2, io.SeekEnd)
	must("seek", err)
	check("seek end", end, int64(4))
	_, err = f.Write([]byte("xyz"))
	must("write", err)
	check("after seek end", read("e"), "0123xyz")
	_, err = f.Seek(-100, io.SeekEnd)
	check("seek before the start", errors.Is(err, syscall.EINVAL), true)
	buf := make([]byte, 10)
	n, err := f.ReadAt(buf, 5)
	check("short readat", fmt.Sprintf("%d %v %s", n, err, buf[:n]), "2 EOF yz")
	must("close", f.Close())
	// Truncation by path of an open file.
	g, err := os.OpenFile("e", os.O_RDWR|os.O_APPEND, 0)
	must("open", err)
	must("truncate by path", os.Truncate("e", 2))
	_, err = g.WriteString("Z")
	must("write", err)
	must("close", g.Close())
	check("append after truncate", read("e"), "01Z")
}

// mmap: a shared mapping and the file's reads and writes see each other.
func mmap() {
	must("writefile", os.WriteFile("m", bytes.Repeat([]byte("."), 8192), 0o644))
	f, err := os.OpenFile("m", os.O_RDWR, 0)
	must("open", err)
	m, err := syscall.Mmap(int(f.Fd()), 0, 8192, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	must("mmap", err)
	_, err = f.WriteAt([]byte("written"), 100)
	must("writeat", err)
	check("the mapping sees a write", string(m[100:107]), "written")
	copy(m[4000:], "stored")
	b := make([]byte, 6)
	_, err = f.ReadAt(b, 4000)
	must("readat", err)
	check("a read sees a store", string(b), "stored")
	check("a child sees a store", run("dd if=m bs=1 skip=4000 count=6 2>/dev/null"), "stored")
	// Growing a mapped file: appends reach the file at once (its size stays exact).
	_, err = f.Seek(0, io.SeekEnd)
	must("seek", err)
	_, err = f.WriteString("tail")
	must("write", err)
	check("child sees the size", strings.TrimSpace(run("wc -c < m")), "8196")
	must("munmap", syscall.Munmap(m))
	must("ftruncate", f.Truncate(16384))
	m, err = syscall.Mmap(int(f.Fd()), 0, 16384, syscall.PROT_READ, syscall.MAP_SHARED)
	must("mmap again", err)
	check("after growth", string(m[8192:8196]), "tail")
	check("zeros past the old end", m[10000], byte(0))
	must("munmap", syscall.Munmap(m))
	// A private mapping does not write the file.
	p, err := syscall.Mmap(int(f.Fd()), 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	must("mmap private", err)
	copy(p, "private")
	_, err = f.ReadAt(b, 0)
	must("readat", err)
	check("private stays private", string(b), "......")
	must("munmap", syscall.Munmap(p))
	must("close", f.Close())
	r, err := os.Open("m")
	must("open", err)
	_, err = syscall.Mmap(int(r.Fd()), 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	check("shared writable mapping of a read-only file", errors.Is(err, syscall.EACCES), true)
	must("close", r.Close())
}

// renames: the atomic-replace pattern, an open file keeps its content, unlinked files live on.
func renames() {
	must("writefile", os.WriteFile("target", []byte("old"), 0o644))
	old, err := os.Open("target")
	must("open", err)
	must("writefile", os.WriteFile("target.tmp", []byte("new content"), 0o644))
	must("rename", os.Rename("target.tmp", "target"))
	check("replaced", read("target"), "new content")
	b, err := io.ReadAll(old)
	must("read", err)
	check("the open file keeps the old", string(b), "old")
	must("close", old.Close())
	_, err = os.Stat("target.tmp")
	check("tmp gone", errors.Is(err, os.ErrNotExist), true)
	f, err := os.Create("doomed")
	must("create", err)
	_, err = f.WriteString("still here")
	must("write", err)
	must("remove", os.Remove("doomed"))
	_, err = os.Stat("doomed")
	check("unlinked", errors.Is(err, os.ErrNotExist), true)
	st, err := f.Stat()
	must("fstat", err)
	check("nlink of an unlinked file", st.Sys().(*syscall.Stat_t).Nlink, uint64(0))
	check("size of an unlinked file", st.Size(), int64(10))
	b = make([]byte, 10)
	_, err = f.ReadAt(b, 0)
	must("readat", err)
	check("content of an unlinked file", string(b), "still here")
	must("close", f.Close())
	// A file made again under a removed name is a new file.
	must("writefile", os.WriteFile("again", []byte("1"), 0o644))
	must("remove", os.Remove("again"))
	must("writefile", os.WriteFile("again", []byte("22"), 0o644))
	check("made again", read("again"), "22")
}

// many: more files than the caches keep host descriptors for, written and read back.
func many() {
	must("mkdir", os.Mkdir("many", 0o755))
	for i := 0; i < 600; i++ {
		must("write", os.WriteFile(fmt.Sprintf("many/%d", i), []byte(fmt.Sprint(i*i)), 0o644))
	}
	ok := true
	for i := 0; i < 600; i++ {
		if read(fmt.Sprintf("many/%d", i)) != fmt.Sprint(i*i) {
			ok = false
		}
	}
	check("600 files read back", ok, true)
	entries, err := os.ReadDir("many")
	must("readdir", err)
	check("entries", len(entries), 600)
	must("removeall", os.RemoveAll("many"))
	_, err = os.Stat("many/7")
	check("gone", errors.Is(err, os.ErrNotExist), true)
}

// large: megabytes in large and small pieces, checked by their digest.
func large() {
	data := make([]byte, 4<<20)
	for i := range data {
		data[i] = byte(i*7 + i/4096)
	}
	want := fmt.Sprintf("%x", sha256.Sum256(data))
	for _, piece := range []int{1 << 20, 32 << 10, 4096, 100} {
		f, err := os.Create("big")
		must("create", err)
		for off := 0; off < len(data); off += piece {
			_, err := f.Write(data[off:min(off+piece, len(data))])
			must("write", err)
		}
		must("close", f.Close())
		g, err := os.Open("big")
		must("open", err)
		h := sha256.New()
		buf := make([]byte, piece)
		_, err = io.CopyBuffer(h, struct{ io.Reader }{g}, buf)
		must("read", err)
		must("close", g.Close())
		check(fmt.Sprintf("digest with %d-byte pieces", piece), fmt.Sprintf("%x", h.Sum(nil)), want)
	}
	check("child digest", strings.Fields(run("sha256sum big"))[0], want)
}

// syncs: fsync, fdatasync, O_SYNC and O_DSYNC writes return without error, and the data is there.
func syncs() {
	f, err := os.OpenFile("s", os.O_CREATE|os.O_WRONLY|os.O_SYNC, 0o644)
	must("open O_SYNC", err)
	_, err = f.WriteString("sync ")
	must("write", err)
	must("close", f.Close())
	g, err := os.OpenFile("s", os.O_WRONLY|os.O_APPEND|syscall.O_DSYNC, 0)
	must("open O_DSYNC", err)
	_, err = g.WriteString("dsync ")
	must("write", err)
	must("fsync", g.Sync())
	must("fdatasync", syscall.Fdatasync(int(g.Fd())))
	must("close", g.Close())
	check("content", read("s"), "sync dsync ")
	check("child sees it", run("cat s"), "sync dsync ")
}

// copies: sendfile to a socket and copy_file_range between files.
func copies() {
	data := bytes.Repeat([]byte("0123456789abcdef"), 20000)
	must("writefile", os.WriteFile("src", data, 0o644))
	f, err := os.OpenFile("src", os.O_RDWR|os.O_APPEND, 0)
	must("open", err)
	_, err = f.WriteString("tail!")
	must("write", err)
	_, err = f.Seek(0, io.SeekStart)
	must("seek", err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must("listen", err)
	got := make(chan string)
	go func() {
		c, err := l.Accept()
		must("accept", err)
		b, err := io.ReadAll(c)
		must("read socket", err)
		got <- fmt.Sprintf("%x", sha256.Sum256(b))
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	must("dial", err)
	n, err := io.Copy(c, f) // sendfile
	must("copy to socket", err)
	must("close socket", c.Close())
	want := fmt.Sprintf("%x", sha256.Sum256(append(data, "tail!"...)))
	check("sent", n, int64(len(data)+5))
	check("received digest", <-got, want)
	pos, err := f.Seek(0, io.SeekCurrent)
	must("seek", err)
	check("offset after sendfile", pos, int64(len(data)+5))
	_, err = f.Seek(0, io.SeekStart)
	must("seek", err)
	dst, err := os.Create("dst")
	must("create", err)
	n, err = io.Copy(dst, f) // copy_file_range
	must("copy file", err)
	check("copied", n, int64(len(data)+5))
	must("close", dst.Close())
	must("close", f.Close())
	check("copy digest", fmt.Sprintf("%x", sha256.Sum256([]byte(read("dst")))), want)
}
