// Command vfs works on a tree of files under $TMPDIR the way file-heavy programs do: os.MkdirTemp,
// os.ReadDir, io/fs.WalkDir over os.DirFS, filepath.Glob and WalkDir, os.Rename, os.Chtimes, chmod,
// symlinks (relative, absolute, dangling, loops), os.Getwd and os.Chdir (through a symlink too),
// (*File).Chdir, os.Root, os.CopyFS, io.Copy between files, flock, mmap, a memfd, and os/exec children
// that get files as stdin, stdout and extra descriptors (sharing the parent's offset), then
// os.RemoveAll. It prints what it sees (names sorted, no inode numbers, no directory sizes) and exits 1
// if a result it can check is wrong.
//
// With the argument "fd-children", children get files only as descriptors, never as paths: for a run
// where $TMPDIR is a filesystem of the app's own (ring0 run --mount ram:$TMPDIR), which children,
// running on the host, do not see.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
	"unsafe"
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

// show prints an expected error with its errno, with the temporary directory's name hidden.
func show(what string, err error) {
	var errno syscall.Errno
	errors.As(err, &errno)
	fmt.Printf("%s: %v (errno %d)\n", what, hide(fmt.Sprint(err)), int(errno))
}

var base string

func hide(s string) string { return strings.ReplaceAll(s, base, "$BASE") }

func write(name, data string) { must("write "+name, os.WriteFile(name, []byte(data), 0o644)) }

func main() {
	var err error
	base, err = os.MkdirTemp("", "vfs-")
	must("mkdirtemp", err)
	must("chdir base", os.Chdir(base))

	tree()
	names()
	links()
	cwd()
	root()
	copies()
	locksAndMaps()
	children(len(os.Args) < 2 || os.Args[1] != "fd-children")

	must("chdir /", os.Chdir("/"))
	must("removeall", os.RemoveAll(base))
	_, err = os.Stat(base)
	check("base removed", errors.Is(err, fs.ErrNotExist), true)
	if failed {
		os.Exit(1)
	}
}

// tree makes directories and files, then lists them every way Go can.
func tree() {
	must("mkdirall", os.MkdirAll("a/b/c", 0o755))
	must("mkdirall again", os.MkdirAll("a/b/c", 0o755))
	for _, n := range []string{"a/one.txt", "a/b/two.txt", "a/b/c/three.txt", "a/b/c/four.md", "top.txt"} {
		write(n, "contents of "+n+"\n")
	}
	for i := 0; i < 300; i++ {
		write(fmt.Sprintf("a/b/many-%03d", i), "")
	}
	ents, err := os.ReadDir("a/b")
	must("readdir", err)
	check("readdir a/b entries", len(ents), 302)
	fmt.Println("first entries:", ents[0].Name(), ents[0].IsDir(), ents[1].Name(), ents[2].Type())

	var walked []string
	must("walkdir", fs.WalkDir(os.DirFS("a"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !strings.Contains(p, "many-") {
			walked = append(walked, fmt.Sprintf("%s:%v", p, d.IsDir()))
		}
		return nil
	}))
	fmt.Println("fs.WalkDir:", strings.Join(walked, " "))
	data, err := fs.ReadFile(os.DirFS("a/b/c"), "three.txt")
	must("fs.readfile", err)
	fmt.Printf("fs.ReadFile: %q\n", data)

	matches, err := filepath.Glob("a/*/*.txt")
	must("glob", err)
	fmt.Println("glob a/*/*.txt:", matches)
	matches, _ = filepath.Glob("a/b/c/*")
	fmt.Println("glob a/b/c/*:", matches)
	matches, _ = filepath.Glob("a/b/many-1[0-2]?")
	check("glob many-1[0-2]?", len(matches), 30)

	count := 0
	must("filepath.walkdir", filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		count++
		return err
	}))
	check("filepath.WalkDir visits", count, 309)

	f, err := os.Open("a/b")
	must("open dir", err)
	total := 0
	for {
		names, err := f.Readdirnames(50)
		total += len(names)
		if err == io.EOF {
			break
		}
		must("readdirnames", err)
	}
	check("readdirnames in chunks of 50", total, 302)
	f.Close()
}

// names: renames, times, modes, sizes, and the errors of each.
func names() {
	write("r1", "first")
	write("r2", "second")
	must("rename over", os.Rename("r1", "r2"))
	data, _ := os.ReadFile("r2")
	check("renamed over", string(data), "first")
	must("rename dir", os.Rename("a/b/c", "a/c2"))
	_, err := os.Stat("a/c2/three.txt")
	check("moved dir content", err, nil)
	must("mkdir d", os.Mkdir("d", 0o755))
	write("d/x", "x")
	show("rename dir over non-empty dir", os.Rename("a/c2", "d"))
	show("rename dir over file", os.Rename("a/c2", "r2"))
	show("rename file over dir", os.Rename("r2", "a/c2"))
	show("rename dir into itself", os.Rename("a", "a/c2/inside"))
	show("rename missing", os.Rename("nope", "nope2"))
	show("mkdir existing", os.Mkdir("d", 0o755))
	show("remove non-empty", os.Remove("d"))
	show("long name", os.WriteFile(strings.Repeat("n", 256), nil, 0o644))
	show("open dir for writing", func() error { _, err := os.OpenFile("d", os.O_WRONLY, 0); return err }())
	show("file as a directory", func() error { _, err := os.Stat("r2/x"); return err }())

	mt := time.Date(2001, 2, 3, 4, 5, 6, 789, time.UTC)
	at := time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC)
	must("chtimes", os.Chtimes("r2", at, mt))
	fi, err := os.Stat("r2")
	must("stat", err)
	check("mtime after chtimes", fi.ModTime().UTC().String(), mt.String())
	atime := fi.Sys().(*syscall.Stat_t).Atim
	check("atime after chtimes", time.Unix(atime.Sec, atime.Nsec).UTC().String(), at.String())
	must("chtimes omit", os.Chtimes("r2", time.Time{}, mt.Add(time.Hour)))
	fi, _ = os.Stat("r2")
	check("mtime after second chtimes", fi.ModTime().UTC().String(), mt.Add(time.Hour).String())
	atime = fi.Sys().(*syscall.Stat_t).Atim
	check("atime kept (zero time omits)", time.Unix(atime.Sec, atime.Nsec).UTC().String(), at.String())
	for _, m := range []fs.FileMode{0o600, 0o4755, 0o1777 | fs.ModeSticky, 0o000} {
		must("chmod", os.Chmod("r2", m))
		fi, _ = os.Stat("r2")
		fmt.Printf("chmod %o: %v\n", m, fi.Mode())
	}
	must("chmod back", os.Chmod("r2", 0o644))
	must("truncate", os.Truncate("r2", 2))
	fi, _ = os.Stat("r2")
	check("size after truncate", fi.Size(), int64(2))
	must("link", os.Link("r2", "r3"))
	fi, _ = os.Stat("r3")
	check("nlink", fi.Sys().(*syscall.Stat_t).Nlink, uint64(2))
	a, _ := os.Stat("r2")
	check("same file", os.SameFile(a, fi), true)
	must("remove link", os.Remove("r3"))
	f, err := os.CreateTemp("d", "tmp-*.txt")
	must("createtemp", err)
	fmt.Println("createtemp in d:", strings.HasPrefix(filepath.Base(f.Name()), "tmp-"))
	f.Close()
	dirs, _ := os.ReadDir("d")
	check("entries of d", len(dirs), 2)
}

// links: symlinks of every kind.
func links() {
	must("symlink rel", os.Symlink("a/one.txt", "l-rel"))
	must("symlink abs", os.Symlink(filepath.Join(base, "a"), "l-abs"))
	must("symlink dotdot", os.Symlink("../top.txt", "a/l-up"))
	must("symlink dangling", os.Symlink("nowhere", "l-dangling"))
	must("symlink loop1", os.Symlink("l-loop2", "l-loop1"))
	must("symlink loop2", os.Symlink("l-loop1", "l-loop2"))
	for _, n := range []string{"l-rel", "l-abs/one.txt", "a/l-up", "l-abs/l-up"} {
		data, err := os.ReadFile(n)
		must("read "+n, err)
		fmt.Printf("read %s: %q\n", n, data)
	}
	target, err := os.Readlink("l-abs")
	must("readlink", err)
	fmt.Println("readlink l-abs:", hide(target))
	fi, err := os.Lstat("l-rel")
	must("lstat", err)
	fmt.Println("lstat l-rel:", fi.Mode()&fs.ModeType == fs.ModeSymlink, fi.Size())
	real, err := filepath.EvalSymlinks("l-abs/l-up")
	must("evalsymlinks", err)
	fmt.Println("evalsymlinks l-abs/l-up:", hide(real))
	_, err = os.Stat("l-dangling")
	show("stat dangling", err)
	_, err = os.Stat("l-loop1")
	show("stat loop", err)
	_, err = os.Readlink("top.txt")
	show("readlink of a file", err)
	f, err := os.OpenFile("l-dangling", os.O_CREATE|os.O_WRONLY, 0o644)
	must("create through dangling", err)
	f.Close()
	_, err = os.Stat("nowhere")
	check("created the target", err, nil)
	ents, _ := os.ReadDir(".")
	var kinds []string
	for _, e := range ents {
		kinds = append(kinds, fmt.Sprintf("%s:%v", e.Name(), e.Type()))
	}
	fmt.Println("entries:", strings.Join(kinds, " "))
}

// cwd: the working directory, by path, through a symlink and by descriptor.
func cwd() {
	must("chdir a/b", os.Chdir("a/b"))
	wd, err := os.Getwd()
	must("getwd", err)
	fmt.Println("getwd:", hide(wd))
	_, err = os.Stat("two.txt")
	check("relative after chdir", err, nil)
	must("chdir ..", os.Chdir(".."))
	must("chdir via symlink", os.Chdir(filepath.Join(base, "l-abs", "c2")))
	wd, _ = os.Getwd()
	fmt.Println("getwd via symlink:", hide(wd))
	f, err := os.Open(base)
	must("open base", err)
	must("fchdir", f.Chdir())
	f.Close()
	wd, _ = os.Getwd()
	fmt.Println("getwd after fchdir:", hide(wd))
	var buf [4096]byte
	n, err := syscall.Getcwd(buf[:])
	must("getcwd", err)
	fmt.Println("getcwd syscall:", hide(string(buf[:n-1])))
	_, err = syscall.Getcwd(buf[:3])
	show("getcwd small buffer", err)
	show("chdir to a file", os.Chdir("top.txt"))
	show("chdir missing", os.Chdir("missing"))
}

// root: os.Root keeps lookups inside a directory.
func root() {
	r, err := os.OpenRoot("a")
	must("openroot", err)
	data, err := r.ReadFile("c2/three.txt")
	must("root readfile", err)
	fmt.Printf("root readfile: %q\n", data)
	_, err = r.Open("../top.txt")
	show("root escape", err)
	_, err = r.Open("l-up")
	show("root escape by symlink", err)
	must("root mkdir", r.Mkdir("made-in-root", 0o755))
	must("root remove", r.Remove("made-in-root"))
	r.Close()
}

// copies: io.Copy between files (copy_file_range), os.CopyFS.
func copies() {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<14)
	must("write big", os.WriteFile("big", big, 0o644))
	src, err := os.Open("big")
	must("open big", err)
	dst, err := os.Create("big.copy")
	must("create copy", err)
	n, err := io.Copy(dst, src)
	must("io.copy", err)
	check("copied", n, int64(len(big)))
	src.Close()
	dst.Close()
	got, _ := os.ReadFile("big.copy")
	check("copy equal", bytes.Equal(got, big), true)
	must("copyfs", os.CopyFS("a-copy", os.DirFS("a/c2")))
	ents, _ := os.ReadDir("a-copy")
	for _, e := range ents {
		fmt.Println("copyfs entry:", e.Name())
	}
}

// locksAndMaps: flock between two descriptions, and a shared mapping seen by read.
func locksAndMaps() {
	f1, err := os.OpenFile("top.txt", os.O_RDWR, 0)
	must("open 1", err)
	f2, err := os.OpenFile("top.txt", os.O_RDWR, 0)
	must("open 2", err)
	must("flock ex", syscall.Flock(int(f1.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))
	show("flock conflicting", syscall.Flock(int(f2.Fd()), syscall.LOCK_SH|syscall.LOCK_NB))
	must("flock un", syscall.Flock(int(f1.Fd()), syscall.LOCK_UN))
	check("flock after unlock", syscall.Flock(int(f2.Fd()), syscall.LOCK_SH|syscall.LOCK_NB), nil)
	m, err := syscall.Mmap(int(f1.Fd()), 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	must("mmap", err)
	copy(m, "MAPPED")
	data, _ := os.ReadFile("top.txt")
	fmt.Printf("after a store to the mapping: %q\n", data)
	_, err = f2.WriteAt([]byte("w"), 0)
	must("writeat", err)
	check("the mapping sees a write", string(m[:6]), "wAPPED")
	must("munmap", syscall.Munmap(m))
	f1.Close()
	f2.Close()

	name := []byte("vfs-memfd\x00")
	fd, _, e := syscall.Syscall(319 /* memfd_create */, uintptr(unsafe.Pointer(&name[0])), 0, 0)
	if e != 0 {
		must("memfd_create", e)
	}
	mf := os.NewFile(fd, "memfd")
	_, err = mf.WriteString("in memory\n")
	must("write memfd", err)
	fi, _ := mf.Stat()
	check("memfd size", fi.Size(), int64(10))
	check("memfd links", fi.Sys().(*syscall.Stat_t).Nlink, uint64(0))
	cmd := exec.Command("sh", "-c", "cat /dev/fd/3")
	cmd.ExtraFiles = []*os.File{mf}
	out, err := cmd.Output()
	must("child reads the memfd", err)
	fmt.Printf("child read the memfd: %q\n", out)
	mf.Close()
}

// children: files as a child's stdin, stdout and extra descriptors; and, if paths, files and a
// working directory named by path.
func children(paths bool) {
	write("in.txt", "lines\nfor the\nchild\n")
	in, err := os.Open("in.txt")
	must("open in", err)
	out, err := os.Create("out.txt")
	must("create out", err)
	cmd := exec.Command("tr", "a-z", "A-Z")
	cmd.Stdin, cmd.Stdout = in, out
	must("tr", cmd.Run())
	in.Close()
	fi, _ := out.Stat()
	check("size after the child wrote", fi.Size(), int64(20))
	out.Close()
	data, _ := os.ReadFile("out.txt")
	fmt.Printf("child's output: %q\n", data)

	shared, err := os.Create("shared.txt")
	must("create shared", err)
	shared.WriteString("parent1 ")
	cmd = exec.Command("sh", "-c", "printf 'child ' >&3")
	cmd.ExtraFiles = []*os.File{shared}
	must("child writes fd 3", cmd.Run())
	shared.WriteString("parent2")
	shared.Close()
	data, _ = os.ReadFile("shared.txt")
	check("one offset for parent and child", string(data), "parent1 child parent2")
	if !paths {
		return
	}

	cmd = exec.Command("pwd")
	cmd.Dir = "a/c2"
	pwd, err := cmd.Output()
	must("pwd", err)
	fmt.Println("child pwd:", hide(strings.TrimSpace(string(pwd))))
	cmd = exec.Command("ls", "a/c2")
	ls, err := cmd.Output()
	must("ls", err)
	lines := strings.Fields(string(ls))
	sort.Strings(lines)
	fmt.Println("child ls a/c2:", lines)
	cmd = exec.Command("cat", "top.txt")
	cat, err := cmd.Output()
	must("cat", err)
	fmt.Printf("child cat: %q\n", cat)
}
