package document

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/dak"
)

// Lines of pdftotext -layout output that the checks below recognise.
var (
	signedLine     = regexp.MustCompile(`^\s*(Ditandatangani secara elektronik oleh|Diterbitkan secara elektronik oleh sistem)`)
	copiesHead     = regexp.MustCompile(`^\s*Tembusan:\s*$`)
	copiesItem     = regexp.MustCompile(`^\s*(\d+)\.\s`)
	tableRow       = regexp.MustCompile(`^\s*\d+\s`)
	footerPageLine = regexp.MustCompile(`^\s*Halaman \d+ dari \d+\s*$`)
)

// signIndent is the least indentation, in pdftotext -layout columns, of a
// line of the signature block (set against the right margin).
const signIndent = 40

// keeps names what checkKeeps looks for besides the signature and the
// tembusan: a table's total row, the closing line and a heading over a
// table, each when set.
type keeps struct {
	totalRow         *regexp.Regexp
	closing, heading string
}

// checkKeeps checks every page of a document against DOCUMENTS.md ("never
// a heading, a closing line or a signature alone at the top of a page"):
// the signature block has a line of the body before it on its page and is
// whole; "Tembusan:" shares its page with the signature and its first two
// items; a total row has a row of its table above it; the closing line is
// on the signature's page; a heading has a row of its table under it; and
// no page is empty.
func checkKeeps(t *testing.T, pdf []byte, k keeps) {
	t.Helper()
	text := pdfText(t, pdf, "-layout")
	copies := 0 // the number of the last item after "Tembusan:"
	if _, after, ok := strings.Cut(text, "Tembusan:"); ok {
		for _, l := range strings.Split(after, "\n") {
			if m := copiesItem.FindStringSubmatch(l); m != nil {
				fmt.Sscan(m[1], &copies)
			}
		}
	}
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	signed, copied := 0, 0
	for p, page := range pages {
		lines := strings.Split(page, "\n")
		for i, l := range lines {
			if footerPageLine.MatchString(l) {
				lines = lines[:i]
				break
			}
		}
		content := func(to int) bool { // a line of the body before line to
			for _, l := range lines[:to] {
				if s := strings.TrimLeft(l, " "); s != "" && len(l)-len(s) < signIndent {
					return true
				}
			}
			return false
		}
		if !content(len(lines)) {
			t.Errorf("page %d holds nothing but the footer or the signature:\n%s", p+1, page)
		}
		signedAt := -1
		for i, l := range lines {
			switch {
			case signedLine.MatchString(l):
				signed, signedAt = signed+1, i
				start := i // the block starts with the position, above this line
				for start > 0 && (strings.TrimSpace(lines[start-1]) == "" || len(lines[start-1])-len(strings.TrimLeft(lines[start-1], " ")) >= signIndent) {
					start--
				}
				if !content(start) {
					t.Errorf("page %d: the signature is alone at the top of the page:\n%s", p+1, page)
				}
				if k.closing != "" && !strings.Contains(flat(strings.Join(lines[:start], "\n")), k.closing) {
					t.Errorf("page %d: the signature is not on the page of %q:\n%s", p+1, k.closing, page)
				}
				if rest := strings.Join(lines[i:], "\n"); strings.Contains(flat(page), "NIP ") && !strings.Contains(rest, "NIP ") {
					t.Errorf("page %d: the signature block is split from its NIP", p+1)
				}
			case copiesHead.MatchString(l):
				copied++
				if signedAt < 0 {
					t.Errorf("page %d: Tembusan: without the signature above it:\n%s", p+1, page)
				}
				items := 0
				for _, l := range lines[i+1:] {
					if copiesItem.MatchString(l) {
						items++
					}
				}
				if items < min(copies, 2) {
					t.Errorf("page %d: Tembusan: with %d of its items, want at least %d:\n%s", p+1, items, min(copies, 2), page)
				}
			case k.totalRow != nil && k.totalRow.MatchString(l):
				if !hasRow(lines[:i]) {
					t.Errorf("page %d: the total row is alone on its page:\n%s", p+1, page)
				}
			case k.heading != "" && strings.TrimSpace(l) == k.heading:
				if !hasRow(lines[i+1:]) {
					t.Errorf("page %d: the heading %q is alone at the foot of the page:\n%s", p+1, k.heading, page)
				}
			}
		}
	}
	if signed != 1 {
		t.Errorf("the signature is on %d pages, want 1", signed)
	}
	if want := min(copies, 1); copied != want {
		t.Errorf("Tembusan: appears %d times, want %d", copied, want)
	}
}

// hasRow reports whether one of lines is a numbered table row.
func hasRow(lines []string) bool {
	for _, l := range lines {
		if tableRow.MatchString(l) {
			return true
		}
	}
	return false
}

// TestKeepTogether grows a table or a paragraph one row or one line at a
// time, so that the signature, the closing line, the total row and the
// tembusan fall at every point across one or two page ends, and checks
// each rendering with checkKeeps.
func TestKeepTogether(t *testing.T) {
	notes := func(n int) []Note {
		ns := make([]Note, n)
		for i := range ns {
			ns[i] = Note{Part: "Data sentra", Note: fmt.Sprintf("Catatan nomor %d.", i+1)}
		}
		return ns
	}
	activities := func(n int) []Line {
		ls := make([]Line, n)
		for i := range ls {
			ls[i] = line("sarana_penunjang", fmt.Sprintf("Kegiatan nomor %d", i+1), 1, "paket", dak.Money(1_000_000*(i+1)))
		}
		return ls
	}
	extra := []string{"Kepala Dinas Perindustrian Provinsi Lampung", "Kepala Bappeda Kota Bandar Lampung",
		"Kepala BPKAD Kota Bandar Lampung", "Kepala Inspektorat Kota Bandar Lampung", "Arsip"}
	tests := []struct {
		name  string
		kind  string
		steps int
		set   func(in *Input, step int)
		keeps keeps
	}{
		{name: "notes", kind: "catatan_penilaian", steps: 30,
			set: func(in *Input, n int) { in.Notes = notes(n + 1); in.Comment = "" }},
		{name: "notes with tembusan", kind: "catatan_penilaian", steps: 30,
			set: func(in *Input, n int) { in.Notes = notes(n + 1); in.Comment = ""; in.Tembusan = extra[:3] }},
		{name: "activities and total", kind: "tanda_terima_rk", steps: 48,
			set:   func(in *Input, n int) { in.Activities = activities(n + 1) },
			keeps: keeps{totalRow: regexp.MustCompile(`^\s+Jumlah Rencana Kegiatan\s+[\d.]+\s*$`)}},
		{name: "budget lines and heading", kind: "tanda_terima_usulan", steps: 40,
			set:   func(in *Input, n int) { in.Proposal.BudgetLines = activities(n + 1) },
			keeps: keeps{heading: "Dokumen yang diterima"}},
		{name: "sentra name and heading", kind: "tanda_terima_usulan", steps: 40,
			set:   func(in *Input, n int) { in.Proposal.Sentra.Name = "Sentra" + strings.Repeat(" tenun tapis", 6*n) },
			keeps: keeps{heading: "Rincian rencana anggaran biaya (RAB)"}},
		{name: "reason", kind: "surat_penolakan", steps: 32,
			set:   func(in *Input, n int) { in.Comment = strings.Repeat("alasan yang diuraikan panjang ", 3*n) + "akhir." },
			keeps: keeps{closing: "Demikian kami sampaikan"}},
		{name: "reason and long tembusan", kind: "surat_penolakan", steps: 32,
			set: func(in *Input, n int) {
				in.Comment = strings.Repeat("alasan yang diuraikan panjang ", 3*n) + "akhir."
				in.Tembusan = extra
			},
			keeps: keeps{closing: "Demikian kami sampaikan"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for step := range tt.steps {
				in := sampleInput(t, tt.kind)
				tt.set(&in, step)
				t.Run(fmt.Sprint(step), func(t *testing.T) {
					checkKeeps(t, render(t, in), tt.keeps)
				})
			}
		})
	}
}
