package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// The proposal form's sentra picker (PRODUCT.md §9): a revitalisasi names
// a registered sentra of its region that may be revitalised, chosen from
// a select the server renders (it works without JavaScript); app.js only
// fills and locks the sentra's fields from the chosen option, and hides
// the picker for a pembangunan, which registers a new sentra.

// sentraChoice is one option of the picker, with the registry's values
// the script copies into the form.
type sentraChoice struct {
	ID                                            int64
	Label                                         string // "name — commodity — desa, kecamatan (status)"
	Name, Commodity, Village, Latitude, Longitude string
	Selected                                      bool
}

func newSentraChoice(s dak.Sentra, selected string) sentraChoice {
	desa := regionName(s.VillageCode)
	if code, err := region.ParseCode(s.VillageCode); err == nil && code.Level() == region.Village {
		desa += ", " + regionName(string(code.Parent()))
	}
	id := strconv.FormatInt(s.ID, 10)
	return sentraChoice{ID: s.ID, Name: s.Name, Commodity: s.Commodity, Village: s.VillageCode,
		Latitude: fmtCoord(s.Latitude), Longitude: fmtCoord(s.Longitude), Selected: id == selected,
		Label: fmt.Sprintf("%s — %s — %s (%s)", s.Name, s.Commodity, desa, strings.ToLower(s.Status.Label()))}
}

// sentraChoices are the picker's options for form f: the sentra of the
// region a revitalisasi of f's fiscal year may name now, as the guards
// sentra_alive and no_double_funding judge them (workflow
// RevitalisableSentra). A revitalisasi's sentra that no longer may be
// chosen (found dead since) stays listed, selected, so that the form
// shows what the proposal names and the save says why it is refused.
func (p *pages) sentraChoices(c echo.Context, f proposalForm, editing *dak.Proposal) ([]sentraChoice, error) {
	u := currentUser(c)
	regionCode := u.RegionCode
	if editing != nil {
		regionCode = editing.RegionCode
	}
	if regionCode == "" {
		return nil, nil
	}
	year, _ := strconv.Atoi(f.FiscalYear) // a year that is not a number is the form's error; no funding gap then
	list, err := p.s.engine.RevitalisableSentra(c.Request().Context(), u, regionCode, year, editing)
	if err != nil {
		return nil, err
	}
	out := make([]sentraChoice, 0, len(list))
	found := false
	for _, s := range list {
		ch := newSentraChoice(s, f.SentraID)
		found = found || ch.Selected
		out = append(out, ch)
	}
	if !found && f.Menu == string(dak.MenuRevitalisasi) {
		s, ok, err := p.registered(c, f.SentraID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, newSentraChoice(s, f.SentraID))
		}
	}
	return out, nil
}

// registered reads the registry's sentra of a posted sentra_id as the
// user may see it; ok is false for an id that is no number or no sentra
// the user may see (the engine then names sentra_id).
func (p *pages) registered(c echo.Context, raw string) (dak.Sentra, bool, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return dak.Sentra{}, false, nil
	}
	s, err := p.s.store.Sentra(c.Request().Context(), currentUser(c), id)
	if errors.Is(err, dak.ErrNotFound) {
		return dak.Sentra{}, false, nil
	}
	if err != nil {
		return dak.Sentra{}, false, err
	}
	return s, true, nil
}

// fillFromRegistry fills a revitalisasi's sentra fields from the registry
// record the picker named — name, commodity, desa and, where the registry
// has them, coordinates — as app.js does in the browser, so that a form
// posted without JavaScript saves the same proposal. The engine judges
// the choice (and fills name, commodity and desa itself again).
func (p *pages) fillFromRegistry(c echo.Context, f *proposalForm) error {
	if f.Menu != string(dak.MenuRevitalisasi) || f.SentraID == "" {
		return nil
	}
	s, ok, err := p.registered(c, f.SentraID)
	if err != nil || !ok {
		return err
	}
	f.Name, f.Commodity, f.Village = s.Name, s.Commodity, s.VillageCode
	if s.Latitude != nil && s.Longitude != nil {
		f.Lat, f.Lon = fmtCoord(s.Latitude), fmtCoord(s.Longitude)
	}
	return nil
}
