package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestRunBatchFinishes: in a batch, a part's finish runs after the next
// part (the overlap of a rendering with the next event's statements),
// except that a part on the same proposal waits for the finish before it;
// a part refused alone leaves no finish; a finish that fails fails the
// whole batch, every part that had succeeded included, and the parts not
// yet run do not run.
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
	batch := []*batchJob{job("a", 1, false), job("b", 2, false), job("c", 2, false), job("d", 3, true), job("e", 4, false)}
	e.runBatch(context.Background(), batch, func() {})
	want := []string{"a", "b", "a.finish", "b.finish", "c", "d", "c.finish", "e", "e.finish"}
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
	batch = []*batchJob{job("f", 5, false), failing, job("g", 7, false), job("h", 8, true)}
	e.runBatch(context.Background(), batch, func() {})
	for i, j := range batch {
		if j.err == nil {
			t.Errorf("job %d of a batch whose finish failed: no error", i)
		}
	}
	if !errors.Is(batch[0].err, batch[1].err) && batch[0].err.Error() != batch[1].err.Error() {
		t.Errorf("job 0 err %v, want the batch's failure %v", batch[0].err, batch[1].err)
	}
	if slices.Contains(order, "h") || batch[3].err.Error() != batch[1].err.Error() {
		t.Errorf("a part after the failed finish ran (%v) or answered %v, want the batch's failure", order, batch[3].err)
	}
}
