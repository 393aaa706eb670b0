// Cgo: C code that an app calls makes its file calls through libc, straight to the host, past the
// kernel and its caches. Go must see what C made, changed and removed, and C must see what Go wrote,
// even while Go keeps the file open (data the kernel had not yet written to the host).
package main

/*
#include <fcntl.h>
#include <stdlib.h>
int c_write_file(const char *path, const char *data, int flags);
int c_read_file(const char *path, char *buf, int size);
int c_unlink(const char *path);
int c_rename(const char *from, const char *to);
int c_make_then_call_go(const char *path);
*/
import "C"

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"unsafe"
)

var dir string

func cstr(s string) *C.char { return C.CString(s) }

func cWrite(name, data string, flags C.int) {
	p, d := cstr(filepath.Join(dir, name)), cstr(data)
	defer C.free(unsafe.Pointer(p))
	defer C.free(unsafe.Pointer(d))
	fmt.Printf("C writes %q to %s: %d\n", data, name, C.c_write_file(p, d, flags))
}

func cRead(name string) {
	p := cstr(filepath.Join(dir, name))
	defer C.free(unsafe.Pointer(p))
	buf := make([]byte, 256)
	n := C.c_read_file(p, (*C.char)(unsafe.Pointer(&buf[0])), C.int(len(buf)))
	if n < 0 {
		fmt.Printf("C reads %s: error\n", name)
		return
	}
	fmt.Printf("C reads %s: %q\n", name, buf[:n])
}

// goStat prints what Go sees at name: its size, or that it is missing.
func goStat(name string) {
	st, err := os.Stat(filepath.Join(dir, name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Printf("Go stats %s: missing\n", name)
	case err != nil:
		fmt.Printf("Go stats %s: %v\n", name, err)
	default:
		fmt.Printf("Go stats %s: %d bytes\n", name, st.Size())
	}
}

func goRead(name string) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		fmt.Printf("Go reads %s: missing\n", name)
		return
	}
	fmt.Printf("Go reads %s: %q\n", name, b)
}

//export goLookAt
func goLookAt(path *C.char) C.int {
	fmt.Print("in a callback from C: ")
	goStat(filepath.Base(C.GoString(path)))
	return 0
}

func main() {
	var err error
	if dir, err = os.MkdirTemp("", "ring0-cgo-"); err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	// A name Go found missing, then C made.
	goStat("made-by-c")
	cWrite("made-by-c", "from C", C.O_TRUNC)
	goStat("made-by-c")
	goRead("made-by-c")

	// C appends to a file Go has read (cached), then Go reads it again.
	cWrite("made-by-c", ", and more", C.O_APPEND)
	goStat("made-by-c")
	goRead("made-by-c")

	// Go appends to a file and keeps it open; C reads it.
	f, err := os.OpenFile(filepath.Join(dir, "log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		panic(err)
	}
	for _, line := range []string{"one\n", "two\n"} {
		if _, err := f.WriteString(line); err != nil {
			panic(err)
		}
		cRead("log")
	}
	// C appends to it too, then Go writes again: both lines land, in order.
	cWrite("log", "from C\n", C.O_APPEND)
	if _, err := f.WriteString("three\n"); err != nil {
		panic(err)
	}
	f.Close()
	goRead("log")

	// C renames and removes what Go has seen.
	p, q := cstr(filepath.Join(dir, "made-by-c")), cstr(filepath.Join(dir, "renamed"))
	fmt.Println("C renames made-by-c:", C.c_rename(p, q))
	goStat("made-by-c")
	goStat("renamed")
	fmt.Println("C removes renamed:", C.c_unlink(q))
	goStat("renamed")
	C.free(unsafe.Pointer(p))
	C.free(unsafe.Pointer(q))

	// C makes a file and calls back into Go, which looks at it before returning to C.
	goStat("callback")
	cb := cstr(filepath.Join(dir, "callback"))
	C.c_make_then_call_go(cb)
	C.free(unsafe.Pointer(cb))

	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println("left:", e.Name())
	}
}
