package store

import "fmt"

// NextNumber draws the next number of a kind for a year from its counter
// row, inside the caller's transaction: unique and gapless even with many
// server processes, because a rolled-back transaction returns its number.
func (tx *Tx) NextNumber(kind string, year int) (int64, error) {
	var last int64
	err := tx.db.Raw(`INSERT INTO counters (kind, year, last) VALUES (?, ?, 1)
		ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + 1 RETURNING last`, kind, year).Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("next number %s/%d: %w", kind, year, err)
	}
	return last, nil
}
