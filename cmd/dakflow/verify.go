package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"dakflow/internal/trail"
)

// cmdVerify checks a trail ZIP offline and names the first mismatch.
func cmdVerify(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	key := fs.String("public-key", os.Getenv("DAKFLOW_TRAIL_KEY"), "the server's trail key (base64, from GET /api/v1/trail-key) to pin")
	if len(args) == 0 {
		return fmt.Errorf("verify: want `verify FILE.zip [--public-key KEY]`: %w", errUsage)
	}
	file, rest := args[0], args[1:]
	if err := fs.Parse(rest); err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	rep, err := trail.Verify(data, *key)
	if err != nil {
		return fmt.Errorf("%s: NOT VALID: %w", file, err)
	}
	m := rep.Manifest
	fmt.Fprintf(stdout, "%s: valid — proposal %s (%s), %d events, %d files, signed by %s\n",
		file, m.Proposal.Number, m.Proposal.State, m.Events, len(m.Files), rep.PublicKey)
	if !rep.Pinned {
		fmt.Fprintln(stdout, "note: the signing key was not pinned; pass --public-key from GET /api/v1/trail-key to be sure who signed it")
	}
	return nil
}
