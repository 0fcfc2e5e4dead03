package workflow

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/looplab/fsm"

	"dakflow/workflows"
)

// TestMachinesReused: a machine taken from its definition's pool walks an
// event from the state it is set to, whatever the machine walked before:
// a refusal by the guards leaves no trace, and 16 goroutines firing and
// listing at once on a handful of machines each see their own state. A
// reused machine costs a small part of what building one did.
func TestMachinesReused(t *testing.T) {
	defs, err := LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	d := defs["dak-fisik-ikm"]
	m := newMachines(defs)
	refused := errors.New("syarat belum terpenuhi")
	cancel := func(e *fsm.Event) { e.Cancel(refused) }

	if to, err := m.fire(d, "draft", "submit", cancel); !errors.Is(err, refused) || to != "draft" {
		t.Fatalf("submit refused by its guards = %q, %v; want draft and the guards' error", to, err)
	}
	if to, err := m.fire(d, "draft", "submit", nil); err != nil || to != "submitted" {
		t.Fatalf("submit after a refusal = %q, %v; want submitted", to, err)
	}
	if to, err := m.fire(d, "draft", "start_review", nil); err == nil || to != "draft" {
		t.Fatalf("start_review from draft = %q, %v; want draft and an error", to, err)
	}
	want := newFSM(d, "submitted", nil).AvailableTransitions()
	slices.Sort(want)

	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if i%2 == 0 {
					if to, err := m.fire(d, "submitted", "start_review", nil); err != nil || to != "in_review" {
						t.Errorf("start_review from submitted = %q, %v", to, err)
						return
					}
					continue
				}
				got := m.available(d, "submitted")
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("events allowed at submitted = %v, want %v", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()

	if raceOn {
		return // the race detector drops pooled machines at random
	}
	built := allocatedBytes(func() { _ = newFSM(d, "submitted", guardsArg).Event(t.Context(), "start_review") })
	reused := allocatedBytes(func() { _, _ = m.fire(d, "submitted", "start_review", nil) })
	t.Logf("bytes allocated per transition: built %d, reused %d", built, reused)
	if reused*10 > built {
		t.Errorf("a reused machine allocates %d bytes a transition, a built one %d: want a tenth at most", reused, built)
	}
}

// allocatedBytes is what f allocates a run, on average over 200.
func allocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 200 {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / 200
}
