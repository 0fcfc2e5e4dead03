package document

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
)

// TestGolden compares the text of every kind, for both sample proposals,
// with testdata/<kind>[_sekaligus].golden; go test -update rewrites them.
func TestGolden(t *testing.T) {
	for _, kind := range Kinds() {
		for _, s := range samples {
			t.Run(kind+s.suffix, func(t *testing.T) {
				in, err := s.input(kind)
				if err != nil {
					t.Fatal(err)
				}
				got := pdfText(t, render(t, in), "-layout")
				path := filepath.Join("testdata", kind+s.suffix+".golden")
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/document -update)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
				}
			})
		}
	}
}

// keyStrings are what each kind must say about the Tapis sample
// (DOCUMENTS.md), besides what every document says.
var keyStrings = map[string][]string{
	"tanda_terima_usulan": {"TANDA TERIMA USULAN DAK FISIK BIDANG IKM", "USL-2027-18.71-0003",
		"2 April 2026 pukul 10.30 WIB", "Kota Bandar Lampung (kode wilayah 18.71)", "Revitalisasi Sentra IKM",
		"Rp3.465.000.000,00 (tiga miliar empat ratus enam puluh lima juta rupiah)", "Kelurahan Kedamaian",
		"surat-usulan-dak-ikm-2027.pdf", "Tanda terima ini bukan merupakan persetujuan usulan."},
	"surat_penarikan": {"TANDA TERIMA PENARIKAN USULAN DAK FISIK BIDANG IKM", "USL-2027-18.71-0003",
		"Diajukan pada 2 April 2026 pukul 10.30 WIB sebagai revisi ke-2",
		"Drs. Hendra Saputra, M.M., Kepala Dinas Perindustrian Kota Bandar Lampung",
		"6 April 2026 pukul 10.30 WIB", "rencana detail tata ruang"},
	"catatan_penilaian": {"CATATAN HASIL PENILAIAN (DIDISKUSIKAN)", "Data sentra — SK penetapan sentra",
		"mengajukannya kembali melalui dakflow", "Rina Marlina, S.T., M.Sc."},
	"berita_acara_penilaian": {"BERITA ACARA HASIL PENILAIAN USULAN", "bertempat secara elektronik",
		"Tidak Memenuhi", "Rp3.300.000.000,00 (tiga miliar tiga ratus juta rupiah)",
		"Rp3.465.000.000,00 (tiga miliar empat ratus enam puluh lima juta rupiah)", "dinyatakan Diterima",
		"Fakta cakupan Sentra IKM untuk kriteria prioritas", "1 (satu) sentra berstatus aktif atau kurang aktif",
		"268 dari 514 kabupaten/kota, 52,14% (lima puluh dua koma satu empat persen), memiliki Sentra IKM hidup"},
	"surat_penolakan": {"Pemberitahuan Hasil Penilaian Usulan", "dinyatakan Ditolak", "Alasan penolakan:",
		"tidak dapat diusulkan kembali pada tahun anggaran yang sama",
		"Aneka, Rina Marlina, S.T., M.Sc., NIP 198607142010122003", "a.n. Direktur Jenderal Industri Kecil, Menengah, dan Aneka",
		"Tembusan: 1. Direktur Jenderal Industri Kecil, Menengah, dan Aneka (sebagai laporan) 2. Gubernur Lampung 3. Inspektur Jenderal"},
	"surat_penetapan_alokasi": {"Penetapan Alokasi DAK Fisik Bidang IKM Tahun Anggaran 2027",
		"Berdasarkan Undang-Undang tentang Anggaran Pendapatan dan Belanja Negara Tahun Anggaran 2027 dan Peraturan Presiden " +
			"mengenai Rincian Anggaran Pendapatan dan Belanja Negara Tahun Anggaran 2027, serta Peraturan Menteri Keuangan " +
			"Nomor 25 Tahun 2024 tentang Pengelolaan Dana Alokasi Khusus Fisik,",
		"Rp3.250.000.000,00 (tiga miliar dua ratus lima puluh juta rupiah)", "paling lambat tanggal 29 Januari 2027",
		"Direktur Jenderal Perimbangan Keuangan, Kementerian Keuangan", "Deputi Bidang Pengembangan Regional",
		"Gubernur Lampung", "Inspektur Jenderal Kementerian Perindustrian"},
	"surat_tidak_dialokasikan": {"Pemberitahuan Usulan Tidak Dialokasikan", "dinyatakan Diterima",
		"tidak memperoleh alokasi", "Pagu DAK Fisik Bidang IKM",
		"Tembusan: 1. Direktur Jenderal Industri Kecil, Menengah, dan Aneka (sebagai laporan) 2. Direktur Jenderal Perimbangan Keuangan"},
	"tanda_terima_rk": {"TANDA TERIMA RENCANA KEGIATAN", "3.248.750.000",
		"Rp1.250.000,00 (satu juta dua ratus lima puluh ribu rupiah) di bawah alokasi"},
	"catatan_rk": {"CATATAN PERBAIKAN RENCANA KEGIATAN", "Rencana kegiatan — baris 3"},
	"surat_persetujuan_rk": {"Persetujuan Rencana Kegiatan DAK Fisik Bidang IKM TA 2027",
		"Rp3.248.750.000,00 (tiga miliar dua ratus empat puluh delapan juta tujuh ratus lima puluh ribu rupiah)",
		"secara bertahap sesuai dengan Peraturan Menteri Keuangan Nomor 25 Tahun 2024",
		"25% (dua puluh lima persen)", "45% (empat puluh lima persen)", "21 Oktober 2027", "Satu berkas"},
	"tanda_terima_permohonan_salur": {"TANDA TERIMA PERMOHONAN PENYALURAN TAHAP II",
		"Rp3.105.000.000,00 (tiga miliar seratus lima juta rupiah)",
		"97,27% (sembilan puluh tujuh koma dua tujuh persen)", "42% (empat puluh dua persen)",
		"lhr-apip-inspektorat.pdf"},
	"catatan_permohonan_salur": {"CATATAN PENGEMBALIAN PERMOHONAN PENYALURAN", "Tahap II",
		"belum ditandatangani oleh Inspektur daerah"},
	"rekomendasi_penyaluran": {"Rekomendasi Penyaluran DAK Fisik Bidang IKM Tahap II",
		"Yth. Kepala KPPN Bandar Lampung",
		"Rp1.461.937.500,00 (satu miliar empat ratus enam puluh satu juta sembilan ratus tiga puluh tujuh ribu lima ratus rupiah)",
		"45% (empat puluh lima persen) dari nilai Rencana Kegiatan Rp3.248.750.000,00", "paling sedikit 75%",
		"Rp975.875.000,00 (sembilan ratus tujuh puluh lima juta delapan ratus tujuh puluh lima ribu rupiah)"},
	"berita_acara_penyaluran": {"BERITA ACARA PENYALURAN TAHAP II", "270451203000457", "28 Juli 2027",
		"Agus Priyanto, S.E.", "Rp2.274.125.000,00 (dua miliar dua ratus tujuh puluh empat juta seratus dua puluh lima ribu rupiah)"},
	"laporan_penyelesaian": {"LAPORAN PENYELESAIAN KEGIATAN DAK FISIK BIDANG IKM", "027/BAST/DISPERIN/XII/2027",
		"100% (seratus persen)", "Rp17.350.000,00 (tujuh belas juta tiga ratus lima puluh ribu rupiah)",
		"270451203000902", "Alat tenun bukan mesin (ATBM)"},
	"surat_perpanjangan_batas_waktu": {
		"Persetujuan Perpanjangan Batas Waktu Penyampaian Dokumen Penyaluran DAK Fisik Bidang IKM Tahap II",
		"Yth. Wali Kota Bandar Lampung", "semula 21 Oktober 2027 pukul 17.00 WIB, diperpanjang menjadi 4 November 2027 pukul 17.00 WIB",
		"ditetapkan berdasarkan Surat Direktur Jenderal Perimbangan Keuangan Nomor S-214/PK/2027", "tender pertama gagal",
		"a.n. Direktur Jenderal Industri Kecil, Menengah, dan Aneka Direktur Industri Kecil dan Menengah Kimia"},
	"berita_acara_hangus": {"BERITA ACARA DANA TIDAK DAPAT DISALURKAN", "15 Desember 2027 pukul 17.00 WIB",
		"Rp974.625.000,00 (sembilan ratus tujuh puluh empat juta enam ratus dua puluh lima ribu rupiah)",
		"tidak terdapat catatan perpanjangan", "Peraturan Menteri Keuangan Nomor 25 Tahun 2024",
		"diterbitkan secara otomatis oleh sistem dakflow"},
}

func TestKeyStrings(t *testing.T) {
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) {
			in := sampleInput(t, kind)
			text := flat(pdfText(t, render(t, in)))
			kop := []string{"KEMENTERIAN PERINDUSTRIAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL INDUSTRI KECIL, MENENGAH, DAN ANEKA"}
			if kind == "laporan_penyelesaian" { // the pemda's own report
				kop = []string{"PEMERINTAH KOTA BANDAR LAMPUNG DINAS PERINDUSTRIAN KOTA BANDAR LAMPUNG"}
			}
			want := append(append(kop, in.Number, in.VerifyCode, "Halaman 1 dari",
				"Keaslian dokumen ini dapat diperiksa dengan memindai kode QR atau membuka "+in.VerifyURL+"."),
				keyStrings[kind]...)
			signer := sampleSigner(t, kind, in)
			want = append(want, "Ditandatangani secara elektronik oleh "+signer.Name+" NIP "+signer.NIP)
			for _, s := range want {
				if !strings.Contains(text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range []string{"BSrE", "tersertifikasi", "<no value>", "%!"} {
				if strings.Contains(text, s) {
					t.Errorf("text contains %q", s)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s", text)
			}
		})
	}
}

// TestFooterOnEveryPage checks page numbers and the verification line on
// each page of a multi-page document.
func TestFooterOnEveryPage(t *testing.T) {
	in := sampleInput(t, "surat_persetujuan_rk")
	pdf := render(t, in)
	pages := bytes.Count(pdf, []byte("/Type /Page\n"))
	if pages < 2 {
		t.Fatalf("sample has %d pages, want a multi-page letter", pages)
	}
	for p := 1; p <= pages; p++ {
		page := strconv.Itoa(p)
		text := flat(pdfText(t, pdf, "-f", page, "-l", page))
		for _, s := range []string{"Halaman " + page + " dari " + strconv.Itoa(pages), in.Number, in.VerifyCode, in.VerifyURL} {
			if !strings.Contains(text, s) {
				t.Errorf("page %s lacks %q", page, s)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	r := testRenderer(t)
	for _, kind := range Kinds() {
		in := sampleInput(t, kind)
		first := render(t, in)
		var wg sync.WaitGroup
		outs := make([][]byte, 4)
		for i := range outs {
			wg.Go(func() {
				b, err := r.Render(in)
				if err != nil {
					t.Errorf("Render(%s): %v", kind, err)
				}
				outs[i] = b
			})
		}
		wg.Wait()
		for i, b := range outs {
			if !bytes.Equal(first, b) {
				t.Errorf("Render(%s) #%d differs from the first rendering", kind, i+1)
			}
		}
	}
}

func TestMetadata(t *testing.T) {
	in := sampleInput(t, "surat_penetapan_alokasi")
	pdf := render(t, in)
	for _, s := range []string{"/Lang (id-ID)", "/CreationDate (D:20261118030000)", "/ModDate (D:20261118030000)"} {
		if !bytes.Contains(pdf, []byte(s)) {
			t.Errorf("PDF lacks %q", s)
		}
	}
	if bytes.Contains(pdf, []byte("/Encrypt")) {
		t.Error("PDF is encrypted")
	}
}

func TestRenderZeroInput(t *testing.T) {
	for _, kind := range Kinds() {
		if _, err := testRenderer(t).Render(Input{Kind: kind}); err != nil {
			t.Errorf("Render(Input{Kind: %q}) = %v, want no error", kind, err)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	bad := sampleInput(t, "surat_penolakan")
	bad.Comment = "Alasan: 漢字"
	tests := []struct {
		name string
		in   Input
	}{
		{"unknown kind", Input{Kind: "surat_cinta"}},
		{"unprintable text", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testRenderer(t).Render(tt.in)
			if !errors.Is(err, dak.ErrInvalid) {
				t.Fatalf("Render = %v, want dak.ErrInvalid", err)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	tests := []struct{ kind, want string }{
		{"surat_penetapan_alokasi", "Penetapan Alokasi DAK Fisik Bidang IKM Tahun Anggaran 2027"},
		{"rekomendasi_penyaluran", "Rekomendasi Penyaluran DAK Fisik Bidang IKM Tahap II"},
		{"berita_acara_penyaluran", "BERITA ACARA PENYALURAN TAHAP II"},
		{"tanda_terima_usulan", "TANDA TERIMA USULAN DAK FISIK BIDANG IKM"},
	}
	for _, tt := range tests {
		got, err := testRenderer(t).Title(tt.kind, sampleInput(t, tt.kind))
		if err != nil || got != tt.want {
			t.Errorf("Title(%q) = %q, %v; want %q", tt.kind, got, err, tt.want)
		}
	}
}

// BenchmarkRender renders the sample of every kind. PRODUCT.md §7: a
// two-page letter (surat_persetujuan_rk) in at most 2 ms.
func BenchmarkRender(b *testing.B) {
	r := testRenderer(b)
	for _, kind := range Kinds() {
		in := sampleInput(b, kind)
		b.Run(kind, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewRenderer is the start-up cost: parsing every template and
// test-rendering every kind.
func BenchmarkNewRenderer(b *testing.B) {
	for b.Loop() {
		testRendererFresh(b)
	}
}
