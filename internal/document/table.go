package document

import (
	"fmt"

	"dakflow/internal/dak"
)

// table is a compiled table block.
type table struct {
	rows  string // key of rowSources
	cols  []column
	total *total
	empty *tpl
}

type column struct {
	head  *tpl
	width float64 // relative
	align string
	cell  *tpl
}

type total struct {
	label *tpl
	col   int // 0-based column of the value
	value *tpl
}

// cellData is what a cell, a total or an empty line is executed with.
type cellData struct {
	No    int       // 1-based row number
	Row   any       // the element of the row source
	Sum   dak.Money // the source's amounts added up
	Count int       // number of rows
	Doc   *data     // the whole document's data
}

// rowSource lists the rows of a table and adds up their amounts.
type rowSource func(in *Input) (rows []any, sum dak.Money)

// rowSources are the lists of Input a table may show, by the name used in
// a template's table.rows.
var rowSources = map[string]rowSource{
	"budget_lines": func(in *Input) ([]any, dak.Money) { return lineRows(in.Proposal.BudgetLines) },
	"activities":   func(in *Input) ([]any, dak.Money) { return lineRows(in.Activities) },
	"outputs":      func(in *Input) ([]any, dak.Money) { return anyRows(in.Proposal.Outputs), 0 },
	"completion_outputs": func(in *Input) ([]any, dak.Money) {
		if len(in.Completion.Outputs) > 0 {
			return anyRows(in.Completion.Outputs), 0
		}
		return anyRows(in.Proposal.Outputs), 0
	},
	"notes":       func(in *Input) ([]any, dak.Money) { return anyRows(in.Notes), 0 },
	"checklist":   func(in *Input) ([]any, dak.Money) { return anyRows(in.Checklist), 0 },
	"departures":  func(in *Input) ([]any, dak.Money) { return anyRows(in.Departures), 0 },
	"attachments": func(in *Input) ([]any, dak.Money) { return anyRows(in.Attachments), 0 },
	"conditions":  func(in *Input) ([]any, dak.Money) { return anyRows(in.Stage.Conditions), 0 },
	"sentra_funding": func(in *Input) ([]any, dak.Money) {
		var sum dak.Money
		for _, f := range in.SentraHistory.Funding {
			sum += f.Allocated
		}
		return anyRows(in.SentraHistory.Funding), sum
	},
	"stages": func(in *Input) ([]any, dak.Money) {
		var sum dak.Money
		for _, s := range in.Disbursement.Stages {
			sum += s.Amount
		}
		return anyRows(in.Disbursement.Stages), sum
	},
	"lapsed_stages": func(in *Input) ([]any, dak.Money) {
		var rows []any
		for _, s := range in.Disbursement.Stages {
			if s.State == StageLapsed {
				rows = append(rows, s)
			}
		}
		return rows, in.Figures.Lapsed
	},
	"paid_stages": func(in *Input) ([]any, dak.Money) {
		var rows []any
		var sum dak.Money
		for _, s := range in.Disbursement.Stages {
			if s.SP2DNumber != "" || s.State == StagePaid {
				rows, sum = append(rows, s), sum+s.Amount
			}
		}
		return rows, sum
	},
}

func anyRows[T any](xs []T) []any {
	rows := make([]any, len(xs))
	for i, x := range xs {
		rows[i] = x
	}
	return rows
}

func lineRows(lines []Line) ([]any, dak.Money) {
	var sum dak.Money
	for _, l := range lines {
		sum += l.Total
	}
	return anyRows(lines), sum
}

func (c *compiler) table(path string, s *tableSpec) *table {
	t := &table{rows: s.Rows}
	for i, col := range s.Columns {
		at := fmt.Sprintf("%s.columns[%d]", path, i)
		align := col.Align
		if align == "" {
			align = "L"
		}
		t.cols = append(t.cols, column{
			head: c.tpl(at+".head", col.Head), width: col.Width, align: align,
			cell: c.tpl(at+".cell", col.Cell),
		})
	}
	if s.Total != nil {
		col := s.Total.Column - 1
		if s.Total.Column == 0 {
			col = len(s.Columns) - 1
		}
		t.total = &total{label: c.tpl(path+".total.label", s.Total.Label), col: col,
			value: c.tpl(path+".total.value", s.Total.Value)}
	}
	if s.Empty != "" {
		t.empty = c.tpl(path+".empty", s.Empty)
	}
	return t
}
