package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// benchResult is what `dakflow bench --json` prints (PRODUCT.md §6).
type benchResult struct {
	Scenario       string  `json:"scenario"`
	Clients        int     `json:"clients"`
	DurationS      float64 `json:"duration_s"`
	Transitions    int     `json:"transitions"`
	PerSecond      float64 `json:"transitions_per_second"`
	P50            float64 `json:"p50_ms"`
	P95            float64 `json:"p95_ms"`
	P99            float64 `json:"p99_ms"`
	Errors         int     `json:"errors"`
	ServerRSSBytes int64   `json:"server_rss_bytes"`
	// ServerCPUPerOp is the server's CPU time (process_cpu_seconds_total)
	// over the measured run per transition counted, in ms: it tells a
	// slower machine (or a busier neighbour) from a slower build, where the
	// latencies alone cannot. 0: the server's /metrics could not be read.
	ServerCPUPerOp float64 `json:"server_cpu_ms_per_transition"`
}

// cmdBench loads a running server with the seed demo accounts. Scenarios:
// "transitions" loops each client's own proposal through submit →
// start_review → request_revision (two PDFs per loop); "deadline" has every
// client file new proposals with their files (one request) and submit them,
// as on deadline day.
func cmdBench(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("bench: want `bench transitions|deadline --url URL`: %w", errUsage)
	}
	scenario := args[0]
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	url := fs.String("url", "http://localhost:8080", "server to load")
	clients := fs.Int("clients", 8, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long to run")
	asJSON := fs.Bool("json", false, "print one JSON object")
	warmup := fs.Duration("warmup", 0, "run this long first without measuring (caches, prepared statements, the clients' first proposals)")
	rate := fs.Float64("rate", 0, "transitions per second over all clients (0: as fast as they go); a p99 \"at half load\" is measured at half the full rate")
	latencyFile := fs.String("latencies", "", "also write each measured transition to this CSV file: when it was sent, its event, how long it took, its error")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if scenario != "transitions" && scenario != "deadline" {
		return fmt.Errorf("bench: unknown scenario %q (transitions, deadline): %w", scenario, errUsage)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients * 2}, Timeout: 30 * time.Second}
	b := &bencher{url: strings.TrimRight(*url, "/"), hc: hc}
	if *rate < 0 {
		return fmt.Errorf("bench: --rate must be 0 or more: %w", errUsage)
	}
	verifier, err := b.login("verifikator1")
	if err != nil {
		return err
	}
	var pemdas []string
	for _, u := range demoUsers {
		if u.Role == "pemda" {
			tok, err := b.login(u.Username)
			if err != nil {
				return err
			}
			pemdas = append(pemdas, tok)
		}
	}
	var (
		mu      sync.Mutex
		samples []benchSample // the measured transitions: the figures and --latencies
		errs    int
	)
	var measureFrom time.Time // set before any client starts
	record := func(t0 time.Time, event string, d time.Duration, err error) {
		if t0.Before(measureFrom) {
			return // warming up
		}
		mu.Lock()
		defer mu.Unlock()
		samples = append(samples, benchSample{at: t0, event: event, took: d, err: err})
		if err != nil {
			errs++
			if errs <= 3 { // a few, to tell what failed; the count says how many
				fmt.Fprintf(os.Stderr, "bench: %v\n", err)
			}
		}
	}
	if *warmup < 0 {
		return fmt.Errorf("bench: --warmup must be 0 or more: %w", errUsage)
	}
	runCtx, cancel := context.WithTimeout(ctx, *warmup+*duration)
	defer cancel()
	if *rate > 0 {
		// One ticker for all clients: each transition waits for a tick,
		// so they send at most rate a second together (a tick nobody
		// waits for is dropped, never saved up into a burst).
		tick := time.NewTicker(time.Duration(float64(time.Second) / *rate))
		defer tick.Stop()
		b.pace = tick.C
	}
	measureFrom = time.Now().Add(*warmup)
	// The server's CPU is read when the measured run starts: after the
	// warm-up, on a goroutine of its own so that no client waits for it.
	cpuFrom := make(chan float64, 1)
	go func() {
		time.Sleep(time.Until(measureFrom))
		cpuFrom <- b.serverMetric("process_cpu_seconds_total")
	}()
	var wg sync.WaitGroup
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func(pemda string) {
			defer wg.Done()
			b.loop(runCtx, scenario, pemda, verifier, record)
		}(pemdas[i%len(pemdas)])
	}
	wg.Wait()
	elapsed := time.Since(measureFrom).Seconds()
	latencies := make([]time.Duration, 0, len(samples))
	for _, s := range samples {
		if s.err == nil {
			latencies = append(latencies, s.took)
		}
	}
	cpu := 0.0
	if from := <-cpuFrom; from > 0 && len(latencies) > 0 {
		if to := b.serverMetric("process_cpu_seconds_total"); to > from {
			cpu = (to - from) * 1000 / float64(len(latencies))
		}
	}
	if *latencyFile != "" {
		if err := writeSamples(*latencyFile, samples); err != nil {
			return err
		}
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	res := benchResult{Scenario: scenario, Clients: *clients, DurationS: elapsed, Transitions: len(latencies),
		PerSecond: float64(len(latencies)) / elapsed, P50: pct(0.50), P95: pct(0.95), P99: pct(0.99), Errors: errs,
		ServerRSSBytes: int64(b.serverMetric("process_resident_memory_bytes")), ServerCPUPerOp: math.Round(cpu*100) / 100}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "%s: %d clients, %.1fs, %d transitions (%.0f/s), p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d errors, server RSS %d MiB, server CPU %.2f ms per transition\n",
		res.Scenario, res.Clients, res.DurationS, res.Transitions, res.PerSecond, res.P50, res.P95, res.P99, res.Errors, res.ServerRSSBytes>>20, res.ServerCPUPerOp)
	return nil
}

type bencher struct {
	url     string
	hc      *http.Client
	pace    <-chan time.Time // nil: no pacing (--rate)
	regions sync.Map         // pemda token → its region code
	inputs  sync.Map         // region code → *benchInput
	// A filing's body with its files, built once (filingForm).
	uploadOnce             sync.Once
	uploadType             string
	uploadHead, uploadTail []byte // a filing's body around its proposal's JSON (filingForm)
	uploadErr              error
}

func (b *bencher) call(ctx context.Context, method, path, token, ctype string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.url+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode >= 300 {
		err = fmt.Errorf("%s %s = %d: %s", method, path, resp.StatusCode, out)
	}
	return out, err
}

func (b *bencher) login(user string) (string, error) {
	body, err := json.Marshal(map[string]string{"username": user, "password": DemoPassword})
	if err != nil {
		return "", err
	}
	out, err := b.call(context.Background(), "POST", "/api/v1/auth/login", "", "application/json", body)
	if err != nil {
		return "", fmt.Errorf("bench logs in with the seed demo accounts (run `dakflow seed demo`): %w", err)
	}
	var r struct{ Token string }
	err = json.Unmarshal(out, &r)
	return r.Token, err
}

// benchTag stands in a built proposal body for what makes each one unique.
const benchTag = "TAG-UJI-BEBAN"

// newProposal files a complete proposal for the pemda and returns its id.
func (b *bencher) newProposal(ctx context.Context, pemda string) (string, error) {
	// A client asks who it is once, as a real one would, not per proposal.
	var me struct {
		RegionCode string `json:"region_code"`
	}
	if region, ok := b.regions.Load(pemda); ok {
		me.RegionCode = region.(string)
	} else {
		out, err := b.call(ctx, "GET", "/api/v1/me", pemda, "", nil)
		if err != nil {
			return "", err
		}
		if err := json.Unmarshal(out, &me); err != nil {
			return "", fmt.Errorf("GET /api/v1/me: %w", err)
		}
		b.regions.Store(pemda, me.RegionCode)
	}
	// A pembangunan of a sentra of its own: each registers a new sentra
	// (PRODUCT.md §9), named and with a commodity no other has, in the
	// region's desa in turn, as a day's filings spread over a kabupaten's
	// desa (piled into one desa, each filing would read all the sentra
	// filed before it there). The body is built once per region and only
	// its tag and desa change, so that the load generator spends the
	// machine's CPU on requests, not on building them.
	t, ok := b.inputs.Load(me.RegionCode)
	if !ok {
		s := &seeder{year: time.Now().Year() + 1}
		in := s.input(me.RegionCode, "Sentra IKM Uji Beban "+benchTag, "Uji beban "+benchTag, "pembangunan", false)
		body, err := json.Marshal(in)
		if err != nil {
			return "", err
		}
		t, _ = b.inputs.LoadOrStore(me.RegionCode, &benchInput{body: body, village: in.Sentra.VillageCode, villages: villagesOf(me.RegionCode)})
	}
	// The draft with its six attachments, in one request (as a pemda's
	// system files it: the draft and its files, or nothing); the files
	// are a body built once (a real client has them on disk, it does not
	// render them per proposal).
	b.uploadOnce.Do(func() { b.uploadHead, b.uploadTail, b.uploadType, b.uploadErr = filingForm(proposalKinds) })
	if b.uploadErr != nil {
		return "", b.uploadErr
	}
	body := slices.Concat(b.uploadHead, t.(*benchInput).next(), b.uploadTail)
	out, err := b.call(ctx, "POST", "/api/v1/proposals", pemda, b.uploadType, body)
	if err != nil {
		return "", err
	}
	var p struct{ ID int64 }
	if err := json.Unmarshal(out, &p); err != nil {
		return "", fmt.Errorf("POST /api/v1/proposals: %w", err)
	}
	return strconv.FormatInt(p.ID, 10), nil
}

// benchInput is a region's proposal body, built once: benchTag in place
// of what makes each filing unique, and village its desa.
type benchInput struct {
	body     []byte
	village  string
	villages []string // the region's desa, taken in turn
	n        atomic.Uint64
}

// next is the body of the next filing: a tag of its own, the next desa.
func (in *benchInput) next() []byte {
	body := bytes.ReplaceAll(in.body, []byte(benchTag), strconv.AppendInt(nil, time.Now().UnixNano(), 10))
	if len(in.villages) > 0 && in.village != "" {
		v := in.villages[(in.n.Add(1)-1)%uint64(len(in.villages))]
		body = bytes.Replace(body, []byte(`"village_code":"`+in.village+`"`), []byte(`"village_code":"`+v+`"`), 1)
	}
	return body
}

// proposalKinds are the attachments a pembangunan is filed with.
var proposalKinds = []string{"surat_usulan", "tor", "rab", "ded", "sertifikat_lahan", "dokumen_lingkungan"}

// filingForm is the multipart body of a filing with a demo PDF of each
// kind, cut where the proposal's JSON goes: head is the boundary and the
// proposal part's header, tail the end of that part, then a kind part and
// its file part for each kind.
func filingForm(kinds []string) (head, tail []byte, ctype string, err error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if _, err := w.CreateFormField("proposal"); err != nil {
		return nil, nil, "", err
	}
	head = bytes.Clone(buf.Bytes())
	buf.Reset()
	for _, kind := range kinds {
		if err := w.WriteField("kind", kind); err != nil {
			return nil, nil, "", err
		}
		fw, err := w.CreateFormFile("file", kind+".pdf")
		if err != nil {
			return nil, nil, "", err
		}
		if _, err := fw.Write(demoPDF(kind)); err != nil {
			return nil, nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, nil, "", err
	}
	return head, bytes.Clone(buf.Bytes()), w.FormDataContentType(), nil
}

func (b *bencher) loop(ctx context.Context, scenario, pemda, verifier string, record func(time.Time, string, time.Duration, error)) {
	fire := func(token, id, event string, data any) error {
		body, err := json.Marshal(map[string]any{"event": event, "data": data})
		if err != nil {
			return err
		}
		if b.pace != nil {
			select {
			case <-b.pace:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		t0 := time.Now()
		_, err = b.call(ctx, "POST", "/api/v1/proposals/"+id+"/events", token, "application/json", body)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		record(t0, event, time.Since(t0), err)
		return err
	}
	notes := map[string]any{"notes": []map[string]string{{"field": "budget_lines", "note": "uji beban"}}}
	id := ""
	for ctx.Err() == nil {
		if id == "" || scenario == "deadline" {
			var err error
			if id, err = b.newProposal(ctx, pemda); err != nil {
				if ctx.Err() == nil {
					record(time.Now(), "file", 0, err)
				}
				return
			}
		}
		if fire(pemda, id, "submit", nil) != nil || scenario == "deadline" {
			continue
		}
		if fire(verifier, id, "start_review", nil) != nil {
			continue
		}
		_ = fire(verifier, id, "request_revision", notes) // recorded by fire; the loop goes on either way
	}
}

// serverMetric reads an unlabelled metric (name, as process_resident_memory_bytes)
// from the server's /metrics; 0 when it cannot be read.
func (b *bencher) serverMetric(name string) float64 {
	out, err := b.call(context.Background(), "GET", "/metrics", "", "", nil)
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0 // unknown, as when /metrics cannot be read
			}
			return f
		}
	}
	return 0
}

// benchSample is one measured transition, as --latencies writes it.
type benchSample struct {
	at    time.Time
	event string
	took  time.Duration
	err   error
}

// writeSamples writes the measured transitions in the order they were
// sent, one CSV row each: the send time (RFC 3339, microseconds, UTC),
// the event ("file" for a filing that failed, with no time), the
// milliseconds until the answer, and the error, if any. A p99 says how
// long the slowest were; these rows say when they came: together, in
// bursts, or spread over the run.
func writeSamples(path string, samples []benchSample) (err error) {
	sort.Slice(samples, func(i, j int) bool { return samples[i].at.Before(samples[j].at) })
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench --latencies: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	if err := w.Write([]string{"sent_at", "event", "ms", "error"}); err != nil {
		return err
	}
	for _, s := range samples {
		msg := ""
		if s.err != nil {
			msg = s.err.Error()
		}
		row := []string{s.at.UTC().Format("2006-01-02T15:04:05.000000Z07:00"), s.event, strconv.FormatFloat(float64(s.took.Microseconds())/1000, 'f', 3, 64), msg}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
