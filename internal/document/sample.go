package document

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"time"

	"dakflow/internal/dak"
)

// SampleInput returns a realistic Input for kind, about the revitalisation
// of Sentra Tenun Tapis in Kota Bandar Lampung (18.71), fiscal year 2027,
// allocated Rp3.250.000.000 and disbursed in stages. `dakflow document
// sample KIND` renders it; the tests keep goldens of it. It returns a
// dak.ErrInvalid error for an unknown kind.
func SampleInput(kind string) (Input, error) { return sample(kind, tapis()) }

// SampleInputSekaligus is SampleInput for a new Sentra IKM in Kabupaten
// Konawe (74.02), allocated Rp950.000.000 (at most Rp1 miliar) and so
// disbursed at once on the value of the contract list.
func SampleInputSekaligus(kind string) (Input, error) { return sample(kind, konawe()) }

func sample(kind string, in Input) (Input, error) {
	i := slices.Index(kinds, kind)
	if i < 0 {
		return Input{}, dak.Errorf(dak.ErrInvalid, "jenis dokumen %q tidak dikenal", kind)
	}
	in.Kind = kind
	samplers[kind](&in, people(&in))
	sampleRKFacts(&in)
	at := in.IssuedAt
	in.Number = fmt.Sprintf("B-%d/IKMA/DAK/%s/%d", 40+17*i, dak.Month2(at), at.Year())
	sum := sha256.Sum256([]byte(in.Proposal.Number + kind))
	code := base32.StdEncoding.EncodeToString(sum[:])[:12]
	in.VerifyCode = code[:4] + "-" + code[4:8] + "-" + code[8:]
	in.VerifyURL = sampleBaseURL + in.VerifyCode
	return in, nil
}

// cast are the officials acting on a sample proposal.
type cast struct{ pemda, approver Person }

func people(in *Input) cast {
	if in.Proposal.Menu == "pembangunan" {
		return cast{samplePemdaKonawe, sampleApproverPangan}
	}
	return cast{samplePemdaTapis, sampleApproverSandang}
}

// sampleStage is the stage the disbursement samples are about: stage II of a
// staged schedule, the only stage of a one-off one.
func sampleStage(in *Input) (Stage, bool) {
	s := in.Disbursement.Stages
	if in.Disbursement.Mode == "bertahap" {
		return s[1], true
	}
	return s[0], false
}

// samplers add to a sample proposal what the event issuing each kind knows.
var samplers = map[string]func(in *Input, c cast){
	"tanda_terima_usulan": func(in *Input, c cast) {
		in.Actor = c.pemda
		in.IssuedAt = in.Proposal.SubmittedAt.Add(time.Minute)
		in.Attachments = proposalFiles(in.Proposal.Menu)
	},
	"surat_penarikan": func(in *Input, c cast) {
		in.Actor = c.pemda
		in.IssuedAt = in.Proposal.SubmittedAt.AddDate(0, 0, 4)
		in.Comment = "Lokasi gedung produksi perlu disesuaikan dengan rencana detail tata ruang yang baru ditetapkan; usulan akan disusun ulang."
	},
	"catatan_penilaian":        sampleCatatanPenilaian,
	"berita_acara_penilaian":   sampleBeritaAcaraPenilaian,
	"surat_penolakan":          sampleSuratPenolakan,
	"surat_penetapan_alokasi":  sampleSuratPenetapan,
	"surat_tidak_dialokasikan": sampleSuratTidakDialokasikan,
	"tanda_terima_rk": func(in *Input, c cast) {
		in.Actor = c.pemda
		in.IssuedAt = wib(2027, time.January, 20, 13, 45)
		in.Proposal.RKAmount = 0
	},
	"catatan_rk":                     sampleCatatanRK,
	"surat_persetujuan_rk":           sampleSuratPersetujuanRK,
	"tanda_terima_permohonan_salur":  sampleTandaTerimaSalur,
	"catatan_permohonan_salur":       sampleCatatanSalur,
	"rekomendasi_penyaluran":         sampleRekomendasi,
	"berita_acara_penyaluran":        sampleBeritaAcaraPenyaluran,
	"laporan_penyelesaian":           sampleLaporan,
	"surat_perpanjangan_batas_waktu": sampleExtension,
	"berita_acara_hangus":            sampleHangus,
}

func proposalFiles(menu string) []Attachment {
	files := []Attachment{
		file("surat_usulan", "surat-usulan-dak-ikm-2027.pdf", 412_338),
		file("tor", "kerangka-acuan-kerja.pdf", 1_254_901),
		file("rab", "rab-sentra-2027.xlsx", 88_412),
		file("ded", "ded-gedung-produksi.pdf", 7_840_112),
		file("dokumen_lingkungan", "ukl-upl-ipal.pdf", 2_310_774),
		file("foto_lokasi", "foto-lokasi-sentra.jpg", 3_145_728),
	}
	if menu == "pembangunan" {
		return append(files, file("sertifikat_lahan", "sertifikat-hak-pakai-pemda.pdf", 956_201))
	}
	return append(files, file("sk_sentra", "sk-penetapan-sentra.pdf", 501_880))
}

func sampleCatatanPenilaian(in *Input, c cast) {
	in.Actor = sampleVerifier
	in.Proposal.Revision = 1
	in.Proposal.SubmittedAt = in.Proposal.SubmittedAt.AddDate(0, 0, -23)
	in.IssuedAt = in.Proposal.SubmittedAt.AddDate(0, 0, 14).Add(5 * time.Hour)
	in.Notes = []Note{
		{"Data sentra — SK penetapan sentra", "SK penetapan sentra yang dilampirkan telah berakhir masa berlakunya; lampirkan SK yang masih berlaku beserta daftar IKM anggota sentra."},
		{"Rencana anggaran biaya (RAB) — baris 5", "Harga satuan mesin melebihi harga pasar; sertakan paling sedikit tiga pembanding harga dari penyedia yang berbeda."},
		{"Lampiran — dokumen lingkungan", "Dokumen UKL-UPL untuk instalasi pengolahan air limbah belum ditandatangani instansi lingkungan hidup daerah."},
	}
}

func sampleBeritaAcaraPenilaian(in *Input, c cast) {
	in.Actor = sampleVerifier
	in.IssuedAt = in.Proposal.SubmittedAt.AddDate(0, 0, 19).Add(30 * time.Minute)
	in.AmountReason = sampleRecommendationReason(in)
	revit := in.Proposal.Menu == "revitalisasi"
	// The registry's history of the sentra: a revitalised sentra was built
	// with DAK before and reports its use; a pembangunan's was registered
	// by its own proposal.
	in.SentraHistory = SentraHistory{ID: 41, Status: "Usulan", Since: in.Proposal.SubmittedAt.AddDate(0, 0, -30),
		Basis: "Didaftarkan dari usulan " + in.Proposal.Number}
	if revit {
		in.SentraHistory = SentraHistory{ID: 17, Status: "Aktif", Since: time.Date(2025, 11, 20, 0, 0, 0, 0, dak.WIB),
			Basis: "Pendataan ulang sentra oleh Dinas Perindustrian",
			Funding: []SentraFunding{{FiscalYear: 2021, Number: "USL-2021-1871-00004", Menu: "pembangunan", State: "Selesai",
				Allocated: 2_350_000_000, Disbursed: 2_341_500_000}},
			LastReport: &UtilisationReport{Period: "Semester II 2025", IKMUsing: 13, OccupancyPercent: 80, Condition: "Baik"}}
	}
	// The coverage the priority criterion is answered from: Kota Bandar
	// Lampung has the revitalised sentra; Kabupaten Konawe none yet.
	in.Coverage = RegionCoverage{Year: in.Proposal.FiscalYear, RegionCode: in.Proposal.RegionCode, RegionName: in.Proposal.RegionName,
		ActiveSentra: 1, OutsideJava: true, NationalWith: 268, NationalAll: 514, NationalShare: 5214}
	if !revit {
		in.Coverage.ActiveSentra = 0
	}
	// Land readiness applies to pembangunan only, the organised sentra to
	// revitalisasi only (the workflow file's checklist menus): the other
	// menu's criterion is answered Tidak Relevan.
	applies := func(when bool, note string) ChecklistAnswer {
		if when {
			return ChecklistAnswer{Met: true, Note: note}
		}
		return ChecklistAnswer{NotApplicable: true}
	}
	answers := []struct {
		text string
		a    ChecklistAnswer
	}{
		{"Dokumen usulan lengkap sesuai menu (surat usulan, TOR, RAB, DED, dokumen lingkungan, sertifikat lahan atau SK penetapan sentra)", ChecklistAnswer{Met: true, Note: "Lengkap pada revisi ini."}},
		{"Kegiatan sesuai dengan menu yang diusulkan", ChecklistAnswer{Met: true}},
		{"Lahan siap: bersertifikat atas nama pemerintah daerah dan luasnya mencukupi", applies(!revit, "Sertifikat hak pakai atas nama Pemerintah Kabupaten Konawe.")},
		{"Sentra telah ada dan terorganisasi: SK penetapan, pengurus/pengelola, UPT atau rencananya, paling sedikit 8–10 IKM sejenis", applies(revit, "SK penetapan sentra berlaku; 15 IKM aktif.")},
		{"Sesuai kompetensi inti industri daerah serta bahan baku dan tenaga kerja setempat", ChecklistAnswer{Met: true}},
		{"Berwawasan lingkungan: pengolahan air limbah (IPAL) dan dokumen lingkungan bila diperlukan", ChecklistAnswer{Met: true, Note: "UKL-UPL telah disahkan."}},
		{"Biaya wajar terhadap harga satuan", ChecklistAnswer{Met: false, Note: "Harga mesin di atas harga pasar; nilai rekomendasi dikoreksi."}},
		{"Komitmen daerah untuk mengoperasikan sentra (anggaran operasional, pengelola)", ChecklistAnswer{Met: true}},
		{"Prioritas: di luar Jawa, daerah afirmasi, atau keterkaitan dengan rantai pasok industri besar", ChecklistAnswer{Met: true, Note: "Di luar Pulau Jawa."}},
	}
	for i, x := range answers {
		x.a.No, x.a.Text = i+1, x.text
		in.Checklist = append(in.Checklist, x.a)
	}
}

// sampleRecommendationReason is why the sample's assessment recommended
// less than was requested.
func sampleRecommendationReason(in *Input) string {
	if in.Proposal.Menu == "pembangunan" {
		return "Harga satuan mesin pemarut dan pemeras sagu di atas harga pasar; dikoreksi menurut tiga pembanding harga dari penyedia yang berbeda."
	}
	return "Harga satuan mesin bordir komputer dan meubelair di atas harga pasar; dikoreksi menurut tiga pembanding harga dari penyedia yang berbeda."
}

func sampleSuratPenolakan(in *Input, c cast) {
	in.Actor = sampleVerifier
	in.IssuedAt = in.Proposal.SubmittedAt.AddDate(0, 0, 19).Add(time.Hour)
	in.Comment = "Sentra belum memenuhi syarat sentra yang hidup: dari IKM yang terdaftar hanya 4 IKM yang masih berproduksi, dan belum terdapat pengelola sentra."
}

func sampleSuratPenetapan(in *Input, c cast) {
	in.Actor = c.approver
	in.RecommendationReason = sampleRecommendationReason(in)
	in.AmountReason = "Sisa pagu DAK Fisik Bidang IKM Tahun Anggaran 2027 untuk menu " + dak.Menu(in.Proposal.Menu).Label() +
		" tidak mencukupi nilai yang direkomendasikan."
	in.IssuedAt = wib(2026, time.November, 18, 10, 0)
	in.Deadline = wib(2027, time.January, 29, 23, 59)
}

func sampleSuratTidakDialokasikan(in *Input, c cast) {
	in.Actor = c.approver
	in.IssuedAt = wib(2026, time.November, 18, 10, 15)
	in.Comment = "Pagu DAK Fisik Bidang IKM Tahun Anggaran 2027 telah habis dialokasikan kepada usulan dengan skor prioritas yang lebih tinggi."
}
