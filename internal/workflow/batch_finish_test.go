package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestRunBatchFinishes: in a batch, a part's finish runs after the next
// renderAhead parts (the overlap of a rendering with the next events'
// statements), except that a part on the same proposal waits for the
// finishes before it; a part refused alone leaves no finish; a finish that
// fails fails the whole batch, every part that had succeeded included, and
// the parts not yet run do not run.
func TestRunBatchFinishes(t *testing.T) {
	e := &Engine{store: dbtest.Open(t)}
	var order []string
	job := func(name string, lock int64, refuse bool) *batchJob {
		return &batchJob{lock: lock, part: func(*store.Tx, bool) (partNext, error) {
			order = append(order, name)
			if refuse {
				return partNext{}, errors.New(name + " refused")
			}
			return partNext{finish: func() error { order = append(order, name+".finish"); return nil }}, nil
		}}
	}
	batch := []*batchJob{job("a", 1, false), job("b", 2, false), job("c", 2, false), job("d", 3, true), job("e", 4, false),
		job("f", 9, false)}
	e.runBatch(context.Background(), batch, newTurn(func() {}))
	want := []string{"a", "b", "a.finish", "b.finish", "c", "d", "e", "f", "c.finish", "e.finish", "f.finish"}
	if !slices.Equal(order, want) {
		t.Errorf("order = %v, want %v", order, want)
	}
	for i, j := range batch {
		if (j.err != nil) != (i == 3) {
			t.Errorf("job %d: err = %v", i, j.err)
		}
	}

	order = nil
	failing := &batchJob{lock: 6, part: func(*store.Tx, bool) (partNext, error) {
		return partNext{finish: func() error { return fmt.Errorf("store the document: disk gone") }}, nil
	}}
	batch = []*batchJob{job("f", 5, false), failing, job("g", 7, false), job("x", 10, false), job("h", 8, true)}
	e.runBatch(context.Background(), batch, newTurn(func() {}))
	for i, j := range batch {
		if j.err == nil {
			t.Errorf("job %d of a batch whose finish failed: no error", i)
		}
	}
	if !errors.Is(batch[0].err, batch[1].err) && batch[0].err.Error() != batch[1].err.Error() {
		t.Errorf("job 0 err %v, want the batch's failure %v", batch[0].err, batch[1].err)
	}
	if slices.Contains(order, "h") || batch[4].err.Error() != batch[1].err.Error() {
		t.Errorf("a part after the failed finish ran (%v) or answered %v, want the batch's failure", order, batch[4].err)
	}
}

// TestRunBatchWithoutSavepoints: a batch runs its parts without savepoints
// while every part that fails does so before writing (each part runs once,
// the others' writes commit); a part that fails after writing rolls the
// run back, and every part runs again behind a savepoint, so that only
// that part's writes are undone and the others commit once.
func TestRunBatchWithoutSavepoints(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	e := &Engine{store: st}
	u, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: "pemda", FullName: "Pengguna pemda", Role: dak.RolePemda,
		RegionCode: "18.71"}, Password: "rahasia-panjang"})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 4)
	for i := range ids {
		p := dak.Proposal{FiscalYear: 2027, Menu: dak.MenuRevitalisasi, Title: "Revitalisasi", RegionCode: "18.71", State: "draft",
			Workflow: "dak-fisik-ikm", WorkflowVersion: 1, CreatedBy: u.ID}
		if err := st.CreateProposal(ctx, &p); err != nil {
			t.Fatal(err)
		}
		ids[i] = p.ID
	}
	refused := dak.Errorf(dak.ErrRule, "syarat belum terpenuhi")
	runs := map[int64]int{}
	// job saves proposal id unless it is refused before
	// (readsThenRefuses) or after (writesThenRefuses) writing.
	job := func(id int64, readsThenRefuses, writesThenRefuses bool) *batchJob {
		return &batchJob{lock: id, part: func(tx *store.Tx, _ bool) (partNext, error) {
			runs[id]++
			p, err := tx.LockProposal(id)
			if err != nil {
				return partNext{}, err
			}
			if readsThenRefuses {
				return partNext{}, refused
			}
			if err := tx.SaveProposal(&p, p.Version); err != nil { // a write: the version moves on
				return partNext{}, err
			}
			if writesThenRefuses {
				return partNext{}, refused
			}
			return partNext{}, nil
		}}
	}
	saves := func(id int64) int {
		p, err := st.Proposal(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return int(p.Version - 1)
	}

	batch := []*batchJob{job(ids[0], false, false), job(ids[1], true, false)}
	e.runBatch(ctx, batch, newTurn(func() {}))
	if batch[0].err != nil || !errors.Is(batch[1].err, refused) || runs[ids[0]] != 1 || runs[ids[1]] != 1 || saves(ids[0]) != 1 {
		t.Fatalf("a refusal before writing: errs %v, %v; runs %v; saves %d; want nil, refused; each once; 1",
			batch[0].err, batch[1].err, runs, saves(ids[0]))
	}

	clear(runs)
	batch = []*batchJob{job(ids[2], false, false), job(ids[1], false, true), job(ids[3], false, false)}
	e.runBatch(ctx, batch, newTurn(func() {}))
	if batch[0].err != nil || batch[2].err != nil || !errors.Is(batch[1].err, refused) || errors.Is(batch[1].err, store.ErrPartWrote) {
		t.Fatalf("a refusal after writing: errs %v, %v, %v; want nil, the refusal itself, nil", batch[0].err, batch[1].err, batch[2].err)
	}
	if runs[ids[2]] != 2 || runs[ids[1]] != 2 || runs[ids[3]] != 1 {
		t.Errorf("runs %v: want the parts up to the refusal run twice, the rest once", runs)
	}
	if got := []int{saves(ids[2]), saves(ids[1]), saves(ids[3])}; !slices.Equal(got, []int{1, 0, 1}) {
		t.Errorf("saves %v, want 1, 0, 1: the refused part's write undone, the others' kept once", got)
	}
}

// TestRunBatchNumbersLater: a batch of events on distinct proposals runs
// every part's checks first, passes the lead on, then draws the numbers of
// the parts that left theirs to it in one go and gives them out in the
// order of the parts, consecutive and without a gap for a refused part; a
// part whose finish came before (it drew its own) keeps its place among the
// finishes. When giving a number out fails, the batch runs again with
// savepoints and every part draws its own, so the committed numbers still
// have no gap; a batch with two events of one proposal draws as it goes.
func TestRunBatchNumbersLater(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	e := &Engine{store: st}
	const kind, year = "tanda_terima_usulan", 2027
	var order []string
	log := func(format string, args ...any) { order = append(order, fmt.Sprintf(format, args...)) }
	failNumbering := map[string]bool{}
	// job leaves its number to the batch when told it may (later), or
	// draws it itself; refuse fails it before it writes; now gives its
	// finish at once, as an event that draws its own number does.
	job := func(name string, lock int64, refuse, now bool) *batchJob {
		return &batchJob{lock: lock, part: func(tx *store.Tx, later bool) (partNext, error) {
			log("%s", name)
			finish := func() error { log("%s.finish", name); return nil }
			switch {
			case refuse:
				return partNext{}, errors.New(name + " refused")
			case later && !now:
				return partNext{kind: kind, year: year, numbered: func(seq int64) (func() error, error) {
					log("%s#%d", name, seq)
					if failNumbering[name] {
						delete(failNumbering, name)
						return nil, errors.New(name + ": numbering failed")
					}
					return finish, nil
				}}, nil
			}
			seq, err := tx.NextNumber(kind, year)
			if err != nil {
				return partNext{}, err
			}
			log("%s#%d drawn by itself", name, seq)
			return partNext{finish: finish}, nil
		}}
	}
	run := func(batch ...*batchJob) {
		order = nil
		handedOff := false
		e.runBatch(ctx, batch, newTurn(func() {
			if !handedOff {
				handedOff = true
				log("handoff")
			}
		}))
	}
	counter := func() int64 { // the counter's last number, read by drawing the next in a transaction undone
		var last int64
		undo := errors.New("undo")
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			n, err := tx.NextNumber(kind, year)
			last = n - 1
			if err != nil {
				return err
			}
			return undo
		}); !errors.Is(err, undo) {
			t.Fatal(err)
		}
		return last
	}

	batch := []*batchJob{job("a", 1, false, false), job("b", 2, true, false), job("c", 3, false, true), job("d", 4, false, false),
		job("e", 5, false, false)}
	run(batch...)
	want := []string{"a", "b", "c", "c#1 drawn by itself", "d", "e", "handoff", "a#2", "d#3", "c.finish", "e#4", "a.finish",
		"d.finish", "e.finish"}
	if !slices.Equal(order, want) {
		t.Errorf("order = %v\nwant    %v", order, want)
	}
	for i, j := range batch {
		if (j.err != nil) != (i == 1) {
			t.Errorf("job %d: err = %v", i, j.err)
		}
	}
	if got := counter(); got != 4 {
		t.Errorf("counter at %d after 4 documents, want 4", got)
	}

	failNumbering["f"] = true
	batch = []*batchJob{job("f", 6, false, false), job("g", 7, false, false)}
	run(batch...)
	want = []string{"f", "g", "handoff", "f#5", "f", "f#5 drawn by itself", "g", "g#6 drawn by itself", "f.finish", "g.finish"}
	if !slices.Equal(order, want) || batch[0].err != nil || batch[1].err != nil {
		t.Errorf("a numbering that failed: order = %v, errs %v, %v\nwant    %v, nil, nil", order, batch[0].err, batch[1].err, want)
	}
	if got := counter(); got != 6 {
		t.Errorf("counter at %d after 6 documents, want 6", got)
	}

	run(job("h", 8, false, false), job("i", 8, false, false))
	want = []string{"h", "h#7 drawn by itself", "h.finish", "i", "i#8 drawn by itself", "i.finish", "handoff"}
	if !slices.Equal(order, want) {
		t.Errorf("two events of one proposal: order = %v\nwant    %v", order, want)
	}

	// A new draft locks no proposal: it is numbered later even in a batch
	// whose events draw their own numbers, so that a filing takes the
	// counter row after all its other locks.
	run(job("j", 0, false, false), job("k", 9, false, false), job("l", 9, false, false))
	want = []string{"j", "k", "k#9 drawn by itself", "k.finish", "l", "l#10 drawn by itself", "handoff", "j#11", "l.finish",
		"j.finish"}
	if !slices.Equal(order, want) {
		t.Errorf("a draft with two events of one proposal: order = %v\nwant    %v", order, want)
	}
}
