package store

import "fmt"

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
	tx.drawn = true
	err := tx.db.Raw(`INSERT INTO counters (kind, year, last) VALUES (?, ?, ?)
		ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + excluded.last RETURNING last`, kind, year, n).Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("next numbers %s/%d: %w", kind, year, err)
	}
	return last, nil
}

// Drawn reports whether the transaction drew a number (or tried to): it may
// hold a counter row until it ends, so it must never wait for another
// transaction's draw (the workflow's turn).
func (tx *Tx) Drawn() bool { return tx.drawn }
