package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
	"dakflow/workflows"
)

func TestPageMoneyField(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want dak.Money
		bad  bool
	}{
		{"1250000000", 1_250_000_000, false}, {"1.250.000.000", 1_250_000_000, false}, {"Rp1.250.000,00", 1_250_000, false},
		{"Rp 15.000", 15_000, false}, {"", 0, false}, {"1,5", 0, true}, {"12.5", 0, true}, {"-100", 0, true}, {"satu", 0, true},
	} {
		var errs dak.Fields
		got := money(&errs, "x", tc.in)
		if got != tc.want || (len(errs) > 0) != tc.bad {
			t.Errorf("money(%q) = %d, errors %v; want %d, bad %v", tc.in, got, errs, tc.want, tc.bad)
		}
	}
}

func TestPageFieldLabel(t *testing.T) {
	for in, want := range map[string]string{
		"budget_lines[1].unit_price": "Rencana anggaran biaya (RAB), baris 2 — harga satuan",
		"data.notes[0].note":         "Catatan, baris 1 — catatan",
		"data.amount":                "Nilai",
		"sentra.village_code":        "Desa/kelurahan lokasi sentra",
		"data.checklist.prioritas":   "Daftar periksa",
		"data.checklist[2]":          "Daftar periksa, baris 3",
		"data.amount_reason":         "Alasan koreksi nilai",
		"data.departure_basis":       "Dasar persetujuan perbedaan dari RAB",
		"attachments.tor":            "Lampiran: Kerangka acuan kerja (TOR)",
	} {
		if got := fieldLabel(in); got != want {
			t.Errorf("fieldLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPageDiffLines(t *testing.T) {
	got := diffLines("RAB", []string{"a", "b", "c", "d"}, []string{"a", "c", "D", "e"})
	want := []diffRow{
		{Label: "RAB, baris 2 (lama)", Before: "b", Change: "hapus"},
		{Label: "RAB, baris 3", Before: "d", After: "D", Change: "ubah"},
		{Label: "RAB, baris 4", After: "e", Change: "tambah"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("diffLines (-want +got):\n%s", d)
	}
}

func TestPageCookieSecureOnHTTPS(t *testing.T) {
	for base, want := range map[string]bool{"https://dakflow.kemenperin.go.id": true, "http://127.0.0.1:8080": false} {
		p := &pages{s: &Server{cfg: Config{BaseURL: base}}}
		ck := p.cookie(sessionCookie, "x", time.Now().Add(time.Hour))
		if ck.Secure != want || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
			t.Errorf("cookie for %s = %+v, want Secure %v, HttpOnly, Lax, Path /", base, ck, want)
		}
	}
}

func TestPageDiagram(t *testing.T) {
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	d := defs["dak-fisik-ikm"]
	v := diagram(d, "rk_approved", map[string]bool{"draft": true, "submitted": true})
	if len(v.Nodes) != len(d.States) {
		t.Fatalf("diagram has %d boxes for %d states", len(v.Nodes), len(d.States))
	}
	seen := map[string]string{}
	for _, n := range v.Nodes {
		seen[n.Name] = n.Class
		if n.X < 0 || n.Y < 0 || n.X+n.W > v.Width || n.Y+n.H > v.Height {
			t.Errorf("box %s at (%d,%d) lies outside %dx%d", n.Name, n.X, n.Y, v.Width, v.Height)
		}
	}
	if !strings.Contains(seen["rk_approved"], "current") || !strings.Contains(seen["submitted"], "visited") || !strings.Contains(seen["completed"], "final") {
		t.Errorf("classes: %v", seen)
	}
	if len(v.Next) != 2 {
		t.Errorf("next steps from rk_approved = %v, want request_disbursement and lapse", v.Next)
	}
}
