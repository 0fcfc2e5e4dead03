package document

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

// boombulerMask reads the mask boombuler/barcode chose from its format bits.
func boombulerMask(t *testing.T, dark func(x, y int) bool) int {
	t.Helper()
	bits := 0
	pos := [][2]int{{8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5}, {8, 7}, {8, 8}, {7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8}}
	for i, p := range pos {
		if dark(p[0], p[1]) {
			bits |= 1 << i
		}
	}
	data := (bits ^ 0x5412) >> 10
	if data>>3 != 0 {
		t.Fatalf("boombuler's symbol is not level M (format data %05b)", data)
	}
	return data & 7
}

// TestQRMatchesBoombuler checks the encoder against boombuler/barcode, the
// library fpdf's contrib/barcode uses: with the mask boombuler chose, every
// module of every version 1–10 must be the same.
func TestQRMatchesBoombuler(t *testing.T) {
	sameMask := 0
	var cases []string
	for n := 1; n <= 213; n += 7 {
		cases = append(cases, strings.Repeat("x", n))
	}
	for i := range 40 {
		cases = append(cases, fmt.Sprintf("https://dakflow.kemenperin.go.id/verify/%04X-K%03d-Q", i*7919, i))
	}
	for _, s := range cases {
		ref, err := qr.Encode(s, qr.M, qr.Unicode)
		if err != nil {
			t.Fatalf("qr.Encode(%q): %v", s, err)
		}
		refDark := func(x, y int) bool { r, _, _, _ := ref.At(x, y).RGBA(); return r < 0x8000 }
		mask := boombulerMask(t, refDark)
		got, err := encodeQR([]byte(s), mask)
		if err != nil {
			t.Fatalf("encodeQR(%d bytes): %v", len(s), err)
		}
		if n := ref.Bounds().Dx(); got.size != n {
			t.Fatalf("encodeQR(%d bytes) size %d, boombuler %d", len(s), got.size, n)
		}
		for y := 0; y < got.size; y++ {
			for x := 0; x < got.size; x++ {
				if got.at(x, y) != refDark(x, y) {
					t.Fatalf("encodeQR(%d bytes, mask %d) differs from boombuler at (%d, %d)", len(s), mask, x, y)
				}
			}
		}
		if auto, _ := encodeQR([]byte(s), -1); boombulerMask(t, auto.at) == mask {
			sameMask++
		}
	}
	t.Logf("the penalty chose boombuler's mask for %d of %d codes", sameMask, len(cases))
	if _, err := encodeQR(make([]byte, 214), -1); err == nil {
		t.Error("encodeQR(214 bytes) = nil error, want too long")
	}
}

// TestQRScans renders a document, rasterises its first page and decodes the
// QR code with zbarimg: it must give back the verification URL.
func TestQRScans(t *testing.T) {
	zbar, err1 := exec.LookPath("zbarimg")
	ppm, err2 := exec.LookPath("pdftoppm")
	if err1 != nil || err2 != nil {
		missingTool(t, "zbarimg or pdftoppm not installed: apt-get install -y zbar-tools poppler-utils")
	}
	in := sampleInput(t, "surat_penetapan_alokasi")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(pdf, render(t, in), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(ppm, "-png", "-r", "150", "-f", "1", "-l", "1", pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pngs) != 1 {
		t.Fatalf("pdftoppm made %v", pngs)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", pngs[0]).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != in.VerifyURL {
		t.Errorf("QR code reads %q, want %q", got, in.VerifyURL)
	}
}
