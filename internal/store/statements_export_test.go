package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// recorders numbers the callbacks RecordStatements registers, whose names
// must differ.
var recorders atomic.Int64

// RecordStatements records the SQL of every statement gorm sends through
// s's pools that write — the main one and, on PostgreSQL, those of
// transactions that carry a value (InValueTx), such as an upload's — until
// stop is called, which removes the recorder and returns them in order:
// for tests that count a path's round trips. BEGIN and COMMIT do not pass
// gorm's callbacks and are not recorded.
func (s *Store) RecordStatements() (stop func() []string) {
	var (
		mu      sync.Mutex
		records []string
	)
	record := func(db *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		records = append(records, db.Statement.SQL.String())
	}
	name := fmt.Sprintf("test:record_%d", recorders.Add(1))
	var pools []*gorm.DB
	for _, db := range []*gorm.DB{s.db, s.values, s.large} {
		if db == nil || slices.Contains(pools, db) {
			continue
		}
		pools = append(pools, db)
		cb := db.Callback()
		for _, err := range []error{cb.Create().After("*").Register(name, record), cb.Query().After("*").Register(name, record),
			cb.Update().After("*").Register(name, record), cb.Delete().After("*").Register(name, record),
			cb.Row().After("*").Register(name, record), cb.Raw().After("*").Register(name, record)} {
			if err != nil {
				panic(err)
			}
		}
	}
	return func() []string {
		for _, db := range pools {
			cb := db.Callback()
			for _, p := range []interface{ Remove(string) error }{cb.Create(), cb.Query(), cb.Update(), cb.Delete(), cb.Row(), cb.Raw()} {
				_ = p.Remove(name)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		return records
	}
}

// StatementsOf runs fn and returns what RecordStatements recorded meanwhile.
func (s *Store) StatementsOf(fn func()) []string {
	stop := s.RecordStatements()
	fn()
	return stop()
}

// SetMaxVars lowers the values one statement binds, for a test of the
// chunking; the returned func restores it.
func SetMaxVars(n int) (restore func()) {
	old := maxVars
	maxVars = n
	return func() { maxVars = old }
}

// GenericPlan is PostgreSQL's generic plan of sql (as RecordStatements
// recorded it, $1 … for its parameters, of types paramTypes) executed
// with args: the plan a pooled connection keeps for the statement once it
// has run it five times. It runs on a connection of the main pool, with
// that pool's session settings.
func (s *Store) GenericPlan(ctx context.Context, sql, paramTypes string, args string) (string, error) {
	var plan []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`PREPARE generic_plan_probe(` + paramTypes + `) AS ` + sql).Error; err != nil {
			return err
		}
		defer tx.Exec(`DEALLOCATE generic_plan_probe`)
		if err := tx.Exec(`SET LOCAL plan_cache_mode = force_generic_plan`).Error; err != nil {
			return err
		}
		return tx.Raw(`EXPLAIN EXECUTE generic_plan_probe(` + args + `)`).Scan(&plan).Error
	})
	return strings.Join(plan, "\n"), err
}
