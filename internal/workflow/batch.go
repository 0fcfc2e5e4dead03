package workflow

import (
	"context"
	"errors"
	"fmt"
	"maps"
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
// The batch draws its documents' and drafts' numbers after all its parts'
// checks and writes, so that the counter row is held only while the
// documents are stored and the numbers go in (runParts); the documents
// render before the draw, for the numbers the batch foresees (foresight),
// and again after it only when the number drawn is another.
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
// may leave work to run later in the same transaction (partNext, see
// runBatch); numberLater tells it that the batch draws document numbers
// after all its parts' checks.
type batchJob struct {
	lock int64
	part func(tx *store.Tx, numberLater bool) (partNext, error)

	err  error
	done chan struct{} // closed when err is set
	lead chan struct{} // closed when this job is to lead the next batch
}

// partNext is what a part leaves for later in its batch's transaction: a
// finish, run after the next renderAhead parts; or a document (or a new
// draft) whose number the batch draws, of kind and year, and what gives it
// the number and returns its finish, if any (numbered). The zero value:
// nothing.
type partNext struct {
	finish   func() error
	kind     string
	year     int
	numbered func(seq int64) (finish func() error, err error)
	// renderForeseen, when set, renders the document for the number seq
	// the batch foresees it will draw, before the draw (issuing.renderForeseen).
	renderForeseen func(seq int64)
	// drawing, when set, is numbered for a number seq foreseen and not
	// drawn: the finish draws it in the event's statement, or fails with
	// store.ErrForeseenWrong, having written nothing, when the counter
	// is elsewhere (store.EventWrites.Foreseen).
	drawing func(seq int64) (finish func() error, err error)
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
	drawn   <-chan struct{} // closed once the latest batch drew its numbers, or ended
}

// turn is a batch's place in its queue. handoff passes the lead to the
// next batch; the batch draws its numbers once the batch before it drew
// (awaitDraw) and lets the next one draw once it has (drew): the counter
// row would let them draw in either order once the batch holding it
// commits, and foresight foresees them drawing in the order they lead.
type turn struct {
	handoff func()
	before  <-chan struct{}
	drawn   chan struct{}
	once    sync.Once
}

// allDrawn is closed: the batches before drew, for the first batch of a
// queue.
var allDrawn = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// newTurn is a turn after every batch before it drew.
func newTurn(handoff func()) *turn {
	return &turn{handoff: handoff, before: allDrawn, drawn: make(chan struct{})}
}

// drawTurnWait bounds awaitDraw. The order only keeps foresight right, and
// a wait in the process is one the database cannot see: should the batch
// before wait, for its draw, on a lock that waits on this batch (another
// process's transaction holding the counter row and waiting for a row this
// batch wrote), this batch goes on after it, as it did before turns.
const drawTurnWait = time.Second

// awaitDraw waits until the batch before drew its numbers, or ended, or
// drawTurnWait passed; not at all when tx drew a number already (a part
// that draws its own), since it may hold the counter row the batch before
// waits for.
func (t *turn) awaitDraw(ctx context.Context, tx *store.Tx) error {
	if tx.Drawn() {
		return nil
	}
	wait := time.NewTimer(drawTurnWait)
	defer wait.Stop()
	select {
	case <-t.before:
	case <-wait.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// drew lets the next batch draw; the batch's end calls it too.
func (t *turn) drew() { t.once.Do(func() { close(t.drawn) }) }

// run queues j on key's queue and returns once its batch committed or
// failed; exec carries out a batch.
func (b *batches) run(ctx context.Context, key string, j *batchJob, exec func(context.Context, []*batchJob, *turn)) error {
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
	t := newTurn(nil) // its handoff is set below
	if q.drawn != nil {
		t.before = q.drawn
	}
	q.drawn = t.drawn
	b.mu.Unlock()

	// The lead passes on once this batch's parts have run their checks
	// and writes, before its numbers are drawn (runParts) or at the
	// latest before its commit: the next batch does its checks and writes
	// while this one numbers, stores its documents and commits, and waits
	// for the counter row (a lock in the database) only when it draws its
	// first number — so numbers stay in commit order and without gaps,
	// and the time the row is held is no longer time in which nobody of
	// the kind works.
	handedOff := false
	t.handoff = func() {
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
	exec(bctx, batch, t)
	cancel()
	t.handoff()
	t.drew()
	for _, x := range batch {
		if x != j {
			close(x.done)
		}
	}
	return j.err
}

// runBatch carries out the batch's parts in one transaction, a batch of
// one as any other: so that it too hands the lead on before its draw, and
// its document renders before the draw. A batch of several locks all its
// proposals first, in the order of their ids, before any number is drawn,
// as a single event does: so transactions of other processes never wait
// for it in a circle. Each part then fails alone (refused before it wrote,
// or behind a savepoint: runParts); a failed commit fails them all, none
// half done.
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
func (e *Engine) runBatch(ctx context.Context, batch []*batchJob, t *turn) {
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
	err := e.runParts(ctx, batch, ids, t, false)
	if errors.Is(err, errPartWrote) {
		for _, j := range batch {
			j.err = nil
		}
		err = e.runParts(ctx, batch, ids, t, true)
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
//
// Without savepoints, and when no two parts are events of one proposal,
// the parts are told to leave their document's number to the batch
// (numberLater), and new drafts always are: every part runs its checks
// and writes first, then the lead passes on, then the batch draws its
// numbers at once (one statement per kind and year, store.Tx.NextNumbers)
// and gives each waiting part its own, in the order of the parts. Its
// documents render meanwhile, for the numbers foreseen (foresight): the
// batch draws after the batch before it drew (turn), and that one holds
// the row until its commit. The counter row is then held only while the
// documents are stored (and rendered again, when a number drawn is not the
// one foreseen): the next batch runs its parts' checks and writes
// meanwhile, and waits for the row only at its own draw. What follows a
// number cannot be refused (prepare): should it fail all the same, the
// batch runs again with savepoints, each part drawing its own, so that no
// number drawn is left without its document (a draft's numbering that
// fails there fails the batch, none committed).
func (e *Engine) runParts(ctx context.Context, batch []*batchJob, ids []int64, t *turn, savepoints bool) error {
	numberLater := !savepoints && distinctLocks(batch)
	return e.store.InTx(ctx, func(tx *store.Tx) error {
		if len(ids) > 1 { // one is locked by its part's own locking read
			if err := tx.LockProposals(ids); err != nil {
				return err
			}
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
		type unnumbered struct {
			job  *batchJob
			next partNext
		}
		var toNumber []unnumbered
		for i, j := range batch {
			if j.lock != 0 && slices.ContainsFunc(pending, func(w waiting) bool { return w.job.lock == j.lock }) {
				if err := flush(0); err != nil { // the part reads the chain tip their events move
					return err
				}
			}
			var next partNext
			part := func() error {
				var err error
				// A draft (no proposal to lock) is numbered later even
				// behind savepoints: giving it its number cannot be
				// refused, and a filing takes the counter row after all
				// its other locks (store.Tx.CreateProposal).
				next, err = j.part(tx, numberLater || j.lock == 0)
				return err
			}
			if savepoints {
				j.err = tx.Part(fmt.Sprintf("part_%d", i), part)
			} else if j.err = tx.Try(part); errors.Is(j.err, store.ErrPartWrote) {
				return errPartWrote
			}
			switch {
			case j.err != nil:
			case next.numbered != nil:
				toNumber = append(toNumber, unnumbered{j, next})
			case next.finish != nil:
				pending = append(pending, waiting{j, next.finish})
			}
			if err := flush(renderAhead); err != nil {
				return err
			}
		}
		if len(toNumber) == 0 {
			t.drew() // nothing to draw: the next batch need not wait for this one
		} else {
			t.handoff()
			keys := make([]numberKey, len(toNumber))
			for i, u := range toNumber {
				keys[i] = numberKey{u.next.kind, u.next.year}
			}
			// The documents render while the draw waits for the counter
			// row, which the batch before holds until its commit.
			foreseen := e.foresight.reserve(keys)
			seq := maps.Clone(foreseen)
			for i, u := range toNumber {
				if s, ok := seq[keys[i]]; ok {
					if u.next.renderForeseen != nil {
						u.next.renderForeseen(s)
					}
					seq[keys[i]]++
				}
			}
			if err := t.awaitDraw(ctx, tx); err != nil {
				return err
			}
			if u := toNumber[0]; len(toNumber) == 1 && u.next.drawing != nil && !tx.Drawn() && e.foresight.sure(keys[0]) {
				if seq, ok := foreseen[keys[0]]; ok {
					// The other parts' finishes first: the event's
					// statement is then the transaction's last, and
					// carries its COMMIT (store.Tx.CommitWithEvent), so
					// that the counter row is free as soon as it ran.
					if err := flush(0); err != nil {
						return err
					}
					tx.CommitWithEvent()
					err := e.drawWithEvent(t, u.job, u.next.drawing, keys[0], seq)
					t.handoff()
					return err
				}
			}
			first, err := drawNumbers(tx, keys)
			t.drew()
			if err != nil {
				return err
			}
			e.foresight.drew(keys, first, foreseen)
			for i, u := range toNumber {
				key := keys[i]
				finish, err := u.next.numbered(first[key])
				if err != nil {
					u.job.err = err
					return errPartWrote
				}
				first[key]++
				if finish == nil { // a draft: numbered, it is done
					continue
				}
				pending = append(pending, waiting{u.job, finish})
				if err := flush(renderAhead); err != nil {
					return err
				}
			}
		}
		err := flush(0)
		t.handoff()
		return err
	})
}

// drawWithEvent numbers the one document of a batch (runParts) with seq,
// the number foreseen for key, drawn (drawing) in the statement that
// stores it with its event: a round trip fewer while the counter row is held, for a counter
// foreseen right batch after batch (foresight.sure). When the counter is
// elsewhere after all (another process drew, a batch before rolled back),
// the statement writes nothing and fails the transaction, which the batch
// runs again with savepoints, each part drawing its own number (runBatch),
// and the counter is foreseen anew from the next draw.
func (e *Engine) drawWithEvent(t *turn, j *batchJob, drawing func(int64) (func() error, error), key numberKey, seq int64) error {
	finish, err := drawing(seq)
	if err == nil {
		err = finish()
	}
	// The foresight learns the outcome before the next batch may draw.
	defer t.drew()
	switch {
	case errors.Is(err, store.ErrForeseenWrong):
		e.foresight.forget(key)
		return errPartWrote
	case err != nil:
		j.err = err
		return err
	}
	drawn := map[numberKey]int64{key: seq}
	e.foresight.drew([]numberKey{key}, drawn, drawn)
	return nil
}

// numberKey is a counter: a document kind and a year.
type numberKey struct {
	kind string
	year int
}

// countKeys counts the numbers keys asks of each counter (a key twice: two
// numbers), the counters in the order keys first names them.
func countKeys(keys []numberKey) (counts map[numberKey]int64, order []numberKey) {
	counts = map[numberKey]int64{}
	for _, k := range keys {
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	return counts, order
}

// drawNumbers draws the numbers of keys, one a key (a key twice: two
// numbers), and answers the first of each counter's range: one statement
// per counter, in the order keys first names them.
func drawNumbers(tx *store.Tx, keys []numberKey) (map[numberKey]int64, error) {
	counts, order := countKeys(keys)
	first := make(map[numberKey]int64, len(order))
	for _, k := range order {
		last, err := tx.NextNumbers(k.kind, k.year, counts[k])
		if err != nil {
			return nil, err
		}
		first[k] = last - counts[k] + 1
	}
	return first, nil
}

// distinctLocks reports whether no two jobs of batch lock one proposal: a
// part whose proposal an earlier part's event moves must read the chain
// tip after that event is written, which numberLater would defer. A job
// that locks none (a new draft) reads no tip.
func distinctLocks(batch []*batchJob) bool {
	seen := make(map[int64]bool, len(batch))
	for _, j := range batch {
		if j.lock == 0 {
			continue
		}
		if seen[j.lock] {
			return false
		}
		seen[j.lock] = true
	}
	return true
}

// inBatchFinishing runs part in the batch of key, locking proposal lock
// (0: none) with the batch's other proposals; the part may leave work for
// later in the transaction (batchJob).
func (e *Engine) inBatchFinishing(ctx context.Context, key string, lock int64, part func(tx *store.Tx, numberLater bool) (partNext, error)) error {
	return e.batches.run(ctx, key, &batchJob{lock: lock, part: part}, func(ctx context.Context, batch []*batchJob, t *turn) {
		start := time.Now()
		e.runBatch(ctx, batch, t)
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

// foresight foresees the numbers a batch will draw, so that its documents
// render before the draw (runParts): the batches of a counter draw in the
// order in which they hand the lead on, so each draws where the one before
// it stops. A batch rolled back, or another process drawing, makes a guess
// wrong: its documents render again with the numbers drawn, and the
// counter is foreseen from those on. Its zero value foresees nothing until
// a counter's first draw.
type foresight struct {
	mu    sync.Mutex
	next  map[numberKey]int64 // the number a counter's next batch should draw first
	right map[numberKey]int   // how many batches in a row drew where foreseen
}

// sureAfter is how many batches in a row must have drawn where foreseen
// before a counter is drawn with the event's statement (drawWithEvent):
// with several processes drawing from one counter, foresight is often
// wrong, and a wrong guess there costs the batch a second run.
const sureAfter = 2

// sure reports whether the counter has been foreseen right lately.
func (f *foresight) sure(k numberKey) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.right[k] >= sureAfter
}

// forget foresees nothing for the counter until its next draw.
func (f *foresight) forget(k numberKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.next, k)
	delete(f.right, k)
}

// reserve answers the first number each counter of keys should give the
// batch (none for a counter not drawn from yet), and moves past them.
func (f *foresight) reserve(keys []numberKey) map[numberKey]int64 {
	counts, order := countKeys(keys)
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[numberKey]int64, len(order))
	for _, k := range order {
		if seq, ok := f.next[k]; ok {
			out[k] = seq
			f.next[k] = seq + counts[k]
		}
	}
	return out
}

// drew tells what the batch drew for keys (first, of drawNumbers) against
// what reserve foresaw: a counter drawn elsewhere than foreseen is foreseen
// from the batch's last number on.
func (f *foresight) drew(keys []numberKey, first, foreseen map[numberKey]int64) {
	counts, order := countKeys(keys)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.next == nil {
		f.next, f.right = map[numberKey]int64{}, map[numberKey]int{}
	}
	for _, k := range order {
		if seq, ok := foreseen[k]; !ok || seq != first[k] {
			f.next[k] = first[k] + counts[k]
			f.right[k] = 0
		} else {
			f.right[k]++
		}
	}
}
