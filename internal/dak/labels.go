package dak

import (
	"fmt"
	"strings"
)

// Budget line categories (PRODUCT.md §2), with their Indonesian labels.
var Categories = map[string]string{
	"gedung_produksi":  "Gedung produksi",
	"gedung_upt":       "Gedung UPT",
	"rumah_kemasan":    "Rumah kemasan",
	"gedung_promosi":   "Gedung promosi",
	"mesin_peralatan":  "Mesin dan peralatan",
	"ipal":             "Instalasi pengolahan air limbah (IPAL)",
	"ipab":             "Instalasi pengolahan air baku (IPAB)",
	"sarana_penunjang": "Sarana penunjang",
	"papan_identitas":  "Papan identitas",
}

// AttachmentKinds are the typed attachments of PRODUCT.md §2, with labels.
var AttachmentKinds = map[string]string{
	"surat_usulan":       "Surat usulan",
	"tor":                "Kerangka acuan kerja (TOR)",
	"rab":                "Rencana anggaran biaya (RAB)",
	"ded":                "Detail engineering design (DED)",
	"sertifikat_lahan":   "Sertifikat lahan",
	"sk_sentra":          "SK penetapan sentra",
	"foto_lokasi":        "Foto lokasi",
	"dokumen_lingkungan": "Dokumen lingkungan",
	"daftar_kontrak":     "Daftar kontrak",
	"lrpd_co":            "Laporan realisasi penyerapan dana dan capaian output",
	"lhr_apip":           "Laporan hasil reviu APIP",
	"rencana_kebutuhan":  "Rencana kebutuhan dana penyelesaian",
	"bast":               "Berita acara serah terima (BAST)",
	"lainnya":            "Lainnya",
}

// LandOwnerships are the accepted land statuses.
var LandOwnerships = map[string]string{
	"milik_pemda":  "Milik pemerintah daerah",
	"hibah":        "Hibah kepada pemerintah daerah",
	"pinjam_pakai": "Pinjam pakai",
	"lainnya":      "Lainnya",
}

// FieldLabel is the Indonesian words for a JSON path, for documents that
// must not show JSON paths to officials.
func FieldLabel(path string) string {
	labels := map[string]string{
		"title": "Judul usulan", "region_code": "Kode wilayah", "fiscal_year": "Tahun anggaran", "menu": "Menu",
		"sentra": "Data sentra", "sentra_id": "Sentra terdaftar", "sentra.name": "Nama sentra", "sentra.commodity": "Komoditas sentra",
		"sentra.village_code": "Desa/kelurahan lokasi sentra", "sentra.address": "Alamat sentra",
		"sentra.latitude": "Koordinat lintang", "sentra.longitude": "Koordinat bujur",
		"sentra.ikm_units": "Jumlah IKM", "sentra.workers": "Jumlah tenaga kerja",
		"sentra.decree_number": "Nomor SK penetapan sentra", "sentra.decree_date": "Tanggal SK penetapan sentra",
		"land": "Data lahan", "land.area_m2": "Luas lahan", "land.ownership": "Status kepemilikan lahan",
		"land.certificate_number": "Nomor sertifikat lahan", "budget_lines": "Rencana anggaran biaya (RAB)",
		"outputs": "Keluaran (output)", "attachments": "Lampiran", "activities": "Rencana kegiatan",
		"stage": "Tahap penyaluran", "contract_value": "Nilai kontrak", "absorbed_amount": "Realisasi penyerapan",
		"output_percent": "Capaian keluaran",
	}
	if l, ok := labels[path]; ok {
		return l
	}
	if i := strings.IndexByte(path, '['); i > 0 {
		rest := path[i:]
		if j := strings.IndexByte(rest, ']'); j > 0 {
			n := rest[1:j]
			head := labels[path[:i]]
			if head == "" {
				head = path[:i]
			}
			return fmt.Sprintf("%s, baris %s", head, n)
		}
	}
	if k, ok := AttachmentKinds[strings.TrimPrefix(path, "attachments.")]; ok {
		return "Lampiran: " + k
	}
	return path
}
