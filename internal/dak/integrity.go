package dak

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// DecodeEventRecord parses the hashed bytes of an event back into its
// fields, so that what the service shows of an event is what its hash
// covers (PRODUCT.md §5). The result carries Record but no document id and
// no hashes, which live beside the record. It fails with ErrIntegrity when
// the bytes are not exactly what EventRecord writes: an unknown or missing
// field, a malformed time, or any other encoding of the same values.
func DecodeEventRecord(record string) (Event, error) {
	dec := json.NewDecoder(strings.NewReader(record))
	dec.DisallowUnknownFields()
	var r eventRecord
	if err := dec.Decode(&r); err != nil {
		return Event{}, Errorf(ErrIntegrity, "catatan peristiwa tidak terbaca: %v", err)
	}
	at, err := time.Parse(time.RFC3339Nano, r.At)
	if err != nil {
		return Event{}, Errorf(ErrIntegrity, "waktu pada catatan peristiwa tidak terbaca: %q", r.At)
	}
	e := Event{ProposalID: r.ProposalID, Seq: r.Seq, Event: r.Event, From: r.From, To: r.To, ActorID: r.ActorID,
		Actor: r.Actor, Role: r.Role, At: at.UTC(), Comment: r.Comment, Data: bytes.Clone(r.Data),
		DocumentSHA256: r.DocumentSHA256, Record: record}
	if EventRecord(e) != record {
		return Event{}, Errorf(ErrIntegrity, "catatan peristiwa %d bukan bentuk baku yang di-hash", r.Seq)
	}
	return e, nil
}

// SameEventData reports whether a stored data column holds the same JSON
// as the data inside a record: the record keeps it compacted and
// HTML-escaped, as json.Marshal writes a RawMessage.
func SameEventData(column string, record json.RawMessage) bool {
	if column == "" {
		column = "{}"
	}
	b, err := json.Marshal(json.RawMessage(column))
	return err == nil && bytes.Equal(b, record)
}
