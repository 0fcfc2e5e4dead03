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
		return &batchJob{lock: lock, part: func(*store.Tx) (func() error, error) {
			order = append(order, name)
			if refuse {
				return nil, errors.New(name + " refused")
			}
			return func() error { order = append(order, name+".finish"); return nil }, nil
		}}
	}
	batch := []*batchJob{job("a", 1, false), job("b", 2, false), job("c", 2, false), job("d", 3, true), job("e", 4, false),
		job("f", 9, false)}
	e.runBatch(context.Background(), batch, func() {})
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
	failing := &batchJob{lock: 6, part: func(*store.Tx) (func() error, error) {
		return func() error { return fmt.Errorf("store the document: disk gone") }, nil
	}}
	batch = []*batchJob{job("f", 5, false), failing, job("g", 7, false), job("x", 10, false), job("h", 8, true)}
	e.runBatch(context.Background(), batch, func() {})
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
		return &batchJob{lock: id, part: func(tx *store.Tx) (func() error, error) {
			runs[id]++
			p, err := tx.LockProposal(id)
			if err != nil {
				return nil, err
			}
			if readsThenRefuses {
				return nil, refused
			}
			if err := tx.SaveProposal(&p, p.Version); err != nil { // a write: the version moves on
				return nil, err
			}
			if writesThenRefuses {
				return nil, refused
			}
			return nil, nil
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
	e.runBatch(ctx, batch, func() {})
	if batch[0].err != nil || !errors.Is(batch[1].err, refused) || runs[ids[0]] != 1 || runs[ids[1]] != 1 || saves(ids[0]) != 1 {
		t.Fatalf("a refusal before writing: errs %v, %v; runs %v; saves %d; want nil, refused; each once; 1",
			batch[0].err, batch[1].err, runs, saves(ids[0]))
	}

	clear(runs)
	batch = []*batchJob{job(ids[2], false, false), job(ids[1], false, true), job(ids[3], false, false)}
	e.runBatch(ctx, batch, func() {})
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
