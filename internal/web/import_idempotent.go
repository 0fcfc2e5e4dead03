package web

import (
	"context"
	"sync"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

// An import's commit (?commit=1 of POST /api/v1/proposals/import and POST
// /api/v1/sentra/import) takes an optional Idempotency-Key as a filing
// does: a retry with the same key and the same file answers what the
// first commit created (201, the same body, Idempotent-Replayed: true) and
// imports nothing; the key reused for another file or the other import is
// 400. A dry run saves nothing, so its key is only checked for form
// (idempotencyKey) and never looked up or saved.

// importRequestHash is what an import's commit asked for (requestHash):
// which import, and the file's bytes. The file's name and the multipart
// boundary change nothing of what it imports; commit is always 1 here.
func importRequestHash(kind store.ImportKind, data []byte) string {
	return requestHash([]byte("impor "+string(kind)), []workflow.Upload{{Kind: string(kind), Data: data}})
}

// committedReport is a commit's answer, made of what it created (ids, in
// the file's order) as a retry's is rebuilt from its key's stored ids, so
// that the two agree: a commit imports every row of a file without a bad
// cell, so rows, valid and imported are all len(ids).
func committedReport(ids []int64) ImportReport {
	n := len(ids)
	return ImportReport{Rows: n, Valid: n, Errors: []dak.FieldError{}, Committed: true, Imported: n, IDs: ids}
}

// importOnce runs an import of kind, run, for u: a commit under u's
// Idempotency-Key key ("" for none) of the file data is hashed into key's
// ImportKey; a dry run's key is dropped, as a dry run saves nothing. A key
// answered already is that answer again (replayed) before the file is read
// or checked — a check would now find the first commit's records; a key
// answered for another request is 400. When run is refused or fails and
// the key was answered meanwhile for this same request (a retry that raced
// its first commit: it met the records or the key the first one saved),
// that answer is this one's; run may find that answer itself (replayed).
// release (the import slot) is let go before any answer.
func (s *Server) importOnce(ctx context.Context, u dak.User, kind store.ImportKind, key string, commit bool, data []byte,
	release func(), run func(release func(), key workflow.ImportKey) (ImportReport, bool, error)) (ImportReport, bool, error) {
	release = sync.OnceFunc(release)
	defer release()
	if key == "" || !commit {
		return run(release, workflow.ImportKey{})
	}
	hash := importRequestHash(kind, data)
	ids, found, err := s.store.ImportedUnder(ctx, u.ID, key, hash, kind)
	switch {
	case err != nil:
		return ImportReport{}, false, err
	case found:
		return committedReport(ids), true, nil
	}
	rep, replayed, err := run(release, workflow.ImportKey{Key: key, RequestHash: hash})
	if err != nil {
		if ids, found, rerr := s.store.ImportedUnder(ctx, u.ID, key, hash, kind); rerr == nil && found {
			return committedReport(ids), true, nil
		}
	}
	return rep, replayed, err
}
