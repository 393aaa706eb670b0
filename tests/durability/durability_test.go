// Package durability kills Ring0 with SIGKILL while its app writes files, and checks what survived:
// every byte the app fsync'd, and the records it appended without syncing up to about a second
// before the kill (the host file caches write dirty data within a second; see README, "Files and
// caches"). The same run natively is the reference (nothing is lost there: the host's page cache
// outlives the process).
//
//	go test ./tests/durability/ -v       # prints how much unsynced data survived
package durability

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"ring0.dev/tests/internal/repo"
	"syscall"
	"testing"
	"time"
)

// maxLoss is how much of the unsynced appends a kill may lose in Ring0: "within one second", and a
// margin for a loaded machine (the writeback job may be late, the writer's clock may be ahead).
const maxLoss = 2500 * time.Millisecond

func TestKillDuringWrites(t *testing.T) {
	root := repo.Root(t)
	ring0 := repo.Launcher(root)
	native, r0 := repo.BuildBoth(t, root, "./tests/durability/writer", t.TempDir(), "writer")
	for _, side := range []struct {
		name string
		argv func(dir string) []string
	}{
		{"native", func(dir string) []string { return []string{native, dir} }},
		{"ring0", func(dir string) []string { return []string{ring0, "run", r0, dir} }},
		{"ring0-cache-always", func(dir string) []string { return []string{ring0, "run", "--cache=always", r0, dir} }},
	} {
		t.Run(side.name, func(t *testing.T) {
			dir := t.TempDir()
			mapped := make([]byte, 4<<16)
			if err := os.WriteFile(filepath.Join(dir, "mapped.dat"), mapped, 0o644); err != nil {
				t.Fatal(err)
			}
			killed := runAndKill(t, side.argv(dir))
			checkSynced(t, dir)
			lost, kept := checkUnsynced(t, dir, killed)
			t.Logf("%s: unsynced appends: %d records (%d bytes) survived; the last one was written %v before the kill",
				side.name, kept, kept*32, lost.Round(time.Millisecond))
			if lost > maxLoss {
				t.Errorf("lost the last %v of unsynced appends (at most %v allowed)", lost, maxLoss)
			}
		})
	}
}

// runAndKill starts argv, waits for "synced" and "ready" on its stdout, kills it with SIGKILL and
// returns when it did.
func runAndKill(t *testing.T, argv []string) time.Time {
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, out)
	}()
	timeout := time.After(2 * time.Minute)
	for _, want := range []string{"synced", "ready"} {
		select {
		case l, ok := <-lines:
			if !ok || l != want {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("want %q from the writer, got %q (ok %t); stderr:\n%s", want, l, ok, stderr.String())
			}
		case <-timeout:
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the writer never said %q; stderr:\n%s", want, stderr.String())
		}
	}
	time.Sleep(300 * time.Millisecond) // the kill lands at some point of the writeback cycle
	killed := time.Now()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	return killed
}

// pattern is writer.Pattern.
func pattern(i int64) byte { return byte(i*131 + i>>12) }

// checkSynced: every fsync'd byte is there.
func checkSynced(t *testing.T, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "synced.dat"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 4<<20+100 {
		t.Errorf("synced.dat has %d bytes, want %d", len(b), 4<<20+100)
	}
	for i := range b {
		if b[i] != pattern(int64(i)) {
			t.Errorf("synced.dat: wrong byte at %d", i)
			break
		}
	}
	m, err := os.ReadFile(filepath.Join(dir, "mapped.dat"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1 << 16; i < 3<<16; i++ {
		if m[i] != pattern(int64(i)) {
			t.Errorf("mapped.dat: wrong byte at %d", i)
			break
		}
	}
}

// checkUnsynced: the records that survived are a clean prefix; returns how long before the kill the
// last one was written, and how many there are.
func checkUnsynced(t *testing.T, dir string, killed time.Time) (time.Duration, int) {
	b, err := os.ReadFile(filepath.Join(dir, "unsynced.dat"))
	if err != nil {
		t.Fatal(err)
	}
	n := len(b) / 32
	var last int64
	for i := 0; i < n; i++ {
		rec := string(b[32*i : 32*i+32])
		var seq int
		var us int64
		if _, err := fmt.Sscanf(rec, "seq=%08d t=%016d\n", &seq, &us); err != nil || seq != i {
			t.Fatalf("unsynced.dat: record %d is %q", i, rec)
		}
		last = us
	}
	if rest := b[32*n:]; len(rest) > 0 {
		t.Errorf("unsynced.dat ends in a partial record (each append is one whole write): %q", rest)
	}
	if n == 0 {
		return killed.Sub(time.Time{}), 0
	}
	return killed.Sub(time.UnixMicro(last)), n
}
