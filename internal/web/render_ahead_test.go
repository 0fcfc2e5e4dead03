package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
	"dakflow/templates"
	"dakflow/workflows"
)

// TestDocumentsRenderedAhead: a batch renders its documents while it waits
// to draw their numbers, for the numbers it foresees (the workflow's
// foresight), so that the counter row is not held through the rendering;
// each document still prints the number drawn for it. Receipts submitted
// one after another render ahead from the second on, and each rendering is
// used; on PostgreSQL the fourth, its counter foreseen right twice in a
// row, draws its number in its event's statement. Then another process (a
// second engine on the same database) issues a receipt: the next one here
// was foreseen wrong and is counted as discarded. On SQLite it is rendered
// again with the number drawn, and the one after it is foreseen right
// again; on PostgreSQL its event's statement finds the counter elsewhere
// and writes nothing, its batch runs again drawing the number first, the
// one after it foresees nothing, and the one after that is foreseen right.
// Every receipt prints its own number, the numbers have no gap, and every
// trail verifies.
func TestDocumentsRenderedAhead(t *testing.T) {
	env := apitest.NewEnv(t)
	var ids []int64
	for range 8 {
		ids = append(ids, env.Create(t, "revitalisasi", false))
	}
	for _, id := range ids[:4] {
		env.Pemda.MustFire(id, "submit", "", nil)
	}
	const (
		used      = `dakflow_documents_rendered_ahead_total{kind="tanda_terima_usulan",outcome="used"}`
		discarded = `dakflow_documents_rendered_ahead_total{kind="tanda_terima_usulan",outcome="discarded"}`
	)
	m := apitest.Metrics(t, env.URL)
	if m[used] != 3 || m[discarded] != 0 {
		t.Errorf("four receipts one after another: %v used and %v discarded renderings ahead, want 3 and 0 (the first draw foresees nothing)",
			m[used], m[discarded])
	}

	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := document.NewRenderer(templates.FS, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := workflow.NewEngine(defs, "dak-fisik-ikm", env.Store, renderer, nil, env.URL, 0)
	if err != nil {
		t.Fatal(err)
	}
	users, err := env.Store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var pemda dak.User
	for _, u := range users {
		if u.Username == "pemda" {
			pemda = u
		}
	}
	if _, err := other.Fire(context.Background(), pemda, ids[4], workflow.Request{Event: "submit"}); err != nil {
		t.Fatalf("submit through the other process: %v", err)
	}
	for _, id := range ids[5:] {
		env.Pemda.MustFire(id, "submit", "", nil)
	}
	m = apitest.Metrics(t, env.URL)
	wantUsed := 5.0
	if env.Store.Dialect() == store.Postgres {
		wantUsed = 4 // the receipt after the wrong one foresees nothing
	}
	if m[used] != wantUsed || m[discarded] != 1 {
		t.Errorf("after another process drew a number: %v used and %v discarded renderings ahead, want %v and 1", m[used], m[discarded], wantUsed)
	}

	for _, id := range ids {
		docs := concDocuments(t, env, id)
		if len(docs) != 1 || docs[0].Kind != "tanda_terima_usulan" {
			t.Fatalf("documents of %d = %+v, want its receipt", id, docs)
		}
		r := env.Auditor.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", docs[0].ID), nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("receipt of %d = %d", id, r.Status)
		}
		if text := strings.Join(strings.Fields(pdfText(t, r.Body)), " "); !strings.Contains(text, docs[0].Number) {
			t.Errorf("receipt of %d does not print its number %s:\n%s", id, docs[0].Number, text)
		}
		tr := env.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
		if tr.Status != http.StatusOK {
			t.Fatalf("trail of %d = %d", id, tr.Status)
		}
		if err := trailConsistent(tr.Body); err != nil {
			t.Errorf("trail of %d: %v", id, err)
		}
	}
	concCheckNumbers(t, env)
}

// TestForeseenUnderLoad: receipts submitted by four clients at once, each
// one after another, after the counter was foreseen right (on PostgreSQL a
// batch of one then draws its number in its event's statement, waiting
// there for the batch before to commit). Every submission succeeds, the
// renderings ahead are used (a guess goes wrong only when a batch reserves
// its numbers before the batch ahead of it, which is rare), every receipt
// prints its own number, and the numbers have no gap.
func TestForeseenUnderLoad(t *testing.T) {
	env := apitest.NewEnv(t)
	const clients, each = 4, 6
	var ids []int64
	for range 4 + clients*each {
		ids = append(ids, env.Create(t, "revitalisasi", false))
	}
	for _, id := range ids[:4] {
		env.Pemda.MustFire(id, "submit", "", nil)
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				id := ids[4+c*each+i]
				r, err := concSend(env.URL, concFire(env.Pemda, id, "submit", "", nil, nil))
				if err == nil && r.Status != http.StatusOK {
					err = fmt.Errorf("submit %d = %d %s", id, r.Status, r.Body)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	const (
		used      = `dakflow_documents_rendered_ahead_total{kind="tanda_terima_usulan",outcome="used"}`
		discarded = `dakflow_documents_rendered_ahead_total{kind="tanda_terima_usulan",outcome="discarded"}`
	)
	m := apitest.Metrics(t, env.URL)
	if m[used] < 3+clients*each/2 || m[discarded] > m[used]/4 {
		t.Errorf("%v renderings ahead used and %v discarded, want most of %d used", m[used], m[discarded], 3+clients*each)
	}
	for _, id := range ids {
		docs := concDocuments(t, env, id)
		if len(docs) != 1 {
			t.Fatalf("documents of %d = %+v, want its receipt", id, docs)
		}
		r := env.Auditor.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", docs[0].ID), nil, nil)
		if text := strings.Join(strings.Fields(pdfText(t, r.Body)), " "); r.Status != http.StatusOK || !strings.Contains(text, docs[0].Number) {
			t.Errorf("receipt of %d (%d) does not print its number %s", id, r.Status, docs[0].Number)
		}
	}
	concCheckNumbers(t, env)
}
