package web_test

import (
	"context"
	"sync"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// TestGlobalChain: events committed concurrently on different proposals are
// each linked exactly once, by linkers racing each other, into one chain
// whose every link checks.
func TestGlobalChain(t *testing.T) {
	e := apitest.NewEnv(t)
	var ids []int64
	for i := 0; i < 6; i++ {
		ids = append(ids, e.Create(t, "revitalisasi", false))
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			if r := e.Pemda.Fire(id, "submit", "", nil, nil); r.Status != 200 {
				t.Errorf("submit %d = %d %s", id, r.Status, r.Body)
			}
		}(id)
		wg.Add(1)
		go func() { // linkers race the transitions and each other
			defer wg.Done()
			if _, err := e.Store.LinkGlobal(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if _, err := e.Store.LinkGlobal(context.Background()); err != nil {
		t.Fatal(err)
	}
	chain, err := e.Store.GlobalChain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != len(ids) {
		t.Fatalf("global chain has %d links, want %d", len(chain), len(ids))
	}
	prev, seen := dak.GenesisHash, map[int64]bool{}
	for i, l := range chain {
		if l.Seq != int64(i+1) || l.PrevHash != prev || l.Hash != dak.ChainHash(prev, l.Event) || seen[l.EventID] {
			t.Fatalf("link %d = %+v does not chain", i+1, l)
		}
		prev, seen[l.EventID] = l.Hash, true
	}
}
