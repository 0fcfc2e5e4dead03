package dak_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
)

// knownRegions stands in for the Kemendagri list: Kota Bandar Lampung and
// one of its kelurahan, and Kota Makassar with one of its own.
func knownRegions(code string) bool {
	return slices.Contains([]string{"18", "18.71", "18.71.01.1003", "73", "73.71", "73.71.01.1001"}, code)
}

// now is 22 November 2026, 10.00 WIB.
var now = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)

func validRecord() dak.SentraRecordInput {
	lat, lon, year := -5.41, 105.26, 1998
	return dak.SentraRecordInput{Name: " Sentra Tenun Tapis ", Commodity: "Tenun tapis", VillageCode: "18.71.01.1003",
		Address: "Jalan Way Halim No. 5", Latitude: &lat, Longitude: &lon, IKMUnits: 15, Workers: 60,
		DecreeNumber: "500/123/IV.40/2019", DecreeDate: "2019-03-01", EstablishedYear: &year}
}

func fieldsOf(err error) []string {
	de, ok := dak.AsError(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range de.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestSentraRecordValidate(t *testing.T) {
	pemda := dak.User{Role: dak.RolePemda, RegionCode: "18.71"}
	verifier := dak.User{Role: dak.RoleVerifier}
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		user     dak.User
		creating bool
		edit     func(in *dak.SentraRecordInput)
		want     []string // fields named, in order
	}{
		{"valid for the pemda", pemda, true, func(*dak.SentraRecordInput) {}, nil},
		{"valid for a verifier", verifier, true, func(*dak.SentraRecordInput) {}, nil},
		{"the pemda's own region named", pemda, true, func(in *dak.SentraRecordInput) { in.RegionCode = "18.71" }, nil},
		{"another region for the pemda", pemda, true, func(in *dak.SentraRecordInput) { in.RegionCode = "73.71" }, []string{"region_code"}},
		{"desa outside the region", pemda, true, func(in *dak.SentraRecordInput) { in.VillageCode = "73.71.01.1001" }, []string{"village_code"}},
		{"desa outside a named region", verifier, true, func(in *dak.SentraRecordInput) { in.RegionCode = "73.71" }, []string{"village_code"}},
		{"desa in a province's region", verifier, true, func(in *dak.SentraRecordInput) { in.RegionCode = "18" }, nil},
		{"unknown desa", pemda, true, func(in *dak.SentraRecordInput) { in.VillageCode = "18.71.01.1999" }, []string{"village_code"}},
		{"malformed desa", pemda, true, func(in *dak.SentraRecordInput) { in.VillageCode = "18.71.01" }, []string{"village_code"}},
		{"unknown region", verifier, true, func(in *dak.SentraRecordInput) { in.RegionCode = "18.99" }, []string{"region_code"}},
		{"a kecamatan as region", verifier, true, func(in *dak.SentraRecordInput) { in.RegionCode = "18.71.01" }, []string{"region_code"}},
		{"required text missing", pemda, true, func(in *dak.SentraRecordInput) { in.Name, in.Commodity, in.VillageCode = " ", "", "" },
			[]string{"name", "commodity", "village_code"}},
		{"coordinate outside Indonesia", pemda, true, func(in *dak.SentraRecordInput) { in.Latitude, in.Longitude = f(35.68), f(139.69) },
			[]string{"latitude"}},
		{"longitude outside Indonesia", pemda, true, func(in *dak.SentraRecordInput) { in.Longitude = f(151.2) }, []string{"longitude"}},
		{"NaN latitude", pemda, true, func(in *dak.SentraRecordInput) { in.Latitude = f(math.NaN()) }, []string{"latitude"}},
		{"latitude alone", pemda, true, func(in *dak.SentraRecordInput) { in.Longitude = nil }, []string{"longitude"}},
		{"no position at all", pemda, true, func(in *dak.SentraRecordInput) { in.Latitude, in.Longitude = nil, nil }, nil},
		{"negative counts", pemda, true, func(in *dak.SentraRecordInput) { in.IKMUnits, in.Workers = -1, -5 }, []string{"ikm_units", "workers"}},
		{"too many workers", pemda, true, func(in *dak.SentraRecordInput) { in.Workers = dak.MaxWorkers + 1 }, []string{"workers"}},
		{"decree in the future", pemda, true, func(in *dak.SentraRecordInput) { in.DecreeDate = "2026-11-23" }, []string{"decree_date"}},
		{"impossible decree date", pemda, true, func(in *dak.SentraRecordInput) { in.DecreeDate = "2026-02-30" }, []string{"decree_date"}},
		{"established next year", pemda, true, func(in *dak.SentraRecordInput) { y := 2027; in.EstablishedYear = &y }, []string{"established_year"}},
		{"established before 1900", pemda, true, func(in *dak.SentraRecordInput) { y := 1899; in.EstablishedYear = &y }, []string{"established_year"}},
		{"status date today (WIB)", pemda, true, func(in *dak.SentraRecordInput) { in.StatusDate = "2026-11-22" }, nil},
		{"status date in the future", pemda, true, func(in *dak.SentraRecordInput) { in.StatusDate = "2026-11-23" }, []string{"status_date"}},
		{"unknown status", pemda, true, func(in *dak.SentraRecordInput) { in.Status = "mati" }, []string{"status"}},
		{"NUL byte", pemda, true, func(in *dak.SentraRecordInput) { in.Name = "Sentra\x00" }, []string{"name"}},
		{"invalid UTF-8", pemda, true, func(in *dak.SentraRecordInput) { in.Address = "Jalan \xff" }, []string{"address"}},
		{"text too long", pemda, true, func(in *dak.SentraRecordInput) { in.Commodity = strings.Repeat("é", dak.MaxSentraText+1) },
			[]string{"commodity"}},
		{"status in an edit", pemda, false, func(in *dak.SentraRecordInput) { in.Status, in.StatusBasis = "aktif", "x" },
			[]string{"status", "status_basis"}},
		{"an edit without status", pemda, false, func(*dak.SentraRecordInput) {}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validRecord()
			tt.edit(&in)
			err := in.Validate(tt.user, now, knownRegions, tt.creating)
			if diff := cmp.Diff(tt.want, fieldsOf(err)); diff != "" {
				t.Errorf("Validate fields (-want +got):\n%s\n%v", diff, err)
			}
			if tt.want == nil && err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
		})
	}
}

// TestSentraRecordDefaults: what a record may leave out is filled.
func TestSentraRecordDefaults(t *testing.T) {
	in := validRecord()
	if err := in.Validate(dak.User{Role: dak.RoleAdmin}, now, knownRegions, true); err != nil {
		t.Fatal(err)
	}
	got := []string{in.Name, in.RegionCode, string(in.Status), in.StatusDate, in.StatusBasis}
	want := []string{"Sentra Tenun Tapis", "18.71", "aktif", "2026-11-22", dak.DefaultSentraBasis}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("filled record (-want +got):\n%s", diff)
	}
	pemda := validRecord()
	if err := pemda.Validate(dak.User{Role: dak.RolePemda, RegionCode: "18"}, now, knownRegions, true); err != nil || pemda.RegionCode != "18" {
		t.Errorf("a province's pemda: region %q, %v; want its own, 18", pemda.RegionCode, err)
	}
}

func TestSentraStatusValidate(t *testing.T) {
	tests := []struct {
		in   dak.SentraStatusInput
		want []string
	}{
		{dak.SentraStatusInput{Status: "kurang_aktif", Date: "2026-11-22", Basis: "Pendataan ulang 2026", Note: "baris 1\nbaris 2"}, nil},
		{dak.SentraStatusInput{Status: "hidup", Date: "2026-11-23", Basis: " "}, []string{"status", "date", "basis"}},
		{dak.SentraStatusInput{Status: "aktif", Basis: "Kunjungan"}, []string{"date"}},
		{dak.SentraStatusInput{Status: "aktif", Date: "22-11-2026", Basis: "Kunjungan\x00", Note: strings.Repeat("x", dak.MaxSentraNote+1)},
			[]string{"date", "basis", "note"}},
	}
	for _, tt := range tests {
		err := tt.in.Validate(now)
		if diff := cmp.Diff(tt.want, fieldsOf(err)); diff != "" {
			t.Errorf("Validate(%+v) fields (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSentraRights(t *testing.T) {
	tests := []struct {
		user             dak.User
		register, status bool
	}{
		{dak.User{Role: dak.RolePemda, RegionCode: "18.71"}, true, true},
		{dak.User{Role: dak.RolePemda, RegionCode: "73.71"}, false, false},
		{dak.User{Role: dak.RoleVerifier}, true, true},
		{dak.User{Role: dak.RoleAdmin}, true, false},
		{dak.User{Role: dak.RoleApprover}, false, false},
		{dak.User{Role: dak.RoleAuditor}, false, false},
	}
	for _, tt := range tests {
		if got := tt.user.MayRegisterSentra("18.71"); got != tt.register {
			t.Errorf("%+v.MayRegisterSentra(18.71) = %v, want %v", tt.user, got, tt.register)
		}
		if got := tt.user.MayRecordSentraStatus("18.71"); got != tt.status {
			t.Errorf("%+v.MayRecordSentraStatus(18.71) = %v, want %v", tt.user, got, tt.status)
		}
	}
}

func TestSentraStatusLabels(t *testing.T) {
	for _, s := range dak.SentraStatuses {
		got, err := dak.ParseSentraStatus(string(s))
		if err != nil || got != s || s.Label() == string(s) {
			t.Errorf("ParseSentraStatus(%q) = %q, %v; label %q", s, got, err, s.Label())
		}
	}
	if dak.SentraKurangAktif.Label() != "Kurang aktif" {
		t.Errorf("label of kurang_aktif = %q", dak.SentraKurangAktif.Label())
	}
	if _, err := dak.ParseSentraStatus("Aktif"); err == nil {
		t.Error("ParseSentraStatus(Aktif) accepted a label for a status")
	}
	for in, want := range map[float64]string{-5.14: "-5,14", 105.26: "105,26", 120: "120"} {
		if got := dak.FormatCoordinate(in); got != want {
			t.Errorf("FormatCoordinate(%v) = %q, want %q", in, got, want)
		}
	}
}
