package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"dakflow/internal/web/apitest"
)

// The tests of this file fire requests from many goroutines at once, over
// real HTTP against a real database, and check PRODUCT.md §3's promises:
// the ceiling is never exceeded, one of two users acting at once wins and
// the other gets a clear conflict, an Idempotency-Key does nothing twice,
// and document numbers stay unique and gapless (§4).

// concCall is one request to send from a goroutine.
type concCall struct {
	client *apitest.Client
	method string
	path   string
	body   any
	header map[string]string
}

// concFire returns a call firing event on proposal id.
func concFire(c *apitest.Client, id int64, event, comment string, data any, header map[string]string) concCall {
	body := map[string]any{"event": event}
	if comment != "" {
		body["comment"] = comment
	}
	if data != nil {
		body["data"] = data
	}
	return concCall{client: c, method: "POST", path: fmt.Sprintf("/api/v1/proposals/%d/events", id), body: body, header: header}
}

// concSend performs a call without touching testing.T, so it may run on any
// goroutine.
func concSend(base string, c concCall) (apitest.Response, error) {
	var rd io.Reader
	if c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			return apitest.Response{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), c.method, base+c.path, rd)
	if err != nil {
		return apitest.Response{}, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.client.Token)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	return concDo(req)
}

// concDo sends req and reads the whole answer, without touching
// testing.T.
func concDo(req *http.Request) (apitest.Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return apitest.Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return apitest.Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, err
}

// keyedAtOnce sends eight requests at once, each from its own goroutine
// (send, given its index, must not touch t), under one Idempotency-Key, and
// checks that each answers status with the first one's body; it returns
// that answer and how many said Idempotent-Replayed.
func keyedAtOnce(t *testing.T, what string, status int, send func(i int) (apitest.Response, error)) (first apitest.Response, replayed int) {
	t.Helper()
	replies := make([]apitest.Response, 8)
	errs := make([]error, len(replies))
	var wg sync.WaitGroup
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i], errs[i] = send(i)
		}()
	}
	wg.Wait()
	for i, r := range replies {
		if errs[i] != nil || r.Status != status || !bytes.Equal(r.Body, replies[0].Body) {
			t.Fatalf("%s %d at once = %v %d %s, want %d %s", what, i, errs[i], r.Status, r.Body, status, replies[0].Body)
		}
		if r.Header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	return replies[0], replayed
}

// concAtOnce sends every call from its own goroutine, all released at the
// same moment, and returns the responses in the order of calls.
func concAtOnce(t *testing.T, base string, calls []concCall) []apitest.Response {
	t.Helper()
	out := make([]apitest.Response, len(calls))
	errs := make([]error, len(calls))
	start := make(chan struct{})
	var ready, done sync.WaitGroup
	for i, c := range calls {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			out[i], errs[i] = concSend(base, c)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s %s: %v", calls[i].method, calls[i].path, err)
		}
	}
	for i, r := range out {
		if r.Status >= 500 || bytes.Contains(bytes.ToLower(r.Body), []byte("locked")) || bytes.Contains(bytes.ToLower(r.Body), []byte("deadlock")) {
			t.Errorf("%s %s = %d %s", calls[i].method, calls[i].path, r.Status, r.Body)
		}
	}
	return out
}

// concProblem is the part of an RFC 9457 body the tests look at.
type concProblem struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	State  string `json:"state"`
	Detail string `json:"detail"`
}

func concProblemOf(t *testing.T, r apitest.Response) concProblem {
	t.Helper()
	var p concProblem
	r.Decode(t, &p)
	return p
}

type concEvent struct {
	Seq        int    `json:"seq"`
	Event      string `json:"event"`
	Actor      string `json:"actor"`
	DocumentID *int64 `json:"document_id"`
}

type concDocument struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Number string `json:"number"`
}

func concEvents(t *testing.T, e *apitest.Env, id int64) []concEvent {
	t.Helper()
	var out struct {
		Items []concEvent `json:"items"`
	}
	r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("events of %d = %d %s", id, r.Status, r.Body)
	}
	r.Decode(t, &out)
	return out.Items
}

func concDocuments(t *testing.T, e *apitest.Env, id int64) []concDocument {
	t.Helper()
	var out struct {
		Items []concDocument `json:"items"`
	}
	r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("documents of %d = %d %s", id, r.Status, r.Body)
	}
	r.Decode(t, &out)
	return out.Items
}

func concEventNames(evs []concEvent) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Event)
	}
	return out
}

func concCount(names []string, name string) int {
	n := 0
	for _, s := range names {
		if s == name {
			n++
		}
	}
	return n
}

// concWalked creates n proposals and walks each to state target.
func concWalked(t *testing.T, e *apitest.Env, n int, menu string, big bool, target string) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = e.Create(t, menu, big)
		e.WalkTo(t, ids[i], big, target)
	}
	return ids
}

// concCheckNumbers lists every proposal and document of the environment and
// checks the numbers of each document kind, and the proposals' own
// numbers, are unique and their sequence parts are exactly 1..K.
func concCheckNumbers(t *testing.T, e *apitest.Env) {
	t.Helper()
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Number string `json:"number"`
		} `json:"items"`
		Total int `json:"total"`
	}
	r := e.Auditor.Do("GET", "/api/v1/proposals?per_page=200", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list proposals = %d %s", r.Status, r.Body)
	}
	r.Decode(t, &list)
	if list.Total != len(list.Items) {
		t.Fatalf("listed %d of %d proposals", len(list.Items), list.Total)
	}
	seqs := map[string][]int64{}
	seen := map[string]bool{}
	for _, p := range list.Items {
		// USL-{year}-{region}-{seq:05d}
		s, err := strconv.ParseInt(p.Number[strings.LastIndexByte(p.Number, '-')+1:], 10, 64)
		if err != nil {
			t.Fatalf("proposal number %q: %v", p.Number, err)
		}
		seqs["usulan"] = append(seqs["usulan"], s)
		for _, d := range concDocuments(t, e, p.ID) {
			if seen[d.Number] {
				t.Errorf("document number %s issued twice", d.Number)
			}
			seen[d.Number] = true
			// B-{seq}/IKMA/DAK.{KIND}/{MM}/{YYYY}
			head, _, _ := strings.Cut(d.Number, "/")
			s, err := strconv.ParseInt(strings.TrimPrefix(head, "B-"), 10, 64)
			if err != nil {
				t.Fatalf("document number %q: %v", d.Number, err)
			}
			seqs[d.Kind] = append(seqs[d.Kind], s)
		}
	}
	for kind, s := range seqs {
		slices.Sort(s)
		for i, n := range s {
			if n != int64(i+1) {
				t.Errorf("%s numbers are not 1..%d without gap or repeat: %v", kind, len(s), s)
				break
			}
		}
	}
}

// TestConcurrentAllocateRespectsCeiling fires allocate on twelve
// recommended proposals at once, from both approvers, under a ceiling that
// fits five: exactly five win, the rest fail the ceiling guard and are left
// untouched, and the committed total never passes the ceiling.
func TestConcurrentAllocateRespectsCeiling(t *testing.T) {
	e := apitest.NewEnv(t)
	const (
		n     = 12
		alloc = int64(apitest.BigAllocation)
	)
	ids := concWalked(t, e, n, "revitalisasi", true, "recommended")
	allocated := map[int64]bool{}

	rounds := []struct {
		ceiling int64 // set before the round
		wins    int
	}{
		{5*alloc + alloc/2, 5}, // room for five and a half: the half is never used
		{8 * alloc, 3},         // raised: three more fit
	}
	for round, rd := range rounds {
		r := e.Admin.Do("PUT", fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year), map[string]any{"ceiling": rd.ceiling, "change_reason": "uji konkurensi", "legal_basis": "uji"}, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("set ceiling = %d %s", r.Status, r.Body)
		}
		var calls []concCall
		var targets []int64
		for i, id := range ids {
			if allocated[id] {
				continue
			}
			approver := e.Approver
			if i%2 == 1 {
				approver = e.Approver2
			}
			calls = append(calls, concFire(approver, id, "allocate", "", map[string]any{"amount": alloc}, nil))
			targets = append(targets, id)
		}
		wins := 0
		for i, r := range concAtOnce(t, e.URL, calls) {
			switch r.Status {
			case http.StatusOK:
				wins++
				allocated[targets[i]] = true
			case http.StatusUnprocessableEntity:
				if g := r.Guards(); !slices.Equal(g, []string{"ceiling_available"}) {
					t.Errorf("round %d: proposal %d: 422 with guards %v, want [ceiling_available]: %s", round+1, targets[i], g, r.Body)
				}
				if p := concProblemOf(t, r); p.Type != "/problems/rule-failed" {
					t.Errorf("round %d: problem type %q", round+1, p.Type)
				}
			default:
				t.Errorf("round %d: allocate %d = %d %s", round+1, targets[i], r.Status, r.Body)
			}
		}
		if wins != rd.wins {
			t.Fatalf("round %d: %d allocations succeeded, want exactly %d", round+1, wins, rd.wins)
		}

		var sum struct {
			Ceiling   int64 `json:"ceiling"`
			Committed int64 `json:"committed"`
			ByState   []struct {
				State     string `json:"state"`
				Count     int    `json:"count"`
				Allocated int64  `json:"allocated_amount"`
			} `json:"by_state"`
		}
		r = e.Auditor.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary", apitest.Year), nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("summary = %d %s", r.Status, r.Body)
		}
		r.Decode(t, &sum)
		var total int64
		for id := range allocated {
			p := e.Get(t, id)
			if p["state"] != "allocated" || int64(p["allocated_amount"].(float64)) != alloc {
				t.Errorf("winner %d: state %v, allocated %v", id, p["state"], p["allocated_amount"])
			}
			total += int64(p["allocated_amount"].(float64))
		}
		if sum.Committed > sum.Ceiling || sum.Ceiling != rd.ceiling {
			t.Errorf("round %d: committed %d, ceiling %d (set %d)", round+1, sum.Committed, sum.Ceiling, rd.ceiling)
		}
		if sum.Committed != total || total != int64(len(allocated))*alloc {
			t.Errorf("round %d: committed %d, but the allocated proposals hold %d", round+1, sum.Committed, total)
		}
		for _, s := range sum.ByState {
			if s.State == "allocated" && (s.Count != len(allocated) || s.Allocated != total) {
				t.Errorf("round %d: summary says %d allocated holding %d; want %d holding %d", round+1, s.Count, s.Allocated, len(allocated), total)
			}
		}
		fy, err := e.Store.FiscalYear(context.Background(), apitest.Year)
		if err != nil {
			t.Fatal(err)
		}
		if int64(fy.Committed) != total {
			t.Errorf("round %d: store committed %d, want %d", round+1, fy.Committed, total)
		}
	}

	// Losers are still recommended, with no allocate event and no letter;
	// winners have exactly one of each.
	for _, id := range ids {
		evs := concEvents(t, e, id)
		docs := concDocuments(t, e, id)
		names := concEventNames(evs)
		want := []string{"submit", "start_review", "recommend"}
		wantDocs := 2 // tanda_terima_usulan, berita_acara_penilaian
		if allocated[id] {
			want = append(want, "allocate")
			wantDocs++
		} else if st := e.Get(t, id)["state"]; st != "recommended" {
			t.Errorf("loser %d is %v, want recommended", id, st)
		}
		if !slices.Equal(names, want) {
			t.Errorf("proposal %d events = %v, want %v", id, names, want)
		}
		if len(docs) != wantDocs {
			t.Errorf("proposal %d has %d documents, want %d", id, len(docs), wantDocs)
		}
		if allocated[id] && docs[len(docs)-1].Kind != "surat_penetapan_alokasi" {
			t.Errorf("proposal %d last document %s", id, docs[len(docs)-1].Kind)
		}
	}
	concCheckNumbers(t, e)
}

// TestTwoUsersOneProposal: two verifiers start the review of the same
// submitted proposal at the same moment; one wins, the other gets 409
// (the event is no longer allowed in the proposal's new state), and the
// trail holds one start_review. The same with If-Match: two writes of one
// version, one 200 and one 412.
func TestTwoUsersOneProposal(t *testing.T) {
	e := apitest.NewEnv(t)

	t.Run("start_review", func(t *testing.T) {
		e := e.For(t)
		ids := concWalked(t, e, 10, "pembangunan", false, "submitted")
		for _, id := range ids {
			rs := concAtOnce(t, e.URL, []concCall{
				concFire(e.Verifier, id, "start_review", "", nil, nil),
				concFire(e.Verifier2, id, "start_review", "", nil, nil),
			})
			winner := -1
			for i, r := range rs {
				switch r.Status {
				case http.StatusOK:
					if winner >= 0 {
						t.Errorf("proposal %d: both verifiers won", id)
					}
					winner = i
				case http.StatusConflict:
					p := concProblemOf(t, r)
					if p.Type != "/problems/conflict" || p.State != "in_review" {
						t.Errorf("proposal %d: loser's problem = %+v", id, p)
					}
				default:
					t.Errorf("proposal %d: start_review = %d %s", id, r.Status, r.Body)
				}
			}
			if winner < 0 {
				t.Fatalf("proposal %d: nobody won: %d %s / %d %s", id, rs[0].Status, rs[0].Body, rs[1].Status, rs[1].Body)
			}
			names := concEventNames(concEvents(t, e, id))
			if concCount(names, "start_review") != 1 || len(names) != 2 {
				t.Errorf("proposal %d events = %v, want [submit start_review]", id, names)
			}
			p := e.Get(t, id)
			who := []*apitest.Client{e.Verifier, e.Verifier2}[winner]
			if p["state"] != "in_review" || p["reviewer_id"] != who.User["id"] {
				t.Errorf("proposal %d: state %v reviewer %v, want in_review by %v", id, p["state"], p["reviewer_id"], who.User["id"])
			}
		}
		concCheckNumbers(t, e)
	})

	t.Run("put_if_match", func(t *testing.T) {
		e := e.For(t)
		id := e.Create(t, "revitalisasi", false)
		path := fmt.Sprintf("/api/v1/proposals/%d", id)
		for round := range 10 {
			r := e.Pemda.Do("GET", path, nil, nil)
			tag := r.Header.Get("ETag")
			if r.Status != http.StatusOK || tag == "" {
				t.Fatalf("get = %d, ETag %q", r.Status, tag)
			}
			var calls []concCall
			for who := range 2 {
				in := apitest.ProposalInput("revitalisasi", false)
				in["title"] = fmt.Sprintf("Revitalisasi Sentra IKM Tenun Tapis putaran %d penulis %d", round, who)
				calls = append(calls, concCall{client: e.Pemda, method: "PUT", path: path, body: in, header: map[string]string{"If-Match": tag}})
			}
			rs := concAtOnce(t, e.URL, calls)
			var ok, stale []int
			for i, r := range rs {
				switch r.Status {
				case http.StatusOK:
					ok = append(ok, i)
				case http.StatusPreconditionFailed:
					stale = append(stale, i)
				default:
					t.Errorf("round %d: put = %d %s", round, r.Status, r.Body)
				}
			}
			if len(ok) != 1 || len(stale) != 1 {
				t.Fatalf("round %d: %d × 200 and %d × 412, want one of each", round, len(ok), len(stale))
			}
			p := e.Get(t, id)
			if p["title"] != calls[ok[0]].body.(map[string]any)["title"] {
				t.Errorf("round %d: title %q is not the winner's", round, p["title"])
			}
			if got, want := `"`+strconv.Itoa(int(p["version"].(float64)))+`"`, rs[ok[0]].Header.Get("ETag"); got != want {
				t.Errorf("round %d: version %s, winner's ETag %s", round, got, want)
			}
		}
		if v := e.Get(t, id)["version"].(float64); v != 11 {
			t.Errorf("version after ten contested rounds = %v, want 11", v)
		}
	})

	t.Run("events_if_match", func(t *testing.T) {
		// allocate and decline on one recommended proposal, both sent with
		// the version the approvers saw: the second to run finds it stale.
		e := e.For(t)
		for _, id := range concWalked(t, e, 4, "pembangunan", false, "recommended") {
			tag := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil).Header.Get("ETag")
			h := map[string]string{"If-Match": tag}
			rs := concAtOnce(t, e.URL, []concCall{
				concFire(e.Approver, id, "allocate", "", map[string]any{"amount": apitest.SmallAllocation}, h),
				concFire(e.Approver2, id, "decline", "Prioritas lain pada tahun anggaran ini", nil, h),
			})
			winner := -1
			for i, r := range rs {
				switch r.Status {
				case http.StatusOK:
					if winner >= 0 {
						t.Fatalf("proposal %d: both allocate and decline succeeded", id)
					}
					winner = i
				case http.StatusPreconditionFailed:
				default:
					t.Errorf("proposal %d: event %d = %d %s", id, i, r.Status, r.Body)
				}
			}
			if winner < 0 {
				t.Fatalf("proposal %d: nothing won: %d / %d", id, rs[0].Status, rs[1].Status)
			}
			names := concEventNames(concEvents(t, e, id))
			want := []string{"submit", "start_review", "recommend", []string{"allocate", "decline"}[winner]}
			if !slices.Equal(names, want) {
				t.Errorf("proposal %d events = %v, want %v", id, names, want)
			}
			if st, want := e.Get(t, id)["state"], []string{"allocated", "not_allocated"}[winner]; st != want {
				t.Errorf("proposal %d state %v, want %s", id, st, want)
			}
		}
		concCheckNumbers(t, e)
	})
}

// TestIdempotencyKey: a retried event with the same Idempotency-Key does
// nothing twice and answers exactly as the first time, whether the retry
// comes after the first answer or at the same moment; the same key for a
// different request is refused and changes nothing.
func TestIdempotencyKey(t *testing.T) {
	e := apitest.NewEnv(t)

	t.Run("sequential", func(t *testing.T) {
		e := e.For(t)
		id := e.Create(t, "revitalisasi", false)
		key := map[string]string{"Idempotency-Key": "submit-" + strconv.FormatInt(id, 10)}
		first := e.Pemda.Fire(id, "submit", "", nil, key)
		if first.Status != http.StatusOK || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first = %d (replayed %q) %s", first.Status, first.Header.Get("Idempotent-Replayed"), first.Body)
		}
		for range 3 {
			again := e.Pemda.Fire(id, "submit", "", nil, key)
			if again.Status != first.Status || !bytes.Equal(again.Body, first.Body) {
				t.Errorf("replay = %d %s\nfirst  = %d %s", again.Status, again.Body, first.Status, first.Body)
			}
			if again.Header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("replay lacks Idempotent-Replayed: true")
			}
		}
		concSubmittedOnce(t, e, id)

		// The same key for another request: refused, nothing changes.
		for _, c := range []struct {
			name string
			id   int64
			body func() apitest.Response
		}{
			{"another event", id, func() apitest.Response {
				return e.Pemda.Fire(id, "withdraw", "Usulan ditarik untuk diperbaiki", nil, key)
			}},
			{"another comment", id, func() apitest.Response { return e.Pemda.Fire(id, "submit", "dengan catatan", nil, key) }},
		} {
			r := c.body()
			if r.Status < 400 || r.Status >= 500 || r.Header.Get("Idempotent-Replayed") != "" {
				t.Errorf("%s with a used key = %d %s", c.name, r.Status, r.Body)
			}
			concSubmittedOnce(t, e, c.id)
		}
		other := e.Create(t, "revitalisasi", false)
		if r := e.Pemda.Fire(other, "submit", "", nil, key); r.Status < 400 || r.Status >= 500 {
			t.Errorf("the key on another proposal = %d %s", r.Status, r.Body)
		}
		if p := e.Get(t, other); p["state"] != "draft" || len(concEvents(t, e, other)) != 0 || len(concDocuments(t, e, other)) != 0 {
			t.Errorf("another proposal under a used key changed: state %v", p["state"])
		}
		// A key is the user's own: another user's identical key is a new request.
		e.WalkTo(t, other, false, "submitted")
		vkey := map[string]string{"Idempotency-Key": key["Idempotency-Key"]}
		if r := e.Verifier.Fire(other, "start_review", "", nil, vkey); r.Status != http.StatusOK || r.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("verifier with the pemda's key = %d %s", r.Status, r.Body)
		}
		concCheckNumbers(t, e)
	})

	t.Run("concurrent", func(t *testing.T) {
		e := e.For(t)
		const copies = 4
		for round := range 6 {
			id := e.Create(t, "pembangunan", false)
			key := map[string]string{"Idempotency-Key": fmt.Sprintf("bersamaan-%d-%d", round, id)}
			calls := make([]concCall, copies)
			for i := range calls {
				calls[i] = concFire(e.Pemda, id, "submit", "", nil, key)
			}
			rs := concAtOnce(t, e.URL, calls)
			originals := 0
			var body []byte
			for i, r := range rs {
				if r.Status != http.StatusOK {
					t.Errorf("round %d: copy %d = %d %s", round, i, r.Status, r.Body)
					continue
				}
				if r.Header.Get("Idempotent-Replayed") != "true" {
					originals++
				}
				if body == nil {
					body = r.Body
				} else if !bytes.Equal(r.Body, body) {
					t.Errorf("round %d: bodies differ:\n%s\n%s", round, r.Body, body)
				}
			}
			if originals != 1 {
				t.Errorf("round %d: %d answers were not replays, want 1", round, originals)
			}
			concSubmittedOnce(t, e, id)
		}
		concCheckNumbers(t, e)
	})

	t.Run("concurrent_different_requests", func(t *testing.T) {
		// One key on two proposals at once: one request runs, the other is
		// refused (400 when it sees the stored answer, 409 when both ran and
		// met at the key) and its proposal stays an untouched draft.
		e := e.For(t)
		for round := range 4 {
			a, b := e.Create(t, "revitalisasi", false), e.Create(t, "revitalisasi", false)
			key := map[string]string{"Idempotency-Key": fmt.Sprintf("dua-usulan-%d", round)}
			rs := concAtOnce(t, e.URL, []concCall{concFire(e.Pemda, a, "submit", "", nil, key), concFire(e.Pemda, b, "submit", "", nil, key)})
			winner := -1
			for i, r := range rs {
				switch r.Status {
				case http.StatusOK:
					if winner >= 0 {
						t.Fatalf("round %d: both proposals submitted under one key", round)
					}
					winner = i
				case http.StatusBadRequest, http.StatusConflict:
				default:
					t.Errorf("round %d: submit %d = %d %s", round, i, r.Status, r.Body)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: neither submitted: %d %s / %d %s", round, rs[0].Status, rs[0].Body, rs[1].Status, rs[1].Body)
			}
			won, lost := []int64{a, b}[winner], []int64{b, a}[winner]
			concSubmittedOnce(t, e, won)
			if st := e.Get(t, lost)["state"]; st != "draft" || len(concEvents(t, e, lost)) != 0 || len(concDocuments(t, e, lost)) != 0 {
				t.Errorf("round %d: the refused proposal changed: state %v", round, st)
			}
		}
		concCheckNumbers(t, e)
	})
}

// concSubmittedOnce: the proposal was submitted exactly once, with one
// receipt.
func concSubmittedOnce(t *testing.T, e *apitest.Env, id int64) {
	t.Helper()
	if st := e.Get(t, id)["state"]; st != "submitted" {
		t.Errorf("proposal %d is %v, want submitted", id, st)
	}
	if names := concEventNames(concEvents(t, e, id)); !slices.Equal(names, []string{"submit"}) {
		t.Errorf("proposal %d events = %v, want [submit]", id, names)
	}
	docs := concDocuments(t, e, id)
	if len(docs) != 1 || docs[0].Kind != "tanda_terima_usulan" {
		t.Errorf("proposal %d documents = %+v, want one tanda_terima_usulan", id, docs)
	}
}

// TestConcurrentFilings files 24 pembangunan at once, four of them a
// second time under a name another takes: every filing is written before
// its number is drawn (in batches, numbered after all their parts), yet
// the numbers stay 1..K without a gap, a refused filing keeps none, and
// each registered sentra's record and first history line name the number
// its proposal got, never the provisional one it was written under.
func TestConcurrentFilings(t *testing.T) {
	e := apitest.NewEnv(t)
	var calls []concCall
	for i := range 28 {
		in := apitest.ProposalInput("pembangunan", false)
		n := i % 24 // the last four repeat the first four's names
		s := in["sentra"].(map[string]any)
		s["name"], s["commodity"] = fmt.Sprintf("Sentra IKM Serentak %d", n), fmt.Sprintf("Komoditas %d-%d", n, i)
		calls = append(calls, concCall{client: e.Pemda, method: "POST", path: "/api/v1/proposals", body: in})
	}
	created, refused := 0, 0
	for i, r := range concAtOnce(t, e.URL, calls) {
		switch r.Status {
		case http.StatusCreated:
			created++
		case http.StatusUnprocessableEntity:
			refused++
			what := fmt.Sprintf("filing %d", i)
			expectFields(t, what, expectProblem(t, what, r, http.StatusUnprocessableEntity), "sentra.name")
		default:
			t.Errorf("filing %d = %d %s", i, r.Status, r.Body)
		}
	}
	if created != 24 || refused != 4 {
		t.Errorf("%d filed, %d refused; want 24 and 4", created, refused)
	}
	concCheckNumbers(t, e)
	var rows []struct {
		Number, Basis, HistoryBasis string
		Lines                       int
	}
	if err := e.Store.Query(context.Background(), &rows, `SELECT p.number, s.status_basis AS basis,
		MIN(h.basis) AS history_basis, COUNT(h.id) AS lines
		FROM proposals p JOIN sentra s ON s.id = p.sentra_id
		LEFT JOIN sentra_status_history h ON h.sentra_id = s.id AND h.proposal_id = p.id
		WHERE s.name LIKE 'Sentra IKM Serentak %' GROUP BY p.number, s.status_basis`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 24 {
		t.Errorf("%d registered sentra, want 24", len(rows))
	}
	for _, r := range rows {
		want := "Didaftarkan dari usulan " + r.Number
		if strings.Contains(r.Number, "(") || r.Basis != want || r.HistoryBasis != want || r.Lines != 1 {
			t.Errorf("proposal %s: record %q, history %q in %d lines; want %q in one", r.Number, r.Basis, r.HistoryBasis, r.Lines, want)
		}
	}
}
