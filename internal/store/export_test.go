package store

import (
	"fmt"
	"sync/atomic"

	"gorm.io/gorm"
)

var statementHooks atomic.Int64

// StatementsOf runs fn and returns the SQL of every statement the store's
// write pool ran through gorm meanwhile (BEGIN and COMMIT are not gorm
// statements and are left out). fn must be the store's only user.
func (s *Store) StatementsOf(fn func()) []string {
	name := fmt.Sprintf("test:statements:%d", statementHooks.Add(1))
	var sqls []string
	record := func(db *gorm.DB) { sqls = append(sqls, db.Statement.SQL.String()) }
	cb := s.db.Callback()
	for _, p := range []interface {
		Register(string, func(*gorm.DB)) error
	}{
		cb.Create().After("*"), cb.Query().After("*"), cb.Update().After("*"),
		cb.Delete().After("*"), cb.Row().After("*"), cb.Raw().After("*"),
	} {
		if err := p.Register(name, record); err != nil {
			panic(err)
		}
	}
	defer func() {
		for _, p := range []interface{ Remove(string) error }{cb.Create(), cb.Query(), cb.Update(), cb.Delete(), cb.Row(), cb.Raw()} {
			_ = p.Remove(name)
		}
	}()
	fn()
	return sqls
}

// SetMaxVars lowers the values one statement binds, for a test of the
// chunking; the returned func restores it.
func SetMaxVars(n int) (restore func()) {
	old := maxVars
	maxVars = n
	return func() { maxVars = old }
}
