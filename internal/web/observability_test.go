package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// TestObservability walks a proposal through the API and logs in through
// the pages, with the server logging at debug level into a buffer; then
// checks the metrics the walk must have moved, that every log line carries
// its request's id, and that no password, token, session cookie, CSRF
// token or signing key reached the log.
func TestObservability(t *testing.T) {
	var logs apitest.LogBuffer
	env := apitest.NewEnvLog(t, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	before := apitest.Metrics(t, env.URL)

	secrets := []string{apitest.Password}
	for _, c := range []*apitest.Client{env.Admin, env.Pemda, env.Other, env.Verifier, env.Approver, env.Treasury, env.Auditor} {
		secrets = append(secrets, c.Token)
	}

	// API: a proposal through several events, two refusals, failed logins
	// (one with a password typed into the username field).
	id := env.Create(t, "revitalisasi", false)
	env.WalkTo(t, id, false, "allocated")
	rk := map[string]any{"activities": apitest.RK("revitalisasi", false)}
	key := map[string]string{"Idempotency-Key": "obs-" + strconv.FormatInt(id, 10)}
	for i := 0; i < 2; i++ { // the second is answered from the first
		if r := env.Pemda.Fire(id, "submit_rk", "", rk, key); r.Status != http.StatusOK {
			t.Fatalf("submit_rk #%d = %d %s", i+1, r.Status, r.Body)
		}
	}
	if r := env.Pemda.Fire(id, "submit", "", nil, nil); r.Status != http.StatusConflict {
		t.Errorf("submit on an allocated proposal = %d, want 409", r.Status)
	}
	if r := env.Pemda.Fire(id, "no_such_event_"+strconv.FormatInt(id, 10), "", nil, nil); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
		t.Errorf("unknown event = %d, want 400 or 422", r.Status)
	}
	anon := apitest.Anonymous(t, env.URL)
	wrong := []string{"salah-sekali-4821", "Tertukar-Sandi-7731"}
	secrets = append(secrets, wrong...)
	r := anon.Do("POST", "/api/v1/auth/login", map[string]string{"username": "pemda", "password": wrong[0]}, nil)
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("login with a wrong password = %d, want 401", r.Status)
	}
	if r := anon.Do("POST", "/api/v1/auth/login", map[string]string{"username": wrong[1], "password": "x"}, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("login with a password as username = %d, want 401", r.Status)
	}
	failedID := r.Header.Get("X-Request-Id")

	// Pages: a failed login, a login, a page.
	pc := newPageClient(t, env.URL)
	form := pc.get("/login")
	secrets = append(secrets, form.csrf(t))
	if p := pc.post("/login", url.Values{"csrf_token": {form.csrf(t)}, "username": {"verifikator"}, "password": {wrong[0]}}); p.Status != http.StatusUnauthorized {
		t.Errorf("page login with a wrong password = %d, want 401", p.Status)
	} else {
		secrets = append(secrets, p.csrf(t))
	}
	if p := pc.login("verifikator", apitest.Password); p.Status != http.StatusSeeOther {
		t.Fatalf("page login = %d, want 303", p.Status)
	}
	home := pc.get("/")
	if m := csrfField.FindStringSubmatch(home.Body); m != nil {
		secrets = append(secrets, m[1])
	}
	u, _ := url.Parse(env.URL)
	for _, ck := range pc.http.Jar.Cookies(u) {
		if ck.Value != "" {
			secrets = append(secrets, ck.Value)
		}
	}
	keyFile, err := os.ReadFile(env.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	signingKey := strings.TrimSpace(string(keyFile))
	secrets = append(secrets, signingKey)
	// A note signer key is PRIVATE+KEY+name+hash+key; the key material is
	// the fifth part (its base64 may itself hold "+").
	if parts := strings.SplitN(signingKey, "+", 5); len(parts) == 5 {
		secrets = append(secrets, parts[4]) // the key material alone
	}

	// A client's plain request id is kept; anything else is replaced.
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/healthz", nil)
	req.Header.Set("X-Request-Id", "proxy-42.a_b")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.Header.Get("X-Request-Id") != "proxy-42.a_b" {
		t.Errorf("X-Request-Id proxy-42.a_b came back as %v (%v)", resp.Header.Get("X-Request-Id"), err)
	} else {
		resp.Body.Close()
	}
	req.Header.Set("X-Request-Id", "x y\tz")
	if resp, err := http.DefaultClient.Do(req); err != nil || !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(resp.Header.Get("X-Request-Id")) {
		t.Errorf("X-Request-Id %q came back as %v (%v), want a new id", "x y\tz", resp.Header.Get("X-Request-Id"), err)
	} else {
		resp.Body.Close()
	}

	// The scheduler's jobs, as serve runs them every minute.
	env.Engine.RunScheduledOnce(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)))

	after := apitest.Metrics(t, env.URL)
	t.Run("metrics", func(t *testing.T) {
		for series, want := range map[string]float64{
			`dakflow_transitions_total{event="submit",outcome="ok"}`:                                                       1,
			`dakflow_transitions_total{event="submit",outcome="conflict"}`:                                                 1,
			`dakflow_transitions_total{event="unknown",outcome="invalid"}`:                                                 1,
			`dakflow_transitions_total{event="submit_rk",outcome="ok"}`:                                                    1,
			`dakflow_transitions_total{event="submit_rk",outcome="replay"}`:                                                1,
			`dakflow_transitions_total{event="allocate",outcome="ok"}`:                                                     1,
			`dakflow_transition_duration_seconds_count{event="allocate"}`:                                                  1,
			`dakflow_documents_rendered_total{kind="tanda_terima_usulan",result="ok"}`:                                     1,
			`dakflow_documents_rendered_total{kind="surat_penetapan_alokasi",result="ok"}`:                                 1,
			`dakflow_document_render_duration_seconds_count{kind="surat_penetapan_alokasi"}`:                               1,
			`dakflow_batch_parts_count{queue="surat_penetapan_alokasi"}`:                                                   1,
			`dakflow_batch_parts_sum{queue="surat_penetapan_alokasi"}`:                                                     1,
			`dakflow_batch_duration_seconds_count{queue="surat_penetapan_alokasi"}`:                                        1,
			`dakflow_logins_total{interface="api",result="unauthenticated"}`:                                               2,
			`dakflow_logins_total{interface="page",result="unauthenticated"}`:                                              1,
			`dakflow_logins_total{interface="page",result="ok"}`:                                                           1,
			`dakflow_http_request_duration_seconds_count{method="POST",route="/api/v1/proposals/:id/events",status="409"}`: 1,
			`dakflow_http_request_duration_seconds_count{method="POST",route="/api/v1/auth/login",status="401"}`:           2,
			`dakflow_scheduler_runs_total{job="lapse",result="ok"}`:                                                        1,
			`dakflow_scheduler_runs_total{job="prune",result="ok"}`:                                                        1,
			`dakflow_lapsed_total`: 0,
		} {
			if got := after[series] - before[series]; got != want {
				t.Errorf("%s rose by %v, want %v", series, got, want)
			}
		}
		for _, series := range []string{`dakflow_db_open_connections{pool="main"}`, `dakflow_db_in_use_connections{pool="main"}`,
			`dakflow_db_idle_connections{pool="main"}`, `dakflow_db_wait_count_total{pool="main"}`, `dakflow_db_wait_duration_seconds_total{pool="main"}`,
			// The Go runtime's and the process's, as the default registry had them
			// (dakflow bench reads process_resident_memory_bytes).
			`go_goroutines`, `go_memstats_heap_alloc_bytes`, `process_resident_memory_bytes`, `process_start_time_seconds`} {
			if _, ok := after[series]; !ok {
				t.Errorf("/metrics has no %s", series)
			}
		}
		if after[`dakflow_scheduler_last_success_timestamp_seconds{job="prune"}`] < float64(time.Now().Add(-time.Minute).Unix()) {
			t.Errorf("dakflow_scheduler_last_success_timestamp_seconds{job=\"prune\"} = %v, want now", after[`dakflow_scheduler_last_success_timestamp_seconds{job="prune"}`])
		}
		if _, ok := after[`dakflow_pruned_rows_total`]; !ok {
			t.Error("/metrics has no dakflow_pruned_rows_total")
		}
		if after[`dakflow_db_max_open_connections{pool="main"}`] < 1 {
			t.Errorf("dakflow_db_max_open_connections = %v, want ≥ 1", after[`dakflow_db_max_open_connections{pool="main"}`])
		}
		// Labels stay bounded: no raw path, no id.
		idText := strconv.FormatInt(id, 10)
		for series := range after {
			if strings.HasPrefix(series, "dakflow_") && (strings.Contains(series, "/proposals/"+idText) || strings.Contains(series, "no_such_event")) {
				t.Errorf("unbounded label in %s", series)
			}
		}
	})

	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	t.Run("request ids", func(t *testing.T) {
		if len(lines) < 20 {
			t.Fatalf("%d log lines, want a line per request at least:\n%s", len(lines), out)
		}
		// Nothing runs in the background here: every line is a request's.
		for _, l := range lines {
			if !strings.Contains(l, " request_id=") {
				t.Errorf("log line without request_id: %s", l)
			}
		}
		if failedID == "" {
			t.Fatal("no X-Request-Id on the failed login")
		}
		var mine []string
		for _, l := range lines {
			if strings.Contains(l, " request_id="+failedID) {
				mine = append(mine, l)
			}
		}
		if len(mine) != 2 || !strings.Contains(mine[0], `msg="login refused"`) || !strings.Contains(mine[1], "msg=request") {
			t.Errorf("lines of the failed login %s = %q, want its refusal and its request line", failedID, mine)
		}
		if !strings.Contains(out, "request_id=proxy-42.a_b") {
			t.Error("the client's request id is not in the log")
		}
	})
	t.Run("no secrets", func(t *testing.T) {
		for _, s := range secrets {
			if len(s) < 6 {
				t.Fatalf("secret %q too short to search for", s)
			}
			if strings.Contains(out, s) || strings.Contains(out, url.QueryEscape(s)) {
				t.Errorf("the log contains a secret (%.4s…)", s)
			}
		}
	})
	if t.Failed() || os.Getenv("OBS_DUMP") != "" {
		_, _ = io.WriteString(os.Stderr, out)
	}
}
