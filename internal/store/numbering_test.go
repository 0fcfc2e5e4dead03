package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/migrations"
)

// errRollback is what a test transaction returns to roll itself back.
var errRollback = errors.New("rollback")

// openTwice opens two stores on one fresh database, as two server
// processes would, and migrates it once.
func openTwice(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	url := dbtest.URL(t)
	var out [2]*store.Store
	for i := range out {
		st, err := store.Open(url)
		if err != nil {
			t.Fatalf("open store %d: %v", i+1, err)
		}
		t.Cleanup(func() { st.Close() })
		out[i] = st
	}
	if _, err := out[0].Migrate(context.Background(), migrations.FS); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return out[0], out[1]
}

// TestNextNumberGaplessAcrossStores draws document numbers from many
// goroutines on two separate stores (two "processes") over one database.
// Some transactions roll back after drawing; their numbers must be handed
// out again, so the committed numbers are exactly 1..K, each once. The
// second case reads before it draws, as an event's transaction does (the
// proposal, its attachments and history come first): on SQLite that is
// the shape that fails with "database is locked" unless transactions take
// the write lock when they begin.
func TestNextNumberGaplessAcrossStores(t *testing.T) {
	a, b := openTwice(t)
	t.Run("draw_first", func(t *testing.T) { drawConcurrently(t, a, b, "tanda_terima_usulan", false) })
	t.Run("read_then_draw", func(t *testing.T) { drawConcurrently(t, a, b, "surat_penetapan_alokasi", true) })
}

func drawConcurrently(t *testing.T, a, b *store.Store, kind string, readFirst bool) {
	ctx := context.Background()
	const (
		year       = 2027
		workers    = 8  // per store
		iterations = 25 // committed draws per worker
	)
	var (
		mu         sync.Mutex
		committed  = map[*store.Store][]int64{}
		all        []int64
		rolledBack = map[int64]int{} // number → times rolled back
		wg         sync.WaitGroup
	)
	for _, st := range []*store.Store{a, b} {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 7))
				for done := 0; done < iterations; {
					var n int64
					err := st.InTx(ctx, func(tx *store.Tx) error {
						if readFirst {
							if _, err := tx.Events(int64(w + 1)); err != nil {
								return err
							}
						}
						var err error
						if n, err = tx.NextNumber(kind, year); err != nil {
							return err
						}
						// Hold the transaction a little, as issuing a
						// document does while its PDF renders.
						time.Sleep(time.Duration(rng.IntN(300)) * time.Microsecond)
						if n%7 == 0 {
							mu.Lock()
							first := rolledBack[n] == 0
							if first {
								rolledBack[n]++
							}
							mu.Unlock()
							if first { // each multiple of 7 is rolled back once, then reused
								return errRollback
							}
						}
						return nil
					})
					switch {
					case errors.Is(err, errRollback):
					case err != nil:
						t.Errorf("draw: %v", err)
						return
					default:
						done++
						mu.Lock()
						committed[st] = append(committed[st], n)
						all = append(all, n)
						mu.Unlock()
					}
				}
			}()
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	want := 2 * workers * iterations
	if len(all) != want || len(committed[a]) != want/2 || len(committed[b]) != want/2 {
		t.Fatalf("%d committed draws (%d and %d per store), want %d", len(all), len(committed[a]), len(committed[b]), want)
	}
	checkOneToK(t, all)
	if len(rolledBack) == 0 {
		t.Fatal("no transaction rolled back: the test did not exercise reuse")
	}
	for n := range rolledBack {
		if n > int64(len(all)) {
			t.Errorf("rolled-back number %d was never reused", n)
		}
	}
	// The counter row agrees: the next draw continues right after K.
	var next int64
	if err := b.InTx(ctx, func(tx *store.Tx) error {
		var err error
		next, err = tx.NextNumber(kind, year)
		return errRollbackIfNil(err)
	}); !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	if next != int64(want)+1 {
		t.Errorf("next number after the run = %d, want %d", next, want+1)
	}
}

// TestNextNumberPerKindAndYear: each kind counts on its own per year.
func TestNextNumberPerKindAndYear(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	draw := func(kind string, year int) int64 {
		t.Helper()
		var n int64
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			var err error
			n, err = tx.NextNumber(kind, year)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		kind string
		year int
		want int64
	}{
		{"tanda_terima_usulan", 2027, 1}, {"tanda_terima_usulan", 2027, 2}, {"surat_penetapan_alokasi", 2027, 1},
		{"tanda_terima_usulan", 2028, 1}, {"tanda_terima_usulan", 2027, 3}, {"surat_penetapan_alokasi", 2027, 2},
	} {
		if got := draw(c.kind, c.year); got != c.want {
			t.Errorf("NextNumber(%s, %d) = %d, want %d", c.kind, c.year, got, c.want)
		}
	}
}

func errRollbackIfNil(err error) error {
	if err != nil {
		return err
	}
	return errRollback
}

// checkOneToK fails unless nums is exactly 1..len(nums) in some order.
func checkOneToK(t *testing.T, nums []int64) {
	t.Helper()
	s := slices.Clone(nums)
	slices.Sort(s)
	for i, n := range s {
		if n != int64(i+1) {
			if i > 0 && n == s[i-1] {
				t.Fatalf("number %d committed twice (sorted: %v)", n, s)
			}
			t.Fatalf("gap: position %d holds %d, want %d (sorted: %v)", i+1, n, i+1, s)
		}
	}
}
