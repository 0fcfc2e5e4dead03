package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"dakflow/internal/dak"
	"dakflow/internal/keyring"
	"dakflow/internal/store"
	"dakflow/internal/translog"
	"dakflow/internal/workflow"
	"dakflow/workflows"
)

// errMismatch is what audit verify returns when the database does not
// hold together; main exits 1.
var errMismatch = errors.New("mismatch")

// cmdAudit runs `audit verify`: the whole-database check of PRODUCT.md §5.
// It prints every finding, one a line, first mismatch first, and fails
// naming the first; when all is sound it prints a summary and exits 0.
func cmdAudit(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("audit: want `audit verify`: %w", errUsage)
	}
	flags := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	cfg := newConfig(flags)
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	if err := cfg.finish(); err != nil {
		return err
	}
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		return err
	}
	initial := map[string]string{}
	for name, d := range defs {
		initial[name] = d.Initial
	}
	st, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Audit(ctx, store.AuditOptions{Initial: initial})
	if err != nil {
		return err
	}
	findings := make([]string, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		findings = append(findings, f.String())
	}

	// The global log and its checkpoints: the transparency log's own check.
	logFinding, logSummary, err := checkLog(ctx, cfg, st)
	if err != nil {
		return err
	}
	if logFinding != "" {
		findings = append(findings, logFinding)
	}

	for _, f := range findings {
		fmt.Fprintf(stdout, "MISMATCH %s\n", f)
	}
	fmt.Fprintf(stdout, "checked %d proposals, %d events, %d documents (%d bytes)\n",
		rep.Proposals, rep.Events, rep.Documents, rep.DocumentBytes)
	for _, line := range logSummary {
		fmt.Fprintln(stdout, line)
	}
	if len(findings) > 0 {
		return fmt.Errorf("audit verify: %d mismatch(es), the first: %s: %w", len(findings), findings[0], errMismatch)
	}
	fmt.Fprintln(stdout, "sound: every chain links, every event's columns match its hashed record, every document's bytes match its hash and its event, every proposal's state matches its last event, and the global log matches its checkpoints")
	return nil
}

// checkLog runs the transparency log's own check (store.VerifyLogWith):
// the global log recomputed as a Merkle tree against its stored hashes and
// checkpoints, each checkpoint's signature against the public key list
// beside the signing key, and the newest checkpoint of the checkpoint
// directory as an outside witness. It only reads. A mismatch comes back as
// a finding; summary says what was checked and what could not be.
func checkLog(ctx context.Context, cfg *config, st *store.Store) (finding string, summary []string, err error) {
	var check store.LogCheck
	listPath := keyring.ListPath(cfg.SigningKeyFile)
	switch b, err := os.ReadFile(listPath); {
	case errors.Is(err, fs.ErrNotExist):
		summary = append(summary, "note: no key list at "+listPath+": checkpoint signatures and the checkpoint directory were not checked")
	case err != nil:
		return "", nil, err
	default:
		list, err := keyring.ParseList(b)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", listPath, err)
		}
		if check.Keys, err = list.Verifiers(); err != nil {
			return "", nil, fmt.Errorf("%s: %w", listPath, err)
		}
		c, ok, err := translog.Dir(cfg.CheckpointDir).Latest(check.Keys)
		switch {
		case err != nil:
			return "global log: " + err.Error(), summary, nil
		case ok:
			check.Witnessed = []translog.Checkpoint{c}
		default:
			summary = append(summary, "note: no checkpoint in "+cfg.CheckpointDir+" to witness the log")
		}
	}
	rep, err := st.VerifyLogWith(ctx, check)
	if errors.Is(err, dak.ErrIntegrity) {
		return err.Error(), summary, nil
	}
	if err != nil {
		return "", nil, err
	}
	line := fmt.Sprintf("global log: %d leaves (%d events linked), %d stored checkpoints", rep.Leaves, rep.Linked, rep.Checkpoints)
	if check.Keys != nil {
		line += fmt.Sprintf(" with their signatures, %d witnessed from %s", rep.Witnessed, cfg.CheckpointDir)
	}
	return "", append([]string{line}, summary...), nil
}
