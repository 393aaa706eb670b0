// Command files works on files in a fresh directory under $TMPDIR (the harness gives both runs the same
// empty directory): create, write, append, read, seek, pread/pwrite, truncate, rename, link, symlink,
// remove, mkdir, readdir, stat, chmod, chtimes, and the errors of each, printed with their text.
// It exits 1 if a result it can check is wrong.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// must prints err (if any) and stops: the steps after it depend on it.
func must(what string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %s: %v\n", what, err)
		os.Exit(1)
	}
}

// show prints an error that is expected, with its text and errno.
func show(what string, err error) {
	var errno syscall.Errno
	errors.As(err, &errno)
	fmt.Printf("%s: %v (errno %d, ErrNotExist %t, ErrExist %t)\n", what, err, int(errno),
		errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrExist))
}

func main() {
	base := os.TempDir()
	dir := filepath.Join(base, "files-test")
	must("mkdir", os.Mkdir(dir, 0o755))
	must("chdir", os.Chdir(dir))
	wd, err := os.Getwd()
	must("getwd", err)
	check("getwd is the directory", wd, dir)

	// Create and write.
	f, err := os.Create("a.txt")
	must("create", err)
	n, err := f.WriteString("hello, world\n")
	must("write", err)
	check("write count", n, 13)
	n, err = f.Write([]byte("second line\n"))
	must("write", err)
	check("write count", n, 12)
	must("close", f.Close())
	show("write after close", func() error { _, err := f.Write([]byte("x")); return err }())

	// Append.
	f, err = os.OpenFile("a.txt", os.O_APPEND|os.O_WRONLY, 0)
	must("open append", err)
	_, err = f.Seek(0, io.SeekStart)
	must("seek", err)
	_, err = f.WriteString("appended\n")
	must("append", err)
	must("close", f.Close())
	data, err := os.ReadFile("a.txt")
	must("readfile", err)
	check("contents", fmt.Sprintf("%q", data), `"hello, world\nsecond line\nappended\n"`)

	// Read and seek.
	f, err = os.OpenFile("a.txt", os.O_RDWR, 0)
	must("open rdwr", err)
	buf := make([]byte, 5)
	_, err = io.ReadFull(f, buf)
	must("read", err)
	check("first 5 bytes", string(buf), "hello")
	off, err := f.Seek(7, io.SeekStart)
	must("seek", err)
	check("seek start", off, int64(7))
	off, err = f.Seek(-9, io.SeekEnd)
	must("seek", err)
	check("seek end", off, int64(25))
	rest, err := io.ReadAll(f)
	must("readall", err)
	check("rest after seek end", string(rest), "appended\n")
	off, err = f.Seek(0, io.SeekCurrent)
	must("seek", err)
	check("offset at EOF", off, int64(34))
	k, err := f.Read(buf)
	fmt.Println("read at EOF:", k, err)
	_, err = f.Seek(-100, io.SeekStart)
	show("seek to a negative offset", err)

	// pread/pwrite do not move the offset.
	_, err = f.Seek(3, io.SeekStart)
	must("seek", err)
	_, err = f.WriteAt([]byte("HELLO"), 0)
	must("writeat", err)
	_, err = f.ReadAt(buf, 13)
	must("readat", err)
	check("readat 13", string(buf), "secon")
	off, _ = f.Seek(0, io.SeekCurrent)
	check("offset after pread/pwrite", off, int64(3))
	k, err = f.ReadAt(buf, 32)
	fmt.Println("readat past the end:", k, err)

	// Truncate: shrink, then grow with zeros.
	must("truncate", f.Truncate(5))
	fi, err := f.Stat()
	must("stat", err)
	check("size after truncate(5)", fi.Size(), int64(5))
	must("truncate", os.Truncate("a.txt", 10))
	data, _ = os.ReadFile("a.txt")
	fmt.Printf("after growing: %q\n", data)
	check("grown with zeros", bytes.Equal(data, []byte("HELLO\x00\x00\x00\x00\x00")), true)
	must("close", f.Close())

	// Sparse write far past the end.
	f, err = os.Create("sparse")
	must("create", err)
	_, err = f.WriteAt([]byte("end"), 1<<20)
	must("writeat", err)
	fi, _ = f.Stat()
	check("sparse size", fi.Size(), int64(1<<20+3))
	f.Close()

	// O_EXCL and O_CREATE modes.
	_, err = os.OpenFile("a.txt", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	show("O_EXCL on an existing file", err)
	f, err = os.OpenFile("private", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	must("create private", err)
	f.Close()

	// Errors of missing files.
	_, err = os.Open("does-not-exist")
	show("open missing", err)
	_, err = os.Open(filepath.Join(dir, "no", "such", "dir", "file"))
	show("open missing (absolute)", err)
	_, err = os.Stat("does-not-exist")
	show("stat missing", err)
	show("remove missing", os.Remove("does-not-exist"))
	_, err = os.ReadFile("a.txt/child")
	show("open through a file", err)
	w, err := os.OpenFile("a.txt", os.O_WRONLY, 0)
	check("open for writing succeeds", err, nil)
	must("close", w.Close())

	// Directories.
	must("mkdir", os.Mkdir("sub", 0o750))
	show("mkdir existing", os.Mkdir("sub", 0o750))
	must("mkdirall", os.MkdirAll("sub/deep/deeper", 0o700))
	for _, name := range []string{"zeta", "alpha", "Mid", "beta.txt", "_under", "ünï"} {
		must("writefile", os.WriteFile(filepath.Join("sub", name), []byte(name), 0o644))
	}
	entries, err := os.ReadDir("sub")
	must("readdir", err)
	for _, e := range entries {
		info, err := e.Info()
		must("info", err)
		size := "-"
		if !e.IsDir() {
			size = fmt.Sprint(info.Size())
		}
		fmt.Printf("  entry %-10q dir=%-5t type=%v size=%s\n", e.Name(), e.IsDir(), e.Type(), size)
	}
	check("entries", len(entries), 7)
	show("rmdir non-empty", os.Remove("sub"))
	_, err = os.ReadDir("a.txt")
	show("readdir of a file", err)
	d, err := os.Open("sub")
	must("open dir", err)
	names, err := d.Readdirnames(2)
	must("readdirnames", err)
	more, err := d.Readdirnames(-1)
	must("readdirnames", err)
	d.Close()
	check("readdirnames in two calls", len(names)+len(more), 7)
	var walked []string
	must("walkdir", filepath.WalkDir(".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		walked = append(walked, p)
		return nil
	}))
	fmt.Println("walk:", strings.Join(walked, " "))

	// Stat: sizes and modes (the umask is the same in both runs).
	for _, name := range []string{"a.txt", "private", "sub", "sub/deep", "sparse"} {
		fi, err := os.Stat(name)
		must("stat", err)
		size := "-"
		if !fi.IsDir() {
			size = fmt.Sprint(fi.Size())
		}
		fmt.Printf("stat %-8s mode=%v size=%s name=%s\n", name, fi.Mode(), size, fi.Name())
	}
	must("chmod", os.Chmod("a.txt", 0o640))
	fi, _ = os.Stat("a.txt")
	check("mode after chmod", fi.Mode().String(), "-rw-r-----")
	when := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	must("chtimes", os.Chtimes("a.txt", when, when))
	fi, _ = os.Stat("a.txt")
	check("mtime after chtimes", fi.ModTime().UTC().String(), "2001-02-03 04:05:06 +0000 UTC")

	// Rename and hard links.
	must("rename", os.Rename("a.txt", "b.txt"))
	_, err = os.Stat("a.txt")
	show("stat old name after rename", err)
	must("link", os.Link("b.txt", "c.txt"))
	fi, _ = os.Stat("b.txt")
	check("nlink", fi.Sys().(*syscall.Stat_t).Nlink, uint64(2))
	show("link to an existing name", os.Link("b.txt", "c.txt"))
	show("rename missing", os.Rename("nope", "nope2"))
	must("rename over", os.Rename("private", "c.txt"))
	fi, _ = os.Stat("b.txt")
	check("nlink after rename over", fi.Sys().(*syscall.Stat_t).Nlink, uint64(1))

	// Symlinks.
	must("symlink", os.Symlink("b.txt", "link"))
	must("symlink", os.Symlink("missing-target", "dangling"))
	must("symlink", os.Symlink("sub/deep", "dirlink"))
	target, err := os.Readlink("link")
	must("readlink", err)
	check("readlink", target, "b.txt")
	li, _ := os.Lstat("link")
	si, _ := os.Stat("link")
	fmt.Printf("lstat link: mode=%v size=%d; stat link: mode=%v size=%d\n", li.Mode(), li.Size(), si.Mode(), si.Size())
	check("lstat is a symlink", li.Mode()&fs.ModeSymlink != 0, true)
	data, err = os.ReadFile("link")
	must("read through symlink", err)
	check("read through symlink", len(data), 10)
	_, err = os.Stat("dangling")
	show("stat dangling symlink", err)
	_, err = os.Readlink("b.txt")
	show("readlink of a regular file", err)
	must("mkdir through dirlink", os.Mkdir("dirlink/made", 0o755))
	_, err = os.Stat("sub/deep/made")
	check("made through dirlink", err, nil)
	resolved, err := filepath.EvalSymlinks("dirlink/made")
	must("evalsymlinks", err)
	check("evalsymlinks", resolved, "sub/deep/made")
	show("symlink over an existing name", os.Symlink("x", "link"))

	// Copy between files (the kernel may use copy_file_range or sendfile).
	src, err := os.Open("sparse")
	must("open", err)
	dst, err := os.Create("copy")
	must("create", err)
	copied, err := io.Copy(dst, src)
	must("copy", err)
	check("copied bytes", copied, int64(1<<20+3))
	src.Close()
	dst.Close()
	a, _ := os.ReadFile("sparse")
	b, _ := os.ReadFile("copy")
	check("copy equal", bytes.Equal(a, b), true)

	// Remove and RemoveAll.
	must("remove", os.Remove("link"))
	must("remove", os.Remove("dangling"))
	_, err = os.Lstat("link")
	show("lstat removed symlink", err)
	must("removeall", os.RemoveAll("sub"))
	_, err = os.Stat("dirlink/made")
	show("stat through a symlink to a removed dir", err)
	must("removeall missing", os.RemoveAll("sub"))
	entries, _ = os.ReadDir(".")
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	fmt.Println("left:", left)

	// Files in os.CreateTemp and a large write and read back.
	tf, err := os.CreateTemp("", "big-*.bin")
	must("createtemp", err)
	big := make([]byte, 3<<20)
	for i := range big {
		big[i] = byte(i * 7 % 251)
	}
	_, err = tf.Write(big)
	must("big write", err)
	_, err = tf.Seek(0, io.SeekStart)
	must("seek", err)
	back, err := io.ReadAll(tf)
	must("big read", err)
	check("big file round trip", bytes.Equal(big, back), true)
	tf.Close()
	check("createtemp dir", filepath.Dir(tf.Name()), base)
	must("remove", os.Remove(tf.Name()))

	must("chdir back", os.Chdir(base))
	must("removeall", os.RemoveAll(dir))
	_, err = os.Stat(dir)
	show("stat removed directory", err)
	if failed {
		os.Exit(1)
	}
}
