package dbtest

import (
	"strings"
	"sync"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"dakflow/internal/store"
)

// urls remembers the database behind each store Open returned, for Attack.
var urls sync.Map // *store.Store → string

// Attacker is a second connection to a test database with its owner's
// rights and every append-only trigger switched off: a DBA set on
// rewriting history (issue 8). What it writes, the store must catch.
type Attacker struct {
	tb testing.TB
	db *gorm.DB
}

// Attack connects to st's database (opened by Open) as an attacker.
func Attack(tb testing.TB, st *store.Store) *Attacker {
	tb.Helper()
	url, ok := urls.Load(st)
	if !ok {
		tb.Fatal("dbtest.Attack: the store was not opened by dbtest.Open")
	}
	return AttackURL(tb, url.(string))
}

// AttackURL connects to the test database at url as an attacker: on
// PostgreSQL it disables the user triggers of every table that has some
// (ALTER TABLE … DISABLE TRIGGER USER, which the owner may do; the foreign
// keys stay), on SQLite it drops every trigger.
func AttackURL(tb testing.TB, url string) *Attacker {
	tb.Helper()
	var dial gorm.Dialector
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		dial = sqlite.Open(path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	} else {
		dial = postgres.Open(url)
	}
	db, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		tb.Fatalf("attacker: open %s: %v", url, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sqlDB.Close() })
	a := &Attacker{tb: tb, db: db}
	if dial.Name() == "sqlite" {
		var names []string
		a.must(db.Raw(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).Scan(&names).Error)
		for _, n := range names {
			a.Exec(`DROP TRIGGER "` + n + `"`)
		}
		return a
	}
	var tables []string
	a.must(db.Raw(`SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal`).Scan(&tables).Error)
	for _, t := range tables {
		a.Exec(`ALTER TABLE ` + t + ` DISABLE TRIGGER USER`)
	}
	return a
}

// Exec runs one tampering statement (? placeholders), failing the test if
// the database refuses it.
func (a *Attacker) Exec(sql string, args ...any) {
	a.tb.Helper()
	a.must(a.db.Exec(sql, args...).Error)
}

// Int reads one number (? placeholders), failing the test on error.
func (a *Attacker) Int(sql string, args ...any) int64 {
	a.tb.Helper()
	var n int64
	a.must(a.db.Raw(sql, args...).Scan(&n).Error)
	return n
}

func (a *Attacker) must(err error) {
	a.tb.Helper()
	if err != nil {
		a.tb.Fatalf("attacker: %v", err)
	}
}
