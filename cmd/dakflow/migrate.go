package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/migrations"
)

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg := newConfig(fs)
	action := "up"
	if len(args) > 0 && (args[0] == "up" || args[0] == "status") {
		action, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		action = fs.Arg(0)
	}
	if err := cfg.finish(); err != nil {
		return err
	}
	st, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	switch action {
	case "up":
		done, err := st.Migrate(ctx, migrations.FS)
		for _, m := range done {
			fmt.Fprintf(stdout, "applied %s\n", m.Name)
		}
		if err == nil && len(done) == 0 {
			fmt.Fprintln(stdout, "schema is up to date")
		}
		return err
	case "status":
		list, err := st.MigrationStatus(ctx, migrations.FS)
		if err != nil {
			return err
		}
		for _, m := range list {
			state := "pending"
			if m.AppliedAt != nil {
				state = "applied " + m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(stdout, "%04d  %-30s %s\n", m.Version, m.Name, state)
		}
		return nil
	}
	return dak.Errorf(dak.ErrInvalid, "migrate %q: want up or status", action)
}
