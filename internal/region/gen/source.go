package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// record is one region as written to the table: the Kemendagri code and the
// cleaned name. parent is kept only to check it against the code.
type record struct {
	code, parent, name string
}

// sources lists the package's CSV files from the top level down, with the
// column that names the parent ("" for provinces) and the code's level.
var sources = []struct {
	file, parentCol string
	level           int
}{
	{"provinces.csv", "", 1},
	{"regencies.csv", "province_code", 2},
	{"districts.csv", "regency_code", 3},
	{"villages.csv", "district_code", 4},
}

// readAll reads the four CSV files, finding columns by their header so that a
// reordered file still reads correctly and a renamed column fails loudly.
func readAll(dir string) ([]record, error) {
	var recs []record
	for _, s := range sources {
		rs, err := readCSV(filepath.Join(dir, s.file), s.parentCol)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if levelOf(r.code) != s.level {
				return nil, fmt.Errorf("%s: code %q is not of level %d", s.file, r.code, s.level)
			}
		}
		recs = append(recs, rs...)
	}
	return recs, nil
}

func readCSV(path, parentCol string) ([]record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	want := []string{"code", "name"}
	if parentCol != "" {
		want = append(want, parentCol)
	}
	for _, h := range want {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%s: no column %q in header %q", path, h, rows[0])
		}
	}
	recs := make([]record, 0, len(rows)-1)
	for i, row := range rows[1:] {
		r := record{code: row[col["code"]], name: cleanName(row[col["code"]], row[col["name"]])}
		if parentCol != "" {
			r.parent = row[col[parentCol]]
		}
		if r.name == "" || strings.ContainsAny(r.name, "\t\n\r") {
			return nil, fmt.Errorf("%s line %d: bad name %q", path, i+2, r.name)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// validate checks what the region package relies on: well-formed unique codes,
// each parent present and equal to the code's prefix, kabupaten codes 01–69
// named "Kabupaten …" and kota codes 71–99 named "Kota …", and the contract's
// counts of provinces and kabupaten/kota.
func validate(recs []record) error {
	seen := make(map[string]bool, len(recs))
	for _, r := range recs {
		if !wellFormed(r.code) {
			return fmt.Errorf("malformed code %q (%s)", r.code, r.name)
		}
		if seen[r.code] {
			return fmt.Errorf("duplicate code %q", r.code)
		}
		seen[r.code] = true
		if r.parent == "" && levelOf(r.code) == 1 {
			continue
		}
		if !strings.HasPrefix(r.code, r.parent+".") || strings.Count(r.code[len(r.parent)+1:], ".") != 0 {
			return fmt.Errorf("code %q does not extend its parent %q", r.code, r.parent)
		}
		if !seen[r.parent] {
			return fmt.Errorf("code %q: parent %q not listed before it", r.code, r.parent)
		}
		if levelOf(r.code) == 2 {
			kota := r.code[3:] >= "71"
			if kota && !strings.HasPrefix(r.name, "Kota ") || !kota && !strings.HasPrefix(r.name, "Kabupaten ") {
				return fmt.Errorf("regency %s %q: name does not match the kabupaten/kota code range", r.code, r.name)
			}
		}
	}
	n := countByLevel(recs)
	if n[1] != wantProvinces || n[2] != wantRegencies {
		return fmt.Errorf("found %d provinces and %d kabupaten/kota, want %d and %d (PRODUCT.md §2)",
			n[1], n[2], wantProvinces, wantRegencies)
	}
	return nil
}

// wellFormed accepts NN, NN.NN, NN.NN.NN and NN.NN.NN.NNNN with digits only,
// no all-zero segment and no regency segment 70 or 00.
func wellFormed(code string) bool {
	segs := strings.Split(code, ".")
	if levelOf(code) != len(segs) {
		return false
	}
	for i, s := range segs {
		if len(s) != 2 && !(i == 3 && len(s) == 4) || strings.Trim(s, "0123456789") != "" || strings.Trim(s, "0") == "" {
			return false
		}
		if i == 1 && s == "70" {
			return false
		}
	}
	return true
}
