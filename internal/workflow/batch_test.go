package workflow

import (
	"context"
	"sync"
	"testing"
	"time"

	"dakflow/internal/store"
)

// TestBatchesQueue: while a batch runs, the requests that arrive wait and
// run together in the next batch, led by the first of them; every request
// runs exactly once and gets its own result; no batch passes maxBatch.
func TestBatchesQueue(t *testing.T) {
	var (
		b       batches
		mu      sync.Mutex
		sizes   []int
		ran     = map[int64]int{}
		release = make(chan struct{})
	)
	run := func(_ context.Context, batch []*batchJob, _ func()) {
		mu.Lock()
		first := len(sizes) == 0
		sizes = append(sizes, len(batch))
		for _, j := range batch {
			ran[j.lock]++
			_, j.err = j.part(nil, false)
		}
		mu.Unlock()
		if first {
			<-release // the first batch runs while the others queue
		}
	}
	const n = maxBatch + 8
	var wg sync.WaitGroup
	fire := func(id int64) {
		defer wg.Done()
		got := int64(-1)
		err := b.run(context.Background(), "tanda_terima_usulan", &batchJob{lock: id, part: func(*store.Tx, bool) (partNext, error) {
			got = id
			return partNext{}, nil
		}}, run)
		if err != nil || got != id {
			t.Errorf("job %d: its part ran as %d, %v", id, got, err)
		}
	}
	wg.Add(1)
	go fire(0)
	for { // the first batch is running
		mu.Lock()
		started := len(sizes) == 1
		mu.Unlock()
		if started {
			break
		}
		time.Sleep(time.Millisecond)
	}
	for id := int64(1); id < n; id++ {
		wg.Add(1)
		go fire(id)
	}
	for { // every other job is queued
		b.mu.Lock()
		queued := len(b.queues["tanda_terima_usulan"].pending)
		b.mu.Unlock()
		if queued == n-1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()

	if len(ran) != n {
		t.Errorf("%d jobs ran, want %d", len(ran), n)
	}
	for id, k := range ran {
		if k != 1 {
			t.Errorf("job %d ran %d times", id, k)
		}
	}
	want := []int{1, maxBatch, n - 1 - maxBatch}
	if len(sizes) != len(want) || sizes[0] != want[0] || sizes[1] != want[1] || sizes[2] != want[2] {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}
	if q := b.queues["tanda_terima_usulan"]; q.running || len(q.pending) != 0 {
		t.Errorf("queue left running=%v with %d pending", q.running, len(q.pending))
	}
}
