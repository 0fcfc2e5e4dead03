package translog

import (
	"crypto/ed25519"
	"encoding/json"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// FuzzParse: whatever bytes an auditor is handed as a checkpoint, a proof
// or a key, the parsers answer with a value or an error naming what is
// wrong, never a panic. Without -fuzz, go test runs the seeds below.
func FuzzParse(f *testing.F) {
	priv, signer, known := testKey(f)
	l := &memLog{}
	l.add(f, "a", "b", "c", "d", "e")
	c, err := Sign(l.tree(f), at, signer)
	if err != nil {
		f.Fatal(err)
	}
	p, _ := tlog.ProveTree(5, 2, l)
	proof, _ := json.Marshal(ConsistencyProof{OldSize: 2, NewSize: 5, Proof: p})
	rp, _ := tlog.ProveRecord(5, 3, l)
	incl, _ := json.Marshal(InclusionProof{Seq: 1, Index: 3, Proof: rp})
	for _, seed := range [][]byte{c.Note, proof, incl, []byte(SignerKey(priv)), []byte(VerifierKey(priv.Public().(ed25519.PublicKey))),
		[]byte("go.sum database tree\n-1\n\n\n\n— dakflow AAAA\n"), []byte(`{"old_size":1,"new_size":2,"proof":["x"]}`),
		[]byte(`{"leaf_index":-5,"proof":[]}`), []byte(`{"leaf_index":99999999999,"proof":[]}`), nil} {
		f.Add(seed)
	}
	tree := l.tree(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Open(b, known)
		_, _ = Peek(b)
		if p, err := ParseConsistencyProof(b); err == nil {
			_ = p.Check(tlog.Tree{N: p.OldSize, Hash: p.OldRoot}, tree)
			_ = CheckConsistency(tree, tlog.Tree{N: p.NewSize, Hash: p.NewRoot}, p.Proof)
		}
		var ip InclusionProof
		if json.Unmarshal(b, &ip) == nil {
			_ = ip.Check(tree, "a")
			_ = ip.Check(tlog.Tree{N: ip.Index + 1}, "a")
		}
		_, _ = ParsePublicKey(string(b))
		_, _ = ParseSignerKey(string(b))
	})
}
