package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// A proposal's history as the API lists it: the events of its audit trail
// and the revisions of its content those events recorded.

// EventOut is one audit event (PRODUCT.md §6).
type EventOut struct {
	Seq        int             `json:"seq"`
	Event      string          `json:"event"`
	From       string          `json:"from"`
	To         string          `json:"to"`
	Actor      string          `json:"actor"`
	Role       dak.Role        `json:"role"`
	At         time.Time       `json:"at"`
	Comment    string          `json:"comment"`
	Data       json.RawMessage `json:"data"`
	DocumentID *int64          `json:"document_id"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
	// Integrity is "ok" when the stored row agrees with its hashed record
	// and its chain, else "mismatch" with what disagrees in Mismatch; the
	// fields above are the record's either way (PRODUCT.md §5).
	Integrity string   `json:"integrity"`
	Mismatch  []string `json:"mismatch,omitempty"`
}

// eventOut shows an event with the verdict of its integrity check.
func eventOut(e dak.Event) EventOut {
	out := EventOut{Seq: e.Seq, Event: e.Event, From: e.From, To: e.To, Actor: e.Actor, Role: e.Role, At: e.At,
		Comment: e.Comment, Data: e.Data, DocumentID: e.DocumentID, PrevHash: e.PrevHash, Hash: e.Hash, Integrity: "ok"}
	if len(e.Mismatch) > 0 {
		out.Integrity, out.Mismatch = "mismatch", e.Mismatch
	}
	return out
}

// listEvents is GET /proposals/{id}/events: the proposal's audit trail,
// oldest first.
func (s *Server) listEvents(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	events, err := s.store.Events(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	out := make([]EventOut, len(events))
	for i, e := range events {
		out[i] = eventOut(e)
	}
	return c.JSON(http.StatusOK, list(out, int64(len(out))))
}

// listRevisions is GET /proposals/{id}/revisions: every saved version of
// the proposal's content.
func (s *Server) listRevisions(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(revs, int64(len(revs))))
}
