package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
	"dakflow/workflows"
)

// The tests of this file run dakflow as production does (PRODUCT.md §7,
// "Scale"): several stateless `dakflow serve` processes over one database,
// load spread over all of them, and then check that the promises of §3 and
// §5 hold over the whole database (issue 10, item 4). Each instance is a
// separate operating-system process (this test binary re-executed as
// TestInstanceProcess, which calls run(ctx, ["serve", …]) as main does), so
// the long version can kill one with SIGKILL in the middle of its work.
//
// The short version runs in every `go test` (a few seconds of load);
// DAKFLOW_LONG=1 runs it for a minute (DAKFLOW_LONG_DURATION=5m for longer)
// and adds the SIGKILL drill (instance 1, then instance 2, each restarted)
// and, with DAKFLOW_PG_DRILL on PostgreSQL, the PostgreSQL stop/start
// drill (instances_pgdrill_test.go); its load waits out 503s. See the
// README's "Long test" section.

// TestThreeInstances drives proposals through three server processes on
// one database, allocating against a small ceiling that is raised in small
// steps so that allocations keep racing and many are refused, and then
// checks every invariant over the whole database.
func TestThreeInstances(t *testing.T) {
	duration, long := longRun(4*time.Second, time.Minute)
	workersPer := 3
	if long {
		workersPer = 4
	}
	start := time.Now()
	dbURL := dbtest.URL(t)
	if out, err := runCLI(t, dbURL, "", "migrate", "up"); err != nil {
		t.Fatalf("migrate up = %v\n%s", err, out)
	}
	st, err := store.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	accounts := []struct {
		name, region, position string
		role                   dak.Role
	}{
		{"admin", "", "", dak.RoleAdmin},
		{"pemda", "18.71", "Kepala Dinas Perindustrian Kota Bandar Lampung", dak.RolePemda},
		{"verifikator", "", apitest.VerifierPosition, dak.RoleVerifier},
		{"penetap", "", "Direktur Industri Kecil dan Menengah Kimia, Sandang, dan Kerajinan", dak.RoleApprover},
		{"perbendaharaan", "", apitest.TreasuryPosition, dak.RoleTreasury},
	}
	for _, a := range accounts {
		if _, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: a.name, FullName: "Pengguna " + a.name,
			NIP: apitest.NIP, Position: a.position, Role: a.role, RegionCode: a.region}, Password: apitest.Password}); err != nil {
			t.Fatal(err)
		}
	}
	const alloc = int64(apitest.SmallAllocation)
	if _, err := st.SetFiscalYear(ctx, apitest.Year, dak.Money(2*alloc+alloc/2), nil); err != nil {
		t.Fatal(err)
	}

	// Three processes sharing one data directory (one signing key, one
	// checkpoint directory), each signing a checkpoint every second when
	// the log grew.
	dataDir, logDir := t.TempDir(), t.TempDir()
	args := []string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL, "--data-dir", dataDir,
		"--checkpoint-interval", "1s"}
	c := &cluster{}
	var procs [3]*instance
	stopped := false
	stopAll := func() {
		if stopped {
			return
		}
		stopped = true
		var wg sync.WaitGroup
		for _, in := range procs {
			if in != nil {
				wg.Add(1)
				go func() { defer wg.Done(); in.stop() }()
			}
		}
		wg.Wait()
	}
	t.Cleanup(stopAll)     // before the database is dropped
	for i := range procs { // the first creates the signing key
		procs[i] = startInstance(t, i, args, logDir)
	}
	for i, in := range procs {
		c.set(i, in.url)
	}
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	def := defs["dak-fisik-ikm"]
	l := &load{c: c, def: def, alloc: alloc, outages: long,
		admin: apitest.Login(t, c.url(0), "admin", apitest.Password).Token,
		pemda: apitest.Login(t, c.url(1), "pemda", apitest.Password).Token,
		verif: apitest.Login(t, c.url(2), "verifikator", apitest.Password).Token,
		appr:  apitest.Login(t, c.url(0), "penetap", apitest.Password).Token,
		treas: apitest.Login(t, c.url(1), "perbendaharaan", apitest.Password).Token}

	// The load: workersPer goroutines per instance, each taking one
	// proposal after another from draft to completed (or not_allocated),
	// every step on the next instance. The ceiling fits two and a half
	// allocations; whenever allocations were refused since the last look
	// (proposals are waiting at allocate), it goes up by one and a half, so
	// the waiting proposals race for one or two slots and the half is never
	// used.
	// The load lasts duration, and on a slow machine longer (up to a
	// minute more) until a proposal was completed and an allocation refused.
	loadStart := time.Now()
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	go func() {
		defer stopLoad()
		time.Sleep(duration)
		for end := time.Now().Add(time.Minute); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if l.completed.Load() > 0 && l.refused.Load() > 0 {
				return
			}
		}
	}()
	var workers sync.WaitGroup
	for w := range 3 * workersPer {
		workers.Add(1)
		go func() { defer workers.Done(); l.worker(loadCtx, w) }()
	}
	workers.Add(1)
	go func() {
		defer workers.Done()
		ceiling, seen := 2*alloc+alloc/2, int64(0)
		for k := 0; ; k++ {
			select {
			case <-loadCtx.Done():
				return
			case <-time.After(400 * time.Millisecond):
			}
			if r := l.refused.Load(); r == seen {
				continue
			} else {
				seen = r
			}
			ceiling += alloc + alloc/2
			l.expect(l.call(k%3, l.admin, "PUT", fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year), map[string]any{"ceiling": ceiling, "change_reason": "uji beban", "legal_basis": "uji"}, ""), "set ceiling", http.StatusOK)
		}
	}()

	// The drills (long version): instance 1 dies by SIGKILL a third of the
	// way in, instance 2 at two thirds; the load goes on over the others,
	// and each comes back a few seconds later on a new port. Halfway, with
	// DAKFLOW_PG_DRILL on PostgreSQL, the database stops and starts again
	// (instances_pgdrill_test.go).
	if long {
		pg := newPGDrill(t)
	drill:
		for _, step := range []struct {
			at time.Duration
			n  int // the instance killed; -1: the PostgreSQL drill
		}{{duration / 3, 1}, {duration / 2, -1}, {2 * duration / 3, 2}} {
			if step.n < 0 && pg == nil {
				continue
			}
			select {
			case <-time.After(time.Until(loadStart.Add(step.at))):
			case <-loadCtx.Done():
				break drill
			}
			n := step.n
			if n < 0 {
				t.Logf("PostgreSQL drill after %v of load", time.Since(loadStart).Round(time.Millisecond))
				before := l.unavailable.Load()
				pg.run(t, procs[:], l.admin)
				t.Logf("the load waited out %d answers 503 during the PostgreSQL drill", l.unavailable.Load()-before)
				continue
			}
			t.Logf("SIGKILL instance %d (pid %d) after %v of load", n, procs[n].cmd.Process.Pid, time.Since(loadStart).Round(time.Millisecond))
			procs[n].kill()
			c.set(n, "")
			time.Sleep(min(5*time.Second, duration/10))
			procs[n] = startInstance(t, n, args, logDir)
			c.set(n, procs[n].url)
			t.Logf("instance %d back at %s", n, procs[n].url)
		}
	}
	workers.Wait()
	loadTime := time.Since(loadStart)

	// The linker of each instance links committed events into the global
	// log after commit; wait until it caught up and one more checkpoint
	// interval has passed (a checkpoint then covers the whole log), then
	// stop the servers.
	rd := openReader(t, dbURL)
	deadline := time.Now().Add(30 * time.Second)
	for rd.int(`SELECT COUNT(*) FROM global_chain`) != rd.int(`SELECT COUNT(*) FROM events`) {
		if time.Now().After(deadline) {
			t.Fatalf("global log: %d of %d events linked after 30 s", rd.int(`SELECT COUNT(*) FROM global_chain`), rd.int(`SELECT COUNT(*) FROM events`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond)
	stopAll()

	s := l.stats()
	t.Logf("%s, %d instances × %d workers, %v of load: %s", dbtest.Engine(), 3, workersPer, duration, s)
	for _, e := range l.errs() {
		t.Error(e)
	}
	if s.allocated == 0 || s.refused == 0 || s.completed == 0 {
		t.Errorf("the load did not exercise the race: %s", s)
	}

	checkInvariants(t, rd, def, alloc)
	out, err := runCLI(t, dbURL, "", "audit", "verify", "--data-dir", dataDir)
	if err != nil || !strings.Contains(out, "sound:") || !strings.Contains(out, "1 witnessed") {
		t.Errorf("audit verify = %v, want sound with the latest checkpoint witnessed\n%s", err, out)
	}
	// No instance logged an error (a SIGKILLed one has no last words);
	// after a database outage (the PostgreSQL drill) the lines that say
	// the database was away are counted, and any other is a failure.
	away := 0
	logs, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
	for _, path := range logs {
		b, _ := os.ReadFile(path)
		for _, line := range strings.Split(string(b), "\n") {
			switch {
			case !strings.Contains(line, "level=ERROR"):
			case s.unavailable > 0 && databaseAway.MatchString(line):
				away++
			default:
				t.Errorf("%s: %s", filepath.Base(path), line)
			}
		}
	}
	if away > 0 {
		t.Logf("%d lines at level ERROR say that the database was away", away)
	}
	if t.Failed() {
		for _, in := range procs {
			if in != nil {
				t.Logf("log of %s:\n%s", in.url, tail(in.log))
			}
		}
	}
	t.Logf("total %v (load %v)", time.Since(start).Round(time.Millisecond), loadTime.Round(time.Millisecond))
}
