package web

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// adminYearView is a fiscal year on the admin page: its ceilings, its
// region ceilings and the dated history of their changes.
type adminYearView struct {
	fiscalYearView
	Regions []menuCeilingView
	History []ceilingChangeView
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
	return out, nil
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
