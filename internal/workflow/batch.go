package workflow

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// Events that issue a document commit in batches, one queue per document
// kind. A document's number comes from its kind's counter row, which stays
// locked from the draw to the commit (gapless numbers, PRODUCT.md §3), so
// transitions of one kind run one after another whatever is done. Run one
// transaction each, and every one of them waits its turn holding a
// database connection and pays a commit of its own; on deadline day the
// connections all wait on one row and nothing else gets one. Batched, the
// first request to find its kind idle leads: it takes what is queued (up to
// maxBatch), runs each event as a part of one transaction that fails alone
// (a savepoint), commits once, and hands the lead to the first request
// queued meanwhile. No goroutine of its own: a batch runs on its leader's.
// An event refused in a batch is refused exactly as it would be alone; a
// failed commit fails every event of the batch, none half done.

// maxBatch bounds the events one commit carries, and so the wait of the
// last of them.
const maxBatch = 32

// batchTimeout bounds a batch's transaction: it runs for every request in
// it, so it does not end when its leader's client goes away.
const batchTimeout = 60 * time.Second

// fireJob is one request waiting in, or running in, a batch.
type fireJob struct {
	user dak.User
	id   int64
	req  Request

	res  Result
	err  error
	done chan struct{} // closed when res and err are set
	lead chan struct{} // closed when this job is to lead the next batch
}

// batches holds a queue per document kind; its zero value is ready.
type batches struct {
	mu     sync.Mutex
	queues map[string]*batchQueue
}

// batchQueue is one kind's queue: the jobs waiting, and whether a batch of
// the kind is running (then one of them will be handed the lead).
type batchQueue struct {
	pending []*fireJob
	running bool
}

// fire queues j on kind's queue and returns its result once its batch
// committed or failed; run carries out a batch.
func (b *batches) fire(ctx context.Context, kind string, j *fireJob, run func(context.Context, []*fireJob)) (Result, error) {
	j.done, j.lead = make(chan struct{}), make(chan struct{})
	b.mu.Lock()
	if b.queues == nil {
		b.queues = map[string]*batchQueue{}
	}
	q := b.queues[kind]
	if q == nil {
		q = &batchQueue{}
		b.queues[kind] = q
	}
	q.pending = append(q.pending, j)
	if q.running {
		b.mu.Unlock()
		select {
		case <-j.done:
			return j.res, j.err
		case <-j.lead: // the previous leader handed over: j is first in line
		}
		b.mu.Lock()
	}
	q.running = true
	n := min(len(q.pending), maxBatch)
	batch := q.pending[:n:n]
	q.pending = q.pending[n:]
	b.mu.Unlock()

	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
	run(bctx, batch)
	cancel()
	for _, x := range batch {
		if x != j {
			close(x.done)
		}
	}

	b.mu.Lock()
	if len(q.pending) > 0 {
		close(q.pending[0].lead)
	} else {
		q.running = false
	}
	b.mu.Unlock()
	return j.res, j.err
}

// runBatch fires the batch's events in one transaction. A batch of one is
// an ordinary transaction. A larger one locks all its proposals first, in
// the order of their ids, before any number is drawn, as a single event
// does: so transactions of other processes never wait for it in a circle.
// Each event is then a part that fails alone.
func (e *Engine) runBatch(ctx context.Context, batch []*fireJob) {
	if len(batch) == 1 {
		j := batch[0]
		j.err = e.store.InTx(ctx, func(tx *store.Tx) error {
			var err error
			j.res, err = e.fireIn(tx, j.user, j.id, j.req)
			return err
		})
		return
	}
	ids := make([]int64, 0, len(batch))
	for _, j := range batch {
		ids = append(ids, j.id)
	}
	slices.Sort(ids)
	err := e.store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.LockProposals(slices.Compact(ids)); err != nil {
			return err
		}
		for i, j := range batch {
			j.err = tx.Part(fmt.Sprintf("fire_%d", i), func() error {
				var err error
				j.res, err = e.fireIn(tx, j.user, j.id, j.req)
				return err
			})
			if j.err != nil {
				j.res = Result{}
			}
		}
		return nil
	})
	if err != nil {
		for _, j := range batch {
			if j.err == nil {
				j.res, j.err = Result{}, err
			}
		}
	}
}

// documentOf is the document kind the named event issues, "" for none.
func (e *Engine) documentOf(event string) string {
	if ev, ok := e.current.Event(event); ok {
		return ev.Document
	}
	for _, d := range e.defs {
		if ev, ok := d.Event(event); ok {
			return ev.Document
		}
	}
	return ""
}
