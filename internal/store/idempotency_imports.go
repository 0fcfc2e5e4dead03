package store

import (
	"context"
	"encoding/json"
	"fmt"

	"dakflow/internal/dak"
)

// A bulk import's commit (POST /api/v1/proposals/import and POST
// /api/v1/sentra/import with commit=1) takes an Idempotency-Key as a
// filing does: its answer is what it created, the ids of its drafts or of
// its sentra in the file's order (migration 0023), saved in the
// transaction that creates them, so that a retry never sees the import
// without its answer nor imports the workbook twice.

// ImportKind names what an import's commit created.
type ImportKind string

// The two imports that write.
const (
	ImportedProposals ImportKind = "usulan" // drafts (POST /api/v1/proposals/import)
	ImportedSentra    ImportKind = "sentra" // registry records (POST /api/v1/sentra/import)
)

// column is the idempotency_keys column that holds an answer of the kind.
func (k ImportKind) column() string {
	if k == ImportedSentra {
		return "imported_sentra_ids"
	}
	return "imported_proposal_ids"
}

// ImportedUnder returns what u's import of kind under key created, when
// that commit asked for requestHash: found is false while the key has no
// answer; a key answered for anything else is ErrInvalid, as any route
// refuses a reused key.
func (s *Store) ImportedUnder(ctx context.Context, userID int64, key, requestHash string, kind ImportKind) (ids []int64, found bool, err error) {
	err = s.ReadTx(ctx, func(tx *Tx) error {
		ids, found, err = tx.ImportedUnder(userID, key, requestHash, kind)
		return err
	})
	return ids, found, err
}

// ImportedUnder is Store.ImportedUnder inside tx: an import's commit looks
// for its key's answer in the transaction that would save it.
func (tx *Tx) ImportedUnder(userID int64, key, requestHash string, kind ImportKind) ([]int64, bool, error) {
	prev, err := tx.IdempotentReply(userID, key)
	if err != nil || prev == nil {
		return nil, false, err
	}
	if prev.Import != kind || prev.RequestHash != requestHash {
		return nil, false, keyReused()
	}
	return prev.Imported, true, nil
}

// SaveIdempotentImport records that the answer to (user, key) is ids,
// created in this transaction by an import of kind (SaveIdempotentReply's
// rules).
func (tx *Tx) SaveIdempotentImport(userID int64, key, requestHash string, kind ImportKind, ids []int64) error {
	if ids == nil {
		ids = []int64{} // an answer all the same: the column is what says the key is answered
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("save idempotency key: %w", err)
	}
	return savedKey(tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, `+kind.column()+`, created_at)
		VALUES (?, ?, ?, ?, ?)`, userID, key, requestHash, string(list), tx.now).Error)
}

// ImportSentraOnce is ImportSentra under an Idempotency-Key (key, "" for
// none, with requestHash, what the request asked): a retry answers the
// ids the first commit registered (replayed) and registers nothing; the
// key answered for another request is ErrInvalid. On SQLite a retry sent
// while the first commit runs waits for its write lock and replays; on
// PostgreSQL it may instead meet the key saved meanwhile (ErrConflict) or
// the names it registered, which the caller resolves by reading the key
// again (ImportedUnder).
func (s *Store) ImportSentraOnce(ctx context.Context, ins []dak.SentraRecordInput, by dak.User, key, requestHash string) (ids []int64, replayed bool, err error) {
	if key == "" {
		ids, err = s.ImportSentra(ctx, ins, by)
		return ids, false, err
	}
	err = s.InTx(ctx, func(tx *Tx) error {
		prev, found, err := tx.ImportedUnder(by.ID, key, requestHash, ImportedSentra)
		if err != nil || found {
			ids, replayed = prev, found
			return err
		}
		if ids, err = tx.importSentra(ins, by); err != nil {
			return err
		}
		return tx.SaveIdempotentImport(by.ID, key, requestHash, ImportedSentra, ids)
	})
	if err != nil {
		return nil, false, err
	}
	return ids, replayed, nil
}
