// Command gen rebuilds dakflow's embedded region list from the CSV files of
// the npm package idn-area-data (PRODUCT.md §2 "Region"). It is run by
// scripts/gen-regions.sh, which fetches the pinned package version with
// npm pack, checks its hash and passes the extracted folder here:
//
//	go run ./internal/region/gen -src /tmp/x/package -out internal/region/data
//
// It writes regions.tsv.gz (one "code<TAB>name" line per region, sorted by
// code, gzip-compressed), copies the package's licences beside it and writes
// ATTRIBUTION.md, as the ODbL requires of a Derivative Database.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Package and Version pin the source; scripts/gen-regions.sh fetches the same.
const (
	Package = "idn-area-data"
	Version = "4.0.1"
)

// Contract counts from PRODUCT.md §2; a new source version that changes them
// must be a deliberate decision, so the generator refuses it.
const (
	wantProvinces = 38
	wantRegencies = 514
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	src := fs.String("src", "", "extracted npm package folder (holds package.json and data/)")
	out := fs.String("out", "internal/region/data", "output folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *src == "" {
		return fmt.Errorf("-src is required")
	}
	if err := checkPackage(filepath.Join(*src, "package.json")); err != nil {
		return err
	}
	recs, err := readAll(filepath.Join(*src, "data"))
	if err != nil {
		return err
	}
	if err := validate(recs); err != nil {
		return err
	}
	if err := writeTable(filepath.Join(*out, "regions.tsv.gz"), recs); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(*src, "data", "LICENSE.md"), filepath.Join(*out, "LICENSE.md")); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(*src, "LICENSE"), filepath.Join(*out, "LICENSE-MIT")); err != nil {
		return err
	}
	if err := writeAttribution(filepath.Join(*out, "ATTRIBUTION.md"), recs); err != nil {
		return err
	}
	n := countByLevel(recs)
	fmt.Fprintf(stdout, "gen: %s %s: %d provinsi, %d kabupaten/kota, %d kecamatan, %d desa/kelurahan\n",
		Package, Version, n[1], n[2], n[3], n[4])
	return nil
}

// checkPackage makes sure the folder holds the pinned package, so a stray
// checkout of another version cannot silently replace the list.
func checkPackage(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read package manifest: %w", err)
	}
	var m struct{ Name, Version string }
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	if m.Name != Package || m.Version != Version {
		return fmt.Errorf("%s holds %s@%s, want %s@%s", path, m.Name, m.Version, Package, Version)
	}
	return nil
}

// writeTable writes the sorted records as a deterministic gzip stream (no
// file name or time in the header) so regenerating gives identical bytes.
func writeTable(path string, recs []record) error {
	sort.Slice(recs, func(i, j int) bool { return recs[i].code < recs[j].code })
	var raw bytes.Buffer
	fmt.Fprintf(&raw, "# %s\n", notice())
	for _, r := range recs {
		fmt.Fprintf(&raw, "%s\t%s\n", r.code, r.name)
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, gz.Bytes(), 0o644)
}

// notice is the ODbL §4.3 notice; the region package shows it via Attribution.
func notice() string {
	return fmt.Sprintf("Contains information from %s %s (https://github.com/fityannugroho/idn-area-data), "+
		"made available under the Open Database License (ODbL) 1.0.", Package, Version)
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("copy licence: %w", err)
	}
	return os.WriteFile(to, b, 0o644)
}

func countByLevel(recs []record) [5]int {
	var n [5]int
	for _, r := range recs {
		n[levelOf(r.code)]++
	}
	return n
}

// levelOf tells the level from the code's length: NN, NN.NN, NN.NN.NN,
// NN.NN.NN.NNNN; 0 for anything else.
func levelOf(code string) int {
	switch len(code) {
	case 2:
		return 1
	case 5:
		return 2
	case 8:
		return 3
	case 13:
		return 4
	}
	return 0
}

func writeAttribution(path string, recs []record) error {
	n := countByLevel(recs)
	text := strings.NewReplacer(
		"{{notice}}", notice(),
		"{{pkg}}", Package,
		"{{ver}}", Version,
		"{{counts}}", fmt.Sprintf("%d provinsi, %d kabupaten/kota, %d kecamatan and %d desa/kelurahan", n[1], n[2], n[3], n[4]),
	).Replace(attributionTemplate)
	return os.WriteFile(path, []byte(text), 0o644)
}

// attributionTemplate becomes data/ATTRIBUTION.md. The ODbL asks a Derivative
// Database to name its source, keep the licence, and offer the means of
// re-creating it: this generator and scripts/gen-regions.sh are that means.
const attributionTemplate = `# Region data: attribution and licence

{{notice}}

- Source: the npm package [` + "`{{pkg}}`" + ` {{ver}}](https://www.npmjs.com/package/{{pkg}}/v/{{ver}})
  by Fityan (fityannugroho), repository https://github.com/fityannugroho/idn-area-data, files
  ` + "`data/provinces.csv`, `data/regencies.csv`, `data/districts.csv`, `data/villages.csv`" + `
  (islands are not used). The package draws on the official Kemendagri kode wilayah.
- Licence of the data: Open Database License (ODbL) 1.0, copied verbatim from the package's
  ` + "`data/LICENSE.md`" + ` into [LICENSE.md](LICENSE.md). The package's code is MIT-licensed
  ([LICENSE-MIT](LICENSE-MIT), copied from its ` + "`LICENSE`" + `); no code of it is used here.
- Contents of ` + "`regions.tsv.gz`" + `: {{counts}}; one ` + "`code<TAB>name`" + ` line each, sorted by code.

## Changes made (this is a Derivative Database under the ODbL)

- Only the code and the name are kept; the parent is implied by the code.
- Names are tidied as an official would write them: every word starts with a capital letter
  (except the connective "dan"), and so does the second half of a complete reduplication
  ("Oro-oro" → "Oro-Oro"; a partial one such as "Sitio-tio" is kept); "’" and a '"' used as an
  apostrophe become "'"; spaces around a hyphen between words are removed ("Hoku- hoku Gam" →
  "Hoku-Hoku Gam"); a stray "*" is dropped. Apart from the overrides below, no letter is lower-cased.
- Two provinces use their usual short form: "DKI Jakarta" (source: "Daerah Khusus Ibukota
  Jakarta") and "DI Yogyakarta" (source: "Daerah Istimewa Yogyakarta").
- A few obvious typos are corrected; the list is ` + "`overrides`" + ` in
  ` + "`internal/region/gen/names.go`" + `.

## Re-creating it

` + "```" + `
scripts/gen-regions.sh        # or: go generate ./internal/region
` + "```" + `

The script fetches ` + "`{{pkg}}@{{ver}}`" + ` with ` + "`npm pack`" + `, checks the tarball's SHA-512,
extracts it and runs ` + "`internal/region/gen`" + `, which rewrites every file in this folder.
The data in this folder, a Derivative Database, is offered under the ODbL 1.0 as well.
`
