package store

import (
	"encoding/json"
	"fmt"
)

// NextNumber draws the next number of a kind for a year from its counter
// row, inside the caller's transaction: unique and gapless even with many
// server processes, because a rolled-back transaction returns its number.
func (tx *Tx) NextNumber(kind string, year int) (int64, error) {
	return tx.NextNumbers(kind, year, 1)
}

// NextNumbers draws the next n numbers of a kind for a year at once, as n
// NextNumber would, and answers the last of them.
func (tx *Tx) NextNumbers(kind string, year int, n int64) (int64, error) {
	if n < 1 {
		return 0, fmt.Errorf("next numbers %s/%d: %d numbers", kind, year, n)
	}
	var last int64
	err := tx.db.Raw(`INSERT INTO counters (kind, year, last) VALUES (?, ?, ?)
		ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + excluded.last RETURNING last`, kind, year, n).Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("next numbers %s/%d: %w", kind, year, err)
	}
	return last, nil
}

// numberWithVillage is NextNumber(kind, year) with the sentra registered in
// the desa villageCode (as villageSentra reads them), in one statement on
// PostgreSQL: a filing that registers its sentra checks the desa after
// its number is drawn, and a refusal is undone with the transaction.
func (tx *Tx) numberWithVillage(kind string, year int, villageCode string) (int64, []LinkedSentra, error) {
	var rows []struct {
		Last    int64
		Village string
	}
	err := tx.db.Raw(`WITH c AS (INSERT INTO counters (kind, year, last) VALUES (?, ?, 1)
			ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + 1 RETURNING last)
		SELECT c.last, COALESCE((SELECT json_agg(s ORDER BY s.id) FROM (SELECT `+linkedColumns+` FROM sentra
			WHERE village_code = ?) s), '[]') AS village FROM c`, kind, year, villageCode).Scan(&rows).Error
	if err == nil && len(rows) != 1 {
		err = fmt.Errorf("%d rows", len(rows))
	}
	if err != nil {
		return 0, nil, fmt.Errorf("next number %s/%d with the sentra of desa %s: %w", kind, year, villageCode, err)
	}
	var list []LinkedSentra
	if err := json.Unmarshal([]byte(rows[0].Village), &list); err != nil {
		return 0, nil, fmt.Errorf("sentra of desa %s: %w", villageCode, err)
	}
	return rows[0].Last, list, nil
}
