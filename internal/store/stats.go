package store

import "database/sql"

// PoolStats reports the connection pools of the store by name, for the
// metrics of /metrics: "main" is the one pool every query goes through
// (on SQLite a single connection, so that writers queue).
func (s *Store) PoolStats() map[string]sql.DBStats {
	return map[string]sql.DBStats{"main": s.sqlDB.Stats()}
}
