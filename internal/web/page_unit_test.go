package web

import (
	"net/http"
	"reflect"
	"slices"
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

// TestPageEventForms: each event of the shipped workflow gets its form from
// the fields of its data, the same form the table keyed by event name gave
// it before (eventForms, whose kinds recommend and complete are now
// recommendation and completion); and every field the forms are told apart
// by is a field of the event data.
func TestPageEventForms(t *testing.T) {
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]formKind{
		"recommend": formRecommendation, "request_revision": formNotes, "request_rk_revision": formNotes, "return_request": formNotes,
		"allocate": formAmount, "submit_rk": formRK, "request_disbursement": formStage, "record_disbursement": formSP2D,
		"complete": formCompletion, "extend_deadline": formExtension, "approve_rk": formRKApproval,
		// only a comment
		"submit": "", "withdraw": "", "start_review": "", "reject": "", "decline": "", "recommend_disbursement": "", "lapse": "",
	}
	d := defs["dak-fisik-ikm"]
	for _, ev := range d.Events {
		w, ok := want[ev.Name]
		if !ok {
			t.Errorf("event %q is new: say here which form it takes", ev.Name)
		}
		if got := formFor(ev); got != w {
			t.Errorf("formFor(%s) = %q, want %q", ev.Name, got, w)
		}
	}
	if len(d.Events) != len(want) {
		t.Errorf("the workflow has %d events, the table %d", len(d.Events), len(want))
	}
	fields := map[string]bool{}
	for f := range reflect.TypeFor[workflow.EventData]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fields[name] = true
	}
	for _, f := range forms {
		if !fields[f.field] {
			t.Errorf("forms names %q, which is no field of workflow.EventData", f.field)
		}
	}
}

// TestPageReviewStates: the verifier's queue lists, derived from the
// workflow, are those it always showed: proposals submitted or in review,
// and RKs submitted.
func TestPageReviewStates(t *testing.T) {
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	proposals, rks := reviewStates(defs["dak-fisik-ikm"])
	if !slices.Equal(proposals, []string{"submitted", "in_review"}) || !slices.Equal(rks, []string{"rk_submitted"}) {
		t.Errorf("reviewStates = %v, %v; want [submitted in_review], [rk_submitted]", proposals, rks)
	}
}

// TestPageStateFlags: in every state of the shipped workflow the pages'
// rules read from the definition agree with the event names they were
// written with: content editable where submit is open to the pemda, uploads
// where an event other than withdraw is, the submission deadline shown
// where submit is.
func TestPageStateFlags(t *testing.T) {
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	d := defs["dak-fisik-ikm"]
	for _, s := range d.States {
		var pemda []workflow.EventDef
		for _, ev := range d.Events {
			if slices.Contains(ev.From, s.Name) && slices.Contains(ev.Roles, "pemda") {
				pemda = append(pemda, ev)
			}
		}
		named := func(name string) bool {
			return slices.ContainsFunc(pemda, func(ev workflow.EventDef) bool { return ev.Name == name })
		}
		other := slices.ContainsFunc(pemda, func(ev workflow.EventDef) bool { return ev.Name != "withdraw" })
		deadline := slices.ContainsFunc(pemda, func(ev workflow.EventDef) bool { return ev.Checks("before_deadline") })
		if d.Editable(s.Name) != named("submit") || d.Uploads(s.Name) != other || deadline != named("submit") {
			t.Errorf("state %s: editable %v, uploads %v, deadline %v; want %v, %v, %v", s.Name,
				d.Editable(s.Name), d.Uploads(s.Name), deadline, named("submit"), other, named("submit"))
		}
	}
}
