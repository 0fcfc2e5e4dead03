package main

import (
	"context"
	"fmt"
	"io/fs"

	"dakflow/internal/document"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
	"dakflow/migrations"
	"dakflow/templates"
	"dakflow/workflows"
)

// app is dakflow wired together: the store, the workflow definitions, the
// document renderer and the engine.
type app struct {
	store  *store.Store
	engine *workflow.Engine
}

// passwordCost, when set, is the bcrypt work factor of every password the
// CLI stores, the demo seed's included (0: the store's default, and
// seedPasswordCost for the seed). Tests set it to bcrypt.MinCost, as
// store/dbtest does for theirs: under -race a hash at cost 10 takes half
// a second, and the suite seeds the demo and logs its accounts in often.
var passwordCost int

// openApp connects to the database, applies pending migrations when
// migrate is true (else refuses an old schema) and loads everything the
// engine needs; every broken definition or template stops it here.
func openApp(ctx context.Context, cfg *config, migrate bool) (*app, error) {
	if err := cfg.finish(); err != nil {
		return nil, err
	}
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		return nil, err
	}
	docFS, err := fs.Sub(templates.FS, ".")
	if err != nil {
		return nil, err
	}
	opts, err := cfg.documentOptions()
	if err != nil {
		return nil, err
	}
	renderer, err := document.NewRenderer(docFS, opts)
	if err != nil {
		return nil, fmt.Errorf("document templates: %w", err)
	}
	if err := renderer.CheckSigners(workflow.FiredBy(defs)); err != nil {
		return nil, err
	}
	numbers, err := workflow.ParseNumbering(cfg.NumberPatterns)
	if err != nil {
		return nil, fmt.Errorf("DAKFLOW_NUMBER_PATTERNS: %w", err)
	}
	st, err := store.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if passwordCost != 0 {
		st.SetPasswordCost(passwordCost)
	}
	if migrate {
		if _, err := st.Migrate(ctx, migrations.FS); err != nil {
			st.Close()
			return nil, err
		}
	} else if n, err := st.Pending(ctx, migrations.FS); err != nil || n > 0 {
		st.Close()
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("database schema is %d migration(s) behind: run dakflow migrate up", n)
	}
	engine, err := workflow.NewEngine(defs, cfg.Workflow, st, renderer, numbers, cfg.BaseURL, cfg.MaxUploadBytes)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{store: st, engine: engine}, nil
}

func (a *app) Close() error { return a.store.Close() }
