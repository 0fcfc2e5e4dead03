package dak

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func bl(cat, desc string, qty int64, unit string, price Money) BudgetLine {
	return BudgetLine{Category: cat, Description: desc, Quantity: qty, Unit: unit, UnitPrice: price}
}

// rab is an assessed RAB of four categories.
var rab = []BudgetLine{
	bl("gedung_produksi", "Gedung produksi bersama", 1, "paket", 350_000_000),
	bl("mesin_peralatan", "Mesin tenun ATBM", 6, "unit", 50_000_000),
	bl("ipal", "Instalasi pengolahan air limbah", 1, "paket", 150_000_000),
	bl("papan_identitas", "Papan identitas sentra", 1, "buah", 15_000_000),
}

func TestRKDepartures(t *testing.T) {
	tests := []struct {
		name string
		rk   []BudgetLine
		want []Departure
	}{
		{"same lines at lower prices", []BudgetLine{
			bl("gedung_produksi", "Gedung produksi", 1, "paket", 340_000_000),
			bl("mesin_peralatan", "Mesin tenun", 6, "Unit ", 48_000_000),
			bl("ipal", "IPAL", 1, "paket", 140_000_000),
			bl("papan_identitas", "Papan", 1, "buah", 15_000_000),
		}, nil},
		{"more than the RAB, split over lines", []BudgetLine{
			bl("gedung_produksi", "Gedung produksi", 1, "paket", 340_000_000),
			bl("mesin_peralatan", "Mesin tenun", 4, "unit", 40_000_000),
			bl("mesin_peralatan", "Mesin tenun", 3, "unit", 40_000_000),
			bl("ipal", "IPAL", 1, "paket", 140_000_000),
			bl("papan_identitas", "Papan", 2, "buah", 5_000_000),
		}, nil},
		{"IPAL dropped", []BudgetLine{
			bl("gedung_produksi", "Gedung produksi", 1, "paket", 490_000_000),
			bl("mesin_peralatan", "Mesin tenun", 6, "unit", 50_000_000),
			bl("papan_identitas", "Papan", 1, "buah", 15_000_000),
		}, []Departure{{Kind: DepartureDropped, Category: "ipal", RABQuantity: 1, RABAmount: 150_000_000}}},
		{"machines 6 to 4", []BudgetLine{
			bl("gedung_produksi", "Gedung produksi", 1, "paket", 450_000_000),
			bl("mesin_peralatan", "Mesin tenun", 4, "unit", 50_000_000),
			bl("ipal", "IPAL", 1, "paket", 150_000_000),
			bl("papan_identitas", "Papan", 1, "buah", 15_000_000),
		}, []Departure{{Kind: DepartureReduced, Category: "mesin_peralatan", Unit: "unit", RABQuantity: 6, RKQuantity: 4,
			RABAmount: 300_000_000, RKAmount: 200_000_000}}},
		{"machines moved to another unit", []BudgetLine{
			bl("gedung_produksi", "Gedung produksi", 1, "paket", 350_000_000),
			bl("mesin_peralatan", "Mesin tenun", 1, "paket", 300_000_000),
			bl("ipal", "IPAL", 1, "paket", 150_000_000),
			bl("papan_identitas", "Papan", 1, "buah", 15_000_000),
		}, []Departure{{Kind: DepartureReduced, Category: "mesin_peralatan", Unit: "unit", RABQuantity: 6,
			RABAmount: 300_000_000}}},
		{"another category, once for two lines", []BudgetLine{
			bl("gedung_produksi", "Gedung produksi", 1, "paket", 350_000_000),
			bl("mesin_peralatan", "Mesin tenun", 6, "unit", 50_000_000),
			bl("ipal", "IPAL", 1, "paket", 100_000_000),
			bl("gedung_promosi", "Galeri", 1, "paket", 30_000_000),
			bl("papan_identitas", "Papan", 1, "buah", 15_000_000),
			bl("gedung_promosi", "Etalase", 2, "unit", 10_000_000),
		}, []Departure{{Kind: DepartureAdded, Category: "gedung_promosi", RKQuantity: 3, RKAmount: 50_000_000}}},
		{"everything at once, RAB order then RK order", []BudgetLine{
			bl("sarana_penunjang", "Meubelair", 1, "paket", 100_000_000),
			bl("mesin_peralatan", "Mesin tenun", 2, "unit", 50_000_000),
			bl("gedung_produksi", "Gedung produksi", 1, "paket", 350_000_000),
		}, []Departure{
			{Kind: DepartureReduced, Category: "mesin_peralatan", Unit: "unit", RABQuantity: 6, RKQuantity: 2, RABAmount: 300_000_000, RKAmount: 100_000_000},
			{Kind: DepartureDropped, Category: "ipal", RABQuantity: 1, RABAmount: 150_000_000},
			{Kind: DepartureDropped, Category: "papan_identitas", RABQuantity: 1, RABAmount: 15_000_000},
			{Kind: DepartureAdded, Category: "sarana_penunjang", RKQuantity: 1, RKAmount: 100_000_000},
		}},
		{"empty RK drops every category", nil, []Departure{
			{Kind: DepartureDropped, Category: "gedung_produksi", RABQuantity: 1, RABAmount: 350_000_000},
			{Kind: DepartureDropped, Category: "mesin_peralatan", RABQuantity: 6, RABAmount: 300_000_000},
			{Kind: DepartureDropped, Category: "ipal", RABQuantity: 1, RABAmount: 150_000_000},
			{Kind: DepartureDropped, Category: "papan_identitas", RABQuantity: 1, RABAmount: 15_000_000},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RKDepartures(rab, tc.rk)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("RKDepartures (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDepartureString(t *testing.T) {
	tests := []struct {
		d    Departure
		want string
	}{
		{Departure{Kind: DepartureDropped, Category: "ipal", RABAmount: 150_000_000},
			"Instalasi pengolahan air limbah (IPAL) pada RAB yang dinilai (Rp150.000.000,00) tidak ada pada rencana kegiatan"},
		{Departure{Kind: DepartureAdded, Category: "gedung_promosi", RKAmount: 50_000_000},
			"Gedung promosi tidak ada pada RAB yang dinilai, ditambahkan pada rencana kegiatan (Rp50.000.000,00)"},
		{Departure{Kind: DepartureReduced, Category: "mesin_peralatan", Unit: "unit", RABQuantity: 6, RKQuantity: 4},
			"Mesin dan peralatan berkurang dari 6 unit pada RAB yang dinilai menjadi 4 unit pada rencana kegiatan"},
	}
	for _, tc := range tests {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestRKOutputs(t *testing.T) {
	outputs := []Output{
		{Description: "Gedung produksi", Volume: 1, Unit: "unit"}, // quotes no line (paket)
		{Description: "Mesin tenun", Volume: 6, Unit: "unit"},
		{Description: "Instalasi pengolahan air limbah", Volume: 1, Unit: "paket"},
	}
	tapisRAB := []BudgetLine{
		bl("mesin_peralatan", "Alat tenun bukan mesin (ATBM) kain tapis", 20, "unit", 18_500_000),
		bl("mesin_peralatan", "Mesin bordir komputer 6 kepala", 5, "unit", 68_000_000),
	}
	tapisOutputs := []Output{{Description: "Alat tenun bukan mesin (ATBM)", Volume: 20, Unit: "unit"},
		{Description: "Mesin bordir komputer", Volume: 5, Unit: "unit"}}
	tests := []struct {
		name    string
		rab     []BudgetLine
		outputs []Output
		rk      []BudgetLine
		want    []Output
	}{
		{"no departure", rab, outputs, rab, outputs},
		{"machines 6 to 4 under another description", rab, outputs, []BudgetLine{
			bl("gedung_produksi", "Gedung", 1, "paket", 450_000_000),
			bl("mesin_peralatan", "Pengadaan mesin produksi", 4, "unit", 50_000_000),
			bl("ipal", "IPAL", 1, "paket", 150_000_000),
		}, []Output{outputs[0], {Description: "Mesin tenun", Volume: 4, Unit: "unit"}, outputs[2]}},
		{"IPAL dropped", rab, outputs, []BudgetLine{
			bl("gedung_produksi", "Gedung", 1, "paket", 450_000_000),
			bl("mesin_peralatan", "Mesin tenun", 6, "unit", 50_000_000),
		}, outputs[:2]},
		{"one of two machines of a category, by description", tapisRAB, tapisOutputs, []BudgetLine{
			bl("mesin_peralatan", "Alat tenun bukan mesin (ATBM) kain tapis", 20, "unit", 18_187_500),
			bl("mesin_peralatan", "Mesin bordir komputer 6 kepala", 4, "unit", 82_500_000),
		}, []Output{tapisOutputs[0], {Description: "Mesin bordir komputer", Volume: 4, Unit: "unit"}}},
		{"two machines of a category, described otherwise: kept", tapisRAB, tapisOutputs, []BudgetLine{
			bl("mesin_peralatan", "Peralatan tenun", 24, "unit", 20_000_000),
		}, tapisOutputs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, RKOutputs(tc.outputs, tc.rab, tc.rk)); diff != "" {
				t.Errorf("RKOutputs (-want +got):\n%s", diff)
			}
		})
	}
}
