package document

import (
	"fmt"
	"strings"
	"testing"

	"dakflow/internal/dak"
)

// longLines are n budget lines with descriptions long enough to wrap.
func longLines(n int) []Line {
	lines := make([]Line, n)
	for i := range lines {
		lines[i] = line("mesin_peralatan", fmt.Sprintf("Baris-uji-%02d mesin dan peralatan produksi dengan uraian yang cukup panjang", i+1),
			int64(i+1), "unit", dak.Money(1_000_000*(i+1)))
	}
	return lines
}

// TestLongTableBreaks renders 60 lines: the table must go on to the next
// pages with its header repeated, and no row may be split between pages.
func TestLongTableBreaks(t *testing.T) {
	tests := []struct {
		kind   string
		set    func(in *Input, lines []Line)
		header []string
	}{
		{"tanda_terima_usulan", func(in *Input, l []Line) { in.Proposal.BudgetLines = l },
			[]string{"No.", "Kategori", "Uraian", "Volume", "Harga satuan", "Jumlah (Rp)"}},
		{"surat_persetujuan_rk", func(in *Input, l []Line) { in.Activities = l },
			[]string{"No.", "Kategori", "Uraian kegiatan", "Volume", "Harga satuan", "Jumlah (Rp)"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			in := sampleInput(t, tt.kind)
			lines := longLines(60)
			tt.set(&in, lines)
			pdf := render(t, in)
			// pdftotext ends every page with a form feed.
			pages := strings.Split(strings.TrimSuffix(pdfText(t, pdf, "-layout"), "\f"), "\f")
			if second := pdfText(t, pdf, "-layout", "-f", "2", "-l", "2"); second != pages[1]+"\f" {
				t.Errorf("page 2 alone differs from page 2 of the whole text")
			}
			if len(pages) < 3 {
				t.Fatalf("60 lines fill %d pages, want at least 3", len(pages))
			}
			withRows := 0
			for i, page := range pages {
				if !strings.Contains(page, "Baris-uji-") {
					continue
				}
				withRows++
				for _, h := range tt.header {
					if !strings.Contains(page, h) {
						t.Errorf("page %d has table rows but lacks the header %q", i+1, h)
					}
				}
			}
			if withRows < 2 {
				t.Errorf("table rows on %d pages, want the table to break across pages", withRows)
			}
			// A row is whole on one page: its description's two lines
			// ("Baris-uji-07 …" and "… panjang") are on the same page.
			for i := range lines {
				id := fmt.Sprintf("Baris-uji-%02d", i+1)
				found := 0
				for _, page := range pages {
					if strings.Contains(page, id) {
						found++
						next := page[strings.Index(page, id):]
						if !strings.Contains(next, "panjang") {
							t.Errorf("row %s is split across pages", id)
						}
					}
				}
				if found != 1 {
					t.Errorf("row %s appears on %d pages, want 1", id, found)
				}
			}
			total := flat(strings.Join(pages, "\n"))
			var sum dak.Money
			for _, l := range lines {
				sum += l.Total
			}
			if !strings.Contains(total, sum.Figures()) {
				t.Errorf("text lacks the total %s", sum.Figures())
			}
		})
	}
}

// TestTallRow renders a note longer than a page: the row is continued on
// the next page instead of running into the footer.
func TestTallRow(t *testing.T) {
	in := sampleInput(t, "catatan_penilaian")
	in.Notes = []Note{{Part: "Rencana anggaran biaya (RAB)", Note: strings.Repeat("Catatan yang sangat panjang sekali. ", 300) + "AKHIR-CATATAN"}}
	pdf := render(t, in)
	text := flat(pdfText(t, pdf))
	if !strings.Contains(text, "AKHIR-CATATAN") || !strings.Contains(text, "Halaman 3 dari") {
		t.Errorf("a note of three pages did not flow over three pages:\n%.400s", text)
	}
}
