package trail

import (
	"testing"

	"dakflow/internal/keyring"
	"dakflow/internal/translog"
)

// FuzzVerify: a malformed trail, checkpoint, proof or key list is an error
// naming what is wrong, never a panic. Without -fuzz, go test runs the
// seeds.
func FuzzVerify(f *testing.F) {
	key := newKey(f)
	fx := newFixture(f, 3)
	z := fx.build(f, fx.seal(f, key, fx.log.size))
	cp := fx.log.checkpoint(f, 2, key)
	f.Add(z, cp, []byte(`{"items":[]}`))
	f.Add(z[:len(z)/2], cp[:len(cp)-3], []byte(`{"items":[{"key_id":"x","algorithm":"Ed25519","public_key":"AAAA"}]}`))
	f.Add([]byte("PK\x03\x04"), []byte("go.sum database tree\n1\n\n"), []byte(`not json`))
	f.Fuzz(func(t *testing.T, zipBytes, checkpoint, keys []byte) {
		opts := Options{Checkpoint: checkpoint}
		if l, err := keyring.ParseList(keys); err == nil {
			opts.Keys = &l
		}
		if p, err := translog.ParseConsistencyProof(keys); err == nil {
			opts.ConsistencyProof = &p
		}
		_, _ = VerifyWith(zipBytes, opts)
		_, _ = VerifyWith(z, opts)
	})
}
