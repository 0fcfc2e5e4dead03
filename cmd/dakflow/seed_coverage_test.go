package main

import (
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// nationalCoverageLine is the berita acara penilaian's national coverage
// fact: "146 dari 514 kabupaten/kota, 28,40% (...), memiliki Sentra IKM
// hidup".
var nationalCoverageLine = regexp.MustCompile(`(\d+) dari (\d+) kabupaten/kota, ([0-9.,]+)%`)

// checkSeedCoverage reads back every berita acara penilaian `seed demo`
// issued on dbURL, just seeded (TestCLIAndServe calls it, so that the demo
// is seeded once): the national coverage each prints, computed inside its
// recommend event, is what store.Coverage (GET /api/v1/coverage) answers
// for the document's fiscal year now, because the registry, whose history
// is dated before every demo assessment, was there when the assessments
// were made. A second seed finds the demo loaded and changes nothing.
func checkSeedCoverage(t *testing.T, dbURL string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext (install poppler-utils): %v", err)
	}
	ctx := context.Background()
	st, err := store.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sentraCount := func() int {
		n := 0
		if err := st.EachSentra(ctx, store.SentraFilter{Viewer: dak.User{Role: dak.RoleAdmin}}, func(dak.Sentra) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := sentraCount()
	if out, err := runCLI(t, dbURL, "", "seed", "demo"); err != nil || !strings.Contains(out, "already loaded") {
		t.Errorf("second seed demo = %v\n%s; want it to find the demo loaded", err, out)
	}
	if after := sentraCount(); after != before {
		t.Errorf("second seed demo: %d sentra, was %d", after, before)
	}

	props, _, err := st.Proposals(ctx, store.ProposalFilter{PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	coverage := map[int]store.Coverage{}
	checked := 0
	for _, p := range props {
		docs, err := st.Documents(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if d.Kind != "berita_acara_penilaian" {
				continue
			}
			pdf, err := st.DocumentPDF(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(apitest.PDFTextAs(t, pdf, "-raw")), " ")
			m := nationalCoverageLine.FindStringSubmatch(text)
			if m == nil {
				t.Errorf("%s (%s, %s): no national coverage line:\n%s", d.Number, p.Number, p.State, text)
				continue
			}
			cov, ok := coverage[p.FiscalYear]
			if !ok {
				if cov, err = st.Coverage(ctx, store.CoverageQuery{Year: p.FiscalYear}); err != nil {
					t.Fatal(err)
				}
				coverage[p.FiscalYear] = cov
			}
			n := cov.National
			with, _ := strconv.Atoi(m[1])
			all, _ := strconv.Atoi(m[2])
			share := n.ActiveShare().String()
			if with != n.WithActiveSentra || all != n.KabupatenKota || share != m[3]+"%" {
				t.Errorf("%s of %s (%s, issued %s) prints %q; coverage of %d now: %d dari %d kabupaten/kota, %s",
					d.Number, p.Number, p.State, d.CreatedAt.In(dak.WIB).Format("2006-01-02"), m[0], p.FiscalYear,
					n.WithActiveSentra, n.KabupatenKota, share)
			}
			checked++
		}
	}
	// The demo assesses 12 proposals of its year, the lapsed one and the
	// past completions.
	if want := 13 + len(pastCompletions); checked != want {
		t.Errorf("%d berita acara penilaian checked, want %d", checked, want)
	}
}
