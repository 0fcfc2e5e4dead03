package workflow

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/document"
	"dakflow/templates"
	"dakflow/workflows"
)

// TestFiredBy: who fires the events issuing each kind, from the shipped
// workflow — every kind of the document engine, the extension letter
// included.
func TestFiredBy(t *testing.T) {
	defs, err := LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"tanda_terima_usulan": {"pemda"}, "surat_penarikan": {"pemda"}, "catatan_penilaian": {"verifier"},
		"berita_acara_penilaian": {"verifier"}, "surat_penolakan": {"verifier"}, "surat_penetapan_alokasi": {"approver"},
		"surat_tidak_dialokasikan": {"approver"}, "tanda_terima_rk": {"pemda"}, "catatan_rk": {"verifier"},
		"surat_persetujuan_rk": {"approver"}, "tanda_terima_permohonan_salur": {"pemda"}, "catatan_permohonan_salur": {"approver"},
		"rekomendasi_penyaluran": {"approver"}, "berita_acara_penyaluran": {"treasury"}, "laporan_penyelesaian": {"pemda"},
		"surat_perpanjangan_batas_waktu": {"approver"}, "berita_acara_hangus": {"system"},
	}
	if diff := cmp.Diff(want, FiredBy(defs)); diff != "" {
		t.Errorf("FiredBy mismatch (-want +got):\n%s", diff)
	}
}

// TestNewEngineChecksSigners: the engine refuses a signer configuration in
// which the person who fires an event cannot sign its document.
func TestNewEngineChecksSigners(t *testing.T) {
	defs, err := LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	src, err := fs.ReadFile(templates.FS, "documents/signers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"shipped", "", "", ""},
		{"scheduler signs", "berita_acara_hangus: {provinsi: sesditjen, kabupaten_kota: sesditjen}",
			"berita_acara_hangus: {provinsi: sesditjen, kabupaten_kota: actor}", "signers.berita_acara_hangus.kabupaten_kota"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := document.ParseSigners("signers.yaml", []byte(strings.Replace(string(src), tc.old, tc.new, 1)))
			if err != nil {
				t.Fatal(err)
			}
			r, err := document.NewRenderer(templates.FS, document.Options{Signers: s})
			if err != nil {
				t.Fatal(err)
			}
			_, err = NewEngine(defs, "dak-fisik-ikm", nil, r, nil, "http://localhost", 0)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("NewEngine = %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("NewEngine = %v, want an error naming %s", err, tc.want)
			}
		})
	}
}

// TestAPBNBasis: the allocation letter's citation of the year's UU APBN and
// Perpres Rincian APBN comes from parameters.apbn_basis; a bad entry stops
// the workflow file.
func TestAPBNBasis(t *testing.T) {
	defs, err := LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	d := defs["dak-fisik-ikm"]
	if got := d.APBNBasis(2025); !strings.HasPrefix(got, "Undang-Undang Nomor 62 Tahun 2024 tentang Anggaran Pendapatan dan Belanja Negara Tahun Anggaran 2025") {
		t.Errorf("APBNBasis(2025) = %q", got)
	}
	if got := d.APBNBasis(2099); got != "" {
		t.Errorf("APBNBasis(2099) = %q, want none (the letter cites the year generically)", got)
	}
	bad := *d
	bad.Parameters.APBNBasis = map[string]string{"TA2027": "Undang-Undang", "2028": " "}
	got := strings.Join(bad.Check(), "\n")
	for _, want := range []string{`key "TA2027" is not a fiscal year`, "apbn_basis.2028: empty citation"} {
		if !strings.Contains(got, want) {
			t.Errorf("Check lacks %q:\n%s", want, got)
		}
	}
}
