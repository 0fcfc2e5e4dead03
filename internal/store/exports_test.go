package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

func newAuditor(t *testing.T, st *store.Store, name string) dak.User {
	t.Helper()
	u, err := st.CreateUser(context.Background(), store.NewUser{User: dak.User{Username: name, Role: dak.RoleAuditor}, Password: "rahasia-panjang"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func queueExport(t *testing.T, st *store.Store, u dak.User, region string) int64 {
	t.Helper()
	e := dak.TrailExport{RegionCode: region, RequestedBy: u.ID}
	if err := st.CreateTrailExport(context.Background(), &e, 10, nil); err != nil {
		t.Fatalf("CreateTrailExport = %v", err)
	}
	return e.ID
}

// TestClaimTrailExport: a queued export is claimed by one worker only,
// even when several claim at once; another worker neither claims nor
// updates it while its holder beats; when the holder stops beating for a
// lease the job is claimed again from the start, and the old holder's
// writes are refused; after MaxAttempts abandoned attempts it fails.
func TestClaimTrailExport(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	u := newAuditor(t, st, "auditor")
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return now })
	id := queueExport(t, st, u, "18.71")
	claim := func(worker string) store.ExportClaim {
		return store.ExportClaim{Worker: worker, Lease: time.Minute, MaxRunning: 5, MaxAttempts: 2}
	}

	// Eight workers at once: exactly one gets it.
	var mu sync.Mutex
	var winners []string
	var wg sync.WaitGroup
	for _, w := range []string{"w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, ok, err := st.ClaimTrailExport(ctx, claim(w))
			if err != nil {
				t.Errorf("ClaimTrailExport(%s) = %v", w, err)
				return
			}
			if ok {
				if e.ID != id || e.State != dak.ExportRunning || e.Attempts != 1 {
					t.Errorf("claimed %+v, want export %d running, attempt 1", e, id)
				}
				mu.Lock()
				winners = append(winners, w)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("winners = %v, want exactly one", winners)
	}
	holder := winners[0]
	other := "w-other"
	if err := st.TrailExportProgress(ctx, id, holder, 3, 1, 0); err != nil {
		t.Fatalf("holder's progress = %v", err)
	}
	now = now.Add(50 * time.Second) // within the lease
	if _, ok, _ := st.ClaimTrailExport(ctx, claim(other)); ok {
		t.Fatal("a second worker claimed a job whose holder is alive")
	}
	if err := st.TrailExportProgress(ctx, id, other, 3, 2, 0); !errors.Is(err, dak.ErrConflict) {
		t.Errorf("another worker's progress = %v, want ErrConflict", err)
	}
	if err := st.TrailExportProgress(ctx, id, holder, 3, 2, 0); err != nil {
		t.Fatalf("holder's progress = %v", err)
	}
	e, _ := st.TrailExport(ctx, id)
	if e.Done != 2 || e.Total != 3 || e.Worker != holder {
		t.Errorf("export = %+v, want 2 of 3 held by %s", e, holder)
	}

	// The holder dies: a lease later another worker takes the job over.
	now = now.Add(61 * time.Second)
	e, ok, err := st.ClaimTrailExport(ctx, claim(other))
	if err != nil || !ok || e.ID != id || e.Attempts != 2 || e.Done != 0 {
		t.Fatalf("take-over = %+v, %v, %v; want export %d again from the start, attempt 2", e, ok, err, id)
	}
	if err := st.TrailExportProgress(ctx, id, holder, 3, 3, 0); !errors.Is(err, dak.ErrConflict) {
		t.Errorf("old holder's progress = %v, want ErrConflict", err)
	}
	if err := st.FinishTrailExport(ctx, id, holder, "x.zip", 1, "00"); !errors.Is(err, dak.ErrConflict) {
		t.Errorf("old holder's finish = %v, want ErrConflict", err)
	}

	// The second holder dies too: MaxAttempts reached, the job fails.
	now = now.Add(2 * time.Minute)
	if _, ok, err := st.ClaimTrailExport(ctx, claim("w-third")); err != nil || ok {
		t.Fatalf("claim after the last attempt = %v, %v; want nothing", ok, err)
	}
	e, _ = st.TrailExport(ctx, id)
	if e.State != dak.ExportFailed || e.Error == "" || e.FinishedAt == nil {
		t.Errorf("export after %d abandoned attempts = %+v, want failed with a reason", 2, e)
	}
}

// TestTrailExportBounds: MaxRunning bounds the jobs running at once, a
// released job goes back to the queue without counting the attempt, a
// finished one records its file, and a user may have only so many open.
func TestTrailExportBounds(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	u := newAuditor(t, st, "auditor")
	first, second := queueExport(t, st, u, "18.71"), queueExport(t, st, u, "73")
	c := store.ExportClaim{Worker: "w1", Lease: time.Minute, MaxRunning: 1, MaxAttempts: 3}
	e, ok, err := st.ClaimTrailExport(ctx, c)
	if err != nil || !ok || e.ID != first {
		t.Fatalf("first claim = %+v, %v, %v", e, ok, err)
	}
	c.Worker = "w2"
	if _, ok, _ := st.ClaimTrailExport(ctx, c); ok {
		t.Fatal("a second job started beyond MaxRunning 1")
	}
	if err := st.ReleaseTrailExport(ctx, first, "w1"); err != nil {
		t.Fatalf("release = %v", err)
	}
	if e, _ := st.TrailExport(ctx, first); e.State != dak.ExportQueued || e.Attempts != 0 {
		t.Errorf("released export = %+v, want queued with no attempt counted", e)
	}
	e, ok, err = st.ClaimTrailExport(ctx, c)
	if err != nil || !ok || e.ID != first {
		t.Fatalf("claim after release = %+v, %v, %v; want the first job again", e, ok, err)
	}
	if err := st.TrailExportProgress(ctx, first, "w2", 2, 2, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishTrailExport(ctx, first, "w2", "ekspor-1-1.zip", 1234, "ab"); err != nil {
		t.Fatalf("finish = %v", err)
	}
	if e, _ := st.TrailExport(ctx, first); e.State != dak.ExportDone || e.FileName != "ekspor-1-1.zip" || e.Size != 1234 || e.Done != 2 || e.RequestedByName != "auditor" {
		t.Errorf("finished export = %+v", e)
	}
	if e, ok, _ := st.ClaimTrailExport(ctx, c); !ok || e.ID != second {
		t.Errorf("after the first finished, claim = %+v, %v; want the second", e, ok)
	}
	for i := 0; i < 2; i++ {
		queueExport(t, st, u, "18")
	}
	err = st.CreateTrailExport(ctx, &dak.TrailExport{FiscalYear: 2027, RequestedBy: u.ID}, 3, nil)
	if !errors.Is(err, dak.ErrTooMany) {
		t.Errorf("a fourth open export = %v, want ErrTooMany", err)
	}
}
