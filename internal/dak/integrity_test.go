package dak

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeEventRecord: a record decodes back to the fields it hashed;
// bytes EventRecord would not have written are an integrity failure.
func TestDecodeEventRecord(t *testing.T) {
	e := Event{ProposalID: 7, Seq: 3, Event: "recommend", From: "in_review", To: "recommended", ActorID: 4,
		Actor: "Siti", Role: RoleVerifier, At: time.Date(2027, 3, 1, 2, 10, 0, 123456789, time.UTC),
		Comment: "Memenuhi <syarat>", Data: json.RawMessage(`{"a": "<b>", "n": 1}`), DocumentSHA256: strings.Repeat("ab", 32)}
	record := EventRecord(e)
	got, err := DecodeEventRecord(record)
	if err != nil {
		t.Fatalf("DecodeEventRecord(EventRecord(e)) = %v", err)
	}
	want := e
	want.Data, want.Record = json.RawMessage(`{"a":"\u003cb\u003e","n":1}`), record
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if !SameEventData(string(e.Data), got.Data) || SameEventData(`{"a": "<b>", "n": 2}`, got.Data) {
		t.Error("SameEventData does not tell the stored data from other data")
	}
	for _, bad := range []string{
		"",
		strings.Replace(record, `"seq":3`, `"seq": 3`, 1),                    // not canonical
		strings.Replace(record, `{"proposal_id"`, `{"x":1,"proposal_id"`, 1), // unknown field
		strings.Replace(record, `2027-03-01T02:10:00.123456789Z`, `kemarin`, 1),
	} {
		if _, err := DecodeEventRecord(bad); !errors.Is(err, ErrIntegrity) {
			t.Errorf("DecodeEventRecord(%q) = %v, want ErrIntegrity", bad, err)
		}
	}
}
