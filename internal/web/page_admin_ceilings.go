package web

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// adminYearView is a fiscal year on the admin page: its ceilings, its
// region ceilings and the dated history of their changes.
type adminYearView struct {
	fiscalYearView
	Regions []menuCeilingView
	History []ceilingChangeView
	// CalendarHistory are the changes of its calendar, newest first.
	CalendarHistory []calendarChangeView
}

// calendarChangeView is one row of the calendar history as the page shows
// it: the instants written in Indonesian ("—" for none before, "dihapus"
// for a limit removed), Moved how many planned stages moved ("—" but for a
// stage deadline).
type calendarChangeView struct {
	At, What, Old, New, Moved, By, Reason, Basis string
}

// ceilingChangeView is one row of the ceiling history as the page shows it.
type ceilingChangeView struct {
	At, What, By, Reason, Basis string
	Old                         *dak.Money
	New                         dak.Money
}

// regionRows is how many region ceilings one submission of the form adds
// or changes.
const regionRows = 3

func (p *pages) adminYearOf(ctx context.Context, fy dak.FiscalYear, v fiscalYearView) (adminYearView, error) {
	out := adminYearView{fiscalYearView: v}
	for _, code := range slices.Sorted(maps.Keys(fy.Regions)) {
		rc := fy.Regions[code]
		out.Regions = append(out.Regions, menuCeilingView{Label: regionLabel(code), Ceiling: rc.Ceiling, Committed: rc.Committed, Left: rc.Left()})
	}
	changes, err := p.s.store.CeilingHistory(ctx, fy.Year)
	if err != nil {
		return out, err
	}
	for _, ch := range slices.Backward(changes) { // newest first
		what := "Pagu nasional"
		switch ch.Scope {
		case "menu":
			what = "Pagu menu " + dak.Menu(ch.Key).Label()
		case "region":
			what = "Pagu wilayah " + regionLabel(ch.Key)
		}
		by := ch.ChangedByName
		if by == "" {
			by = "baris perintah"
		}
		out.History = append(out.History, ceilingChangeView{At: dak.FormatDateTime(ch.ChangedAt), What: what, By: by,
			Reason: ch.ChangeReason, Basis: ch.LegalBasis, Old: ch.OldCeiling, New: ch.NewCeiling})
	}
	cal, err := p.s.store.CalendarHistory(ctx, fy.Year)
	if err != nil {
		return out, err
	}
	for _, ch := range cal { // newest first already
		out.CalendarHistory = append(out.CalendarHistory, calendarChangeViewOf(ch))
	}
	return out, nil
}

func calendarChangeViewOf(ch store.CalendarChange) calendarChangeView {
	at := func(t *time.Time, none string) string {
		if t == nil {
			return none
		}
		return dak.FormatDateTime(*t)
	}
	what := map[string]string{store.CalendarSubmissionOpens: "Pembukaan pengajuan usulan", store.CalendarSubmissionCloses: "Batas pengajuan usulan",
		store.CalendarRKDeadline: "Batas pengajuan rencana kegiatan"}[ch.What]
	if ch.Stage != nil {
		what = "Batas dokumen tahap " + strconv.Itoa(*ch.Stage)
	}
	by := ch.ChangedByName
	if by == "" {
		by = "baris perintah"
	}
	moved := "—"
	if ch.StagesMoved != nil {
		moved = strconv.Itoa(*ch.StagesMoved)
	}
	return calendarChangeView{At: dak.FormatDateTime(ch.ChangedAt), What: what, Old: at(ch.OldAt, "—"), New: at(ch.NewAt, "dihapus"),
		Moved: moved, By: by, Reason: ch.ChangeReason, Basis: ch.LegalBasis}
}

// regionLabel is "Kota Bandar Lampung (18.71)", or the code alone for a
// region the list does not hold.
func regionLabel(code string) string {
	if r, ok := region.Lookup(region.Code(code)); ok {
		return r.Name + " (" + code + ")"
	}
	return code
}

// formRegionCeilings reads the form's region rows (region_code and
// region_ceiling, side by side); a row with both blank is skipped.
func formRegionCeilings(c echo.Context, errs *dak.Fields) (map[string]dak.Money, []regionCeilingInput) {
	codes, amounts := c.Request().PostForm["region_code"], c.Request().PostForm["region_ceiling"]
	out := map[string]dak.Money{}
	rows := make([]regionCeilingInput, regionRows)
	for i := 0; i < len(codes) && i < len(amounts) && i < maxRegionCeilings; i++ {
		code, amount := strings.TrimSpace(codes[i]), amounts[i]
		if i < regionRows {
			rows[i] = regionCeilingInput{Code: code, Amount: amount}
		}
		if code == "" && strings.TrimSpace(amount) == "" {
			continue
		}
		field := "region_ceilings." + code
		if code == "" {
			errs.Add("region_ceilings", "isi kode wilayah untuk pagu %s", amount)
			continue
		}
		v := optMoney(errs, field, amount)
		if v == nil {
			if strings.TrimSpace(amount) == "" {
				errs.Add(field, "isi pagu wilayah (0 = dihapus)")
			}
			continue
		}
		out[code] = *v
	}
	return out, rows
}

// regionCeilingInput is one region row of the form as typed.
type regionCeilingInput struct{ Code, Amount string }
