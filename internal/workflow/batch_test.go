package workflow

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
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
	run := func(_ context.Context, batch []*batchJob, _ *turn) {
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

// TestBatchesDrawInTurn: the batches of a queue draw their numbers in the
// order they lead (turn), as foresight foresees them, even when a later
// batch comes to its draw first; a batch that ends without drawing lets
// the next one draw.
func TestBatchesDrawInTurn(t *testing.T) {
	var (
		b       batches
		mu      sync.Mutex
		drawn   []int64
		started = make(chan struct{})
		release = make(chan struct{})
	)
	exec := func(ctx context.Context, batch []*batchJob, tn *turn) {
		id := batch[0].lock
		tn.handoff()
		if id == 1 {
			close(started)
			<-release // the second batch reaches its draw while this one has not drawn
		}
		if id == 3 {
			return // ends without drawing
		}
		if err := tn.awaitDraw(ctx, &store.Tx{}); err != nil {
			t.Errorf("batch %d: %v", id, err)
		}
		mu.Lock()
		drawn = append(drawn, id)
		mu.Unlock()
		tn.drew()
	}
	part := func(*store.Tx, bool) (partNext, error) { return partNext{}, nil }
	var wg sync.WaitGroup
	run := func(id int64) {
		defer wg.Done()
		if err := b.run(context.Background(), "catatan_penilaian", &batchJob{lock: id, part: part}, exec); err != nil {
			t.Errorf("batch %d: %v", id, err)
		}
	}
	wg.Add(1)
	go run(1)
	<-started
	wg.Add(1)
	go run(2)
	time.Sleep(50 * time.Millisecond) // batch 2 waits at its draw
	mu.Lock()
	early := slices.Clone(drawn)
	mu.Unlock()
	if len(early) != 0 {
		t.Errorf("drawn before the first batch drew: %v", early)
	}
	close(release)
	wg.Wait()
	wg.Add(2)
	run(3)
	run(4)
	if want := []int64{1, 2, 4}; !slices.Equal(drawn, want) {
		t.Errorf("drawn in the order %v, want %v", drawn, want)
	}
}

// TestForesight: a counter is foreseen from its first draw on, each batch
// where the one before it stops; a draw elsewhere than foreseen (a batch
// rolled back, another process) is foreseen from again.
func TestForesight(t *testing.T) {
	var f foresight
	tt, cp := numberKey{"tanda_terima_usulan", 2027}, numberKey{"catatan_penilaian", 2027}
	if got := f.reserve([]numberKey{tt}); len(got) != 0 {
		t.Fatalf("before any draw: foreseen %v", got)
	}
	f.drew([]numberKey{tt}, map[numberKey]int64{tt: 5}, nil) // 5 drawn, unforeseen
	a := f.reserve([]numberKey{tt, cp, tt})                  // 6 and 7; cp not drawn yet
	b := f.reserve([]numberKey{tt})                          // 8
	if a[tt] != 6 || b[tt] != 8 {
		t.Fatalf("foreseen %v then %v, want 6 then 8", a, b)
	}
	if _, ok := a[cp]; ok {
		t.Errorf("a counter never drawn is foreseen: %v", a)
	}
	f.drew([]numberKey{tt, cp, tt}, map[numberKey]int64{tt: 6, cp: 1}, a)
	f.drew([]numberKey{tt}, map[numberKey]int64{tt: 10}, b) // another process drew 8 and 9
	if c := f.reserve([]numberKey{tt, cp}); c[tt] != 11 || c[cp] != 2 {
		t.Errorf("after a draw elsewhere: foreseen %v, want 11 and 2", c)
	}

	// A counter is sure once two batches in a row drew where foreseen; a
	// wrong guess, or forgetting it, takes that back.
	if f.sure(tt) || f.sure(cp) {
		t.Errorf("sure of a counter foreseen wrong last, or right once")
	}
	for range sureAfter {
		d := f.reserve([]numberKey{tt})
		f.drew([]numberKey{tt}, d, d)
	}
	if !f.sure(tt) {
		t.Errorf("not sure of a counter foreseen right %d times in a row", sureAfter)
	}
	f.forget(tt)
	if f.sure(tt) {
		t.Errorf("sure of a counter forgotten")
	}
	if d := f.reserve([]numberKey{tt}); len(d) != 0 {
		t.Errorf("a counter forgotten is foreseen: %v", d)
	}
}

// TestAwaitDrawBounded: a batch waits for the batch before it to draw only
// while it holds no counter row itself (a part of it drew its own number:
// the batch before may be waiting for that row), and never longer than
// drawTurnWait (the batch before may wait on a lock that waits on it).
func TestAwaitDrawBounded(t *testing.T) {
	st := dbtest.Open(t)
	stuck := &turn{before: make(chan struct{}), drawn: make(chan struct{})} // the batch before never draws
	err := st.InTx(context.Background(), func(tx *store.Tx) error {
		start := time.Now()
		if err := stuck.awaitDraw(context.Background(), tx); err != nil {
			return err
		}
		if waited := time.Since(start); waited < drawTurnWait || waited > drawTurnWait+time.Second {
			t.Errorf("awaited a batch that never draws for %v, want %v", waited, drawTurnWait)
		}
		if _, err := tx.NextNumber("catatan_penilaian", 2027); err != nil {
			return err
		}
		start = time.Now()
		if err := stuck.awaitDraw(context.Background(), tx); err != nil {
			return err
		}
		if waited := time.Since(start); waited > drawTurnWait/2 {
			t.Errorf("holding a counter row, awaited the batch before for %v", waited)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
