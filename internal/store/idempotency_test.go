package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestIdempotentReply: the answer to a key is kept as a reference to the
// event its request fired, and reads back as that event (from its hashed
// record) and the document it issued, or to the proposal a filing filed,
// or the attachments an upload stored; a key is saved once.
func TestIdempotentReply(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	f := newFixture(t, st) // submit (seq 1, a receipt) and recommend (seq 2, a letter)
	events, err := st.Events(ctx, f.id)
	if err != nil || len(events) != 2 {
		t.Fatalf("Events = %d, %v; want the fixture's 2", len(events), err)
	}
	docs, err := st.Documents(ctx, f.id)
	if err != nil || len(docs) != 2 {
		t.Fatalf("Documents = %d, %v; want the fixture's 2", len(docs), err)
	}
	inTx := func(fn func(tx *store.Tx) error) error {
		t.Helper()
		return st.InTx(ctx, fn)
	}
	if err := inTx(func(tx *store.Tx) error { return tx.SaveIdempotentReply(f.user.ID, "kunci-1", "hash-1", events[1]) }); err != nil {
		t.Fatal(err)
	}
	err = inTx(func(tx *store.Tx) error {
		got, err := tx.IdempotentReply(f.user.ID, "kunci-1")
		if err != nil {
			return err
		}
		if want := (store.IdempotentReply{RequestHash: "hash-1", ProposalID: f.id, EventSeq: 2}); got == nil || !reflect.DeepEqual(*got, want) {
			t.Errorf("IdempotentReply = %+v, want %+v", got, want)
		}
		if other, err := tx.IdempotentReply(f.user.ID+1, "kunci-1"); err != nil || other != nil {
			t.Errorf("another user's IdempotentReply = %+v, %v; want none", other, err)
		}
		ev, doc, err := tx.FiredEvent(f.id, 2)
		if err != nil {
			return err
		}
		if ev.Hash != events[1].Hash || ev.Event != "recommend" || len(ev.Mismatch) > 0 {
			t.Errorf("FiredEvent = %s %s %v, want recommend %s", ev.Event, ev.Hash, ev.Mismatch, events[1].Hash)
		}
		if doc == nil || doc.ID != docs[1].ID || doc.SHA256 != docs[1].SHA256 {
			t.Errorf("FiredEvent document = %+v, want %+v", doc, docs[1])
		}
		if _, _, err := tx.FiredEvent(f.id, 3); !errors.Is(err, dak.ErrNotFound) {
			t.Errorf("FiredEvent(seq 3) = %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = inTx(func(tx *store.Tx) error { return tx.SaveIdempotentReply(f.user.ID, "kunci-1", "hash-2", events[0]) })
	if !errors.Is(err, dak.ErrConflict) {
		t.Errorf("saving a used key again = %v, want ErrConflict", err)
	}
	err = inTx(func(tx *store.Tx) error {
		return tx.SaveIdempotentReply(f.user.ID, "kunci-2", "hash-2", dak.Event{ProposalID: f.id, Seq: 9})
	})
	if err == nil {
		t.Error("saving a reply to an event that does not exist succeeded")
	}

	// A filing's answer is its proposal; an upload's its attachments, in
	// the order stored; either key saved twice is ErrConflict.
	err = inTx(func(tx *store.Tx) error {
		if err := tx.SaveIdempotentFiling(f.user.ID, "kunci-3", "hash-3", f.id); err != nil {
			return err
		}
		return tx.SaveIdempotentUpload(f.user.ID, "kunci-4", "hash-4", f.id, []dak.Attachment{{ID: 9}, {ID: 7}})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = inTx(func(tx *store.Tx) error {
		for key, want := range map[string]store.IdempotentReply{
			"kunci-3": {RequestHash: "hash-3", ProposalID: f.id},
			"kunci-4": {RequestHash: "hash-4", ProposalID: f.id, Attachments: []int64{9, 7}},
		} {
			if got, err := tx.IdempotentReply(f.user.ID, key); err != nil || got == nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("IdempotentReply(%s) = %+v, %v; want %+v", key, got, err, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, save := range []func(tx *store.Tx) error{
		func(tx *store.Tx) error { return tx.SaveIdempotentFiling(f.user.ID, "kunci-4", "hash-4", f.id) },
		func(tx *store.Tx) error { return tx.SaveIdempotentUpload(f.user.ID, "kunci-3", "hash-3", f.id, nil) },
	} {
		if err := inTx(save); !errors.Is(err, dak.ErrConflict) {
			t.Errorf("saving a used key again = %v, want ErrConflict", err)
		}
	}
}
