package document

import (
	"bytes"
	"html/template"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"dakflow/internal/dak"
)

// letterHTML is the two-page surat_persetujuan_rk as an HTML page, the
// way a service that prints letters from HTML with Chromium would hold it.
var letterHTML = template.Must(template.New("letter").Funcs(template.FuncMap{
	"rp":   func(m dak.Money) string { return m.String() },
	"fig":  func(m dak.Money) string { return m.Figures() },
	"date": dak.FormatDate,
	"pct":  func(p dak.Percent) string { return p.Spelled() },
}).Parse(`<!doctype html><html lang="id"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 2cm 2cm 2.5cm 2.5cm }
body { font: 11pt Helvetica, Arial, sans-serif } .kop { text-align: center; border-bottom: 3px double #000 }
table { border-collapse: collapse; width: 100% } th, td { border: 1px solid #000; padding: 3px } td.n { text-align: right }
thead { display: table-header-group } tr { break-inside: avoid }
</style></head><body>
<div class="kop"><b>KEMENTERIAN PERINDUSTRIAN REPUBLIK INDONESIA</b><br><b>DIREKTORAT JENDERAL INDUSTRI KECIL, MENENGAH DAN ANEKA</b><br>
<small>Jalan Jenderal Gatot Subroto Kav. 52-53, Jakarta Selatan 12950 · (021) 5255509 · www.kemenperin.go.id</small></div>
<table style="border:0"><tr><td style="border:0">Nomor: {{.Number}}<br>Sifat: Biasa<br>Lampiran: Satu berkas<br>Hal: Persetujuan Rencana Kegiatan DAK Fisik Bidang IKM TA {{.Proposal.FiscalYear}}</td>
<td style="border:0;text-align:right;vertical-align:top">{{date .IssuedAt}}</td></tr></table>
<p>Yth. {{.Proposal.HeadOfRegion}}<br>u.p. Kepala Dinas yang membidangi perindustrian</p>
<p>Menindaklanjuti Rencana Kegiatan DAK Fisik Bidang IKM Tahun Anggaran {{.Proposal.FiscalYear}} Nomor {{.Proposal.Number}},
dengan ini kami sampaikan bahwa Rencana Kegiatan sebesar {{rp .Proposal.RKAmount}} disetujui dan disalurkan secara {{.Disbursement.Mode}}
berdasarkan {{.Disbursement.LegalBasis}}.</p>
<table><thead><tr><th>Tahap</th><th>Persentase</th><th>Perkiraan</th><th>Batas dokumen</th></tr></thead><tbody>
{{range .Disbursement.Stages}}<tr><td>{{.Number}}</td><td>{{pct .Percent}}</td><td class="n">{{fig .Amount}}</td><td>{{date .Deadline}}</td></tr>{{end}}
</tbody></table>
<p>Rencana Kegiatan:</p>
<table><thead><tr><th>Kategori</th><th>Uraian</th><th>Volume</th><th>Harga satuan</th><th>Jumlah</th></tr></thead><tbody>
{{range .Activities}}<tr><td>{{.Category}}</td><td>{{.Description}}</td><td>{{.Quantity}} {{.Unit}}</td><td class="n">{{fig .UnitPrice}}</td><td class="n">{{fig .Total}}</td></tr>{{end}}
</tbody></table>
<p>Rencana anggaran biaya usulan:</p>
<table><thead><tr><th>Kategori</th><th>Uraian</th><th>Volume</th><th>Harga satuan</th><th>Jumlah</th></tr></thead><tbody>
{{range .Proposal.BudgetLines}}<tr><td>{{.Category}}</td><td>{{.Description}}</td><td>{{.Quantity}} {{.Unit}}</td><td class="n">{{fig .UnitPrice}}</td><td class="n">{{fig .Total}}</td></tr>{{end}}
</tbody></table>
<p>Demikian kami sampaikan, atas perhatian dan kerja sama Saudara kami ucapkan terima kasih.</p>
<p style="margin-left:55%">{{.Actor.Position}}<br><small>Ditandatangani secara elektronik oleh</small><br><b>{{.Actor.Name}}</b><br>NIP {{.Actor.NIP}}</p>
<p>Tembusan:<br>1. Direktur Jenderal Perimbangan Keuangan, Kementerian Keuangan<br>2. Inspektur Jenderal Kementerian Perindustrian</p>
</body></html>`))

// BenchmarkChromiumPrint prints the same two-page letter as
// BenchmarkRender/surat_persetujuan_rk from HTML with a fresh headless
// Chromium per letter, the usual alternative, for the README's ratio. It
// is a benchmark only (CI does not run benchmarks) and needs
// /usr/bin/chromium.
func BenchmarkChromiumPrint(b *testing.B) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		b.Skip("chromium not installed")
	}
	in := sampleInput(b, "surat_persetujuan_rk")
	dir := b.TempDir()
	page := filepath.Join(dir, "letter.html")
	var buf bytes.Buffer
	if err := letterHTML.Execute(&buf, in); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "letter.pdf")
	for b.Loop() {
		cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+page)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("chromium: %v\n%s", err, msg)
		}
	}
	if info, err := exec.Command("pdfinfo", out).Output(); err == nil {
		var pages int
		for _, line := range bytes.Split(info, []byte("\n")) {
			if v, ok := bytes.CutPrefix(line, []byte("Pages:")); ok {
				pages, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
			}
		}
		b.ReportMetric(float64(pages), "pages")
	}
}
