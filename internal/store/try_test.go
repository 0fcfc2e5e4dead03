package store_test

import (
	"context"
	"errors"
	"slices"
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
			if _, err := tx.NextNumber("tanda_terima_usulan", 2027); err != nil {
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
			return tx.AddAttachments(rab(-1), [][]byte{[]byte("rab")}) // no such proposal: the statement fails
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

// TestRevisionGoesWithSave: on PostgreSQL a submission's revision is
// written by the statement that saves the proposal (and draws its
// receipt's number), not one of its own; stored alike on both engines. A
// part refused after it queued a revision leaves none, with or without a
// savepoint; one queued and never followed by a save is written at commit.
func TestRevisionGoesWithSave(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st)
	revisions := func() []int {
		list, err := st.Revisions(ctx, f.id)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, r := range list {
			out = append(out, r.Number)
		}
		return out
	}
	refused := dak.Errorf(dak.ErrRule, "syarat belum terpenuhi")
	err := st.InTx(ctx, func(tx *store.Tx) error {
		err := tx.Try(func() error {
			if err := tx.AddRevision(f.id, 7, `{"title":"ditolak"}`, f.user.ID); err != nil {
				return err
			}
			return refused
		})
		if st.Dialect() != store.Postgres { // written at once: the transaction can only roll back
			if !errors.Is(err, store.ErrPartWrote) {
				t.Errorf("Try of a part refused after writing a revision = %v, want ErrPartWrote", err)
			}
			return err
		}
		if !errors.Is(err, refused) || errors.Is(err, store.ErrPartWrote) {
			t.Errorf("Try of a part refused after queuing a revision = %v, want the refusal alone", err)
		}
		return nil
	})
	if err != nil && st.Dialect() == store.Postgres {
		t.Fatal(err)
	}
	err = st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.Part("part_1", func() error {
			if err := tx.AddRevision(f.id, 8, `{"title":"ditolak"}`, f.user.ID); err != nil {
				return err
			}
			return refused
		}); !errors.Is(err, refused) {
			t.Errorf("Part refused after queuing a revision = %v", err)
		}
		p, err := tx.LockProposal(f.id)
		if err != nil {
			return err
		}
		if err := tx.AddRevision(f.id, 9, `{"title":"diajukan"}`, f.user.ID); err != nil {
			return err
		}
		stop := st.RecordStatements()
		_, err = tx.SaveProposalNumbered(&p, p.Version, "tanda_terima_usulan", 2027)
		statements := stop()
		want := 2 // the save, the draw: the revision was written when added
		if st.Dialect() == store.Postgres {
			want = 1 // the revision goes with them
		}
		if len(statements) != want {
			t.Errorf("revision, save and number: %d statements, want %d: %q", len(statements), want, statements)
		}
		if err != nil {
			return err
		}
		return tx.AddRevision(f.id, 10, `{"title":"tanpa simpan"}`, f.user.ID) // written at commit
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := revisions(); !slices.Contains(got, 9) || !slices.Contains(got, 10) || slices.Contains(got, 7) || slices.Contains(got, 8) {
		t.Errorf("revisions stored %v: want 9 and 10, not 7 nor 8 (refused)", got)
	}
}
