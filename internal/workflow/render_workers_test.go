package workflow

import (
	"sync"
	"testing"
	"time"
)

// TestGoRenderNeverWaits: with every render worker busy, a rendering still
// runs at once, on a goroutine of its own; and the workers take the next
// ones once free.
func TestGoRenderNeverWaits(t *testing.T) {
	release := make(chan struct{})
	var busy sync.WaitGroup
	busy.Add(renderWorkers)
	started := 0
	for started < renderWorkers {
		ran := make(chan struct{})
		goRender(func() {
			close(ran)
			busy.Done()
			<-release
		})
		<-ran
		started++
	}
	extra := make(chan struct{})
	goRender(func() { close(extra) })
	select {
	case <-extra:
	case <-time.After(10 * time.Second):
		t.Fatal("a rendering waited for the busy workers")
	}
	busy.Wait()
	close(release)
	var after sync.WaitGroup
	for range 3 * renderWorkers {
		after.Add(1)
		goRender(after.Done)
	}
	after.Wait()
}

// deepRender stands in for a layout: a deep stack.
//
//go:noinline
func deepRender(n int) int {
	var pad [256]byte
	if n == 0 {
		return int(pad[0])
	}
	return deepRender(n-1) + int(pad[n%256])
}

// BenchmarkGoRender: a rendering's stack, grown anew on a goroutine per
// rendering, or kept by a worker.
func BenchmarkGoRender(b *testing.B) {
	for _, c := range []struct {
		name string
		run  func(func())
	}{{"worker", goRender}, {"goroutine", func(f func()) { go f() }}} {
		b.Run(c.name, func(b *testing.B) {
			done := make(chan struct{})
			for b.Loop() {
				c.run(func() { deepRender(200); done <- struct{}{} })
				<-done
			}
		})
	}
}
