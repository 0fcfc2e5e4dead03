package store

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"dakflow/internal/dak"
)

// TestSaveProposalColumns: SaveProposal's UPDATE names every column of
// proposalRow that a save may change, each once, and none it must not:
// a column added to the row without being added to the statement would
// silently never be saved.
func TestSaveProposalColumns(t *testing.T) {
	s, err := schema.Parse(&proposalRow{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	filedWith := []string{"id", "number", "created_at", "created_by"}
	var want []string
	for _, f := range s.Fields {
		if f.DBName != "" && f.Updatable && !slices.Contains(filedWith, f.DBName) {
			want = append(want, f.DBName)
		}
	}
	set, _, _ := strings.Cut(saveProposalSQL, "WHERE")
	var got []string
	for _, m := range regexp.MustCompile(`(\w+) = \?`).FindAllStringSubmatch(set, -1) {
		got = append(got, m[1])
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		t.Errorf("saveProposalSQL sets %v,\nthe row's updatable columns are %v", got, want)
	}
}

// TestInsertProposalColumns: the filing's INSERT names every column of
// proposalRow but the id, each once, with a value for each: a column added
// to the row without being added to the statement would be filed empty.
func TestInsertProposalColumns(t *testing.T) {
	s, err := schema.Parse(&proposalRow{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range s.Fields {
		if f.DBName != "" && f.Creatable && f.DBName != "id" {
			want = append(want, f.DBName)
		}
	}
	list := regexp.MustCompile(`INSERT INTO proposals \(([^)]*)\)`).FindStringSubmatch(insertProposalSQL)
	if list == nil {
		t.Fatalf("no column list in %s", insertProposalSQL)
	}
	got := strings.Fields(strings.ReplaceAll(list[1], ",", " "))
	args, err := insertArgs(&dak.Proposal{})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(insertProposalSQL, "?"); n != len(got) || len(args) != len(got) {
		t.Errorf("insertProposalSQL names %d columns with %d placeholders; insertArgs gives %d values", len(got), n, len(args))
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		t.Errorf("insertProposalSQL writes %v,\nthe row's columns are %v", got, want)
	}
}
