package trail

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/keyring"
	"dakflow/internal/translog"
)

// fuzzKey is a fixed signing key, so that the trails the fuzz targets build
// are the same on every run and the committed seeds stay signed by it.
func fuzzKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

// fuzzTrails builds real trails of one and three events signed by fuzzKey.
func fuzzTrails(tb testing.TB) (trails [][]byte, checkpoint []byte) {
	key := fuzzKey()
	for _, n := range []int{1, 3} {
		fx := newFixture(tb, n)
		trails = append(trails, fx.build(tb, fx.seal(tb, key, fx.log.size)))
		checkpoint = fx.log.checkpoint(tb, 2, key)
	}
	return trails, checkpoint
}

// FuzzVerify: a malformed trail, checkpoint, proof or key list is an error
// naming what is wrong, never a panic; and no change to a real trail's
// bytes that still verifies against the signer's key alters what the
// trail says: every ZIP that verifies pinned to fuzzKey holds exactly the
// entries of one of the trails built here. Seeds: real trails and their
// mutations (truncated, bytes flipped, an entry changed, duplicated or
// added, lying sizes) plus testdata/fuzz/FuzzVerify. Without -fuzz, go
// test runs the seeds.
func FuzzVerify(f *testing.F) {
	trails, cp := fuzzTrails(f)
	var genuine []map[string][]byte
	for _, z := range trails {
		files, err := readEntries(z)
		if err != nil {
			f.Fatal(err)
		}
		genuine = append(genuine, files)
		f.Add(z, cp, []byte(`{"items":[]}`))
		for _, m := range zipMutations(f, z) {
			f.Add(m, cp, []byte(`{"items":[]}`))
		}
	}
	z := trails[1]
	f.Add(z[:len(z)/2], cp[:len(cp)-3], []byte(`{"items":[{"key_id":"x","algorithm":"Ed25519","public_key":"AAAA"}]}`))
	f.Add([]byte("PK\x03\x04"), []byte("go.sum database tree\n1\n\n"), []byte(`not json`))
	pub := fuzzKey().Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, zipBytes, checkpoint, keys []byte) {
		opts := Options{Checkpoint: checkpoint}
		if l, err := keyring.ParseList(keys); err == nil {
			opts.Keys = &l
		}
		if p, err := translog.ParseConsistencyProof(keys); err == nil {
			opts.ConsistencyProof = &p
		}
		if _, err := VerifyWith(zipBytes, opts); err != nil && err.Error() == "" {
			t.Fatal("VerifyWith failed with an empty error")
		}
		if _, err := VerifyWith(zipBytes, Options{PublicKey: pub}); err == nil {
			files, err := readEntries(zipBytes)
			if err != nil {
				t.Fatalf("verified, but readEntries = %v", err)
			}
			forged := true
			for _, g := range genuine {
				if maps.EqualFunc(files, g, bytes.Equal) {
					forged = false
				}
			}
			if forged {
				t.Fatalf("a ZIP with other contents verifies as signed by the pinned key: %q", sortedNames(files))
			}
		}
		_, _ = VerifyWith(z, opts)
	})
}

// FuzzReadEntries: the ZIP reader refuses with an error naming the
// problem, or returns each entry exactly as archive/zip reads it, once,
// within maxEntry.
func FuzzReadEntries(f *testing.F) {
	trails, _ := fuzzTrails(f)
	for _, z := range trails {
		f.Add(z)
		for _, m := range zipMutations(f, z) {
			f.Add(m)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, zipBytes []byte) {
		files, err := readEntries(zipBytes)
		if err != nil {
			if err.Error() == "" || files != nil {
				t.Fatalf("readEntries = %d files, %q", len(files), err)
			}
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
		if err != nil {
			t.Fatalf("readEntries accepted what archive/zip refuses: %v", err)
		}
		if len(zr.File) != len(files) {
			t.Fatalf("readEntries = %d files, the ZIP has %d entries", len(files), len(zr.File))
		}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				t.Fatalf("%s: readEntries read it, archive/zip cannot open it: %v", zf.Name, err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(b, files[zf.Name]) || len(b) > maxEntry {
				t.Fatalf("%s: readEntries gave %d bytes, archive/zip %d (%v)", zf.Name, len(files[zf.Name]), len(b), err)
			}
		}
	})
}

// zipMutations returns broken and altered copies of the trail z.
func zipMutations(tb testing.TB, z []byte) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, cut := range []int{0, 4, 30, len(z) / 3, len(z) - 22, len(z) - 1} {
		out = append(out, bytes.Clone(z[:cut]))
	}
	for _, at := range []int{8, len(z) / 2, len(z) - 30} {
		m := bytes.Clone(z)
		m[at] ^= 0x01
		out = append(out, m)
	}
	out = append(out,
		rezip(tb, z, func(name string, b []byte) (string, []byte) {
			if name == EventsName {
				b = bytes.Replace(b, []byte(`"amount":1`), []byte(`"amount":9`), 1)
			}
			return name, b
		}, nil),
		rezip(tb, z, func(name string, b []byte) (string, []byte) {
			if name == ReadmeName {
				return "../\x00\xff" + name, b
			}
			return name, b
		}, nil),
		rezip(tb, z, nil, map[string][]byte{ManifestName: []byte(`{"format":"dakflow-trail/2"}`)}),
		rezip(tb, z, nil, map[string][]byte{"extra.txt": bytes.Repeat([]byte{0}, 1<<16)}),
		append(bytes.Clone(z), "trailing bytes after the ZIP"...),
		lieAboutSizes(z),
	)
	return out
}

// rezip copies z entry by entry through change and adds extra entries.
func rezip(tb testing.TB, z []byte, change func(string, []byte) (string, []byte), extra map[string][]byte) []byte {
	tb.Helper()
	files, err := readEntries(z)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	write := func(name string, b []byte) {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write(b)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	for _, name := range sortedNames(files) {
		b := files[name]
		if change != nil {
			name, b = change(name, b)
		}
		write(name, b)
	}
	for _, name := range sortedNames(extra) {
		write(name, extra[name])
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// lieAboutSizes sets every central directory entry's uncompressed size to
// 4 GiB - 1, as a ZIP bomb would.
func lieAboutSizes(z []byte) []byte {
	m := bytes.Clone(z)
	for i := 0; i+28 <= len(m); i++ {
		if string(m[i:i+4]) == "PK\x01\x02" {
			binary.LittleEndian.PutUint32(m[i+24:], 0xFFFFFFFF)
		}
	}
	return m
}

// sortedNames returns the sorted names of files.
func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
