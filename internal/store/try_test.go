package store_test

import (
	"context"
	"errors"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestTry: a part that fails having only read is refused alone, its error
// as it is, and the transaction goes on to commit the other parts; a part
// that fails after any kind of write (a written-out statement, gorm's
// create, an update), or whose statement failed, answers ErrPartWrote, for
// the transaction can only roll back.
func TestTry(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st)
	refused := dak.Errorf(dak.ErrConflict, "status tidak sesuai")
	rab := func(id int64) []dak.Attachment {
		return []dak.Attachment{{ProposalID: id, Kind: "rab", FileName: "rab.pdf", ContentType: "application/pdf", Size: 3,
			SHA256: dak.SHA256Hex([]byte("rab")), UploadedBy: f.user.ID}}
	}
	i := 0
	for _, c := range []struct {
		what  string
		part  func(tx *store.Tx) error
		dirty bool
	}{
		{"a refusal after reads", func(tx *store.Tx) error {
			if _, err := tx.LockProposal(f.id); err != nil {
				return err
			}
			if _, err := tx.Attachments(f.id); err != nil {
				return err
			}
			return refused
		}, false},
		{"a refusal after a written-out insert", func(tx *store.Tx) error {
			if err := tx.AddRevision(f.id, 99, `{"title":"x"}`, f.user.ID); err != nil {
				return err
			}
			return refused
		}, true},
		{"a refusal after gorm's create", func(tx *store.Tx) error {
			if err := tx.AddAttachments(rab(f.id), [][]byte{[]byte("rab")}); err != nil {
				return err
			}
			return refused
		}, true},
		{"a refusal after an update", func(tx *store.Tx) error {
			p, err := tx.LockProposal(f.id)
			if err != nil {
				return err
			}
			if err := tx.SaveProposal(&p, p.Version); err != nil {
				return err
			}
			return refused
		}, true},
	} {
		i++
		var got error
		err := st.InTx(ctx, func(tx *store.Tx) error {
			got = tx.Try(func() error { return c.part(tx) })
			if errors.Is(got, store.ErrPartWrote) {
				return got
			}
			return tx.AddRevision(f.id, 100+i, `{"title":"sesudah"}`, f.user.ID) // the transaction goes on
		})
		switch {
		case c.dirty && !errors.Is(got, store.ErrPartWrote):
			t.Errorf("%s: Try = %v, want ErrPartWrote", c.what, got)
		case c.dirty && !errors.Is(got, refused):
			t.Errorf("%s: Try = %v, want it to wrap the part's error", c.what, got)
		case !c.dirty && (errors.Is(got, store.ErrPartWrote) || err != nil):
			t.Errorf("%s: Try = %v, transaction %v; want the part refused alone and the rest committed", c.what, got, err)
		}
	}

	// A statement of the part that failed inside the transaction.
	err := st.InTx(ctx, func(tx *store.Tx) error {
		got := tx.Try(func() error {
			_, err := tx.Events(-1) // reads fine
			if err != nil {
				return err
			}
			return tx.AddRevision(-1, 1, "{}", f.user.ID) // no such proposal: the statement fails
		})
		if !errors.Is(got, store.ErrPartWrote) {
			t.Errorf("a part whose statement failed: Try = %v, want ErrPartWrote", got)
		}
		return got
	})
	if err == nil {
		t.Error("the transaction of a failed statement committed")
	}
}
