package apitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dakflow/internal/dak"
)

// PDFText extracts a PDF's text with pdftotext -layout, as an auditor's
// tools would (poppler-utils must be installed).
func PDFText(tb testing.TB, pdf []byte) string {
	tb.Helper()
	return PDFTextAs(tb, pdf, "-layout")
}

// PDFTextAs extracts a PDF's text with pdftotext in mode: "-layout", or
// "-raw" for the text in the order it was written (a fact and its figures
// together).
func PDFTextAs(tb testing.TB, pdf []byte, mode string) string {
	tb.Helper()
	in := filepath.Join(tb.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("pdftotext", mode, in, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext (install poppler-utils): %v", err)
	}
	return string(out)
}

// apiProposal is the part of GET /proposals/{id} the reconciliation reads.
type apiProposal struct {
	State             string           `json:"state"`
	FiscalYear        int              `json:"fiscal_year"`
	RequestedAmount   dak.Money        `json:"requested_amount"`
	RecommendedAmount dak.Money        `json:"recommended_amount"`
	BudgetLines       []dak.BudgetLine `json:"budget_lines"`
	RK                []dak.BudgetLine `json:"rk_activities"`
	Figures           *dak.Figures     `json:"figures"`
}

// Reconcile reads every document of a proposal back with pdftotext, as an
// auditor would, and checks it against the API (GET /proposals/{id}
// "figures"): every amount in words is the amount in figures, every
// amount printed is one the API states, and each labelled figure (stage,
// cumulative, sisa alokasi, absorbed, lapsed, never disbursed) is the
// API's own. It returns the API's figures.
func Reconcile(t testing.TB, auditor *Client, id int64) dak.Figures {
	t.Helper()
	var p apiProposal
	auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil).Decode(t, &p)
	var f dak.Figures
	if p.Figures != nil {
		f = *p.Figures
	}
	known := map[dak.Money]bool{p.RequestedAmount: true, p.RecommendedAmount: true}
	for _, m := range []dak.Money{f.Allocation, f.RK, f.Base, f.Recommended, f.Disbursed, f.Absorbed, f.Unabsorbed,
		f.Left, f.Undisbursed, f.Lapsed, f.NeverDisbursed} {
		known[m] = true
	}
	for _, s := range f.Stages {
		for _, m := range []dak.Money{s.Amount, s.Paid, s.Lapsed, s.CumulativeRecommended, s.CumulativePaid, s.Left, f.Allocation - s.CumulativePaid} {
			known[m] = true
		}
	}
	for _, l := range append(append([]dak.BudgetLine{}, p.BudgetLines...), p.RK...) {
		known[l.UnitPrice], known[l.Total] = true, true
	}
	// What the pemda reported with its requests and completion.
	var events struct {
		Items []struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		} `json:"items"`
	}
	auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil).Decode(t, &events)
	for _, ev := range events.Items {
		var d map[string]any
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			t.Fatalf("event %s data %s: %v", ev.Event, ev.Data, err)
		}
		for _, k := range []string{"contract_value", "absorbed_amount", "completion_need", "amount"} {
			if v, ok := d[k].(float64); ok {
				known[dak.Money(v)] = true
			}
		}
	}

	var docs struct {
		Items []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil).Decode(t, &docs)
	if len(docs.Items) == 0 && p.State != "draft" {
		t.Fatalf("proposal %d in state %s has no documents", id, p.State)
	}
	stageOf := map[string]int{}
	for _, d := range docs.Items {
		pdf := auditor.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", d.ID), nil, nil)
		if pdf.Status != http.StatusOK {
			t.Fatalf("document %d pdf = %d", d.ID, pdf.Status)
		}
		text := flatText(PDFText(t, pdf.Body))
		name := fmt.Sprintf("%s #%d", d.Kind, d.ID)
		checkAmounts(t, name, text, known)
		n := 0
		if m := stageRe.FindStringSubmatch(text); m != nil {
			n = romanValue(m[1])
		}
		if d.Kind == "rekomendasi_penyaluran" || d.Kind == "berita_acara_penyaluran" {
			stageOf[d.Kind]++
			if n == 0 { // sekaligus prints no Roman numeral
				n = stageOf[d.Kind]
			}
		}
		want := labelled(f, p.FiscalYear, d.Kind, n)
		for label, amount := range want {
			re := regexp.MustCompile(regexp.QuoteMeta(label) + `\s*:?\s*Rp([0-9.]+),00`)
			m := re.FindStringSubmatch(text)
			if m == nil {
				t.Errorf("%s: %q not found in\n%s", name, label, text)
				continue
			}
			if got := parseFigures(t, m[1]); got != amount {
				t.Errorf("%s: %q = %s, API says %s", name, label, got, amount)
			}
		}
	}
	return f
}

var (
	amountRe = regexp.MustCompile(`Rp([0-9.]+),00(?: \(([^)]*)\))?`)
	stageRe  = regexp.MustCompile(`(?:TAHAP|Tahap) ([IVX]+)\b`)
	footerRe = regexp.MustCompile(`(?m)^\s*(Halaman \d+ dari \d+|Nomor dokumen .*|Keaslian dokumen .*)$`)
	spaceRe  = regexp.MustCompile(`\s+`)
)

// flatText drops the page footers and joins the lines, so that a sentence
// broken across lines or pages reads as one.
func flatText(s string) string {
	return strings.TrimSpace(spaceRe.ReplaceAllString(footerRe.ReplaceAllString(s, " "), " "))
}

// checkAmounts: every amount in figures is one the API states, and every
// amount spelled out in words is that amount.
func checkAmounts(t testing.TB, name, text string, known map[dak.Money]bool) {
	t.Helper()
	for _, m := range amountRe.FindAllStringSubmatch(text, -1) {
		amount := parseFigures(t, m[1])
		if !known[amount] {
			t.Errorf("%s prints %s, which no figure of the API states", name, m[0])
		}
		if m[2] != "" {
			if want := amount.Spelled(); m[0] != want {
				t.Errorf("%s: %q, want %q", name, m[0], want)
			}
		}
	}
}

// labelled are the figures a document of kind about stage n states beside
// a label, as the API computes them.
func labelled(f dak.Figures, year int, kind string, n int) map[string]dak.Money {
	stage := func() dak.StageFigures {
		if n >= 1 && n <= len(f.Stages) {
			return f.Stages[n-1]
		}
		return dak.StageFigures{}
	}
	switch kind {
	case "surat_penetapan_alokasi":
		return map[string]dak.Money{fmt.Sprintf("Tahun Anggaran %d sebesar", year): f.Allocation}
	case "rekomendasi_penyaluran":
		return map[string]dak.Money{
			"jumlah kumulatif dana yang direkomendasikan menjadi": stage().CumulativeRecommended,
			"sisa alokasi yang belum direkomendasikan sebesar":    stage().Left,
		}
	case "berita_acara_penyaluran":
		return map[string]dak.Money{
			"Jumlah yang disalurkan":                 stage().Paid,
			"Jumlah kumulatif yang telah disalurkan": stage().CumulativePaid,
			"Sisa alokasi yang belum disalurkan":     f.Allocation - stage().CumulativePaid,
		}
	case "berita_acara_hangus":
		return map[string]dak.Money{
			"Dana yang telah disalurkan sebelumnya":   f.Disbursed,
			"Jumlah dana yang tidak dapat disalurkan": f.Lapsed,
			"Bagian alokasi yang tidak disalurkan":    f.NeverDisbursed,
		}
	case "laporan_penyelesaian":
		return map[string]dak.Money{
			"Jumlah dana yang disalurkan":          f.Disbursed,
			"Bagian alokasi yang tidak disalurkan": f.NeverDisbursed,
			"Realisasi penyerapan dana":            f.Absorbed,
			"Sisa dana di kas daerah":              f.Unabsorbed,
		}
	}
	return nil
}

func parseFigures(t testing.TB, s string) dak.Money {
	t.Helper()
	v, err := strconv.ParseInt(strings.ReplaceAll(s, ".", ""), 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return dak.Money(v)
}

func romanValue(s string) int {
	return map[string]int{"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}[s]
}

// DocumentText is the pdftotext text of the latest document of kind issued
// on a proposal, read as the auditor.
func DocumentText(tb testing.TB, auditor *Client, id int64, kind string) string {
	tb.Helper()
	var docs struct {
		Items []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil).Decode(tb, &docs)
	for i := len(docs.Items) - 1; i >= 0; i-- {
		if d := docs.Items[i]; d.Kind == kind {
			r := auditor.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", d.ID), nil, nil)
			if r.Status != http.StatusOK {
				tb.Fatalf("GET pdf of %s = %d", kind, r.Status)
			}
			return PDFText(tb, r.Body)
		}
	}
	tb.Fatalf("proposal %d has no %s", id, kind)
	return ""
}
