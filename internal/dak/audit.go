package dak

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// GenesisHash is the previous hash of the first event of every chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// eventRecord is the exact content an event's hash covers. Its JSON bytes
// are stored beside the hash, because a database may re-encode JSON.
type eventRecord struct {
	ProposalID     int64           `json:"proposal_id"`
	Seq            int             `json:"seq"`
	Event          string          `json:"event"`
	From           string          `json:"from"`
	To             string          `json:"to"`
	ActorID        int64           `json:"actor_id"`
	Actor          string          `json:"actor"`
	Role           Role            `json:"role"`
	At             string          `json:"at"`
	Comment        string          `json:"comment"`
	Data           json.RawMessage `json:"data"`
	DocumentSHA256 string          `json:"document_sha256"`
}

// EventRecord returns the canonical bytes of e that its hash covers.
func EventRecord(e Event) string {
	data := e.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	b, err := json.Marshal(eventRecord{ProposalID: e.ProposalID, Seq: e.Seq, Event: e.Event, From: e.From, To: e.To,
		ActorID: e.ActorID, Actor: e.Actor, Role: e.Role, At: e.At.UTC().Format(time.RFC3339Nano),
		Comment: e.Comment, Data: data, DocumentSHA256: e.DocumentSHA256})
	if err != nil {
		panic(err) // only plain values: cannot fail
	}
	return string(b)
}

// ChainHash links a record to the hash before it: SHA-256(prev "\n" record).
func ChainHash(prev, record string) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write([]byte(record))
	return hex.EncodeToString(h.Sum(nil))
}

// SHA256Hex is the hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
