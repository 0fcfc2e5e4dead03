package store

import (
	"fmt"
	"slices"
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
