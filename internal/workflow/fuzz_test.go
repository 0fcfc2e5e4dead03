package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"dakflow/internal/dak"
)

// FuzzLoadAll feeds one workflow file, from bytes, through LoadAll as
// start-up does (an in-memory fs.FS). It must never panic, and must refuse
// or accept cleanly: a refusal names the file and, for a definition that
// parses but fails its check, lists at least one problem; an acceptance
// holds exactly that definition, which Check finds nothing wrong with, whose
// initial state and every event's states exist, and which loads again to
// the same diagram.
func FuzzLoadAll(f *testing.F) {
	shipped, err := os.ReadFile("../../workflows/dak-fisik-ikm.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shipped)
	f.Add(shipped[:len(shipped)/2])
	f.Add(bytes.Replace(shipped, []byte("to: submitted"), []byte("to: nowhere"), 1))
	f.Add(bytes.Replace(shipped, []byte("initial: draft"), []byte("initial: \"\\0\""), 1))
	f.Add(append(bytes.Clone(shipped), "\nunknown_key: 1\n"...))
	f.Add(append(bytes.Clone(shipped), "\n---\nname: second\n"...))
	for _, s := range []string{"", "name: x\n", "name: [\n", "\x00", "name: \xff\xfe\n", "- a\n- b\n",
		"a: &a [*a]\n", strings.Repeat("[", 10000), strings.Repeat("- ", 3000) + "x\n",
		"x: &a [1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
		"name: x\nversion: 99999999999999999999\n", "name: x\ninitial: a\nstates: [{name: a, final: true}]\nevents: []\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"w.yaml": {Data: data}}
		defs, err := LoadAll(fsys)
		if err != nil {
			if defs != nil || !strings.HasPrefix(err.Error(), "w.yaml: ") {
				t.Fatalf("LoadAll = %v, %v: a refusal must name the file and return nothing", defs, err)
			}
			var ce *CheckError
			if _, perr := Parse(data); errors.As(perr, &ce) && len(ce.Problems) == 0 {
				t.Fatalf("Parse: a CheckError with no problems")
			}
			return
		}
		if len(defs) != 1 {
			t.Fatalf("LoadAll of one file = %d definitions", len(defs))
		}
		for name, d := range defs {
			if d.Name != name {
				t.Fatalf("definition %q keyed as %q", d.Name, name)
			}
			if problems := d.Check(); len(problems) > 0 {
				t.Fatalf("accepted definition fails Check: %q", problems)
			}
			if _, ok := d.State(d.Initial); !ok {
				t.Fatalf("accepted initial state %q is not a state", d.Initial)
			}
			for _, e := range d.Events {
				for _, from := range e.From {
					if _, ok := d.State(from); !ok {
						t.Fatalf("accepted event %q from unknown state %q", e.Name, from)
					}
					if _, ok := d.State(e.Target(from)); !ok {
						t.Fatalf("accepted event %q to unknown state %q", e.Name, e.Target(from))
					}
				}
			}
			again, err := Parse(data)
			if err != nil || again.Diagram != d.Diagram || d.Diagram == "" {
				t.Fatalf("the accepted file parses again to %v (diagram equal: %v)", err, err == nil && again.Diagram == d.Diagram)
			}
		}
	})
}

// FuzzDecodeData decodes an event's data as Fire does, the event as the
// shipped workflow defines it (an unknown name takes no data). Properties:
// a refusal is ErrMalformed (400) naming fields under "data"; an
// acceptance uses only fields the event takes, and re-encoding what was
// decoded decodes to the same thing.
func FuzzDecodeData(f *testing.F) {
	shipped, err := os.ReadFile("../../workflows/dak-fisik-ikm.yaml")
	if err != nil {
		f.Fatal(err)
	}
	d, err := Parse(shipped)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []struct{ event, data string }{
		{"recommend", `{"recommended_amount":1250000000,"checklist":[{"id":"a","met":true},{"id":"b","met":false,"note":"kurang"}],"amount_reason":"x"}`},
		{"allocate", `{"amount":999999999999999}`},
		{"allocate", `{"amount":1000000000000000}`},
		{"allocate", `{"amount":1.5}`},
		{"allocate", `{"amount":"1"}`},
		{"submit_rk", `{"activities":[{"category":"mesin","description":"x","quantity":1,"unit":"u","unit_price":5,"extra":1}]}`},
		{"request_disbursement", `{"stage":1,"output_percent":70.5,"absorbed_amount":10,"kppn":"Bandar Lampung"}`},
		{"request_disbursement", `{"output_percent":70.123}`},
		{"complete", `{"bast_date":"2027-12-01","shortfall":"\u0000\xff"}`},
		{"request_revision", `{"notes":[{"field":"title","note":"x"}]}`},
		{"submit", `{"amount":1}`},
		{"", `null`}, {"recommend", ``}, {"recommend", `[]`}, {"recommend", `{"checklist":` + strings.Repeat("[", 3000)},
		{"\x00", `{"\u0000":1}`}, {"allocate", `{"amount":1} {}`}, {"allocate", `{"Amount":1,"amount":2}`},
	} {
		f.Add(s.event, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, event string, raw []byte) {
		ev, ok := d.Event(event)
		if !ok {
			ev = EventDef{Name: event}
		}
		data, err := decodeData(ev, raw)
		if err != nil {
			e, ok := dak.AsError(err)
			if !ok || !errors.Is(err, dak.ErrMalformed) || len(e.Fields) == 0 {
				t.Fatalf("decodeData(%q, %q) = %v: want ErrMalformed with fields", event, raw, err)
			}
			for _, fe := range e.Fields {
				if fe.Field != "data" && !strings.HasPrefix(fe.Field, "data.") || fe.Message == "" {
					t.Fatalf("decodeData(%q, %q) blames %q (%q), not a data field", event, raw, fe.Field, fe.Message)
				}
			}
			return
		}
		var keys map[string]json.RawMessage
		if json.Unmarshal(raw, &keys) == nil {
			for k := range keys {
				if !slices.Contains(ev.Data, k) {
					t.Fatalf("decodeData(%q, %q) accepted field %q", event, raw, k)
				}
			}
		}
		enc, err := json.Marshal(data)
		if err != nil {
			t.Fatalf("json.Marshal(decoded data): %v", err)
		}
		back, err := decodeData(ev, enc)
		if err != nil {
			t.Fatalf("decodeData(%q, re-encoded %s) = %v", event, enc, err)
		}
		if enc2, _ := json.Marshal(back); !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed the data:\n%s\n%s", enc, enc2)
		}
	})
}
