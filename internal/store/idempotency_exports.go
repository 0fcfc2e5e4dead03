package store

import (
	"context"

	"dakflow/internal/dak"
)

// A trail export (POST /api/v1/trail-exports) takes an Idempotency-Key as
// a filing does: its answer is the export it queued (migration 0024),
// saved in the transaction that queues it, so that a retry never sees the
// job without its answer nor queues the costly job twice.

// CreateTrailExportOnce is CreateTrailExport under e.RequestedBy's
// Idempotency-Key (key, "" for none, with requestHash, the scope the
// request asked for): a retry answers in e the export the first request
// queued, as it is now (replayed), and queues nothing, records nothing in
// the access log and is not counted against maxOpen; the key answered for
// another request is ErrInvalid. On SQLite a retry sent while the first
// request runs waits for its write lock and replays; on PostgreSQL it may
// instead meet the key the first one saved (ErrConflict) or the cap its
// export filled (ErrTooMany): the key is then read again, and replayed
// when answered for this request.
func (s *Store) CreateTrailExportOnce(ctx context.Context, e *dak.TrailExport, maxOpen int, request *dak.Access,
	key, requestHash string) (replayed bool, err error) {
	if key == "" {
		return false, s.CreateTrailExport(ctx, e, maxOpen, request)
	}
	var got dak.TrailExport
	err = s.InTx(ctx, func(tx *Tx) error {
		// Looked for before the cap is counted: a replay queues nothing.
		prev, found, err := tx.exportedUnder(e.RequestedBy, key, requestHash)
		if err != nil || found {
			got, replayed = prev, found
			return err
		}
		queued := *e
		if err := tx.createTrailExport(&queued, maxOpen, request); err != nil {
			return err
		}
		if err := tx.saveIdempotentExport(e.RequestedBy, key, requestHash, queued.ID); err != nil {
			return err
		}
		// The first answer is read back from its row as every replay will
		// be, so that the two are the same.
		got, err = readTrailExport(tx.db, queued.ID)
		return err
	})
	if err != nil {
		// A retry that raced the first request: that answer is this one's.
		found := false
		if rerr := s.ReadTx(ctx, func(tx *Tx) (rerr error) {
			got, found, rerr = tx.exportedUnder(e.RequestedBy, key, requestHash)
			return rerr
		}); rerr != nil || !found {
			return false, err
		}
		replayed = true
	}
	*e = got
	return replayed, nil
}

// exportedUnder reads the export that user userID's request under key queued, when that
// request asked for requestHash: found is false while the key has no
// answer; a key answered for anything else is ErrInvalid.
func (tx *Tx) exportedUnder(userID int64, key, requestHash string) (dak.TrailExport, bool, error) {
	prev, err := tx.IdempotentReply(userID, key)
	if err != nil || prev == nil {
		return dak.TrailExport{}, false, err
	}
	if prev.Export == 0 || prev.RequestHash != requestHash {
		return dak.TrailExport{}, false, keyReused()
	}
	e, err := readTrailExport(tx.db, prev.Export)
	return e, err == nil, err
}

// saveIdempotentExport records that the answer to (user, key) is the
// export exportID, queued in this transaction (SaveIdempotentReply's
// rules).
func (tx *Tx) saveIdempotentExport(userID int64, key, requestHash string, exportID int64) error {
	return savedKey(tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, trail_export_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, userID, key, requestHash, exportID, tx.now).Error)
}
