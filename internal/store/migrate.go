package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one numbered schema change and whether it is applied.
type Migration struct {
	Version   int
	Name      string
	AppliedAt *time.Time
}

// migrations lists the numbered files for the store's engine.
func (s *Store) migrations(files fs.FS) ([]Migration, map[int]string, error) {
	dir := string(s.dialect)
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read migrations: %w", err)
	}
	var list []Migration
	paths := map[int]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		file := path.Join(dir, e.Name())
		if other, dup := paths[v]; dup {
			// One would silently replace the other: refuse both.
			return nil, nil, fmt.Errorf("migrations %s and %s have the same version %d: renumber one", other, file, v)
		}
		list = append(list, Migration{Version: v, Name: e.Name()})
		paths[v] = file
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	return list, paths, nil
}

func (s *Store) ensureMigrationTable(ctx context.Context) error {
	return s.db.WithContext(ctx).Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`).Error
}

// MigrationStatus lists every migration with when it was applied.
func (s *Store) MigrationStatus(ctx context.Context, files fs.FS) ([]Migration, error) {
	list, _, err := s.migrations(files)
	if err != nil {
		return nil, err
	}
	if err := s.ensureMigrationTable(ctx); err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	type row struct {
		Version   int
		AppliedAt time.Time
	}
	var rows []row
	if err := s.db.WithContext(ctx).Raw(`SELECT version, applied_at FROM schema_migrations`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	applied := map[int]time.Time{}
	for _, r := range rows {
		applied[r.Version] = r.AppliedAt
	}
	for i := range list {
		if at, ok := applied[list[i].Version]; ok {
			at := at
			list[i].AppliedAt = &at
		}
	}
	return list, nil
}

// Pending counts migrations not yet applied; serve refuses to run on an
// old schema.
func (s *Store) Pending(ctx context.Context, files fs.FS) (int, error) {
	list, err := s.MigrationStatus(ctx, files)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range list {
		if m.AppliedAt == nil {
			n++
		}
	}
	return n, nil
}

// Migrate applies every pending migration, each in its own transaction,
// and returns the ones it applied. Concurrent callers on PostgreSQL are
// serialised by an advisory lock.
func (s *Store) Migrate(ctx context.Context, files fs.FS) ([]Migration, error) {
	_, paths, err := s.migrations(files)
	if err != nil {
		return nil, err
	}
	if s.dialect == Postgres {
		pool, err := s.db.DB()
		if err != nil {
			return nil, err
		}
		conn, err := pool.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727001)`); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		// The lock belongs to the session, which stays open in the pool
		// after conn is returned to it: unlock it explicitly.
		defer func() { _, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(727001)`) }()
	}
	list, err := s.MigrationStatus(ctx, files)
	if err != nil {
		return nil, err
	}
	var done []Migration
	for _, m := range list {
		if m.AppliedAt != nil {
			continue
		}
		body, err := fs.ReadFile(files, paths[m.Version])
		if err != nil {
			return done, err
		}
		err = s.InTx(ctx, func(tx *Tx) error {
			for _, stmt := range splitSQL(string(body)) {
				if err := tx.db.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%s: %w", firstLine(stmt), err)
				}
			}
			return tx.db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, tx.now).Error
		})
		if err != nil {
			return done, fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		now := s.Now()
		m.AppliedAt = &now
		done = append(done, m)
	}
	return done, nil
}

// splitSQL splits a migration on semicolons at line ends. Two kinds of
// body hold semicolons of their own and end at their closing line instead:
// a dollar-quoted PostgreSQL function body ($$ … $$;) and an SQLite trigger
// body (CREATE TRIGGER … BEGIN on its own line or at a line end … END;).
func splitSQL(body string) []string {
	var out []string
	var cur strings.Builder
	inDollar, inTrigger := false, false
	for _, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if !inDollar && (strings.HasPrefix(trimmed, "--") || trimmed == "") {
			continue
		}
		if strings.Count(line, "$$")%2 == 1 {
			inDollar = !inDollar
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		upper := strings.ToUpper(trimmed)
		if !inTrigger && (upper == "BEGIN" || strings.HasSuffix(upper, " BEGIN")) &&
			strings.HasPrefix(strings.ToUpper(strings.TrimSpace(cur.String())), "CREATE TRIGGER") {
			inTrigger = true
		}
		end := !inDollar && strings.HasSuffix(trimmed, ";")
		if inTrigger {
			end = upper == "END;"
		}
		if end {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
			inTrigger = false
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
