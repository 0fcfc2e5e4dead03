package web

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/trail"
	"dakflow/internal/translog"
)

// The transparency log's public face (PRODUCT.md §5): the signing keys,
// the latest signed checkpoint and consistency proofs, all without a
// token, so that anyone can keep a copy away from the server.

// listKeys serves GET /api/v1/keys: every signing key, current and
// retired, from the key ring's file (never from the database), in the
// form `dakflow verify --keys FILE` reads.
func (s *Server) listKeys(c echo.Context) error {
	l, err := s.cfg.Keys.List()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// trailKey serves GET /api/v1/trail-key, kept for clients of earlier
// versions: the current key, the one that signs trails now.
func (s *Server) trailKey(c echo.Context) error {
	key, err := s.cfg.Keys.Current()
	if err != nil {
		return err
	}
	pub := key.Private.Public().(ed25519.PublicKey)
	return c.JSON(http.StatusOK, map[string]string{"algorithm": "Ed25519", "key_id": key.ID,
		"public_key": base64.StdEncoding.EncodeToString(pub)})
}

// latestCheckpoint serves GET /api/v1/checkpoints/latest: the newest
// signed checkpoint as the note itself, text/plain, byte for byte what the
// checkpoint directory holds, so that the body saved as a file is what
// `dakflow verify --checkpoint FILE` reads. The tree size is repeated in a
// header for scripts.
func (s *Server) latestCheckpoint(c echo.Context) error {
	cp, err := s.store.LatestCheckpoint(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Dakflow-Tree-Size", strconv.FormatInt(cp.Size, 10))
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", cp.Note)
}

// checkpointProof serves GET /api/v1/checkpoints/proof?old=N&new=M: the
// proof that the log's tree of N leaves is a prefix of its tree of M
// (translog.ConsistencyProof). It proves itself: a server cannot make one
// between two checkpoints of different histories.
func (s *Server) checkpointProof(c echo.Context) error {
	var sizes [2]int64
	var fields []dak.FieldError
	for i, name := range []string{"old", "new"} {
		n, err := strconv.ParseInt(c.QueryParam(name), 10, 64)
		if err != nil || n < 1 {
			fields = append(fields, dak.FieldError{Field: name, Message: "ukuran pohon (bilangan bulat ≥ 1) diperlukan"})
		}
		sizes[i] = n
	}
	if len(fields) > 0 {
		// a query, not a body: 400 as the search filters
		return &dak.Error{Kind: dak.ErrMalformed, Detail: "parameter old dan new diperlukan", Fields: fields}
	}
	p, err := s.store.ProveConsistency(c.Request().Context(), sizes[0], sizes[1])
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// maxConsistencyFrom bounds ?consistency_from= sizes on one trail.
const maxConsistencyFrom = 8

// consistencyFrom reads ?consistency_from=N[,M…]: the sizes of checkpoints
// an auditor keeps, to bundle proofs from them in the trail.
func consistencyFrom(c echo.Context) ([]int64, error) {
	var out []int64
	for _, v := range c.QueryParams()["consistency_from"] {
		for _, part := range strings.Split(v, ",") {
			n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
			if err != nil || n < 1 {
				return nil, dak.Errorf(dak.ErrInvalid, "consistency_from: %q bukan ukuran pohon (bilangan bulat ≥ 1)", part)
			}
			out = append(out, n)
		}
	}
	if len(out) > maxConsistencyFrom {
		return nil, dak.Errorf(dak.ErrInvalid, "consistency_from: paling banyak %d ukuran", maxConsistencyFrom)
	}
	return out, nil
}

// seal binds a proposal's trail to the log: each of its events' inclusion
// proofs under a checkpoint signed by the current key — the newest one when
// it covers them all, else a new one, after linking whatever is committed
// (so every event of the snapshot, read before, is a leaf) — plus the
// consistency proofs from each tree size in from.
func (s *Server) seal(ctx context.Context, proposalID int64, events int, from []int64) (trail.Seal, error) {
	key, err := s.cfg.Keys.Current()
	if err != nil {
		return trail.Seal{}, err
	}
	cp, err := s.store.LatestCheckpoint(ctx)
	var proofs []translog.InclusionProof
	if err == nil && cp.KeyID == key.ID {
		if proofs, err = s.store.InclusionProofs(ctx, proposalID, cp.Size); err != nil {
			return trail.Seal{}, err
		}
	}
	if len(proofs) < events {
		if _, err := s.store.LinkGlobal(ctx); err != nil {
			return trail.Seal{}, err
		}
		if cp, _, err = s.store.WriteCheckpoint(ctx, key.Signer); err != nil {
			return trail.Seal{}, err
		}
		if proofs, err = s.store.InclusionProofs(ctx, proposalID, cp.Size); err != nil {
			return trail.Seal{}, err
		}
	}
	seal := trail.Seal{KeyID: key.ID, Key: key.Private, Checkpoint: cp.Note, Proofs: proofs}
	for _, n := range from {
		if n > cp.Size {
			return trail.Seal{}, dak.Errorf(dak.ErrInvalid, "consistency_from: %d lebih besar dari checkpoint jejak (%d); ambil GET /api/v1/checkpoints/proof?old=%d&new=%d", n, cp.Size, cp.Size, n)
		}
		p, err := s.store.ProveConsistency(ctx, n, cp.Size)
		if err != nil {
			return trail.Seal{}, err
		}
		seal.Consistency = append(seal.Consistency, p)
	}
	return seal, nil
}
