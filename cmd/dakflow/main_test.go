package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"dakflow/internal/dak"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/web/apitest"
)

// runCLI runs one command through run() with the test database.
func runCLI(t *testing.T, dbURL string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append(args[:len(args):len(args)], "--database-url", dbURL)
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, nil)
	return out.String() + errOut.String(), err
}

func TestMain(m *testing.M) {
	passwordCost = bcrypt.MinCost // see passwordCost
	os.Exit(m.Run())
}

// TestCLIAndServe seeds the demo through the CLI, starts the real server on
// :0 and uses it as the demo accounts would.
func TestCLIAndServe(t *testing.T) {
	t.Parallel() // seeds the demo: the package's longest tests overlap (the CLI and its server keep no process-wide state)
	dbURL := dbtest.URL(t)
	out, err := runCLI(t, dbURL, "", "migrate", "up")
	if err != nil || !strings.Contains(out, "applied 0001_init.sql") {
		t.Fatalf("migrate up = %v\n%s", err, out)
	}
	if out, err = runCLI(t, dbURL, "", "migrate", "status"); err != nil || !strings.Contains(out, "applied") {
		t.Fatalf("migrate status = %v\n%s", err, out)
	}
	if out, err = runCLI(t, dbURL, "", "seed", "demo"); err != nil || !strings.Contains(out, "demo data loaded") {
		t.Fatalf("seed demo = %v\n%s", err, out)
	}
	checkSeedCoverage(t, dbURL)
	if out, err = runCLI(t, dbURL, "rahasia-panjang-99\n", "user", "add", "--username", "pemda.konawe2", "--role", "pemda", "--region", "11.01", "--full-name", "Siti",
		"--nip", "198106212006042001", "--position", "Kepala Dinas Perindustrian Kabupaten Simeulue", "--password-stdin"); err != nil {
		t.Fatalf("user add = %v\n%s", err, out)
	}
	// A pemda official signs the completion report: no NIP, no account.
	if out, err = runCLI(t, dbURL, "rahasia-panjang-99\n", "user", "add", "--username", "pemda.tanpa.nip", "--role", "pemda", "--region", "11.01", "--full-name", "Siti",
		"--position", "Kepala Dinas Perindustrian Kabupaten Simeulue", "--password-stdin"); err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "nip") {
		t.Errorf("user add without a NIP = %v, want a usage error naming nip\n%s", err, out)
	}
	if _, err = runCLI(t, dbURL, "pendek\n", "user", "add", "--username", "x1x", "--role", "pemda", "--region", "74.02", "--password-stdin"); err == nil || exitCode(err) != 2 {
		t.Errorf("user add with a short password = %v, want a usage error", err)
	}
	if out, err = runCLI(t, dbURL, "", "budget", "set", "--year", "2030", "--ceiling", "395000000000", "--deadline", "2029-10-31", "--menu", "pembangunan=200000000000"); err != nil || !strings.Contains(out, "Rp395.000.000.000,00") || !strings.Contains(out, "menu pembangunan: pagu Rp200.000.000.000,00") {
		t.Fatalf("budget set = %v\n%s", err, out)
	}
	// Moving an existing year's deadline from the command line is a calendar
	// change like any other: it needs its reason and leaves its record.
	if _, err = runCLI(t, dbURL, "", "budget", "set", "--year", "2030", "--ceiling", "395000000000", "--deadline", "2029-11-15"); err == nil {
		t.Errorf("budget set moving the deadline without a reason succeeded")
	}
	if out, err = runCLI(t, dbURL, "", "budget", "set", "--year", "2030", "--ceiling", "395000000000", "--deadline", "2029-11-15",
		"--reason", "Perpanjangan batas pengajuan", "--legal-basis", "Surat Dirjen IKMA Nomor 1/2029"); err != nil {
		t.Fatalf("budget set with a new deadline = %v\n%s", err, out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	var serveErr error
	// The server logs at debug level into serveLog, which must show no
	// password, token or key when the test ends.
	var serveLog apitest.LogBuffer
	dataDir := t.TempDir()
	secrets := []string{DemoPassword, "rahasia-panjang-99"}
	if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			// The password as a URL or a connection string would carry it:
			// CI's password ("dakflow") is also the program's name.
			secrets = append(secrets, ":"+pw+"@", "password="+pw)
		}
	}
	go func() {
		defer wg.Done()
		serveErr = run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL, "--data-dir", dataDir, "--log-level", "debug"}, nil, io.Discard, &serveLog, func(addr string) { addrc <- addr })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(15 * time.Second):
		t.Fatal("server did not start")
	}
	defer func() {
		cancel()
		wg.Wait()
		if serveErr != nil {
			t.Errorf("serve: %v", serveErr)
		}
		if key, err := os.ReadFile(filepath.Join(dataDir, "signing.key")); err == nil {
			secrets = append(secrets, strings.TrimSpace(string(key)))
		} else {
			t.Error(err)
		}
		logged := serveLog.String()
		if !strings.Contains(logged, "request_id=") {
			t.Errorf("serve logged no request line:\n%s", logged)
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(logged, s) {
				t.Errorf("serve's log shows a secret (%.4s…)", s)
			}
		}
	}()
	base := "http://" + addr
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(base + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	auditor := apitest.Login(t, base, "auditor1", DemoPassword)
	secrets = append(secrets, auditor.Token)
	var history struct {
		Items []struct {
			What         string     `json:"what"`
			OldAt        *time.Time `json:"old_at"`
			NewAt        *time.Time `json:"new_at"`
			ChangeReason string     `json:"change_reason"`
		} `json:"items"`
	}
	auditor.Do("GET", "/api/v1/fiscal-years/2030/calendar-history", nil, nil).Decode(t, &history)
	if h := history.Items; len(h) != 2 || h[0].What != "submission_closes" || h[0].OldAt == nil || h[0].NewAt == nil ||
		h[0].NewAt.In(dak.WIB).Format(time.DateOnly) != "2029-11-15" || h[0].ChangeReason != "Perpanjangan batas pengajuan" {
		t.Errorf("calendar history of 2030 after budget set = %+v, want the first deadline and its move by the CLI", h)
	}
	var list struct {
		Total int64 `json:"total"`
		Items []struct {
			State string `json:"state"`
		} `json:"items"`
	}
	auditor.Do("GET", "/api/v1/proposals?per_page=100", nil, nil).Decode(t, &list)
	states := map[string]bool{}
	for _, p := range list.Items {
		states[p.State] = true
	}
	for _, s := range []string{"draft", "submitted", "in_review", "needs_revision", "recommended", "rejected", "withdrawn",
		"allocated", "not_allocated", "rk_submitted", "rk_revision", "rk_approved", "disbursement_requested",
		"disbursement_returned", "disbursement_recommended", "tranche_disbursed", "completed", "lapsed"} {
		if !states[s] {
			t.Errorf("seed demo has no proposal in state %s", s)
		}
	}
	checkDemoRegistry(t, auditor) // seed_sentra_test.go
	// Every figure of every demo document reconciles with the API, and the
	// demo's SP2D numbers are distinct, in KPPN's 15-digit form.
	var ids struct {
		Items []struct {
			ID           int64  `json:"id"`
			BASTNumber   string `json:"bast_number"`
			Disbursement *struct {
				Stages []struct {
					SP2DNumber string `json:"sp2d_number"`
				} `json:"stages"`
			} `json:"disbursement"`
		} `json:"items"`
	}
	auditor.Do("GET", "/api/v1/proposals?per_page=100", nil, nil).Decode(t, &ids)
	sp2d, bast := map[string]bool{}, map[string]bool{}
	for _, p := range ids.Items {
		apitest.Reconcile(t, auditor, p.ID)
		if p.BASTNumber != "" {
			if bast[p.BASTNumber] {
				t.Errorf("BAST %s used twice", p.BASTNumber)
			}
			bast[p.BASTNumber] = true
		}
		if p.Disbursement == nil {
			continue
		}
		for _, st := range p.Disbursement.Stages {
			if n := st.SP2DNumber; n != "" {
				if len(n) != 15 || strings.Trim(n, "0123456789") != "" || sp2d[n] {
					t.Errorf("SP2D number %q: want 15 digits, never repeated", n)
				}
				sp2d[n] = true
			}
		}
	}
	if len(bast) < 2 || len(sp2d) < 5 {
		t.Errorf("demo has %d BAST and %d SP2D numbers", len(bast), len(sp2d))
	}
	// The auditor downloads the first completed proposal's trail and checks
	// it offline with `dakflow verify`, pinned to the published key.
	zip := auditor.Do("GET", "/api/v1/proposals/1/trail", nil, nil)
	key := auditor.Do("GET", "/api/v1/trail-key", nil, nil).JSON()["public_key"].(string)
	zipPath := filepath.Join(t.TempDir(), "jejak.zip")
	if err := os.WriteFile(zipPath, zip.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	var vout bytes.Buffer
	if err := run(context.Background(), []string{"verify", zipPath, "--public-key", key}, nil, &vout, io.Discard, nil); err != nil || !strings.Contains(vout.String(), "valid") {
		t.Errorf("verify = %v %s", err, vout.String())
	}
	tampered := bytes.Clone(zip.Body)
	tampered[len(tampered)/3] ^= 0xff
	if err := os.WriteFile(zipPath, tampered, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"verify", zipPath}, nil, io.Discard, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "NOT VALID") {
		t.Errorf("verify(tampered) = %v, want NOT VALID", err)
	}
	pemda := apitest.Login(t, base, "pemda.konawe2", "rahasia-panjang-99")
	secrets = append(secrets, pemda.Token)
	if r := pemda.Do("GET", "/api/v1/proposals", nil, nil); r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"items":[]`) {
		t.Errorf("new pemda sees %d %s, want an empty list (only its own region)", r.Status, r.Body)
	}

	// `bench` loads the server with the demo accounts; --rate paces it,
	// --warmup runs unmeasured first.
	benchOf := func(scenario string, args ...string) benchResult {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"bench", scenario, "--url", base, "--json"}, args...), nil, &out, io.Discard, nil); err != nil {
			t.Fatalf("bench %v = %v", args, err)
		}
		var r benchResult
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("bench %v printed %q: %v", args, out.String(), err)
		}
		return r
	}
	bench := func(args ...string) benchResult { t.Helper(); return benchOf("transitions", args...) }
	if r := bench("--clients", "2", "--duration", "1s"); r.Transitions == 0 || r.Errors != 0 || r.P99 <= 0 || r.ServerRSSBytes <= 0 || r.ServerCPUPerOp <= 0 {
		t.Errorf("bench transitions = %+v, want transitions, no errors, a p99, the server's RSS and its CPU per transition", r)
	}
	if r := bench("--clients", "4", "--duration", "2s", "--rate", "4"); r.Errors != 0 || r.Transitions == 0 || r.Transitions > 10 {
		t.Errorf("bench at --rate 4 for 2 s = %d transitions (%d errors), want at most 4 a second", r.Transitions, r.Errors)
	}
	began := time.Now()
	if r := bench("--clients", "2", "--duration", "1s", "--warmup", "1s"); r.Transitions == 0 || r.Errors != 0 || r.DurationS > 1.5 || time.Since(began) < 2*time.Second {
		t.Errorf("bench with 1 s of warm-up = %+v after %v, want 1 s measured of 2 s run", r, time.Since(began))
	}
	if r := benchOf("deadline", "--clients", "2", "--duration", "1s"); r.Transitions == 0 || r.Errors != 0 {
		t.Errorf("bench deadline = %+v, want submissions and no errors", r)
	}
	// --latencies writes every measured transition, in the order sent, with
	// its event and its time: the rows a p99 is taken from.
	samplesPath := filepath.Join(t.TempDir(), "latencies.csv")
	sent := time.Now()
	r := bench("--clients", "2", "--duration", "1s", "--warmup", "300ms", "--latencies", samplesPath)
	checkBenchSamples(t, samplesPath, r, sent.Add(300*time.Millisecond))
	if err := run(context.Background(), []string{"bench", "transitions", "--url", base, "--rate", "-1"}, nil, io.Discard, io.Discard, nil); !errors.Is(err, errUsage) {
		t.Errorf("bench --rate -1 = %v, want a usage error", err)
	}
}

func TestWorkflowAndDocumentCommands(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"workflow", "check"}, nil, &out, io.Discard, nil); err != nil || !strings.Contains(out.String(), "dak-fisik-ikm v1 is valid") {
		t.Fatalf("workflow check = %v %s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"workflow", "diagram"}, nil, &out, io.Discard, nil); err != nil || !strings.HasPrefix(out.String(), "stateDiagram-v2") {
		t.Fatalf("workflow diagram = %v %s", err, out.String())
	}
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(broken, []byte("name: x\nversion: 1\ninitial: a\nstates: [{name: a}, {name: b}]\nevents: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"workflow", "check", broken}, nil, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), `state "b" cannot be reached`) || !strings.Contains(err.Error(), `state "a" is a dead end`) {
		t.Errorf("workflow check broken = %v, want every problem listed", err)
	}
	pdf := filepath.Join(t.TempDir(), "s.pdf")
	if err := run(context.Background(), []string{"document", "sample", "surat_penetapan_alokasi", "--out", pdf}, nil, io.Discard, io.Discard, nil); err != nil {
		t.Fatalf("document sample: %v", err)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("document sample wrote %d bytes that are not a PDF", len(b))
	}
	if err := run(context.Background(), []string{"frobnicate"}, nil, io.Discard, io.Discard, nil); exitCode(err) != 2 {
		t.Errorf("unknown command exit = %d, want 2", exitCode(err))
	}
}

// checkBenchSamples reads what `bench --latencies` wrote and checks it
// against the run's result: one row per measured transition, sent after
// the warm-up and in order, each a transitions-scenario event, and the
// run's p99 among their times.
func checkBenchSamples(t *testing.T, path string, r benchResult, notBefore time.Time) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("bench --latencies wrote no CSV: %v", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "sent_at,event,ms,error" {
		t.Fatalf("bench --latencies header = %v", rows[:min(1, len(rows))])
	}
	rows = rows[1:]
	if len(rows) != r.Transitions || r.Transitions == 0 {
		t.Fatalf("bench --latencies wrote %d rows for %d transitions", len(rows), r.Transitions)
	}
	events := map[string]bool{"submit": true, "start_review": true, "request_revision": true}
	var prev time.Time
	var times []float64
	for i, row := range rows {
		at, err := time.Parse(time.RFC3339Nano, row[0])
		ms, merr := strconv.ParseFloat(row[2], 64)
		switch {
		case err != nil || merr != nil:
			t.Fatalf("row %d = %v: %v %v", i+1, row, err, merr)
		case at.Before(prev) || at.Before(notBefore):
			t.Errorf("row %d sent at %v, before the row above (%v) or the run (%v)", i+1, at, prev, notBefore)
		case !events[row[1]] || ms <= 0 || row[3] != "":
			t.Errorf("row %d = %v, want a transition's event, its time and no error", i+1, row)
		}
		prev = at
		times = append(times, ms)
	}
	if !slices.Contains(times, r.P99) {
		t.Errorf("the run's p99 %.3f ms is none of the rows' times", r.P99)
	}
}
