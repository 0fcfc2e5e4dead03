package main

import (
	"fmt"
	"strings"
	"testing"

	"dakflow/internal/store/dbtest"
)

// TestAuditVerify: `audit verify` passes the seeded demo with its signed
// checkpoint, then names every way an attacker with the database owner's
// rights rewrote it (issue 8), the first one first, and exits 1.
func TestAuditVerify(t *testing.T) {
	t.Parallel() // seeds the demo: the package's longest tests overlap (the CLI and its server keep no process-wide state)
	dbURL, dataDir := dbtest.URL(t), t.TempDir()
	for _, args := range [][]string{{"migrate", "up"}, {"seed", "demo"}, {"checkpoint", "--data-dir", dataDir}} {
		if out, err := runCLI(t, dbURL, "", args...); err != nil {
			t.Fatalf("%s = %v\n%s", args, err, out)
		}
	}
	out, err := runCLI(t, dbURL, "", "audit", "verify", "--data-dir", dataDir)
	// The demo's proposals, its lapsed one and those completed in earlier years (seed_sentra.go).
	demo := fmt.Sprintf("checked %d proposals", len(demoTargets)+1+len(pastCompletions))
	if err != nil || !strings.Contains(out, demo) || !strings.Contains(out, "1 witnessed") || !strings.Contains(out, "sound:") {
		t.Fatalf("audit verify on the demo = %v, want sound\n%s", err, out)
	}

	// One tampering per proposal, in proposal order, each as the issue
	// lists it.
	a := dbtest.AttackURL(t, dbURL)
	a.Exec(`UPDATE events SET comment = 'dipalsukan', actor_name = 'Orang Lain', data = '{"catatan": "palsu"}' WHERE proposal_id = 2 AND seq = 1`)
	last := a.Int(`SELECT MAX(seq) FROM events WHERE proposal_id = 3`)
	a.Exec(`DELETE FROM global_chain WHERE event_id = (SELECT id FROM events WHERE proposal_id = 3 AND seq = ?)`, last)
	a.Exec(`DELETE FROM events WHERE proposal_id = 3 AND seq = ?`, last)
	a.Exec(`DELETE FROM documents WHERE proposal_id = 3 AND event_seq = ?`, last)
	a.Exec(`UPDATE events SET document_id = NULL WHERE proposal_id = 4 AND seq = 1`)
	a.Exec(`DELETE FROM documents WHERE proposal_id = 4 AND event_seq = 1`)
	a.Exec(`UPDATE documents SET pdf = ? WHERE proposal_id = 5 AND event_seq = 1`, []byte("%PDF-1.4 palsu"))
	a.Exec(`UPDATE proposals SET state = 'rejected' WHERE id = 6`)

	out, err = runCLI(t, dbURL, "", "audit", "verify", "--data-dir", dataDir)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("audit verify after tampering = %v (exit %d), want exit 1\n%s", err, exitCode(err), out)
	}
	want := []string{
		"MISMATCH proposal 2 (USL-", "event 1: columns actor_name, comment, data differ from its hashed record",
		"MISMATCH proposal 3 (USL-", "but its last event",
		"MISMATCH proposal 4 (USL-", "event 1: its record hashes a document but it links none",
		"MISMATCH proposal 5 (USL-", "document bytes hash to",
		"MISMATCH proposal 6 (USL-", `proposal state is "rejected" but its last event`,
		"MISMATCH verify global log:",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("audit verify output lacks %q\n%s", w, out)
		}
	}
	if !strings.Contains(err.Error(), "the first: proposal 2 (") || !strings.Contains(err.Error(), "event 1: columns actor_name") {
		t.Errorf("audit verify error = %v, want it to name proposal 2 event 1 first", err)
	}
}
