// Package migrations holds the numbered SQL schema changes for PostgreSQL
// and SQLite, embedded so that the binary migrates its own database.
package migrations

import "embed"

// FS holds postgres/NNNN_name.sql and sqlite/NNNN_name.sql, same names in both.
//
//go:embed postgres sqlite
var FS embed.FS
