package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// importKeyed commits a file to an import (path, with ?commit=1) under an
// Idempotency-Key, a form of its own each time (another boundary),
// without touching testing.T, so that it may run on any goroutine.
func importKeyed(base, token, path, name string, data []byte, key string) (apitest.Response, error) {
	return photoKeyed(base, token, path, name, data, nil, key)
}

// importIDs are the ids a committed import's answer lists.
func importIDs(t *testing.T, r apitest.Response) []int64 {
	t.Helper()
	var rep struct {
		IDs []int64 `json:"ids"`
	}
	r.Decode(t, &rep)
	return rep.IDs
}

// importCommits runs the checks both imports share. post commits a file
// (through the client, so that each call is checked against openapi.yaml);
// count counts what the import creates; files are four files of rows
// that import cleanly, all different; otherKey is a key answered by the
// other import. A retry of a commit under its key answers the first
// answer byte for byte (the same ids) with Idempotent-Replayed, and
// creates nothing; a retry without a key is checked anew as before and
// refused (422); the key reused with another file, or the other import's
// key, is 400 and creates nothing; a dry run ignores the key; eight
// commits at once under one key import once.
func importCommits(t *testing.T, e *apitest.Env, path string, files [4][]byte, name string, otherKey string,
	count func() int, post func(query string, data []byte, key string) apitest.Response) {
	t.Helper()
	before := count()
	first := post("?commit=1", files[0], "impor-1")
	if first.Status != http.StatusCreated || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first commit = %d %s (replayed %q)", first.Status, first.Body, first.Header.Get("Idempotent-Replayed"))
	}
	ids := importIDs(t, first)
	created := count() - before
	if created == 0 || len(ids) != created || first.JSON()["imported"] != float64(created) {
		t.Fatalf("first commit created %d, answered ids %v: %s", created, ids, first.Body)
	}

	retry := post("?commit=1", files[0], "impor-1")
	if retry.Status != first.Status || !bytes.Equal(retry.Body, first.Body) || retry.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry = %d %s (replayed %q)\nfirst = %d %s", retry.Status, retry.Body, retry.Header.Get("Idempotent-Replayed"),
			first.Status, first.Body)
	}
	if n := count() - before; n != created {
		t.Fatalf("after a commit and its retry %d created, want %d", n, created)
	}

	// Without a key a retry is an import of its own, as before: checked
	// against what the first commit created, and refused.
	if r := post("?commit=1", files[0], ""); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("retry without a key = %d %s, want 422", r.Status, r.Body)
	}
	// A dry run saves nothing: the key is not looked at.
	if r := post("", files[1], "impor-1"); r.Status != http.StatusOK || r.Header.Get("Idempotent-Replayed") != "" ||
		r.JSON()["committed"] != false {
		t.Errorf("dry run under an answered key = %d %s, want its own report", r.Status, r.Body)
	}
	for _, c := range []struct{ what, key string }{{"another file", "impor-1"}, {"the other import's key", otherKey}} {
		r := post("?commit=1", files[1], c.key)
		p := expectProblem(t, "a commit with "+c.what, r, http.StatusBadRequest)
		if !strings.Contains(p.Detail, "Idempotency-Key sudah dipakai") {
			t.Errorf("a commit with %s: detail %q, want the reused key named", c.what, p.Detail)
		}
	}
	if n := count() - before; n != created {
		t.Fatalf("refused commits created %d, want none", n-created)
	}
	// Without a key another file imports as before.
	if r := post("?commit=1", files[3], ""); r.Status != http.StatusCreated || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("commit without a key = %d %s", r.Status, r.Body)
	}

	// Eight at once under one key, each file under a name of its own (the
	// bytes are the request): one imports, the others answer it.
	before = count()
	first, replayed := keyedAtOnce(t, "commit", http.StatusCreated, func(i int) (apitest.Response, error) {
		return importKeyed(e.URL, e.Pemda.Token, path+"?commit=1", fmt.Sprintf("%d-%s", i, name), files[2], "impor-bersamaan")
	})
	if n, ids := count()-before, importIDs(t, first); n == 0 || n != len(ids) || replayed != 7 {
		t.Errorf("eight commits at once: %d created, ids %v, %d replayed; want the ids' records once, 7 replays", n, ids, replayed)
	}
}

// TestProposalImportIdempotent: POST /api/v1/proposals/import?commit=1
// takes an Idempotency-Key as a filing does (importCommits).
func TestProposalImportIdempotent(t *testing.T) {
	e := apitest.NewEnv(t)
	tr := e.Pemda.Do("GET", "/api/v1/proposals/import-template", nil, nil)
	if tr.Status != http.StatusOK {
		t.Fatalf("GET /proposals/import-template = %d", tr.Status)
	}
	workbook := func(rows ...[2]string) []byte {
		var usulan, rab [][]any
		for i, r := range rows {
			usulan = append(usulan, []any{i + 1, 2027, "pembangunan", "Pembangunan " + r[0], "", r[0], r[1],
				"18.71.02.1004", "Jalan Impor", 10, 30, 800, "milik_pemda", ""})
			rab = append(rab, []any{i + 1, "mesin_peralatan", "Mesin " + r[1], 2, "unit", 15_000_000})
		}
		return filled(t, tr.Body, usulan, rab, nil)
	}
	files := [4][]byte{
		workbook([2]string{"Sentra Tenun Ulang", "Tenun"}, [2]string{"Sentra Kopi Ulang", "Kopi"}),
		workbook([2]string{"Sentra Rotan Ulang", "Rotan"}),
		workbook([2]string{"Sentra Batik Bersamaan", "Batik"}, [2]string{"Sentra Gerabah Bersamaan", "Gerabah"}),
		workbook([2]string{"Sentra Keramik Tanpa Kunci", "Keramik"}),
	}
	sentraKey := mustSentraImport(t, e, "Sentra Lada Kunci Lain", "impor-sentra")
	post := func(query string, data []byte, key string) apitest.Response {
		t.Helper()
		body, ct := multipartBody(t, "usulan.xlsx", data, nil)
		return e.Pemda.Do("POST", "/api/v1/proposals/import"+query, body, map[string]string{"Content-Type": ct, "Idempotency-Key": key})
	}
	importCommits(t, e, "/api/v1/proposals/import", files, "usulan.xlsx", sentraKey, func() int { return proposalCount(t, e.Pemda) }, post)

	// A filing under an import's key is refused, as any key reused.
	if r := e.Pemda.Do("POST", "/api/v1/proposals", e.OwnSentraInput(t, "pembangunan", false),
		map[string]string{"Idempotency-Key": "impor-1"}); r.Status != http.StatusBadRequest {
		t.Errorf("a filing under an import's key = %d %s, want 400", r.Status, r.Body)
	}
}

// TestSentraImportIdempotent: POST /api/v1/sentra/import?commit=1 takes
// an Idempotency-Key as a filing does (importCommits).
func TestSentraImportIdempotent(t *testing.T) {
	e := apitest.NewEnv(t)
	csvOf := func(names ...string) []byte {
		var b strings.Builder
		b.WriteString("kode desa;nama sentra;komoditas/produk;jumlah unit usaha;jumlah tenaga kerja\n")
		for _, n := range names {
			fmt.Fprintf(&b, "18.71.02.1006;%s;Anyaman;12;30\n", n)
		}
		return []byte(b.String())
	}
	files := [4][]byte{
		csvOf("Sentra Anyaman Ulang", "Sentra Bambu Ulang"),
		csvOf("Sentra Rotan Ulang"),
		csvOf("Sentra Pandan Bersamaan", "Sentra Purun Bersamaan", "Sentra Lontar Bersamaan"),
		csvOf("Sentra Tikar Tanpa Kunci"),
	}
	proposalKey := "impor-usulan"
	tr := e.Pemda.Do("GET", "/api/v1/proposals/import-template", nil, nil)
	wb := filled(t, tr.Body, [][]any{{1, 2027, "pembangunan", "Pembangunan Sentra Lada", "", "Sentra Lada Kunci Lain", "Lada",
		"18.71.02.1004", "Jalan Lada", 10, 30, 800, "milik_pemda", ""}}, [][]any{{1, "mesin_peralatan", "Mesin lada", 1, "unit", 9_000_000}}, nil)
	body, ct := multipartBody(t, "usulan.xlsx", wb, nil)
	if r := e.Pemda.Do("POST", "/api/v1/proposals/import?commit=1", body,
		map[string]string{"Content-Type": ct, "Idempotency-Key": proposalKey}); r.Status != http.StatusCreated {
		t.Fatalf("proposal import = %d %s", r.Status, r.Body)
	}
	post := func(query string, data []byte, key string) apitest.Response {
		t.Helper()
		body, ct := multipartBody(t, "direktori.csv", data, nil)
		return e.Pemda.Do("POST", "/api/v1/sentra/import"+query, body, map[string]string{"Content-Type": ct, "Idempotency-Key": key})
	}
	count := func() int { n, _ := sentraTotal(t, e.Verifier, ""); return int(n) }
	importCommits(t, e, "/api/v1/sentra/import", files, "direktori.csv", proposalKey, count, post)
}

// mustSentraImport commits a one-row Direktori Sentra of name under key
// and returns the key.
func mustSentraImport(t *testing.T, e *apitest.Env, name, key string) string {
	t.Helper()
	body, ct := multipartBody(t, "direktori.csv", []byte("kode desa,nama sentra,komoditas\n18.71.01.1005,"+name+",Lada\n"), nil)
	if r := e.Pemda.Do("POST", "/api/v1/sentra/import?commit=1", body,
		map[string]string{"Content-Type": ct, "Idempotency-Key": key}); r.Status != http.StatusCreated {
		t.Fatalf("sentra import = %d %s", r.Status, r.Body)
	}
	return key
}
