package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// TestScanFormatsNoValues: gorm's Scan asks the dialector to write every
// statement out with its values (Explain) for a log line, whatever the
// logger; the pools' dialectors answer the statement alone, so a PDF or an
// upload passed to a statement is never formatted byte by byte to be
// thrown away. Every pool of both engines (PostgreSQL when
// DAKFLOW_TEST_POSTGRES_URL is set).
func TestScanFormatsNoValues(t *testing.T) {
	urls := []string{"sqlite:" + filepath.Join(t.TempDir(), "explain.db")}
	if u := os.Getenv("DAKFLOW_TEST_POSTGRES_URL"); u != "" {
		urls = append(urls, u)
	}
	pdf := []byte("%PDF-1.7 " + strings.Repeat("\x00\xff", 1<<10))
	for _, url := range urls {
		st, err := openPools(url)
		if err != nil {
			t.Fatal(err)
		}
		const sql = "INSERT INTO documents (pdf) VALUES (?)"
		for what, db := range map[string]*gorm.DB{"main": st.db, "read": st.read, "large": st.large, "values": st.values} {
			if got := db.Dialector.Explain(sql, pdf); got != sql {
				t.Errorf("%s %s pool explains a statement as %.80q…, want it without its values", st.dialect, what, got)
			}
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
