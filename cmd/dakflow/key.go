package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"dakflow/internal/keyring"
	"dakflow/internal/store"
)

// openKeys opens the signing key ring outside the database, creating the
// key on first start. The key pair earlier versions kept in the database
// was exposed to every database operator and backup: migration 0006
// destroyed its private half, and here its public half is listed as retired
// (once, when the key list is created) so that what it signed still
// verifies; then the row is deleted.
func openKeys(ctx context.Context, cfg *config, st *store.Store) (*keyring.Keyring, error) {
	legacy, err := st.LegacySigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	var old []keyring.Legacy
	for _, k := range legacy {
		old = append(old, keyring.Legacy{PublicKey: k.PublicKey, CreatedAt: k.CreatedAt})
	}
	keys, err := keyring.Open(cfg.SigningKeyFile, old, st.Now)
	if err != nil {
		return nil, err
	}
	if len(legacy) > 0 {
		if err := st.DeleteLegacySigningKeys(ctx); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// cmdKey runs `key rotate` and `key list`.
func cmdKey(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "list") {
		return fmt.Errorf("key: want `key rotate` or `key list`: %w", errUsage)
	}
	fs := flag.NewFlagSet("key "+args[0], flag.ContinueOnError)
	cfg := newConfig(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := cfg.finish(); err != nil {
		return err
	}
	if args[0] == "list" {
		if _, err := os.Stat(cfg.SigningKeyFile); err != nil {
			return fmt.Errorf("key list: %w (serve creates the key on first start)", err)
		}
		keys, err := keyring.Open(cfg.SigningKeyFile, nil, nil)
		if err != nil {
			return err
		}
		l, err := keys.List()
		if err != nil {
			return err
		}
		for _, k := range l.Items {
			state := "current"
			if k.RetiredAt != nil {
				state = "retired " + k.RetiredAt.Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%s  %s  created %s  %s\n", k.KeyID, k.PublicKey, k.CreatedAt.Format(time.RFC3339), state)
		}
		return nil
	}
	old, cur, err := keyring.Rotate(cfg.SigningKeyFile, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "key %s retired; key %s signs from now on (%s)\n", old.KeyID, cur.KeyID, cfg.SigningKeyFile)
	fmt.Fprintf(stdout, "public key %s — announce it to the auditors; GET /api/v1/keys lists both\n", cur.PublicKey)
	return nil
}
