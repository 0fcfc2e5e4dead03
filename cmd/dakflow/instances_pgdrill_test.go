package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"dakflow/internal/store/dbtest"
)

// The PostgreSQL stop/start drill of the long TestThreeInstances (issue
// 10, item 4; PRODUCT.md §7: "while the database is down every route
// answers 503 fast, and the service recovers by itself"): halfway through
// the load PostgreSQL is stopped for pgDown and started again, while every
// instance is probed every 200 ms. DAKFLOW_PG_DRILL names the cluster
// ("15 main": pg_ctlcluster, as root) or the two commands ("docker compose
// stop db; docker compose start db").

// pgDown is how long the drill keeps PostgreSQL stopped.
const pgDown = 15 * time.Second

// Bounds of the drill: an answer while the database is away comes within
// pgAnswerBound, and every instance answers again within pgRecoverBound of
// PostgreSQL's return.
const (
	pgAnswerBound  = 5 * time.Second
	pgRecoverBound = 15 * time.Second
)

// sessionReadTTL is how long a session read answers for its token
// (store's sessionCacheTTL): /api/v1/me, which reads nothing else, may
// answer 200 that long into the outage for a session read just before it.
const sessionReadTTL = time.Second

// databaseAway matches the errors an instance logs while PostgreSQL is
// stopping, stopped or starting: every other error is a finding. "bad
// connection" is database/sql's word for a pooled connection PostgreSQL
// closed, found so by a transaction's first statement (its BEGIN goes
// with it, store/begin_ahead.go).
var databaseAway = regexp.MustCompile(`failed to connect to|SQLSTATE 57P0[1-5]|SQLSTATE 08|conn closed|connection reset by peer|unexpected EOF|broken pipe|driver: bad connection`)

// pgDrill holds the commands that stop and start PostgreSQL.
type pgDrill struct{ stop, start []string }

// newPGDrill reads DAKFLOW_PG_DRILL; nil when it is unset or the test
// database is not PostgreSQL.
func newPGDrill(t *testing.T) *pgDrill {
	t.Helper()
	spec := os.Getenv("DAKFLOW_PG_DRILL")
	if spec == "" || dbtest.Engine() != "postgres" {
		return nil
	}
	if stop, start, ok := strings.Cut(spec, ";"); ok {
		return &pgDrill{stop: []string{"sh", "-c", stop}, start: []string{"sh", "-c", start}}
	}
	f := strings.Fields(spec)
	if len(f) != 2 {
		t.Fatalf("DAKFLOW_PG_DRILL=%q: want a cluster (\"15 main\") or two commands (\"stop…; start…\")", spec)
	}
	base := []string{"pg_ctlcluster", "--skip-systemctl-redirect", f[0], f[1]}
	return &pgDrill{stop: slices.Concat(base, []string{"stop", "-m", "fast"}), start: slices.Concat(base, []string{"start"})}
}

func runCommand(args []string) error {
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// probe is one answer of an instance during the drill.
type probe struct {
	inst   int
	path   string
	at     time.Time
	status int // 0: no answer (the error is in err)
	took   time.Duration
	err    error
}

// run stops PostgreSQL, waits pgDown, starts it and waits until every
// instance answers again, probing each one's /readyz and /api/v1/me (with
// token) meanwhile; then it checks what the README's drill promises. The
// database is started again whatever happens: by a cleanup, and by a
// watchdog process should the test binary die while it is down.
func (d *pgDrill) run(t *testing.T, procs []*instance, token string) {
	t.Helper()
	watchdog := exec.Command("sh", "-c", fmt.Sprintf("sleep %d; %s", int((pgDown+time.Minute).Seconds()), shellJoin(d.start)))
	watchdog.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // outlives a killed test binary
	if err := watchdog.Start(); err != nil {
		t.Fatalf("start the watchdog: %v", err)
	}
	down := true
	t.Cleanup(func() {
		if down {
			if err := runCommand(d.start); err != nil {
				t.Errorf("start PostgreSQL again: %v", err)
			}
		}
		_ = syscall.Kill(-watchdog.Process.Pid, syscall.SIGKILL) // its own group: sh and its sleep
		_ = watchdog.Wait()
	})

	var mu sync.Mutex
	var probes []probe
	done := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 30 * time.Second}
	for i, in := range procs {
		for _, path := range []string{"/readyz", "/api/v1/me"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					p := probe{inst: i, path: path, at: time.Now()}
					req, _ := http.NewRequest("GET", in.url+path, nil)
					req.Header.Set("Authorization", "Bearer "+token)
					if resp, err := client.Do(req); err != nil {
						p.err = err
					} else {
						resp.Body.Close()
						p.status = resp.StatusCode
					}
					p.took = time.Since(p.at)
					mu.Lock()
					probes = append(probes, p)
					mu.Unlock()
					select {
					case <-done:
						return
					case <-time.After(200 * time.Millisecond):
					}
				}
			}()
		}
	}

	time.Sleep(time.Second) // a second of answers before
	stopAt := time.Now()
	if err := runCommand(d.stop); err != nil {
		close(done)
		wg.Wait()
		t.Fatalf("stop PostgreSQL: %v", err)
	}
	stopped := time.Now()
	t.Logf("PostgreSQL stopped (%s) in %v", strings.Join(d.stop, " "), stopped.Sub(stopAt).Round(time.Millisecond))
	time.Sleep(pgDown)
	startAt := time.Now()
	if err := runCommand(d.start); err != nil {
		close(done)
		wg.Wait()
		t.Fatalf("start PostgreSQL: %v", err)
	}
	down = false
	started := time.Now()
	t.Logf("PostgreSQL started again in %v, after %v away", started.Sub(startAt).Round(time.Millisecond), started.Sub(stopAt).Round(time.Millisecond))

	// Probe until every instance answered both paths with 200 after the
	// start, or the bound passed.
	deadline := started.Add(pgRecoverBound)
	for time.Now().Before(deadline) && len(recovered(snapshot(&mu, &probes), started)) < 2*len(procs) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	close(done)
	wg.Wait()
	checkDrill(t, procs, probes, stopped, startAt, started)
}

func snapshot(mu *sync.Mutex, probes *[]probe) []probe {
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(*probes)
}

// recovered maps each instance and path to the time of its first 200 after
// started.
func recovered(probes []probe, started time.Time) map[string]time.Duration {
	first := map[string]time.Duration{}
	for _, p := range probes {
		key := fmt.Sprintf("instance %d %s", p.inst, p.path)
		if _, seen := first[key]; !seen && p.status == http.StatusOK && p.at.After(started) {
			first[key] = p.at.Add(p.took).Sub(started)
		}
	}
	return first
}

// checkDrill holds the probes to the drill's promises: no instance exits
// or fails to answer; while PostgreSQL is away every answer is 503 within
// pgAnswerBound; no answer is ever another 5xx; every instance answers 200
// again within pgRecoverBound of PostgreSQL's return, without a restart.
func checkDrill(t *testing.T, procs []*instance, probes []probe, stopped, startAt, started time.Time) {
	t.Helper()
	for i, in := range procs {
		select {
		case <-in.done:
			t.Errorf("instance %d exited during the PostgreSQL drill:\n%s", i, tail(in.log))
		default:
		}
	}
	var during, unavailable int
	var slowest time.Duration
	var problems []string
	for _, p := range probes {
		what := fmt.Sprintf("instance %d GET %s at %v of the outage", p.inst, p.path, p.at.Sub(stopped).Round(time.Millisecond))
		switch {
		case p.err != nil:
			problems = append(problems, fmt.Sprintf("%s: no answer after %v: %v", what, p.took.Round(time.Millisecond), p.err))
			continue
		case p.status >= 500 && p.status != http.StatusServiceUnavailable:
			problems = append(problems, fmt.Sprintf("%s = %d, want never a 5xx but 503", what, p.status))
		}
		if p.status == http.StatusServiceUnavailable {
			unavailable++
		}
		if !p.at.Before(stopped) && p.at.Add(p.took).Before(startAt) { // wholly while PostgreSQL was down
			during++
			slowest = max(slowest, p.took)
			cached := p.path == "/api/v1/me" && p.status == http.StatusOK && p.at.Sub(stopped) < sessionReadTTL
			if (p.status != http.StatusServiceUnavailable && !cached) || p.took > pgAnswerBound {
				problems = append(problems, fmt.Sprintf("%s = %d after %v, want 503 within %v", what, p.status, p.took.Round(time.Millisecond), pgAnswerBound))
			}
		}
	}
	for i, p := range problems {
		if i == 10 {
			t.Errorf("… and %d more", len(problems)-i)
			break
		}
		t.Error(p)
	}
	first := recovered(probes, started)
	var keys []string
	for i := range procs {
		for _, path := range []string{"/readyz", "/api/v1/me"} {
			key := fmt.Sprintf("instance %d %s", i, path)
			if d, ok := first[key]; ok {
				keys = append(keys, fmt.Sprintf("%s %v", key, d.Round(time.Millisecond)))
			} else {
				t.Errorf("%s: no 200 within %v of PostgreSQL's return", key, pgRecoverBound)
			}
		}
	}
	t.Logf("PostgreSQL drill: %d probes answered while it was down, the slowest in %v; %d probes answered 503 in all; 200 again, after its return, from %s",
		during, slowest.Round(time.Millisecond), unavailable, strings.Join(keys, ", "))
	if during == 0 {
		t.Error("no probe answered while PostgreSQL was down")
	}
}

// shellJoin quotes args for sh.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
