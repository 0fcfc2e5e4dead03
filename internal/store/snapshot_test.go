package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestTrailSnapshotConsistent: transitions commit on a proposal while its
// trail is read again and again; every snapshot has each document's event
// and each event's document, and the proposal's state is its last event's.
func TestTrailSnapshotConsistent(t *testing.T) {
	st := dbtest.Open(t)
	f := newFixture(t, st)
	id := f.proposal(t)
	const transitions = 60
	var (
		wg      sync.WaitGroup
		stepErr error
	)
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for i := 0; i < transitions && stepErr == nil; i++ {
			stepErr = f.tryStep(id, "comment", []string{"submitted", "verified"}[i%2])
		}
	}()
	reads := 0
	for running := true; running; reads++ {
		select {
		case <-done:
			running = false // one last read after the final commit
		default:
		}
		if err := checkSnapshot(st, id); err != nil {
			t.Errorf("read %d: %v", reads, err)
			break
		}
	}
	wg.Wait()
	if stepErr != nil {
		t.Fatal(stepErr)
	}
	snap, err := st.TrailSnapshot(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Events) != transitions || len(snap.Attachments) != 0 {
		t.Errorf("final snapshot has %d events, %d attachments; want %d, 0", len(snap.Events), len(snap.Attachments), transitions)
	}
	t.Logf("%d snapshots read while %d transitions committed", reads, transitions)
}

// checkSnapshot reads a trail snapshot and says how it is inconsistent.
func checkSnapshot(st *store.Store, id int64) error {
	snap, err := st.TrailSnapshot(context.Background(), id)
	if err != nil {
		return err
	}
	bySeq := map[int]int64{}
	for _, e := range snap.Events {
		if len(e.Mismatch) > 0 {
			return fmt.Errorf("event %d Mismatch %q", e.Seq, e.Mismatch)
		}
		bySeq[e.Seq] = *e.DocumentID
	}
	if n := len(snap.Events); n > 0 && snap.Proposal.State != snap.Events[n-1].To {
		return fmt.Errorf("state %q, last event ends in %q", snap.Proposal.State, snap.Events[n-1].To)
	}
	if len(snap.Documents) != len(snap.Events) {
		return fmt.Errorf("%d documents for %d events", len(snap.Documents), len(snap.Events))
	}
	for _, d := range snap.Documents {
		if bySeq[d.EventSeq] != d.ID || len(snap.PDFs[d.ID]) == 0 {
			return fmt.Errorf("document %d (event %d) has no event or no bytes in the snapshot", d.ID, d.EventSeq)
		}
	}
	return nil
}
