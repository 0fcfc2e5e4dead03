package web

import (
	"net/url"
	"strconv"

	"dakflow/internal/dak"
)

// pager is the paging bar of a list.
type pager struct {
	Page, Pages int
	Total       int64
	Prev, Next  string // links, "" when absent
	Noun        string // what is counted; "" is usulan
}

// newPager pages total items perPage at a time, linking to the pages
// beside page with the query q.
func newPager(q url.Values, page, perPage int, total int64) pager {
	if page < 1 {
		page = 1
	}
	pages := int((total + int64(perPage) - 1) / int64(perPage))
	pg := pager{Page: page, Pages: max(pages, 1), Total: total}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return "?" + v.Encode()
	}
	if page > 1 {
		pg.Prev = link(page - 1)
	}
	if page < pages {
		pg.Next = link(page + 1)
	}
	return pg
}

// linesView is a read-only RAB or RK table.
type linesView struct {
	Lines []lineDisplay
	Total dak.Money
}

// lineDisplay is one line with its category in words.
type lineDisplay struct {
	Category, Description, Unit string
	Quantity                    int64
	UnitPrice, Total            dak.Money
}

// newLinesView shows lines, each category in words, with their total.
func newLinesView(lines []dak.BudgetLine, total dak.Money) linesView {
	v := linesView{Total: total}
	for _, l := range lines {
		cat := dak.Categories[l.Category]
		if cat == "" {
			cat = l.Category
		}
		v.Lines = append(v.Lines, lineDisplay{Category: cat, Description: l.Description, Unit: l.Unit,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Total: l.Total})
	}
	return v
}
