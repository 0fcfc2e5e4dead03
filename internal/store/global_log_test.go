package store_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/translog"
)

// testSigner is a checkpoint key and the verifiers that know it.
func testSigner(t testing.TB) (note.Signer, note.Verifiers) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := translog.NewSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	v, err := translog.NewVerifier(priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return s, note.VerifierList(v)
}

// manyEvents fires submit on n new proposals at once, with linkers and
// checkpoint writers racing them, and returns the proposals.
func manyEvents(t *testing.T, f *fixture, n int, signer note.Signer) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = f.proposal(t)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.step(t, id, "submit", "submitted")
		}()
		if i%5 == 0 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := f.st.LinkGlobal(ctx); err != nil {
					t.Error(err)
				}
				if _, _, err := f.st.WriteCheckpoint(ctx, signer); err != nil && !errors.Is(err, dak.ErrNotFound) {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	if _, err := f.st.LinkGlobal(ctx); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestLogTree: events committed concurrently become leaves of one tree,
// whose root is tlog's root of their hashes in global chain order; each
// event's inclusion proof and each pair of checkpoints check, and
// VerifyLog finds the log sound.
func TestLogTree(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	signer, known := testSigner(t)
	f := newFixture(t, st)
	ids := manyEvents(t, f, 30, signer)
	first, fresh, err := st.WriteCheckpoint(ctx, signer)
	if err != nil || !fresh && first.Size == 0 {
		t.Fatalf("WriteCheckpoint = %+v, %v", first, err)
	}
	chain, err := st.GlobalChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != 32 || first.Size != 32 {
		t.Fatalf("global chain has %d links and the checkpoint %d leaves, want 32 (2 + 30 events)", len(chain), first.Size)
	}
	// The same root, computed here from the leaves alone.
	var hashes []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	for i, l := range chain {
		hs, err := tlog.StoredHashes(int64(i), []byte(l.Event), reader)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	root, _ := tlog.TreeHash(int64(len(chain)), reader)
	head, err := st.TreeHead(ctx)
	if err != nil || head.N != 32 || head.Hash != root || first.Root != root {
		t.Fatalf("TreeHead = %v %v, checkpoint root %v; want 32 leaves, root %v", head, err, first.Root, root)
	}
	if again, fresh, err := st.WriteCheckpoint(ctx, signer); err != nil || fresh || again.Size != first.Size {
		t.Errorf("WriteCheckpoint without new events = %d, fresh %v, %v; want the same checkpoint", again.Size, fresh, err)
	}
	if _, err := translog.Open(first.Note, known); err != nil {
		t.Errorf("the stored checkpoint does not open: %v", err)
	}

	// More events, a second checkpoint, proofs between them.
	for _, id := range ids[:5] {
		f.step(t, id, "recommend", "recommended")
	}
	if _, err := st.LinkGlobal(ctx); err != nil {
		t.Fatal(err)
	}
	second, fresh, err := st.WriteCheckpoint(ctx, signer)
	if err != nil || !fresh || second.Size != 37 {
		t.Fatalf("second WriteCheckpoint = %d, fresh %v, %v; want 37 leaves", second.Size, fresh, err)
	}
	p, err := st.ProveConsistency(ctx, first.Size, second.Size)
	if err != nil || p.Check(first.Tree(), second.Tree()) != nil {
		t.Errorf("ProveConsistency(%d, %d) = %v, does not check", first.Size, second.Size, err)
	}
	chain, err = st.GlobalChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	proofs, err := st.InclusionProofs(ctx, ids[0], second.Size)
	if err != nil || len(proofs) != 2 || proofs[0].Seq != 1 || proofs[1].Seq != 2 {
		t.Fatalf("InclusionProofs = %+v, %v; want events 1 and 2", proofs, err)
	}
	for _, pr := range proofs {
		if err := pr.Check(second.Tree(), chain[pr.Index].Event); err != nil {
			t.Errorf("event %d: %v", pr.Seq, err)
		}
	}
	if _, err := st.ProveConsistency(ctx, 5, 99); !errors.Is(err, dak.ErrInvalid) {
		t.Errorf("ProveConsistency beyond the log = %v, want ErrInvalid", err)
	}
	rep, err := st.VerifyLogWith(ctx, store.LogCheck{Keys: known, Witnessed: []translog.Checkpoint{first}})
	if err != nil || rep.Leaves != 37 || rep.Checkpoints < 2 || rep.Witnessed != 1 {
		t.Errorf("VerifyLogWith = %+v, %v; want a sound log of 37 leaves", rep, err)
	}
	// A new key signs the same tree again: one checkpoint per tree and key.
	other, _ := testSigner(t)
	if c, fresh, err := st.WriteCheckpoint(ctx, other); err != nil || !fresh || c.Size != 37 || c.KeyID == second.KeyID {
		t.Errorf("WriteCheckpoint with a rotated key = %+v, fresh %v, %v", c, fresh, err)
	}
}

// TestLogAppendOnly: the log and its checkpoints refuse UPDATE and DELETE
// (and TRUNCATE on PostgreSQL) for the role that owns them.
func TestLogAppendOnly(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	signer, _ := testSigner(t)
	newFixture(t, st)
	if _, err := st.LinkGlobal(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.WriteCheckpoint(ctx, signer); err != nil {
		t.Fatal(err)
	}
	statements := []string{
		`UPDATE global_chain SET hash = prev_hash`,
		`DELETE FROM global_chain`,
		`UPDATE log_hashes SET idx = idx + 100`,
		`DELETE FROM log_hashes`,
		`UPDATE log_checkpoints SET root_hash = 'x'`,
		`DELETE FROM log_checkpoints`,
	}
	if st.Dialect() == store.Postgres {
		statements = append(statements, `TRUNCATE global_chain`, `TRUNCATE log_hashes`, `TRUNCATE log_checkpoints`)
	}
	for _, stmt := range statements {
		if err := st.Exec(ctx, stmt); !errors.Is(err, dak.ErrIntegrity) {
			t.Errorf("Exec(%q) = %v, want ErrIntegrity", stmt, err)
		}
	}
	if err := st.VerifyLog(ctx); err != nil {
		t.Errorf("VerifyLog after the refusals = %v", err)
	}
}

// TestVerifyLogNamesTampering: a database operator who switches the
// triggers off and edits, deletes or rebuilds the log is named.
func TestVerifyLogNamesTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(a *dbtest.Attacker, st *store.Store, last int64)
		want   string
	}{
		{"event rewritten", func(a *dbtest.Attacker, st *store.Store, last int64) {
			a.Exec(`UPDATE events SET hash = prev_hash WHERE id = (SELECT event_id FROM global_chain WHERE seq = 3)`)
		}, "global chain seq 3: its hash does not cover event"},
		{"leaf rewritten", func(a *dbtest.Attacker, st *store.Store, last int64) {
			a.Exec(`UPDATE log_hashes SET hash = (SELECT hash FROM log_hashes WHERE idx = 1) WHERE idx = 0`)
		}, "leaf 0 (event 1 of proposal"},
		{"inner hash rewritten", func(a *dbtest.Attacker, st *store.Store, last int64) {
			a.Exec(`UPDATE log_hashes SET hash = (SELECT hash FROM log_hashes WHERE idx = 0) WHERE idx = 2`)
		}, "stored hash 2 (level 1, node 0)"},
		{"chain row deleted", func(a *dbtest.Attacker, st *store.Store, last int64) {
			a.Exec(`DELETE FROM global_chain WHERE seq = 3`)
		}, "leaf 2 (global chain seq 3) is missing"},
		{"last event deleted with its log rows", func(a *dbtest.Attacker, st *store.Store, last int64) {
			a.Exec(`DELETE FROM global_chain WHERE seq = ?`, last)
			a.Exec(`DELETE FROM log_hashes WHERE idx >= ?`, tlog.StoredHashIndex(0, last-1))
		}, "the log has only"},
		{"checkpoint rewritten", func(a *dbtest.Attacker, st *store.Store, last int64) {
			a.Exec(`UPDATE log_checkpoints SET root_hash = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='`)
		}, "its columns differ from its signed note"},
		{"history rebuilt", rebuildHistory, "its root hash is not the root of the log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := dbtest.Open(t)
			ctx := context.Background()
			signer, _ := testSigner(t)
			f := newFixture(t, st)
			for i := 0; i < 3; i++ {
				f.step(t, f.proposal(t), "submit", "submitted")
			}
			if _, err := st.LinkGlobal(ctx); err != nil {
				t.Fatal(err)
			}
			cp, _, err := st.WriteCheckpoint(ctx, signer)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.VerifyLog(ctx); err != nil {
				t.Fatalf("VerifyLog before tampering = %v", err)
			}
			tt.tamper(dbtest.Attack(t, st), st, cp.Size)
			err = st.VerifyLog(ctx)
			if !errors.Is(err, dak.ErrIntegrity) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("VerifyLog = %v, want ErrIntegrity naming %q", err, tt.want)
			}
		})
	}
}

// rebuildHistory rewrites the first event's hash, then rebuilds the global
// chain and the whole tree over it, as an operator covering the edit would;
// only the signed checkpoint still names the old root.
func rebuildHistory(a *dbtest.Attacker, st *store.Store, last int64) {
	a.Exec(`UPDATE events SET hash = prev_hash WHERE id = (SELECT event_id FROM global_chain WHERE seq = 1)`)
	rows, err := st.GlobalChain(context.Background())
	if err != nil {
		panic(err)
	}
	var hashes []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	prev := dak.GenesisHash
	for i, r := range rows {
		h := dak.ChainHash(prev, r.Event)
		a.Exec(`UPDATE global_chain SET prev_hash = ?, hash = ? WHERE seq = ?`, prev, h, r.Seq)
		prev = h
		hs, _ := tlog.StoredHashesForRecordHash(int64(i), translog.LeafHash(r.Event), reader)
		hashes = append(hashes, hs...)
	}
	for idx, h := range hashes {
		a.Exec(`UPDATE log_hashes SET hash = ? WHERE idx = ?`, h[:], idx)
	}
}

// TestLogAcrossStores: two "processes" on one database link and sign
// checkpoints at once while transitions commit; the tree never forks and
// every checkpoint extends the one before.
func TestLogAcrossStores(t *testing.T) {
	a, b := openTwice(t)
	ctx := context.Background()
	signer, known := testSigner(t)
	f := newFixture(t, a)
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		id := f.proposal(t)
		wg.Add(2)
		go func() {
			defer wg.Done()
			f.step(t, id, "submit", "submitted")
		}()
		go func() {
			defer wg.Done()
			st := []*store.Store{a, b}[i%2]
			if _, err := st.LinkGlobal(ctx); err != nil {
				t.Error(err)
			}
			if _, _, err := st.WriteCheckpoint(ctx, signer); err != nil && !errors.Is(err, dak.ErrNotFound) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if _, err := b.LinkGlobal(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.WriteCheckpoint(ctx, signer); err != nil {
		t.Fatal(err)
	}
	rep, err := b.VerifyLogWith(ctx, store.LogCheck{Keys: known})
	if err != nil || rep.Leaves != 14 || rep.Checkpoints < 1 {
		t.Errorf("VerifyLogWith = %+v, %v; want 14 leaves under sound checkpoints", rep, err)
	}
}
