package diff

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestKernelState runs procdev's "ring0-state" check in Ring0 only: the program reads /proc/ring0/files
// and /proc/ring0/tasks and checks that they show its own open file and its own thread (natively there
// is no /proc/ring0, so there is nothing to compare).
func TestKernelState(t *testing.T) {
	b := getBuild("procdev")
	<-b.done
	if b.err != nil {
		t.Fatalf("building procdev: %v", b.err)
	}
	cmd := exec.Command(ring0, "run", b.ring0, "ring0-state")
	cmd.Dir = t.TempDir()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("ring0 run procdev ring0-state: %v\nstdout:\n%s\nstderr:\n%s\n%s", err, out.String(), errOut.String(), rebuiltNote())
	}
	for _, want := range []string{"/proc/ring0/files shows the temporary file: true", "/proc/ring0/tasks shows this thread in read: read"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}
