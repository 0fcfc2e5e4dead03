package dak

import (
	"fmt"
	"slices"
	"strings"
)

// DepartureKind says how a Rencana Kegiatan (RK) departs from the RAB that
// was assessed (PRODUCT.md §3, "An RK that departs from the assessed RAB").
type DepartureKind string

// The departures an RK may make from the assessed RAB.
const (
	// DepartureDropped is a category of the RAB that the RK no longer has:
	// e.g. the IPAL the checklist found the proposal environmentally sound by.
	DepartureDropped DepartureKind = "dropped"
	// DepartureAdded is a category in the RK that the RAB did not have:
	// money moved to something nobody assessed.
	DepartureAdded DepartureKind = "added"
	// DepartureReduced is less of a category in one unit than the RAB had:
	// a reduced output, e.g. 6 machines become 4.
	DepartureReduced DepartureKind = "reduced"
)

// Departure is one way an RK departs from the assessed RAB. Quantities and
// amounts are the category's (for DepartureReduced, the category's in
// Unit) on each side; the side that lacks the category is zero.
type Departure struct {
	Kind        DepartureKind `json:"kind"`
	Category    string        `json:"category"`       // a category code of Categories
	Unit        string        `json:"unit,omitempty"` // DepartureReduced only
	RABQuantity int64         `json:"rab_quantity"`
	RKQuantity  int64         `json:"rk_quantity"`
	RABAmount   Money         `json:"rab_amount"`
	RKAmount    Money         `json:"rk_amount"`
}

// String says the departure in Indonesian, as guards and pages show it.
func (d Departure) String() string {
	cat := Categories[d.Category]
	if cat == "" {
		cat = d.Category
	}
	switch d.Kind {
	case DepartureDropped:
		return fmt.Sprintf("%s pada RAB yang dinilai (%s) tidak ada pada rencana kegiatan", cat, d.RABAmount)
	case DepartureAdded:
		return fmt.Sprintf("%s tidak ada pada RAB yang dinilai, ditambahkan pada rencana kegiatan (%s)", cat, d.RKAmount)
	case DepartureReduced:
		return fmt.Sprintf("%s berkurang dari %d %s pada RAB yang dinilai menjadi %d %s pada rencana kegiatan", cat, d.RABQuantity, d.Unit, d.RKQuantity, d.Unit)
	}
	return cat
}

// RKDepartures compares an RK with the RAB that was assessed and lists how
// it departs from it, in the order of the RAB's lines, then of the RK's: a
// category of the RAB absent from the RK, a quantity of a category and unit
// lower than the RAB's (units compared without case or surrounding space),
// and a category the RAB did not have. Lower prices, higher quantities and
// other descriptions are no departure. Totals need not be filled: they are
// computed here.
func RKDepartures(rab, rk []BudgetLine) []Departure {
	rabCat, rkCat := tallies(rab, categoryKey), tallies(rk, categoryKey)
	rabGroup, rkGroup := tallies(rab, groupKey), tallies(rk, groupKey)
	var out []Departure
	seen := map[string]bool{}
	for _, l := range rab {
		if _, kept := rkCat[l.Category]; !kept {
			if !seen[l.Category] {
				seen[l.Category] = true
				c := rabCat[l.Category]
				out = append(out, Departure{Kind: DepartureDropped, Category: l.Category, RABQuantity: c.qty, RABAmount: c.amount})
			}
			continue
		}
		k := groupKey(l)
		if seen[k] {
			continue
		}
		seen[k] = true
		if r, got := rabGroup[k], rkGroup[k]; got.qty < r.qty {
			out = append(out, Departure{Kind: DepartureReduced, Category: l.Category, Unit: r.unit,
				RABQuantity: r.qty, RKQuantity: got.qty, RABAmount: r.amount, RKAmount: got.amount})
		}
	}
	for _, l := range rk {
		if _, assessed := rabCat[l.Category]; assessed || seen[l.Category] {
			continue
		}
		seen[l.Category] = true
		c := rkCat[l.Category]
		out = append(out, Departure{Kind: DepartureAdded, Category: l.Category, RKQuantity: c.qty, RKAmount: c.amount})
	}
	return out
}

// tally is the quantity and amount of a category (or a category in a unit).
type tally struct {
	qty    int64
	amount Money
	unit   string // as first written
}

func categoryKey(l BudgetLine) string { return l.Category }

// groupKey is a category in a unit; a NUL cannot occur in either.
func groupKey(l BudgetLine) string {
	return l.Category + "\x00" + strings.ToLower(strings.TrimSpace(l.Unit))
}

func tallies(lines []BudgetLine, key func(BudgetLine) string) map[string]tally {
	out := map[string]tally{}
	for _, l := range lines {
		t := out[key(l)]
		if t.unit == "" {
			t.unit = strings.TrimSpace(l.Unit)
		}
		t.qty += l.Quantity
		t.amount += Money(l.Quantity) * l.UnitPrice
		out[key(l)] = t
	}
	return out
}

// RKOutputs are the planned outputs as the approved RK keeps them: the one
// source of the outputs a document quotes once the RK is approved (the
// completion report among them), so that a reduced output is never quoted
// at the RAB's figure. An output follows the RAB line it quotes — the
// first line in the same unit, of a quantity equal to the output's volume,
// whose description contains the output's or is contained in it (case
// aside). Then:
//   - the line's category is not in the RK: the output is left out;
//   - an RK line of that category and unit has a description related to
//     the output's or the RAB line's: the output takes its quantity;
//   - else, when the RAB line is the only one of its category and unit, the
//     output takes the RK's quantity in that category and unit;
//   - else it is kept.
//
// An output brought to zero is left out; outputs that quote no line are
// kept as they are.
func RKOutputs(outputs []Output, rab, rk []BudgetLine) []Output {
	rabGroup, rkGroup := tallies(rab, groupKey), tallies(rk, groupKey)
	rkCat := tallies(rk, categoryKey)
	out := make([]Output, 0, len(outputs))
	for _, o := range outputs {
		i := slices.IndexFunc(rab, func(l BudgetLine) bool {
			return o.Volume == l.Quantity && sameUnit(o.Unit, l.Unit) && related(o.Description, l.Description)
		})
		if i >= 0 {
			l := rab[i]
			j := slices.IndexFunc(rk, func(k BudgetLine) bool {
				return k.Category == l.Category && sameUnit(k.Unit, l.Unit) &&
					(related(k.Description, l.Description) || related(k.Description, o.Description))
			})
			switch _, kept := rkCat[l.Category]; {
			case !kept:
				o.Volume = 0
			case j >= 0:
				o.Volume = rk[j].Quantity
			case rabGroup[groupKey(l)].qty == l.Quantity:
				o.Volume = rkGroup[groupKey(l)].qty
			}
			if o.Volume <= 0 {
				continue
			}
		}
		out = append(out, o)
	}
	return out
}

func sameUnit(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }

// related reports whether one description contains the other, case aside.
func related(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b))
	return a != "" && b != "" && (strings.Contains(a, b) || strings.Contains(b, a))
}
