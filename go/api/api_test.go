package ring0_test

import (
	"sync"
	"testing"

	"ring0.dev/api"
)

// want is what the API reports for a priority that was set: natively (go test) nothing is
// recorded and it is always Normal; inside Ring0 (a test binary built by ring0) it is p, clamped.
func want(p ring0.Priority) ring0.Priority {
	if !ring0.InKernel() {
		return ring0.Normal
	}
	return min(max(p, ring0.Low), ring0.High)
}

func TestSetPriority(t *testing.T) {
	t.Logf("in kernel: %v", ring0.InKernel())
	done := make(chan struct{})
	go func() { // a goroutine of its own, so that the test's priority is left alone
		defer close(done)
		prev := ring0.Normal
		for _, p := range []ring0.Priority{ring0.High, ring0.Low, 7, -7, ring0.Normal} {
			if got := ring0.SetPriority(p); got != prev {
				t.Errorf("SetPriority(%v) = %v, want %v", p, got, prev)
			}
			if got := ring0.CurrentPriority(); got != want(p) {
				t.Errorf("CurrentPriority() after SetPriority(%v) = %v, want %v", p, got, want(p))
			}
			prev = want(p)
		}
	}()
	<-done
}

func TestGo(t *testing.T) {
	var wg sync.WaitGroup
	prios := []ring0.Priority{ring0.Low, ring0.Normal, ring0.High, 9}
	got := make([]ring0.Priority, len(prios))
	for i, p := range prios {
		wg.Add(1)
		ring0.Go(p, func() {
			defer wg.Done()
			got[i] = ring0.CurrentPriority()
		})
	}
	wg.Wait()
	for i, p := range prios {
		if got[i] != want(p) {
			t.Errorf("goroutine started by Go(%v): priority %v, want %v", p, got[i], want(p))
		}
	}
}

func TestGoNilPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Go(High, nil) did not panic")
		}
	}()
	ring0.Go(ring0.High, nil)
}

func TestString(t *testing.T) {
	for p, want := range map[ring0.Priority]string{ring0.Low: "low", ring0.Normal: "normal", ring0.High: "high", 2: "Priority(2)", -10: "Priority(-10)"} {
		if got := p.String(); got != want {
			t.Errorf("Priority(%d).String() = %q, want %q", int(p), got, want)
		}
	}
}

// A latency-critical loop runs High; CPU-bound work stays Normal.
func Example() {
	events := make(chan int)
	done := make(chan struct{})
	ring0.Go(ring0.High, func() {
		defer close(done)
		for range events {
			// handle each event quickly, then wait for the next
		}
	})
	for i := range 3 {
		events <- i
	}
	close(events)
	<-done
}
