package document

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"dakflow/internal/dak"
)

// The two sample proposals: a revitalisation above Rp1 miliar disbursed in
// stages (Sentra Tenun Tapis, Kota Bandar Lampung, PRODUCT.md §8) and a new
// sentra of at most Rp1 miliar disbursed at once (Kabupaten Konawe).

const sampleBaseURL = "https://dakflow.kemenperin.go.id/verify/"

func wib(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, dak.WIB)
}

func line(cat, desc string, qty int64, unit string, price dak.Money) Line {
	return Line{Category: cat, Description: desc, Quantity: qty, Unit: unit, UnitPrice: price, Total: dak.Money(qty) * price}
}

// file is a sample attachment; its hash is that of its name, so it is stable.
func file(kind, name string, size int64) Attachment {
	sum := sha256.Sum256([]byte(name))
	return Attachment{Kind: kind, FileName: name, Size: size, SHA256: hex.EncodeToString(sum[:])}
}

var (
	samplePemdaTapis = Person{Name: "Drs. Hendra Saputra, M.M.", NIP: "197305121998031004",
		Position: "Kepala Dinas Perindustrian Kota Bandar Lampung", Role: "pemda"}
	samplePemdaKonawe = Person{Name: "Hasanuddin, S.E., M.Si.", NIP: "197109031997031005",
		Position: "Kepala Dinas Perindustrian dan Perdagangan Kabupaten Konawe", Role: "pemda"}
	sampleVerifier = Person{Name: "Rina Marlina, S.T., M.Sc.", NIP: "198607142010122003",
		Position: "Verifikator Ditjen IKMA", Role: "verifier"}
	sampleApproverSandang = Person{Name: "Ir. Hendro Wicaksono, M.T.", NIP: "196908171995031002",
		Position: "Direktur Industri Kecil dan Menengah Kimia, Sandang, dan Kerajinan", Role: "approver"}
	sampleApproverPangan = Person{Name: "Dr. Sri Wahyuni Kusumawati, S.T.P., M.Si.", NIP: "197204261998032001",
		Position: "Direktur Industri Kecil dan Menengah Pangan, Furnitur, dan Bahan Bangunan", Role: "approver"}
	sampleTreasury = Person{Name: "Agus Priyanto, S.E.", NIP: "197811052003121001",
		Position: "Pejabat Pencatat Penyaluran DAK Fisik Ditjen IKMA", Role: "treasury"}
)

// sampleLegalBasis is the workflow file's legal_basis (a workflow test ties them).
const sampleLegalBasis = "Peraturan Menteri Keuangan Nomor 25 Tahun 2024 tentang Pengelolaan Dana Alokasi Khusus Fisik"

// tapis is the revitalisation of Sentra Tenun Tapis, allocated Rp3.250.000.000
// and disbursed in three stages.
func tapis() Input {
	lines := []Line{
		line("gedung_upt", "Renovasi gedung Unit Pelaksana Teknis (UPT) sentra", 1, "paket", 650_000_000),
		line("gedung_produksi", "Rehabilitasi gedung produksi tenun 300 m²", 1, "paket", 1_100_000_000),
		line("gedung_promosi", "Pembangunan galeri promosi kain tapis", 1, "paket", 550_000_000),
		line("mesin_peralatan", "Alat tenun bukan mesin (ATBM) kain tapis", 20, "unit", 18_500_000),
		// Five machines in the RAB, four in the RK: the RK departs from the
		// RAB, on the approver's stated basis (sample_rk.go).
		line("mesin_peralatan", "Mesin bordir komputer 6 kepala", 5, "unit", 68_000_000),
		line("ipal", "Instalasi pengolahan air limbah pewarnaan alami", 1, "unit", 320_000_000),
		line("sarana_penunjang", "Meubelair kantor pengelola sentra", 1, "paket", 120_000_000),
		line("papan_identitas", "Papan identitas kegiatan DAK", 1, "unit", 15_000_000),
	}
	rk := []Line{
		line("gedung_upt", "Renovasi gedung UPT sentra", 1, "paket", 648_000_000),
		line("gedung_produksi", "Rehabilitasi gedung produksi tenun 300 m²", 1, "paket", 1_000_000_000),
		line("gedung_promosi", "Pembangunan galeri promosi kain tapis", 1, "paket", 520_000_000),
		line("mesin_peralatan", "Alat tenun bukan mesin (ATBM) kain tapis", 20, "unit", 18_187_500),
		line("mesin_peralatan", "Mesin bordir komputer 6 kepala", 4, "unit", 82_500_000),
		line("ipal", "Instalasi pengolahan air limbah pewarnaan alami", 1, "unit", 310_000_000),
		line("sarana_penunjang", "Meubelair kantor pengelola sentra", 1, "paket", 62_000_000),
		line("papan_identitas", "Papan identitas kegiatan DAK", 1, "unit", 15_000_000),
	}
	return Input{
		IssuedAt: wib(2026, time.April, 2, 10, 31),
		Proposal: Proposal{
			Number: "USL-2027-18.71-0003", Revision: 2, FiscalYear: 2027, Menu: "revitalisasi",
			Title:       "Revitalisasi Sentra Tenun Tapis Kota Bandar Lampung",
			SubmittedAt: wib(2026, time.April, 2, 10, 30),
			RegionCode:  "18.71", RegionName: "Kota Bandar Lampung", ProvinceName: "Lampung",
			Sentra: Sentra{Name: "Sentra Tenun Tapis", Commodity: "Kain tenun tapis",
				VillageName: "Kelurahan Kedamaian", DistrictName: "Kecamatan Kedamaian",
				Address: "Jalan Pulau Sebesi No. 12", IKMUnits: 15, Workers: 87},
			RequestedAmount: 3_465_000_000, RecommendedAmount: 3_300_000_000,
			AllocatedAmount: 3_250_000_000, RKAmount: 3_248_750_000,
			BudgetLines: lines,
			Outputs: []Output{
				{"Gedung UPT sentra yang direnovasi", 1, "unit"},
				{"Gedung produksi tenun yang direhabilitasi", 1, "unit"},
				{"Galeri promosi kain tapis", 1, "unit"},
				{"Alat tenun bukan mesin (ATBM)", 20, "unit"},
				{"Mesin bordir komputer", 5, "unit"},
				{"Instalasi pengolahan air limbah", 1, "unit"},
			},
		},
		Activities: rk,
		Disbursement: Disbursement{Mode: "bertahap", LegalBasis: sampleLegalBasis, Stages: []Stage{
			{Number: 1, Basis: BasisRKPercent, Percent: 2500, Amount: 812_187_500,
				Deadline: wib(2027, time.July, 22, 17, 0), State: StagePaid,
				SP2DNumber: "270451203000118", SP2DDate: wib(2027, time.March, 18, 9, 0)},
			{Number: 2, Basis: BasisRKPercent, Percent: 4500, Amount: 1_461_937_500,
				Deadline: wib(2027, time.October, 21, 17, 0), State: StagePaid,
				SP2DNumber: "270451203000457", SP2DDate: wib(2027, time.July, 28, 9, 0)},
			{Number: 3, Basis: BasisRemainder, Amount: 974_625_000,
				Deadline: wib(2027, time.December, 15, 17, 0), State: StagePaid,
				SP2DNumber: "270451203000902", SP2DDate: wib(2027, time.October, 29, 9, 0)},
		}},
	}
}

// konawe is a new Sentra IKM in Kabupaten Konawe, allocated Rp950.000.000 and
// disbursed at once on the value of the contract list.
func konawe() Input {
	lines := []Line{
		line("gedung_produksi", "Pembangunan gedung produksi pengolahan sagu 240 m²", 1, "paket", 520_000_000),
		line("rumah_kemasan", "Pembangunan rumah kemasan", 1, "paket", 180_000_000),
		line("mesin_peralatan", "Mesin pemarut dan pemeras sagu", 6, "unit", 25_000_000),
		line("ipal", "Instalasi pengolahan air limbah", 1, "unit", 120_000_000),
		line("papan_identitas", "Papan identitas kegiatan DAK", 1, "unit", 15_000_000),
	}
	rk := []Line{
		line("gedung_produksi", "Pembangunan gedung produksi pengolahan sagu 240 m²", 1, "paket", 505_000_000),
		line("rumah_kemasan", "Pembangunan rumah kemasan", 1, "paket", 176_500_000),
		line("mesin_peralatan", "Mesin pemarut dan pemeras sagu", 6, "unit", 23_000_000),
		line("ipal", "Instalasi pengolahan air limbah", 1, "unit", 114_000_000),
		line("papan_identitas", "Papan identitas kegiatan DAK", 1, "unit", 15_000_000),
	}
	return Input{
		IssuedAt: wib(2026, time.March, 16, 14, 6),
		Proposal: Proposal{
			Number: "USL-2027-74.02-0001", Revision: 1, FiscalYear: 2027, Menu: "pembangunan",
			Title:       "Pembangunan Sentra IKM Pengolahan Sagu Kabupaten Konawe",
			SubmittedAt: wib(2026, time.March, 16, 14, 5),
			RegionCode:  "74.02", RegionName: "Kabupaten Konawe", ProvinceName: "Sulawesi Tenggara",
			Sentra: Sentra{Name: "Sentra IKM Pengolahan Sagu Konawe", Commodity: "Tepung dan olahan sagu",
				VillageName: "Kelurahan Tuoy", DistrictName: "Kecamatan Unaaha",
				Address: "Jalan Inolobu, Unaaha", IKMUnits: 12, Workers: 46},
			RequestedAmount: 985_000_000, RecommendedAmount: 960_000_000,
			AllocatedAmount: 950_000_000, RKAmount: 948_500_000, DisbursedAmount: 941_200_000,
			BudgetLines: lines,
			Outputs: []Output{
				{"Gedung produksi pengolahan sagu", 1, "unit"},
				{"Rumah kemasan", 1, "unit"},
				{"Mesin pemarut dan pemeras sagu", 6, "unit"},
				{"Instalasi pengolahan air limbah", 1, "unit"},
			},
		},
		Activities: rk,
		Disbursement: Disbursement{Mode: "sekaligus", LegalBasis: sampleLegalBasis, Stages: []Stage{
			{Number: 1, Basis: BasisContract, Amount: 941_200_000,
				Deadline: wib(2027, time.July, 22, 17, 0), State: StagePaid,
				SP2DNumber: "270741102000215", SP2DDate: wib(2027, time.May, 12, 9, 0)},
		}},
	}
}
