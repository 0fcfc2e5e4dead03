package dak

import (
	"sort"
	"strconv"
	"time"
)

// Calendar is a fiscal year's deadlines (PRODUCT.md §10): the submission
// window, the RK deadline and each stage's document deadline, by stage
// number. A nil instant sets no limit. Every instant is WIB when shown.
type Calendar struct {
	SubmissionOpens  *time.Time        `json:"submission_opens"`
	SubmissionCloses *time.Time        `json:"submission_closes"`
	RKDeadline       *time.Time        `json:"rk_deadline"`
	StageDeadlines   map[int]time.Time `json:"stage_deadlines"`
}

// Deadline is one dated step of a calendar, as a page or a reminder
// names it.
type Deadline struct {
	Kind  string    `json:"kind"` // submission_opens, submission_closes, rk, stage_1, …
	Label string    `json:"label"`
	At    time.Time `json:"at"`
}

// Deadlines lists the calendar's instants in time order, labelled in
// Indonesian.
func (c Calendar) Deadlines() []Deadline {
	var out []Deadline
	if c.SubmissionOpens != nil {
		out = append(out, Deadline{Kind: "submission_opens", Label: "Pengajuan usulan dibuka", At: *c.SubmissionOpens})
	}
	if c.SubmissionCloses != nil {
		out = append(out, Deadline{Kind: "submission_closes", Label: "Batas pengajuan usulan", At: *c.SubmissionCloses})
	}
	if c.RKDeadline != nil {
		out = append(out, Deadline{Kind: "rk", Label: "Batas pengajuan rencana kegiatan", At: *c.RKDeadline})
	}
	for n, at := range c.StageDeadlines {
		out = append(out, Deadline{Kind: StageDeadlineKind(n), Label: "Batas dokumen tahap " + strconv.Itoa(n), At: at})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// StageDeadlineKind names stage n's deadline: "stage_1".
func StageDeadlineKind(n int) string { return "stage_" + strconv.Itoa(n) }

// Check lists what is out of order in the calendar, each on the field of
// PUT /fiscal-years/{year} it is about: submission opens before it closes,
// and each stage's document deadline comes after the one of the stage
// before it (PMK 25/2024 pays the stages in order). The store checks it
// inside the transaction that saves the calendar.
func (c Calendar) Check() Fields {
	var errs Fields
	if o, cl := c.SubmissionOpens, c.SubmissionCloses; o != nil && cl != nil && !o.Before(*cl) {
		errs.Add("calendar.submission_closes", "penutupan pengajuan harus setelah pembukaannya (%s)", FormatDateTime(*o))
	}
	numbers := make([]int, 0, len(c.StageDeadlines))
	for n := range c.StageDeadlines {
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	for i := 1; i < len(numbers); i++ {
		prev, cur := numbers[i-1], numbers[i]
		if !c.StageDeadlines[prev].Before(c.StageDeadlines[cur]) {
			errs.Add("calendar.stage_deadlines."+strconv.Itoa(cur), "batas dokumen tahap %d harus setelah batas dokumen tahap %d (%s)",
				cur, prev, FormatDateTime(c.StageDeadlines[prev]))
		}
	}
	return errs
}
