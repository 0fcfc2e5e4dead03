package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
)

// The load of TestThreeInstances: goroutines that take proposals through
// the API of whichever instance is up, and never touch testing.T.

// cluster holds the URLs of the instances; "" while one is down.
type cluster struct {
	mu   sync.RWMutex
	urls [3]string
}

func (c *cluster) set(i int, url string) { c.mu.Lock(); c.urls[i] = url; c.mu.Unlock() }

func (c *cluster) url(i int) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k := range 3 {
		if u := c.urls[(i+k)%3]; u != "" {
			return u
		}
	}
	return ""
}

// load drives the API from many goroutines without touching testing.T.
type load struct {
	c                                *cluster
	def                              *workflow.Definition
	alloc                            int64
	outages                          bool // wait out 503s (the PostgreSQL stop/start drill)
	admin, pemda, verif, appr, treas string

	allocated, refused, declined, completed, abandoned, retried, unavailable, requests atomic.Int64

	sentra atomic.Int64 // numbers each proposal's sentra

	mu       sync.Mutex
	problems []string
}

type loadStats struct {
	allocated, refused, declined, completed, abandoned, retried, unavailable, requests int64
}

func (s loadStats) String() string {
	return fmt.Sprintf("%d requests, %d allocations (%d refused at the ceiling, %d declined), %d completed, %d abandoned after a lost connection, %d retried on another instance, %d answered 503",
		s.requests, s.allocated, s.refused, s.declined, s.completed, s.abandoned, s.retried, s.unavailable)
}

func (l *load) stats() loadStats {
	return loadStats{l.allocated.Load(), l.refused.Load(), l.declined.Load(), l.completed.Load(), l.abandoned.Load(),
		l.retried.Load(), l.unavailable.Load(), l.requests.Load()}
}

func (l *load) errs() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.problems) > 20 {
		return append(l.problems[:20:20], fmt.Sprintf("… and %d more", len(l.problems)-20))
	}
	return l.problems
}

func (l *load) fail(format string, args ...any) {
	l.mu.Lock()
	l.problems = append(l.problems, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

// reply is one answer; err is a transport error (the instance is down).
type reply struct {
	status int
	body   []byte
	err    error
}

var loadClient = &http.Client{Timeout: 60 * time.Second}

// call sends one request to instance i (or the next one up). A transport
// error is retried on the next instance, up to five times, with the same
// Idempotency-Key when key is set: a fire that committed before its
// instance died answers its first result and does nothing twice. When
// outages is set (the long version, for the PostgreSQL stop/start drill),
// a 503 is waited out the same way, for up to a minute.
func (l *load) call(i int, token, method, path string, body any, key string) reply {
	var r reply
	for lost, down := 0, 0; ; i++ {
		base := l.c.url(i)
		if base == "" {
			r = reply{err: errors.New("every instance is down")}
		} else {
			r = l.send(base, token, method, path, body, key)
		}
		switch {
		case r.err != nil && lost < 5:
			lost++
			l.retried.Add(1)
			time.Sleep(200 * time.Millisecond)
		case r.err == nil && r.status == http.StatusServiceUnavailable && l.outages && down < 120:
			down++
			l.unavailable.Add(1)
			time.Sleep(500 * time.Millisecond)
		default:
			return r
		}
	}
}

func (l *load) send(base, token, method, path string, body any, key string) reply {
	l.requests.Add(1)
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case upload:
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("kind", b.kind)
		fw, _ := w.CreateFormFile("file", b.kind+".pdf")
		_, _ = fw.Write(apitest.PDFBytes(b.kind))
		_ = w.Close()
		rd, ct = &buf, w.FormDataContentType()
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return reply{err: err}
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return reply{err: err}
	}
	if rd != nil {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := loadClient.Do(req)
	if err != nil {
		return reply{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, body: b, err: err}
}

type upload struct{ kind string }

// expect reports whether r has one of the wanted statuses; any other
// answer is a failure of the test, except a lost connection, which
// abandons the proposal (its instance was killed).
func (l *load) expect(r reply, what string, want ...int) bool {
	if r.err != nil {
		l.abandoned.Add(1)
		return false
	}
	for _, w := range want {
		if r.status == w {
			return true
		}
	}
	l.fail("%s = %d %s", what, r.status, bytes.TrimSpace(r.body))
	return false
}

func newKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// worker takes one proposal after another through the workflow until ctx
// ends; step k of a proposal goes to instance w+k.
func (l *load) worker(ctx context.Context, w int) {
	for n := 0; ctx.Err() == nil; n++ {
		menu := "revitalisasi"
		if (w+n)%2 == 1 {
			menu = "pembangunan"
		}
		l.proposal(ctx, w, menu)
	}
}

// file files in as the pemda and returns the draft's id, under an
// Idempotency-Key: a filing whose connection was lost with its instance
// may have been filed, and its retry on another instance answers that
// draft instead of filing it twice. A retry that arrives while the first
// is still being filed is answered 409, and sent again.
func (l *load) file(next func() int, in map[string]any) (int64, bool) {
	key := newKey()
	for tries := 0; ; tries++ {
		r := l.call(next(), l.pemda, "POST", "/api/v1/proposals", in, key)
		if r.err == nil && r.status == http.StatusConflict && tries < 20 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		var created struct{ ID int64 }
		if !l.expect(r, "create proposal", http.StatusCreated) || json.Unmarshal(r.body, &created) != nil {
			return 0, false
		}
		return created.ID, true
	}
}

// registerSentra registers a living sentra as the pemda and returns its
// id; a registration retried after a lost connection that was made the
// first time is found by its name.
func (l *load) registerSentra(next func() int, name, commodity, village string) (int64, bool) {
	var reg struct {
		ID    int64 `json:"id"`
		Items []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"items"`
	}
	r := l.call(next(), l.pemda, "POST", "/api/v1/sentra", map[string]any{"name": name, "commodity": commodity, "village_code": village}, "")
	if r.err == nil && r.status == http.StatusUnprocessableEntity {
		r = l.call(next(), l.pemda, "GET", "/api/v1/sentra?q="+url.QueryEscape(name), nil, "")
		if !l.expect(r, "find sentra", http.StatusOK) || json.Unmarshal(r.body, &reg) != nil || len(reg.Items) != 1 || reg.Items[0].Name != name {
			l.fail("register sentra %q: refused, and not found by its name: %s", name, bytes.TrimSpace(r.body))
			return 0, false
		}
		return reg.Items[0].ID, true
	}
	if !l.expect(r, "register sentra", http.StatusCreated) || json.Unmarshal(r.body, &reg) != nil {
		return 0, false
	}
	return reg.ID, true
}

func (l *load) proposal(ctx context.Context, w int, menu string) {
	k := w
	next := func() int { k++; return k % 3 }
	// Every proposal is for a sentra of its own (PRODUCT.md §9: one
	// proposal under way per sentra; a revitalisasi names a registered
	// living one, a pembangunan registers its own in a desa that holds
	// none of its commodity).
	in := apitest.ProposalInput(menu, false)
	s := in["sentra"].(map[string]any)
	n := l.sentra.Add(1)
	s["name"], s["commodity"] = fmt.Sprintf("Sentra IKM Uji Beban %d", n), fmt.Sprintf("Komoditas uji beban %d", n)
	if menu == "revitalisasi" {
		id, ok := l.registerSentra(next, s["name"].(string), s["commodity"].(string), s["village_code"].(string))
		if !ok {
			return
		}
		in["sentra_id"] = id
	}
	id, filed := l.file(next, in)
	if !filed {
		return
	}
	path := fmt.Sprintf("/api/v1/proposals/%d", id)
	up := func(kinds []string) bool {
		for _, kind := range kinds {
			if !l.expect(l.call(next(), l.pemda, "POST", path+"/attachments", upload{kind}, ""), "upload "+kind, http.StatusCreated) {
				return false
			}
		}
		return true
	}
	fire := func(token, event, comment string, data any, want ...int) reply {
		if ctx.Err() != nil { // the load is over: leave the proposal where it is
			return reply{err: ctx.Err()}
		}
		body := map[string]any{"event": event}
		if comment != "" {
			body["comment"] = comment
		}
		if data != nil {
			body["data"] = data
		}
		r := l.call(next(), token, "POST", path+"/events", body, newKey())
		if len(want) == 0 {
			want = []int{http.StatusOK}
		}
		if !l.expect(r, fmt.Sprintf("%s on %d", event, id), want...) {
			return reply{err: io.ErrUnexpectedEOF}
		}
		return r
	}
	ok := func(r reply) bool { return r.err == nil && r.status == http.StatusOK }
	get := func() map[string]any {
		r := l.call(next(), l.admin, "GET", path, nil, "")
		if !l.expect(r, "get proposal", http.StatusOK) {
			return nil
		}
		var m map[string]any
		_ = json.Unmarshal(r.body, &m)
		return m
	}
	if !up(l.def.Menus[menu].RequiredAttachments) || !ok(fire(l.pemda, "submit", "", nil)) || !ok(fire(l.verif, "start_review", "", nil)) {
		return
	}
	var checklist []map[string]any
	for _, item := range l.def.Checklist {
		if item.AppliesTo(dak.Menu(menu)) {
			checklist = append(checklist, map[string]any{"id": item.ID, "met": true, "note": "Sesuai TOR, RAB dan DED"})
		} else {
			checklist = append(checklist, map[string]any{"id": item.ID, "not_applicable": true, "note": ""})
		}
	}
	if !ok(fire(l.verif, "recommend", "", map[string]any{"recommended_amount": l.alloc, "amount_reason": apitest.AmountReason, "checklist": checklist})) {
		return
	}
	// Allocate, waiting for room under the ceiling a few times; a refusal
	// must name the ceiling and nothing else.
	allocated := false
	for try := 0; try < 15 && !allocated; try++ {
		r := fire(l.appr, "allocate", "", map[string]any{"amount": l.alloc}, http.StatusOK, http.StatusUnprocessableEntity)
		switch {
		case r.err != nil:
			return
		case r.status == http.StatusOK:
			allocated = true
			l.allocated.Add(1)
		default:
			var p struct{ Errors []struct{ Guard string } }
			_ = json.Unmarshal(r.body, &p)
			if len(p.Errors) != 1 || p.Errors[0].Guard != "ceiling_available" {
				l.fail("allocate on %d = 422 %s, want only ceiling_available", id, r.body)
				return
			}
			l.refused.Add(1)
			time.Sleep(time.Duration(50+try*10) * time.Millisecond)
		}
	}
	if !allocated {
		if ok(fire(l.appr, "decline", "Pagu tahun anggaran tidak mencukupi", nil)) {
			l.declined.Add(1)
		}
		return
	}
	if !ok(fire(l.pemda, "submit_rk", "", map[string]any{"activities": apitest.RK(menu, false)})) || !ok(fire(l.appr, "approve_rk", "", nil)) ||
		!up(l.def.Parameters.Sekaligus.Attachments) {
		return
	}
	if !ok(fire(l.pemda, "request_disbursement", "", map[string]any{"stage": 1, "contract_value": l.alloc * 9 / 10, "absorbed_amount": 0,
		"output_percent": 0.0, "kppn": "KPPN Bandar Lampung"})) || !ok(fire(l.appr, "recommend_disbursement", "", nil)) {
		return
	}
	p := get()
	if p == nil {
		return
	}
	var amount int64
	if d, _ := p["disbursement"].(map[string]any); d != nil {
		for _, s := range d["stages"].([]any) {
			if st := s.(map[string]any); st["number"].(float64) == 1 {
				amount = int64(st["amount"].(float64))
			}
		}
	}
	if !ok(fire(l.treas, "record_disbursement", "", map[string]any{"amount": amount, "sp2d_number": fmt.Sprintf("SP2D-%d-1", id), "sp2d_date": "2027-03-15"})) ||
		!up([]string{"bast"}) {
		return
	}
	if ok(fire(l.pemda, "complete", "", map[string]any{"output_percent": 100, "absorbed_amount": amount, "bast_number": fmt.Sprintf("BAST/%d/2027", id)})) {
		l.completed.Add(1)
	}
}
