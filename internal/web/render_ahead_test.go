package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/document"
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
// used. Then another process (a second engine on the same database) issues
// a receipt: the next one here was foreseen wrong, is rendered again with
// the number drawn and counted as discarded, and the one after it is
// foreseen right again. Every receipt prints its own number, the numbers
// have no gap, and every trail verifies.
func TestDocumentsRenderedAhead(t *testing.T) {
	env := apitest.NewEnv(t)
	var ids []int64
	for range 6 {
		ids = append(ids, env.Create(t, "revitalisasi", false))
	}
	for _, id := range ids[:3] {
		env.Pemda.MustFire(id, "submit", "", nil)
	}
	const (
		used      = `dakflow_documents_rendered_ahead_total{kind="tanda_terima_usulan",outcome="used"}`
		discarded = `dakflow_documents_rendered_ahead_total{kind="tanda_terima_usulan",outcome="discarded"}`
	)
	m := apitest.Metrics(t, env.URL)
	if m[used] != 2 || m[discarded] != 0 {
		t.Errorf("three receipts one after another: %v used and %v discarded renderings ahead, want 2 and 0 (the first draw foresees nothing)",
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
	if _, err := other.Fire(context.Background(), pemda, ids[3], workflow.Request{Event: "submit"}); err != nil {
		t.Fatalf("submit through the other process: %v", err)
	}
	env.Pemda.MustFire(ids[4], "submit", "", nil)
	env.Pemda.MustFire(ids[5], "submit", "", nil)
	m = apitest.Metrics(t, env.URL)
	if m[used] != 3 || m[discarded] != 1 {
		t.Errorf("after another process drew a number: %v used and %v discarded renderings ahead, want 3 and 1", m[used], m[discarded])
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
