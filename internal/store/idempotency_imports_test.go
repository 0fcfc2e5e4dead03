package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/workflow"
)

// TestIdempotentImports: an import's commit under an Idempotency-Key
// keeps as its answer the ids of what it created, in order, saved in the
// transaction that creates them: the drafts CreateProposalsOnce files,
// whose retry answers them and files nothing; the sentra ImportSentraOnce registers,
// whose retry answers them and registers nothing. A key answered for one
// import is refused for the other or for another file, and an answer is
// exactly one kind (migration 0023's CHECK).
func TestIdempotentImports(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	pemda, e := pemdaEngine(t, st)
	count := func(table string) int64 {
		t.Helper()
		var n int64
		if err := st.Query(ctx, &n, `SELECT COUNT(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		return n
	}

	second := tapisPembangunan()
	second.Title, second.Sentra.Name, second.Sentra.Commodity = "Pembangunan Sentra IKM Kopi", "Sentra IKM Kopi", "Kopi"
	key := workflow.ImportKey{Key: "impor-usulan", RequestHash: "hash-usulan"}
	filed, replayed, err := e.CreateProposalsOnce(ctx, pemda, []dak.ProposalInput{tapisPembangunan(), second}, key)
	if err != nil || replayed || len(filed) != 2 {
		t.Fatalf("CreateProposalsOnce = %v %v %v, want two drafts filed", filed, replayed, err)
	}
	ids, found, err := st.ImportedUnder(ctx, pemda.ID, "impor-usulan", "hash-usulan", store.ImportedProposals)
	if err != nil || !found || !cmp.Equal(ids, filed) {
		t.Errorf("ImportedUnder = %v %v %v, want %v", ids, found, err, filed)
	}
	// Once answered, the key answers the same drafts and files nothing,
	// whatever the drafts given.
	proposals := count("proposals")
	again, replayed, err := e.CreateProposalsOnce(ctx, pemda, []dak.ProposalInput{tapisPembangunan()}, key)
	if err != nil || !replayed || !cmp.Equal(again, filed) || count("proposals") != proposals {
		t.Errorf("drafts filed again under the key = %v %v %v, %d proposals; want %v replayed and %d", again, replayed, err,
			count("proposals"), filed, proposals)
	}
	if _, _, err := e.CreateProposalsOnce(ctx, pemda, []dak.ProposalInput{tapisPembangunan()},
		workflow.ImportKey{Key: "impor-usulan", RequestHash: "hash-lain"}); !errors.Is(err, dak.ErrInvalid) || count("proposals") != proposals {
		t.Errorf("the key with another workbook = %v, want ErrInvalid and nothing filed", err)
	}

	records := []dak.SentraRecordInput{sentraRecord("Sentra Rotan Impor", "18.71.02.1003", "Rotan"),
		sentraRecord("Sentra Bambu Impor", "18.71.02.1003", "Bambu")}
	first, replayed, err := st.ImportSentraOnce(ctx, records, pemda, "impor-sentra", "hash-sentra")
	if err != nil || replayed || len(first) != 2 {
		t.Fatalf("ImportSentraOnce = %v %v %v, want two ids", first, replayed, err)
	}
	sentra := count("sentra")
	again, replayed, err = st.ImportSentraOnce(ctx, records, pemda, "impor-sentra", "hash-sentra")
	if err != nil || !replayed || !cmp.Equal(again, first) || count("sentra") != sentra {
		t.Errorf("ImportSentraOnce again = %v %v %v (%d sentra), want %v replayed, %d sentra", again, replayed, err,
			count("sentra"), first, sentra)
	}

	for _, c := range []struct {
		what, key, hash string
		kind            store.ImportKind
	}{
		{"another file", "impor-sentra", "hash-lain", store.ImportedSentra},
		{"the proposal import", "impor-sentra", "hash-sentra", store.ImportedProposals},
		{"the sentra import", "impor-usulan", "hash-usulan", store.ImportedSentra},
	} {
		if _, _, err := st.ImportedUnder(ctx, pemda.ID, c.key, c.hash, c.kind); !errors.Is(err, dak.ErrInvalid) {
			t.Errorf("key %s for %s = %v, want ErrInvalid", c.key, c.what, err)
		}
	}
	if _, _, err := st.ImportSentraOnce(ctx, records[:1], pemda, "impor-usulan", "hash-usulan"); !errors.Is(err, dak.ErrInvalid) ||
		count("sentra") != sentra {
		t.Errorf("ImportSentraOnce under the proposal import's key = %v, want ErrInvalid and nothing registered", err)
	}
	if _, found, err := st.ImportedUnder(ctx, pemda.ID+1, "impor-usulan", "hash-usulan", store.ImportedProposals); err != nil || found {
		t.Errorf("another user's key = %v %v, want none", found, err)
	}

	err = st.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, imported_proposal_ids, imported_sentra_ids, created_at)
		VALUES (?, 'dua-jawaban', 'h', '[]', '[]', ?)`, pemda.ID, st.Now())
	if err == nil {
		t.Error("a key with two answers was stored")
	}
}
