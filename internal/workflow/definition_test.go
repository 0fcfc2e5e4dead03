package workflow

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"dakflow/workflows"
)

func TestShippedWorkflowIsValid(t *testing.T) {
	defs, err := LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	d := defs["dak-fisik-ikm"]
	if d == nil {
		t.Fatal("dak-fisik-ikm not loaded")
	}
	if len(d.States) != 18 || len(d.Events) != 18 || len(d.Checklist) != 9 {
		t.Errorf("states, events, checklist = %d, %d, %d; want 18, 18, 9", len(d.States), len(d.Events), len(d.Checklist))
	}
	for _, want := range []string{"stateDiagram-v2", "draft --> submitted : submit", "completed --> [*]"} {
		if !strings.Contains(d.Diagram, want) {
			t.Errorf("diagram lacks %q", want)
		}
	}
}

// TestCheckReportsEveryProblem breaks the shipped definition in several
// ways at once and expects each problem named: among them a guard, an
// action, a fact, a data field, a trigger and a document kind that Go has
// no code for, and an action without the guard it relies on.
func TestCheckReportsEveryProblem(t *testing.T) {
	data, err := os.ReadFile("../../workflows/dak-fisik-ikm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.NewReplacer(
		"guards: [comment_required]\n    actions: [sentra_not_built]\n    document: surat_penarikan", "guards: [no_such_guard]\n    document: surat_penarikan",
		"document: catatan_rk", "document: memo_rahasia",
		"roles: [treasury]", "roles: [bendahara]",
		"  - {name: lapsed, label: Hangus (tidak dapat disalurkan), final: true}", "  - {name: lapsed, label: Hangus (tidak dapat disalurkan), final: true}\n  - {name: limbo, label: Limbo}",
		"percent: 45", "percent: 95",
		"menus: [pembangunan]}", "menus: [pembangunan, rehabilitasi]}",
		"actions: [assign_reviewer]", "actions: [assign_reviewer, send_flowers]",
		"facts: [proposal_attachments]", "facts: [proposal_attachments, horoscope]",
		"data: [departure_basis]", "data: [departure_basis, mood]",
		"trigger: stage_deadline", "trigger: full_moon",
		"guards: [before_rk_deadline, rk_within_allocation, rk_within_category_limits]", "guards: [before_rk_deadline, rk_within_category_limits]",
		"guards: [comment_required]\n    actions: [sentra_not_built]\n    document: surat_tidak_dialokasikan", "guards: [comment_required]\n    facts: [stage]",
		"{name: rejected, label: Ditolak, final: true}", "{name: rejected, label: Ditolak, final: true, uploads: true}",
		"roles: [system]", "roles: [approver]",
		"to: in_review\n", "to: in_review\n    optional: true\n",
	).Replace(string(data))
	_, err = Parse([]byte(broken))
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("Parse(broken) = %v, want a *CheckError", err)
	}
	for _, want := range []string{
		`guard "no_such_guard" is unknown`,
		`document kind "memo_rahasia" is unknown`,
		`role "bendahara" is unknown`,
		`state "limbo" is a dead end but not final`,
		`state "limbo" cannot be reached`,
		`add up to 120%`,
		`checklist item "kesiapan_lahan": menu "rehabilitasi" is unknown`,
		`event "start_review": action "send_flowers" is unknown`,
		`event "submit": fact "horoscope" is unknown`,
		`event "approve_rk": data field "mood" is unknown`,
		`event "lapse": trigger "full_moon" is unknown`,
		`event "lapse": trigger "full_moon" fires as the system, but role system may not`,
		`event "submit_rk": action "record_rk" needs guard "rk_within_allocation"`,
		`event "decline": facts [stage] but no document states them`,
		`state "rejected" is final: nothing can be edited or attached there`,
		`state "submitted" waits for no one: every event leaving it is optional`,
	} {
		if !slices.ContainsFunc(ce.Problems, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("problems lack %q:\n%s", want, strings.Join(ce.Problems, "\n"))
		}
	}
}

// TestWaitingStates: a role's work waits where it may fire an event that
// is not optional; withdrawing (optional) puts nothing in the pemda's work,
// extending a deadline (optional) nothing in the approver's.
func TestWaitingStates(t *testing.T) {
	d := shipped(t)
	for role, want := range map[string][]string{
		"pemda":    {"draft", "needs_revision", "allocated", "rk_revision", "rk_approved", "tranche_disbursed", "disbursement_returned"},
		"verifier": {"submitted", "in_review", "rk_submitted"},
		"approver": {"recommended", "rk_submitted", "disbursement_requested"},
		"treasury": {"disbursement_recommended"},
		"system":   {"rk_approved", "disbursement_returned", "disbursement_requested", "tranche_disbursed"},
		"auditor":  nil,
	} {
		if got := d.WaitingStates(role); !slices.Equal(got, want) {
			t.Errorf("WaitingStates(%s) = %v, want %v", role, got, want)
		}
	}
}

func TestParseRejectsUnknownKeys(t *testing.T) {
	if _, err := Parse([]byte("name: x\nversion: 1\nunknown_key: 3\n")); err == nil {
		t.Fatal("Parse accepted an unknown key")
	}
}

func TestNumberingFormat(t *testing.T) {
	n, err := ParseNumbering("*=B-{seq}/IKMA/{KIND}/{ROMAN}/{YYYY}; surat_penolakan=S-{seq}/{MM}/{YYYY}")
	if err != nil {
		t.Fatal(err)
	}
	at := mustTime(t, "2026-11-22T20:00:00Z") // 23 November 2026 03.00 WIB
	for _, tc := range []struct{ kind, want string }{
		{"tanda_terima_usulan", "B-7/IKMA/TTU/XI/2026"},
		{"surat_penolakan", "S-7/11/2026"},
	} {
		if got := n.Format(tc.kind, 7, at); got != tc.want {
			t.Errorf("Format(%q) = %q, want %q", tc.kind, got, tc.want)
		}
	}
	if got := (Numbering(nil)).Format("catatan_rk", 12, at); got != "B-12/IKMA/DAK.CRK/11/2026" {
		t.Errorf("default Format = %q", got)
	}
	for _, bad := range []string{"surat_x=B-{seq}/{YYYY}", "surat_penolakan=B-1/{YYYY}", "nonsense",
		"*=B-{seq}/IKMA", "*=B-{seq}/IKMA/{YYYY}", "*=B-{seq}/{KIND}", "surat_penolakan=S-{seq}",
		"surat_penolakan=S-{seq}/{YYYY};catatan_rk=S-{seq}/{YYYY}"} {
		if _, err := ParseNumbering(bad); err == nil {
			t.Errorf("ParseNumbering(%q) accepted", bad)
		}
	}
}
