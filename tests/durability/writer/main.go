// Command writer is the durability test's program (tests/durability). In the directory its argument
// names it writes synced.dat (4 MiB in 4 KiB pieces and a short tail), and overwrites the middle of
// mapped.dat (a file that exists: the kernel writes it through its mapping of the host's pages), then
// fsyncs both and prints "synced". Then it appends a 32-byte record to unsynced.dat every
// millisecond, never syncing, prints "ready" after two seconds, and goes on until it is killed.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func must(what string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "writer: %s: %v\n", what, err)
		os.Exit(1)
	}
}

// Pattern is byte i of synced.dat and of the overwritten part of mapped.dat.
func Pattern(i int64) byte { return byte(i*131 + i>>12) }

func main() {
	dir := os.Args[1]
	f, err := os.Create(filepath.Join(dir, "synced.dat"))
	must("create", err)
	buf := make([]byte, 4096)
	var off int64
	for ; off < 4<<20; off += int64(len(buf)) {
		for i := range buf {
			buf[i] = Pattern(off + int64(i))
		}
		_, err := f.Write(buf)
		must("write", err)
	}
	for i := range buf[:100] {
		buf[i] = Pattern(off + int64(i))
	}
	_, err = f.Write(buf[:100])
	must("write", err)
	must("fsync", f.Sync())

	m, err := os.OpenFile(filepath.Join(dir, "mapped.dat"), os.O_RDWR, 0)
	must("open mapped.dat", err)
	for o := int64(1 << 16); o < 3<<16; o += 512 {
		for i := range buf[:512] {
			buf[i] = Pattern(o + int64(i))
		}
		_, err := m.WriteAt(buf[:512], o)
		must("writeat", err)
	}
	must("fdatasync", m.Sync())
	fmt.Println("synced")

	u, err := os.Create(filepath.Join(dir, "unsynced.dat"))
	must("create", err)
	start := time.Now()
	ready := false
	for seq := 0; ; seq++ {
		// 32 bytes: "seq=00000001 t=1234567890123456\n" (t: microseconds since the Unix epoch)
		_, err := fmt.Fprintf(u, "seq=%08d t=%016d\n", seq, time.Now().UnixMicro())
		must("append", err)
		if !ready && time.Since(start) > 2*time.Second {
			ready = true
			fmt.Println("ready")
		}
		time.Sleep(time.Millisecond)
	}
}
