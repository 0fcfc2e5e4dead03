package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"dakflow/internal/dak"
)

const usage = `dakflow — alur kerja DAK Fisik Bidang IKM

Usage:
  dakflow serve                 run the web service and API
  dakflow migrate [up|status]   apply or list database migrations
  dakflow seed demo             load demo users, a fiscal year and proposals in every state
  dakflow user add --username U --role R [--region CODE] [--full-name N --nip NIP --position P] --password-stdin
                                (name, NIP and position required for roles that sign: pemda, verifier, approver, treasury)
  dakflow budget set --year Y --ceiling RUPIAH [--deadline YYYY-MM-DD] [--reason TEXT --legal-basis TEXT]
  dakflow workflow check [FILE] check workflow definitions (the embedded ones, or FILE)
  dakflow workflow diagram      print the workflow as a Mermaid diagram
  dakflow document sample KIND --out FILE.pdf   render a document kind from a fixture
  dakflow verify FILE.zip [--public-key KEY | --keys FILE [--key-id ID]] [--checkpoint FILE [--consistency-proof FILE]]
                                check an audit trail offline; exit 0 valid and signer pinned,
                                3 signature sound but key not checked, 1 mismatch, 2 bad input
  dakflow checkpoint            sign a checkpoint of the global log now; write it to the checkpoint dir
  dakflow key rotate|list       make a new signing key (the old one listed as retired), or list keys
  dakflow audit verify          check the whole database: every chain, event record, document,
                                state and the global log; names the first mismatch and exits 1
  dakflow bench transitions|deadline --url URL [--clients C] [--duration D] [--warmup W]
                                [--rate R] [--latencies FILE] [--json]

Configuration (flags override): DAKFLOW_DATABASE_URL (postgres://… or sqlite:PATH,
default sqlite:./data/dakflow.db), DAKFLOW_ADDR (:8080), DAKFLOW_BASE_URL,
DAKFLOW_DATA_DIR (./data), DAKFLOW_NUMBER_PATTERNS (kind=pattern;…),
DAKFLOW_SIGNERS_FILE (who signs each document kind; default the embedded one),
DAKFLOW_SIGNING_KEY_FILE (DATA_DIR/signing.key), DAKFLOW_CHECKPOINT_DIR (DATA_DIR/checkpoints),
DAKFLOW_CHECKPOINT_INTERVAL (10m), DAKFLOW_CHECKPOINT_WEBHOOK,
DAKFLOW_MAX_UPLOAD_BYTES (20971520), DAKFLOW_LOG_LEVEL (info).
`

// run is the whole program, callable from tests: args without the program
// name, the standard streams, and listening, which (when not nil) serve
// tells the address it listens on, for tests that listen on :0.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, listening func(addr string)) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr, listening)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout)
	case "seed":
		return cmdSeed(ctx, rest, stdout)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout)
	case "budget":
		return cmdBudget(ctx, rest, stdout)
	case "workflow":
		return cmdWorkflow(rest, stdout)
	case "document":
		return cmdDocument(rest, stdout)
	case "verify":
		return cmdVerify(rest, stdout)
	case "checkpoint":
		return cmdCheckpoint(ctx, rest, stdout)
	case "key":
		return cmdKey(ctx, rest, stdout)
	case "audit":
		return cmdAudit(ctx, rest, stdout)
	case "bench":
		return cmdBench(ctx, rest, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q: %w", cmd, errUsage)
}

var errUsage = errors.New("usage")

// exitCode: 2 for usage and invalid input, 3 for a trail whose signature
// is sound but whose key was not checked (verify), 1 otherwise.
func exitCode(err error) int {
	if errors.Is(err, errUnpinned) {
		return 3
	}
	if errors.Is(err, errUsage) || errors.Is(err, dak.ErrInvalid) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}
