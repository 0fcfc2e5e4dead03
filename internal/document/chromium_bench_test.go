package document

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dakflow/internal/dak"
)

// letterHTML is the two-page surat_persetujuan_rk as a self-contained HTML
// page, the way a service that prints its letters from HTML with Chromium
// would hold it: the same content as the PDF of BenchmarkRender, formatted
// with the same helpers (funcs) — kop, Nomor/Sifat/Lampiran/Hal and date,
// addressee, numbered points, stage table, signature, tembusan, the RK as a
// lampiran on the second page, and on every page a footer with page x of
// y, the number, the verification code and the QR code (as inline SVG).
var letterHTML = template.Must(template.New("letter").Funcs(template.FuncMap(funcs)).
	Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{.Number}}</title><style>
{{.PageCSS}}
body { margin: 0; font: 11pt/1.25 Helvetica, Arial, sans-serif }
.kop { text-align: center; border-bottom: 3px double #000; padding-bottom: 1.5mm; margin-bottom: 5mm }
.kop b { display: block } .kop b:first-child { font-size: 12pt } .kop small { font-size: 8pt }
table.head { width: 100%; border-collapse: collapse } table.head td { vertical-align: top; padding: 0 }
table.head td.k { width: 25mm } table.head td.c { width: 6mm } table.head td.d { text-align: right; width: 40mm }
p { margin: 0 0 3mm; text-align: justify } ol { margin: 0 0 3mm; padding-left: 6mm } li { text-align: justify }
table.grid { width: 100%; border-collapse: collapse; font-size: 9pt; margin: 2mm 0 3mm; text-align: left }
table.grid th, table.grid td { border: .5pt solid #000; padding: .6mm 1.2mm; vertical-align: top }
table.grid thead { display: table-header-group } table.grid tr { break-inside: avoid }
.c { text-align: center } .r { text-align: right } .b { font-weight: bold }
.sign { margin: 5mm 0 4mm 52% } .sign small { font-size: 9.5pt }
.tembusan { font-size: 10pt; break-inside: avoid } .lampiran { break-before: page } h2 { font-size: 11pt; margin: 4mm 0 2mm }
</style></head><body>
<div class="kop">{{range .Issuer.Lines}}<b>{{upper .}}</b>{{end}}
<small>{{join " · " .Issuer.Address (print "Telepon " .Issuer.Phone) .Issuer.Email .Issuer.Website}}</small></div>
<table class="head">
<tr><td class="k">Nomor</td><td class="c">:</td><td>{{dash .Number}}</td><td class="d">{{date .IssuedAt}}</td></tr>
<tr><td class="k">Sifat</td><td class="c">:</td><td>{{.Sifat}}</td><td></td></tr>
<tr><td class="k">Lampiran</td><td class="c">:</td><td>Satu berkas</td><td></td></tr>
<tr><td class="k">Hal</td><td class="c">:</td><td>Persetujuan Rencana Kegiatan DAK Fisik Bidang IKM TA {{.Proposal.FiscalYear}}</td><td></td></tr>
</table>
<p style="margin-top:5mm">Yth. {{headOfRegion .Proposal}}<br>u.p. Kepala Dinas yang membidangi perindustrian</p>
<p>Menindaklanjuti Rencana Kegiatan DAK Fisik Bidang IKM Tahun Anggaran {{.Proposal.FiscalYear}} atas usulan
Nomor {{dash .Proposal.Number}} yang disampaikan melalui dakflow, dengan ini kami sampaikan hal-hal sebagai berikut:</p>
<ol>
<li>Rencana Kegiatan {{menu .Proposal.Menu}}{{with .Proposal.Sentra.Name}} pada {{.}}{{end}}{{with .Proposal.RegionName}}, {{.}},{{end}}
disetujui dengan nilai {{.Proposal.RKAmount.Spelled}}, dalam batas alokasi sebesar {{.Proposal.AllocatedAmount.Spelled}}.</li>
<li>Penyaluran dana dilaksanakan secara {{dash .Disbursement.Mode}}{{with .Disbursement.LegalBasis}} sesuai dengan {{.}}{{end}},
dengan perkiraan tahapan sebagai berikut:
<table class="grid"><colgroup><col style="width:12mm"><col style="width:58mm"><col style="width:28mm"><col style="width:30mm"></colgroup>
<thead><tr><th>Tahap</th><th>Dasar perhitungan</th><th>Perkiraan jumlah (Rp)</th><th>Batas waktu dokumen</th></tr></thead><tbody>
{{range .Disbursement.Stages}}<tr><td class="c">{{roman .Number}}</td><td>{{if eq .Basis "rk_percent"}}{{.Percent.Spelled}} dari nilai Rencana Kegiatan{{if eq .Number 1}}, atau nilai kontrak bila lebih rendah{{end}}{{else if eq .Basis "contract"}}Nilai daftar kontrak{{else}}Sisa kebutuhan penyelesaian kegiatan{{end}}</td><td class="r">{{.Amount.Figures}}</td><td class="c">{{date .Deadline}}</td></tr>
{{end}}<tr class="b"><td colspan="2" class="c">Jumlah</td><td class="r">{{.StageSum.Figures}}</td><td></td></tr>
</tbody></table></li>
<li>Dokumen persyaratan penyaluran setiap tahap disampaikan melalui dakflow paling lambat pada batas waktu yang ditetapkan.
Dana tahap yang dokumennya tidak disampaikan sampai dengan batas waktu tersebut tidak dapat disalurkan.</li>
<li>Rincian Rencana Kegiatan yang disetujui tercantum dalam lampiran surat ini.</li>
</ol>
<p>Demikian kami sampaikan, atas perhatian dan kerja sama Saudara kami ucapkan terima kasih.</p>
<div class="sign">{{.Signer.Position}},<br><small>Ditandatangani secara elektronik oleh</small><br><br><b>{{.Signer.Name}}</b>{{with .Signer.NIP}}<br>NIP {{.}}{{end}}</div>
<div class="tembusan">Tembusan:<ol>
<li>Direktur Jenderal Perimbangan Keuangan, Kementerian Keuangan</li>
<li>Inspektur Jenderal Kementerian Perindustrian</li>{{range .Tembusan}}<li>{{.}}</li>{{end}}
</ol></div>
<section class="lampiran">
<table class="head">
<tr><td style="width:42mm">Lampiran surat nomor</td><td class="c">:</td><td>{{dash .Number}}</td></tr>
<tr><td>Tanggal</td><td class="c">:</td><td>{{date .IssuedAt}}</td></tr>
<tr><td>Hal</td><td class="c">:</td><td>Persetujuan Rencana Kegiatan DAK Fisik Bidang IKM TA {{.Proposal.FiscalYear}}</td></tr>
</table>
<h2>Rencana Kegiatan DAK Fisik Bidang IKM Tahun Anggaran {{.Proposal.FiscalYear}} yang disetujui{{with .Proposal.Sentra.Name}} — {{.}}{{end}}{{with .Proposal.RegionName}}, {{.}}{{end}}</h2>
<table class="grid"><colgroup><col style="width:7mm"><col style="width:22mm"><col style="width:41mm"><col style="width:14mm"><col style="width:22mm"><col style="width:24mm"></colgroup>
<thead><tr><th>No.</th><th>Kategori</th><th>Uraian kegiatan</th><th>Volume</th><th>Harga satuan (Rp)</th><th>Jumlah (Rp)</th></tr></thead><tbody>
{{range $i, $l := .Activities}}<tr><td class="c">{{inc $i}}</td><td>{{category $l.Category}}</td><td>{{$l.Description}}</td><td class="r">{{num $l.Quantity}} {{$l.Unit}}</td><td class="r">{{$l.UnitPrice.Figures}}</td><td class="r">{{$l.Total.Figures}}</td></tr>
{{end}}<tr class="b"><td colspan="5" class="c">Jumlah Rencana Kegiatan</td><td class="r">{{(sumLines .Activities).Figures}}</td></tr>
</tbody></table>
</section>
</body></html>
`))

// letterPage is what letterHTML is executed with.
type letterPage struct {
	*Input
	Issuer   Letterhead
	Sifat    string
	Signer   Person
	StageSum dak.Money
	PageCSS  template.CSS // @page: A4, margins, the footer of every page
}

// chromiumLetter writes the HTML of in — a surat_persetujuan_rk — to a file
// in dir and returns its path.
func chromiumLetter(tb testing.TB, in Input, dir string) string {
	tb.Helper()
	p := letterPage{Input: &in, Issuer: in.Issuer, Sifat: in.Sifat, Signer: in.Signer}
	if p.Issuer.IsZero() {
		p.Issuer = DefaultLetterhead()
	}
	if p.Sifat == "" {
		p.Sifat = "Biasa"
	}
	if p.Signer.Name == "" {
		p.Signer = in.Actor
	}
	for _, s := range in.Disbursement.Stages {
		p.StageSum += s.Amount
	}
	qr, err := qrSVG(in.VerifyURL)
	if err != nil {
		tb.Fatal(err)
	}
	footer := fmt.Sprintf("Nomor dokumen %s · Kode verifikasi %s\\A Keaslian dokumen ini dapat diperiksa dengan memindai kode QR atau membuka\\A %s.",
		in.Number, in.VerifyCode, in.VerifyURL)
	p.PageCSS = template.CSS(`@page { size: A4; margin: 20mm 20mm 33mm 25mm;
  @bottom-left { content: "Halaman " counter(page) " dari " counter(pages) "\A ` + cssEscape(footer) + `";
    white-space: pre; font: 7pt/1.35 Helvetica, Arial, sans-serif; vertical-align: top; padding-top: 4mm }
  @bottom-right { content: url("data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString(qr) + `");
    width: 17mm; height: 17mm; vertical-align: top; padding-top: 4mm } }
@page :first { margin-top: 12mm }`)
	var buf bytes.Buffer
	if err := letterHTML.Execute(&buf, p); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "letter.html")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// cssEscape makes s safe inside a double-quoted CSS string (the \A line
// breaks it already holds are kept).
func cssEscape(s string) string {
	return strings.NewReplacer(`"`, `\"`, "\n", `\A `, "<", `\3c `).Replace(s)
}

// qrSVG draws the QR code of content as an SVG, one rectangle per run of
// dark modules, like qrOperators does in the PDF.
func qrSVG(content string) ([]byte, error) {
	code, err := encodeQR([]byte(content), -1)
	if err != nil {
		return nil, err
	}
	n := code.size
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><path d="`, n, n)
	for row := range n {
		for col := 0; col < n; {
			if !code.at(col, row) {
				col++
				continue
			}
			start := col
			for col < n && code.at(col, row) {
				col++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, row, col-start, col-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// pdfPages counts the pages of the PDF at path with pdfinfo, or by its
// /Type /Page objects when pdfinfo is missing.
func pdfPages(tb testing.TB, path string) int {
	tb.Helper()
	if info, err := exec.Command("pdfinfo", path).Output(); err == nil {
		for line := range strings.SplitSeq(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "Pages:"); ok {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					tb.Fatalf("pdfinfo %s: %q", path, line)
				}
				return n
			}
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(raw, -1))
}

// BenchmarkChromiumPrint prints the same two-page letter as
// BenchmarkRender/surat_persetujuan_rk from HTML with headless Debian
// Chromium, the usual alternative, for the README's ratios:
//
//	cold  a fresh chromium --headless --print-to-pdf process per letter, as a
//	      service that shells out does (one profile directory, reused);
//	warm  one browser and one tab kept open (chromedp), loading the page
//	      and calling Page.printToPDF per letter.
//
// Every variant checks that the last PDF it printed has two pages. It is a
// benchmark only (CI does not run benchmarks) and skips without chromium.
func BenchmarkChromiumPrint(b *testing.B) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		b.Skip("chromium not installed")
	}
	dir := b.TempDir()
	html := chromiumLetter(b, sampleInput(b, "surat_persetujuan_rk"), dir)
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync"}

	b.Run("cold", func(b *testing.B) {
		out := filepath.Join(dir, "cold.pdf")
		args := append(flags[:len(flags):len(flags)], "--user-data-dir="+filepath.Join(dir, "cold-profile"),
			"--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+html)
		for b.Loop() {
			_ = os.Remove(out)
			if msg, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				b.Fatalf("chromium: %v\n%s", err, msg)
			}
		}
		if n := pdfPages(b, out); n != 2 {
			b.Fatalf("chromium printed %d pages, want 2", n)
		}
		b.ReportMetric(2, "pages")
	})

	b.Run("warm", func(b *testing.B) {
		opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(bin), chromedp.UserDataDir(filepath.Join(dir, "warm-profile"))}
		for _, f := range flags {
			opts = append(opts, chromedp.Flag(strings.TrimPrefix(f, "--"), true))
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		defer cancelAlloc()
		ctx, cancel := chromedp.NewContext(actx)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatalf("start chromium: %v", err)
		}
		var pdf []byte
		for b.Loop() {
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+html)); err != nil {
				b.Fatalf("chromium: %v", err)
			}
			if pdf, err = chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize())); err != nil {
				b.Fatalf("chromium: %v", err)
			}
		}
		out := filepath.Join(dir, "warm.pdf")
		if err := os.WriteFile(out, pdf, 0o600); err != nil {
			b.Fatal(err)
		}
		if n := pdfPages(b, out); n != 2 {
			b.Fatalf("chromium printed %d pages, want 2", n)
		}
		b.ReportMetric(2, "pages")
	})
}
