package main

import (
	"context"
	"fmt"
	"maps"

	"dakflow/internal/dak"
)

// What the demo proposals say: the sentra, their money, the verifier's
// notes and the attachments, which the seeder (seed_proposals.go) walks
// through the engine.

// demoSentra are the sentra of PRODUCT.md §8, with the KPPN that serves
// each pemda (named in its disbursement requests).
var demoSentra = []struct {
	pemda, name, commodity string
	menu                   dak.Menu
	big                    bool // bertahap (> Rp1 miliar) or sekaligus
	kppn                   string
}{
	{"pemda.bandarlampung", "Sentra IKM Tenun Tapis", "Kain tenun tapis", dak.MenuRevitalisasi, true, "KPPN Bandar Lampung"},
	{"pemda.konaweselatan", "Sentra IKM Tahu Tempe", "Tahu dan tempe", dak.MenuPembangunan, false, "KPPN Kendari"},
	{"pemda.makassar", "Sentra IKM Kerajinan Perak", "Kerajinan perak", dak.MenuRevitalisasi, true, "KPPN Makassar I"},
	{"pemda.dogiyai", "Sentra IKM Pengolahan Kopi", "Kopi arabika", dak.MenuPembangunan, true, "KPPN Nabire"},
	{"pemda.bangkabarat", "Sentra IKM Kerajinan Pewter", "Kerajinan pewter", dak.MenuRevitalisasi, false, "KPPN Pangkal Pinang"},
	{"pemda.pasuruan", "Sentra IKM Komponen Kapal dan Pengecoran Logam", "Komponen kapal, pengecoran logam", dak.MenuRevitalisasi, true, "KPPN Pasuruan"},
	{"pemda.konawe", "Sentra IKM Konawe", "Olahan hasil perkebunan", dak.MenuPembangunan, false, "KPPN Kendari"},
}

// Demo money: the RAB asks a little more than the allocation, the RK keeps
// every RAB category and quantity within the allocation, and the
// contracts come to 90% of the RK, so that stage III pays what the
// contracts leave, not the RK value (PRODUCT.md §3).
func allocationOf(big bool) int64 {
	if big {
		return 3_200_000_000
	}
	return 800_000_000
}

// rkOf is the Rencana Kegiatan of a demo allocation: the RAB's categories
// and quantities (demo RAB in input), priced to the allocation.
func rkOf(big bool) []map[string]any {
	prices := []int64{345_000_000, 49_000_000, 146_000_000, 15_000_000}
	if big {
		prices = []int64{1_390_000_000, 198_000_000, 607_000_000, 15_000_000}
	}
	return []map[string]any{
		{"category": "gedung_produksi", "description": "Pembangunan gedung produksi bersama", "quantity": 1, "unit": "paket", "unit_price": prices[0]},
		{"category": "mesin_peralatan", "description": "Pengadaan mesin produksi", "quantity": 6, "unit": "unit", "unit_price": prices[1]},
		{"category": "ipal", "description": "Instalasi pengolahan air limbah", "quantity": 1, "unit": "paket", "unit_price": prices[2]},
		{"category": "papan_identitas", "description": "Papan identitas sentra", "quantity": 1, "unit": "buah", "unit_price": prices[3]},
	}
}

// checklistNotes are the verifier's notes on each criterion that applies.
var checklistNotes = map[string]string{
	"dokumen_lengkap":       "Surat usulan, TOR, RAB, DED dan dokumen lingkungan lengkap pada revisi ini.",
	"kesesuaian_menu":       "Kegiatan sesuai menu yang diusulkan.",
	"kesiapan_lahan":        "Sertifikat hak pakai atas nama pemerintah daerah; luas 2.500 m² memadai untuk gedung dan IPAL.",
	"sentra_terorganisasi":  "SK penetapan sentra berlaku; 15 IKM aktif dengan pengurus sentra.",
	"kesesuaian_kiid":       "Komoditas termasuk kompetensi inti industri daerah; bahan baku tersedia setempat.",
	"berwawasan_lingkungan": "IPAL direncanakan dalam RAB dan UKL-UPL dilampirkan.",
	"kewajaran_biaya":       "Harga satuan mesin dibandingkan dengan e-katalog; selisih di bawah 5%.",
	"komitmen_daerah":       "Surat pernyataan kepala daerah tentang anggaran operasional dan pengelola UPT.",
	"prioritas":             "Lokasi di luar Pulau Jawa.",
}

// input builds a complete proposal for a sentra in the next desa of the
// region (nextVillage): a sentra has one proposal under way at a time and
// a desa one sentra of a commodity (PRODUCT.md §9), so each demo proposal
// is for a sentra of its own.
func (s *seeder) input(regionCode, name, commodity string, menu dak.Menu, big bool) dak.ProposalInput {
	village := s.nextVillage(regionCode)
	scale := int64(1)
	if big {
		scale = 4
	}
	lat, lon := demoPosition(regionCode, village) // in its own kabupaten/kota (seed_sentra.go)
	in := dak.ProposalInput{FiscalYear: s.year, Menu: menu, Title: fmt.Sprintf("%s %s", map[dak.Menu]string{dak.MenuPembangunan: "Pembangunan", dak.MenuRevitalisasi: "Revitalisasi"}[menu], name),
		Sentra: dak.SentraInput{Name: name, Commodity: commodity, VillageCode: village, Address: "Jalan Sentra Industri No. 1",
			Latitude: &lat, Longitude: &lon, IKMUnits: 15, Workers: 60},
		BudgetLines: []dak.BudgetLine{
			{Category: "gedung_produksi", Description: "Gedung produksi bersama", Quantity: 1, Unit: "paket", UnitPrice: dak.Money(350_000_000 * scale)},
			{Category: "mesin_peralatan", Description: "Mesin produksi", Quantity: 6, Unit: "unit", UnitPrice: dak.Money(50_000_000 * scale)},
			{Category: "ipal", Description: "Instalasi pengolahan air limbah", Quantity: 1, Unit: "paket", UnitPrice: dak.Money(150_000_000 * scale)},
			{Category: "papan_identitas", Description: "Papan identitas sentra", Quantity: 1, Unit: "buah", UnitPrice: 15_000_000},
		},
		Outputs: []dak.Output{{Description: "Gedung produksi", Volume: 1, Unit: "unit"}, {Description: "Mesin produksi", Volume: 6, Unit: "unit"}}}
	if menu == dak.MenuPembangunan {
		in.Land = dak.Land{AreaM2: 2500, Ownership: "milik_pemda", CertificateNumber: "SHP No. 12/2019"}
	} else {
		in.Sentra.DecreeNumber = "188.45/112/IV.40/2019"
		in.Sentra.DecreeDate = "2019-04-15"
	}
	return in
}

// nextVillage is the region's next desa not yet given a demo sentra, in
// the order of the Kemendagri list ("" for a region without one).
func (s *seeder) nextVillage(regionCode string) string {
	all := villagesOf(regionCode)
	if len(all) == 0 {
		return ""
	}
	if s.placed == nil {
		s.placed = map[string]int{}
	}
	n := s.placed[regionCode]
	s.placed[regionCode]++
	return all[n%len(all)]
}

// demoVillages are the desa nextVillage will give the demo proposals —
// those of the demo year (demoSentraOf), the lapsed one and the past
// completions, one per proposal in its pemda's region — so that the
// registry, loaded before them, leaves them free. create refuses a desa not
// listed here.
func (s *seeder) demoVillages() map[string]bool {
	pemdas := []string{}
	for i := range demoTargets {
		n, _ := demoSentraOf(i)
		pemdas = append(pemdas, demoSentra[n].pemda)
	}
	pemdas = append(pemdas, lapsedPemda)
	for _, pc := range pastCompletions {
		pemdas = append(pemdas, pc.pemda)
	}
	count := map[string]int{}
	for _, p := range pemdas {
		count[s.users[p].RegionCode]++
	}
	out := map[string]bool{}
	for code, n := range count {
		all := villagesOf(code)
		for i := 0; i < n && len(all) > 0; i++ {
			out[all[i%len(all)]] = true
		}
	}
	s.reserved = out
	return maps.Clone(out)
}

// registerSentra registers the living sentra a demo revitalisasi
// improves, as the Dinas Perindustrian's count found it a year before.
func (s *seeder) registerSentra(ctx context.Context, in dak.ProposalInput) (int64, error) {
	established := s.year - 9
	id, err := s.app.store.CreateSentra(ctx, dak.SentraRecordInput{Name: in.Sentra.Name, Commodity: in.Sentra.Commodity,
		RegionCode: in.RegionCode, VillageCode: in.Sentra.VillageCode, Address: in.Sentra.Address, Latitude: in.Sentra.Latitude,
		Longitude: in.Sentra.Longitude, IKMUnits: in.Sentra.IKMUnits, Workers: in.Sentra.Workers, DecreeNumber: in.Sentra.DecreeNumber,
		DecreeDate: in.Sentra.DecreeDate, EstablishedYear: &established, Status: dak.SentraAktif,
		StatusDate: fmt.Sprintf("%d-11-20", s.year-2), StatusBasis: "Pendataan sentra IKM oleh Dinas Perindustrian"}, s.users["admin"])
	return id.ID, err
}

// demoPDF is a small valid PDF standing in for a scanned attachment.
func demoPDF(title string) []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " + title + "\ntrailer<</Root 1 0 R>>\n%%EOF\n")
}

// cloneMap copies m one level deep, for a step's data changed per proposal.
func cloneMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
