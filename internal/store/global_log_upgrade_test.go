package store_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/migrations"
)

// migrationsUpTo is the embedded migrations numbered up to last.
func migrationsUpTo(t *testing.T, last string) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	for _, dir := range []string{"postgres", "sqlite"} {
		entries, err := fs.ReadDir(migrations.FS, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() > last {
				continue
			}
			b, err := fs.ReadFile(migrations.FS, dir+"/"+e.Name())
			if err != nil {
				t.Fatal(err)
			}
			out[dir+"/"+e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	return out
}

// TestLogUpgrade: a database from before the tree (migration 0005), with
// events on the global chain and the key pair in signing_keys, keeps every
// link after `migrate up`: the linker adds the old chain to the tree first,
// then new events; the private key is gone and the public one is left for
// the key ring to list as retired.
func TestLogUpgrade(t *testing.T) {
	url := dbtest.URL(t)
	st, err := store.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Migrate(ctx, migrationsUpTo(t, "0005_zzz")); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, st) // two events, linked below as the old linker did
	f.step(t, f.proposal(t), "submit", "submitted")
	chain := dak.GenesisHash
	for seq := int64(1); seq <= 3; seq++ {
		var hash string
		if err := st.Query(ctx, &hash, `SELECT hash FROM events WHERE id = ?`, seq); err != nil {
			t.Fatal(err)
		}
		next := dak.ChainHash(chain, hash)
		if err := st.Exec(ctx, `INSERT INTO global_chain (seq, event_id, prev_hash, hash, linked_at) VALUES (?, ?, ?, ?, ?)`,
			seq, seq, chain, next, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		chain = next
	}
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	if err := st.Exec(ctx, `INSERT INTO signing_keys (id, private_key, public_key, created_at) VALUES (1, ?, ?, ?)`,
		base64.StdEncoding.EncodeToString(priv), base64.StdEncoding.EncodeToString(pub), time.Now().UTC()); err != nil {
		t.Fatal(err)
	}

	if _, err := st.Migrate(ctx, migrations.FS); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	f.step(t, f.proposal(t), "submit", "submitted") // a fourth event, after the upgrade
	if n, err := st.LinkGlobal(ctx); err != nil || n != 4 {
		t.Fatalf("LinkGlobal after the upgrade = %d, %v; want the 3 old links added to the tree and 1 new event", n, err)
	}
	links, err := st.GlobalChain(ctx)
	if err != nil || len(links) != 4 || links[2].Hash != chain {
		t.Fatalf("global chain after the upgrade = %+v, %v; want the 3 old links kept and a 4th", links, err)
	}
	head, err := st.TreeHead(ctx)
	if err != nil || head.N != 4 {
		t.Fatalf("TreeHead = %v, %v; want 4 leaves", head, err)
	}
	if err := st.VerifyLog(ctx); err != nil {
		t.Errorf("VerifyLog after the upgrade = %v", err)
	}
	legacy, err := st.LegacySigningKeys(ctx)
	if err != nil || len(legacy) != 1 || legacy[0].PublicKey != base64.StdEncoding.EncodeToString(pub) {
		t.Fatalf("LegacySigningKeys = %+v, %v", legacy, err)
	}
	var keys []string
	err = st.Query(ctx, &keys, `SELECT private_key FROM signing_keys`)
	if err == nil || !strings.Contains(err.Error(), "private_key") {
		t.Errorf("signing_keys.private_key after migrate up: %v, want the column gone", err)
	}
	if err := st.DeleteLegacySigningKeys(ctx); err != nil {
		t.Fatal(err)
	}
	if legacy, _ := st.LegacySigningKeys(ctx); len(legacy) != 0 {
		t.Errorf("signing_keys after DeleteLegacySigningKeys holds %d rows", len(legacy))
	}
}
