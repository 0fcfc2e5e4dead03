package store

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
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
