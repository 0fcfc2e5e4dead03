package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"dakflow/internal/store"
)

// Events that issue a document commit in batches, one queue per document
// kind, and new proposals in batches of their own (their numbers come from
// the same kind of counter row). A document's number comes from its kind's counter row, which stays
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

// renderAhead is how many parts of a batch may wait for their finish (the
// document rendering on its goroutine) while the next parts run: with one,
// on a busy machine the leader still waited for a rendering at almost every
// part, about a tenth of a batch's time on deadline day.
const renderAhead = 2

// batchTimeout bounds a batch's transaction: it runs for every request in
// it, so it does not end when its leader's client goes away.
const batchTimeout = 60 * time.Second

// batchJob is one request waiting in, or running in, a batch: the part
// of a transaction it needs, and the proposal it locks (0: none). A part
// may leave a finish to run later in the same transaction (see runBatch):
// nil when it did everything.
type batchJob struct {
	lock int64
	part func(tx *store.Tx) (finish func() error, err error)

	err  error
	done chan struct{} // closed when err is set
	lead chan struct{} // closed when this job is to lead the next batch
}

// batches holds a queue per key (a counter: a document kind, or the
// proposals' own numbers); its zero value is ready.
type batches struct {
	mu     sync.Mutex
	queues map[string]*batchQueue
}

// batchQueue is one key's queue: the jobs waiting, and whether a batch of
// the key is running (then one of them will be handed the lead).
type batchQueue struct {
	pending []*batchJob
	running bool
}

// run queues j on key's queue and returns once its batch committed or
// failed; exec carries out a batch.
func (b *batches) run(ctx context.Context, key string, j *batchJob, exec func(context.Context, []*batchJob, func())) error {
	j.done, j.lead = make(chan struct{}), make(chan struct{})
	b.mu.Lock()
	if b.queues == nil {
		b.queues = map[string]*batchQueue{}
	}
	q := b.queues[key]
	if q == nil {
		q = &batchQueue{}
		b.queues[key] = q
	}
	q.pending = append(q.pending, j)
	if q.running {
		b.mu.Unlock()
		select {
		case <-j.done:
			return j.err
		case <-j.lead: // the previous leader handed over: j is first in line
		}
		b.mu.Lock()
	}
	q.running = true
	n := min(len(q.pending), maxBatch)
	batch := q.pending[:n:n]
	q.pending = q.pending[n:]
	b.mu.Unlock()

	// The lead passes on once this batch's parts have run, before its
	// commit: the next batch does its checks and writes while this one
	// commits, and waits for the counter row (a lock in the database)
	// only when it draws its first number — so numbers stay in commit
	// order and without gaps, and the commit's flush is no longer time
	// in which nobody of the kind works.
	handedOff := false
	handoff := func() {
		if handedOff {
			return
		}
		handedOff = true
		b.mu.Lock()
		if len(q.pending) > 0 {
			close(q.pending[0].lead)
		} else {
			q.running = false
		}
		b.mu.Unlock()
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
	exec(bctx, batch, handoff)
	cancel()
	handoff()
	for _, x := range batch {
		if x != j {
			close(x.done)
		}
	}
	return j.err
}

// runBatch carries out the batch's parts in one transaction. A batch of
// one is an ordinary transaction. A larger one locks all its proposals
// first, in the order of their ids, before any number is drawn, as a single
// event does: so transactions of other processes never wait for it in a
// circle. Each part then fails alone (refused before it wrote, or behind a
// savepoint: runParts); a failed commit fails them all, none half done.
//
// A part that issues a document renders it on a goroutine of its own and
// leaves to its finish what needs the PDF (storing it, the event that
// cites its hash). The finish of part i runs after parts i+1 to
// i+renderAhead have run (their checks, numbers, other writes): so a
// document renders while the next parts' statements go to the database,
// and the kind's counter, held for the whole batch, is held for less.
// Everything a part may be refused for happens before its finish; a finish
// that still fails fails the whole batch (its number is drawn: without its
// document the counter would have a gap). Two jobs on one proposal never
// overlap: the second reads the chain tip the first one's event moves.
func (e *Engine) runBatch(ctx context.Context, batch []*batchJob, handoff func()) {
	if len(batch) == 1 {
		j := batch[0]
		j.err = e.store.InTx(ctx, func(tx *store.Tx) error {
			finish, err := j.part(tx)
			if err == nil && finish != nil {
				err = finish()
			}
			handoff()
			return err
		})
		return
	}
	ids := make([]int64, 0, len(batch))
	for _, j := range batch {
		if j.lock != 0 {
			ids = append(ids, j.lock)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// Without savepoints first: a part refused before its first write
	// (store.Tx.Try) leaves nothing to undo, and a savepoint per part is a
	// statement per event. A part that failed after writing rolls the
	// batch back; its parts then run again, each behind a savepoint.
	err := e.runParts(ctx, batch, ids, handoff, false)
	if errors.Is(err, errPartWrote) {
		for _, j := range batch {
			j.err = nil
		}
		err = e.runParts(ctx, batch, ids, handoff, true)
	}
	if err != nil {
		for _, j := range batch {
			if j.err == nil {
				j.err = err
			}
		}
	}
}

// errPartWrote ends a batch run without savepoints (runParts) whose part
// failed after it wrote: the run rolls back, to run again with them.
var errPartWrote = errors.New("a part of the batch failed after writing")

// runParts runs the batch's parts in one transaction (runBatch), each
// behind a savepoint (savepoints) or not (store.Tx.Try).
func (e *Engine) runParts(ctx context.Context, batch []*batchJob, ids []int64, handoff func(), savepoints bool) error {
	return e.store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.LockProposals(ids); err != nil {
			return err
		}
		// The finishes waiting, oldest first: at most renderAhead, so
		// that a document renders while the next parts' statements run.
		type waiting struct {
			job    *batchJob
			finish func() error
		}
		var pending []waiting
		// flush runs the finishes waiting until at most keep are left.
		flush := func(keep int) error {
			for len(pending) > keep {
				w := pending[0]
				pending = pending[1:]
				if err := w.finish(); err != nil {
					w.job.err = err
					return err
				}
			}
			return nil
		}
		for i, j := range batch {
			if j.lock != 0 && slices.ContainsFunc(pending, func(w waiting) bool { return w.job.lock == j.lock }) {
				if err := flush(0); err != nil { // the part reads the chain tip their events move
					return err
				}
			}
			var finish func() error
			part := func() error {
				var err error
				finish, err = j.part(tx)
				return err
			}
			if savepoints {
				j.err = tx.Part(fmt.Sprintf("part_%d", i), part)
			} else if j.err = tx.Try(part); errors.Is(j.err, store.ErrPartWrote) {
				return errPartWrote
			}
			if j.err == nil && finish != nil {
				pending = append(pending, waiting{j, finish})
			}
			if err := flush(renderAhead); err != nil {
				return err
			}
		}
		err := flush(0)
		handoff()
		return err
	})
}

// inBatch runs part in the batch of key, locking proposal lock (0: none)
// with the batch's other proposals.
func (e *Engine) inBatch(ctx context.Context, key string, lock int64, part func(tx *store.Tx) error) error {
	return e.inBatchFinishing(ctx, key, lock, func(tx *store.Tx) (func() error, error) { return nil, part(tx) })
}

// inBatchFinishing is inBatch for a part that may leave a finish (batchJob).
func (e *Engine) inBatchFinishing(ctx context.Context, key string, lock int64, part func(tx *store.Tx) (func() error, error)) error {
	return e.batches.run(ctx, key, &batchJob{lock: lock, part: part}, func(ctx context.Context, batch []*batchJob, handoff func()) {
		start := time.Now()
		e.runBatch(ctx, batch, handoff)
		e.metrics.observeBatch(key, len(batch), start)
	})
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
