package web_test

import (
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// TestDashboard walks proposals through the API (one completed, one with
// its stages planned), then opens /dasbor as each role that may
// and checks that every chart is valid, accessible SVG and that every
// number of the dashboard's tables is the API's: the summary by state, by
// province and by region, the ceilings, the stage deadlines and amounts,
// and the monitoring list.
func TestDashboard(t *testing.T) {
	e := apitest.NewEnv(t)
	year := apitest.Year
	put := e.Admin.Do("PUT", fmt.Sprintf("/api/v1/fiscal-years/%d", year), map[string]any{"ceiling": 1_000_000_000_000,
		"menu_ceilings": map[string]any{"revitalisasi": 400_000_000_000}, "region_ceilings": map[string]any{"18.71": 50_000_000_000},
		"change_reason": "Pagu menu dan wilayah ditetapkan", "legal_basis": "Keputusan Menteri Perindustrian"}, nil)
	if put.Status != http.StatusOK {
		t.Fatalf("PUT fiscal year = %d %s", put.Status, put.Body)
	}
	checkDashboardInput(t, e)

	done := e.Create(t, "revitalisasi", false)
	e.WalkTo(t, done, false, "completed")
	planned := e.Create(t, "pembangunan", true)
	e.WalkTo(t, planned, true, "rk_approved")

	// October of the fiscal year: stage II of the planned proposal is due,
	// and the completed sentra's first semester report is overdue.
	e.Store.SetClock(func() time.Time { return time.Date(year, time.October, 5, 10, 0, 0, 0, dak.WIB) })
	t.Cleanup(func() { e.Store.SetClock(time.Now) })

	pages := map[string]htmlPage{}
	for _, user := range []string{"penetap", "admin", "auditor"} {
		p := loggedIn(t, e, user).get("/dasbor")
		if p.Status != http.StatusOK {
			t.Fatalf("GET /dasbor as %s = %d\n%.500s", user, p.Status, p.Body)
		}
		if n := checkCharts(t, p.Body); n < 6 {
			t.Errorf("GET /dasbor as %s: %d charts, want at least 6", user, n)
		}
		if !strings.Contains(p.Body, `href="/dasbor"`) {
			t.Errorf("GET /dasbor as %s: no Dasbor link in the navigation", user)
		}
		pages[user] = p
	}
	d := dashTables(pages["auditor"].Body)
	api := apitest.Login(t, e.URL, "auditor", apitest.Password) // the environment's token ended with the clock's jump

	// Ceilings: the year's, the menu's, the region's.
	var sum struct {
		Ceiling   int64 `json:"ceiling"`
		Committed int64 `json:"committed"`
		Menus     map[string]struct {
			Ceiling   int64 `json:"ceiling"`
			Committed int64 `json:"committed"`
		} `json:"menu_ceilings"`
		Regions map[string]struct {
			Ceiling   int64 `json:"ceiling"`
			Committed int64 `json:"committed"`
		} `json:"region_ceilings"`
		ByState []struct {
			State     string `json:"state"`
			Count     int64  `json:"count"`
			Requested int64  `json:"requested_amount"`
			Allocated int64  `json:"allocated_amount"`
		} `json:"by_state"`
	}
	r := api.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary", year), nil, nil)
	r.Decode(t, &sum)
	if sum.Committed == 0 {
		t.Fatalf("nothing committed: the fixture allocated nothing: %.300s", r.Body)
	}
	checkCeiling := func(key string, ceiling, used int64) {
		t.Helper()
		d.want(t, "pagu", key, "ceiling", rupiahText(ceiling))
		d.want(t, "pagu", key, "used", rupiahText(used))
		d.want(t, "pagu", key, "left", rupiahText(ceiling-used))
		d.want(t, "pagu", key, "used_percent", dak.PercentOf(dak.Money(used), dak.Money(ceiling)).String())
	}
	checkCeiling("nasional", sum.Ceiling, sum.Committed)
	for m, mc := range sum.Menus {
		checkCeiling("menu-"+m, mc.Ceiling, mc.Committed)
	}
	for code, rc := range sum.Regions {
		checkCeiling("wilayah-"+code, rc.Ceiling, rc.Committed)
	}

	// The pipeline: every state of the summary, and the total.
	var count, requested int64
	for _, s := range sum.ByState {
		d.want(t, "alur", s.State, "count", strconv.FormatInt(s.Count, 10))
		d.want(t, "alur", s.State, "requested", rupiahText(s.Requested))
		d.want(t, "alur", s.State, "allocated", rupiahText(s.Allocated))
		count, requested = count+s.Count, requested+s.Requested
	}
	if count != 2 {
		t.Errorf("summary counts %d proposals, want 2", count)
	}
	d.want(t, "alur", "jumlah", "count", strconv.FormatInt(count, 10))
	d.want(t, "alur", "jumlah", "requested", rupiahText(requested))
	if got, want := len(d["alur"]), len(sum.ByState)+1; got != want {
		t.Errorf("pipeline table has %d rows, want %d", got, want)
	}

	// Allocations by province and absorption by region: the grouped summary.
	type group struct {
		Key       string `json:"key"`
		Allocated int64  `json:"allocated_amount"`
		Disbursed int64  `json:"disbursed_amount"`
		Absorbed  int64  `json:"absorbed_amount"`
	}
	var byProvince, byRegion struct {
		Groups []group `json:"groups"`
		Total  group   `json:"total"`
	}
	api.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?group=province", year), nil, nil).Decode(t, &byProvince)
	api.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?group=region", year), nil, nil).Decode(t, &byRegion)
	for _, g := range byProvince.Groups {
		if g.Allocated > 0 {
			d.want(t, "provinsi", g.Key, "allocated", rupiahText(g.Allocated))
		}
	}
	d.want(t, "provinsi", "jumlah", "allocated", rupiahText(byProvince.Total.Allocated))
	disbursedRegions := 0
	for _, g := range byRegion.Groups {
		if g.Disbursed == 0 {
			continue
		}
		disbursedRegions++
		d.want(t, "penyerapan", g.Key, "allocated", rupiahText(g.Allocated))
		d.want(t, "penyerapan", g.Key, "disbursed", rupiahText(g.Disbursed))
		d.want(t, "penyerapan", g.Key, "absorbed", rupiahText(g.Absorbed))
		d.want(t, "penyerapan", g.Key, "disbursed_percent", dak.PercentOf(dak.Money(g.Disbursed), dak.Money(g.Allocated)).String())
		d.want(t, "penyerapan", g.Key, "absorbed_percent", dak.PercentOf(dak.Money(g.Absorbed), dak.Money(g.Disbursed)).String())
	}
	if disbursedRegions == 0 {
		t.Error("no region with money disbursed: the fixture paid nothing")
	}

	// Stages due in October: stage II of the planned proposal, with the
	// proposal's own deadline and figures; the paid stage is not listed.
	var prop struct {
		Disbursement struct {
			Stages []struct {
				Number   int       `json:"number"`
				Deadline time.Time `json:"deadline"`
			} `json:"stages"`
		} `json:"disbursement"`
		Figures struct {
			Stages []struct {
				Number int   `json:"number"`
				Amount int64 `json:"amount"`
			} `json:"stages"`
		} `json:"figures"`
	}
	api.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", planned), nil, nil).Decode(t, &prop)
	if len(prop.Disbursement.Stages) != 3 || len(prop.Figures.Stages) != 3 {
		t.Fatalf("planned proposal has %d stages and %d stage figures, want 3", len(prop.Disbursement.Stages), len(prop.Figures.Stages))
	}
	key := fmt.Sprintf("%d-2", planned)
	d.want(t, "tahap", key, "deadline", dak.FormatDateTime(prop.Disbursement.Stages[1].Deadline))
	d.want(t, "tahap", key, "amount", rupiahText(prop.Figures.Stages[1].Amount))
	d.want(t, "tahap", "jumlah", "amount", rupiahText(prop.Figures.Stages[1].Amount))
	if got := len(d["tahap"]); got != 2 {
		t.Errorf("stages due table has %d rows, want stage II and the total: %v", got, d["tahap"])
	}

	// Sentra flagged: the monitoring list's counts.
	var mon struct {
		Items []struct {
			Flags []string `json:"flags"`
		} `json:"items"`
	}
	api.Do("GET", "/api/v1/monitoring", nil, nil).Decode(t, &mon)
	var overdue, unused int
	for _, it := range mon.Items {
		for _, f := range it.Flags {
			overdue += btoi(f == dak.FlagOverdue)
			unused += btoi(f == dak.FlagUnused)
		}
	}
	if overdue == 0 {
		t.Error("the completed sentra is not overdue in October: the fixture flags nothing")
	}
	d.want(t, "sentra", dak.FlagOverdue, "count", strconv.Itoa(overdue))
	d.want(t, "sentra", dak.FlagUnused, "count", strconv.Itoa(unused))
	d.want(t, "sentra", "listed", "count", strconv.Itoa(len(mon.Items)))
	if !strings.Contains(pages["auditor"].Body, `href="/pemantauan"`) {
		t.Error("the auditor's dashboard has no link to /pemantauan")
	}

	// The approver's and the admin's dashboards show the same numbers.
	for _, user := range []string{"penetap", "admin"} {
		if got := dashTables(pages[user].Body); fmt.Sprint(got) != fmt.Sprint(d) {
			t.Errorf("%s's dashboard differs from the auditor's:\n%v\n%v", user, got, d)
		}
	}
}

// checkDashboardInput: who may not see the dashboard gets 403, a bad year
// 4xx (never 500), a year without a fiscal year an empty dashboard.
func checkDashboardInput(t *testing.T, e *apitest.Env) {
	t.Helper()
	for _, user := range []string{"pemda", "perbendaharaan", "verifikator"} {
		if p := loggedIn(t, e, user).get("/dasbor"); p.Status != http.StatusForbidden {
			t.Errorf("GET /dasbor as %s = %d, want 403", user, p.Status)
		}
	}
	c := loggedIn(t, e, "auditor")
	for _, q := range []string{"abc", "1999", "2101", "-2027", "+2027", "%00", "%ff%fe", "2027.0", strings.Repeat("9", 5000)} {
		p := c.get("/dasbor?year=" + q)
		if p.Status != http.StatusBadRequest && p.Status != http.StatusUnprocessableEntity {
			t.Errorf("GET /dasbor?year=%.20s = %d, want 400 or 422", q, p.Status)
		}
	}
	p := c.get("/dasbor?year=2031")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "data-missing-year") {
		t.Errorf("GET /dasbor?year=2031 = %d, want 200 saying the year is not set", p.Status)
	}
	checkCharts(t, p.Body)
	p = c.get("/dasbor")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, fmt.Sprintf(`<option value="%d" selected>`, apitest.Year)) {
		t.Errorf("GET /dasbor = %d, want 200 showing %d, the only fiscal year", p.Status, apitest.Year)
	}
	checkCharts(t, p.Body)
}

// svgChart is what the test reads of a chart.
type svgChart struct {
	XMLName xml.Name `xml:"svg"`
	Role    string   `xml:"role,attr"`
	Label   string   `xml:"aria-label,attr"`
	ViewBox string   `xml:"viewBox,attr"`
	Width   string   `xml:"width,attr"`
	Title   string   `xml:"title"`
}

var svgElement = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)

// checkCharts parses every chart of a page as XML and checks that it is
// accessible and scales; it returns how many there are.
func checkCharts(t *testing.T, body string) int {
	t.Helper()
	n := 0
	for _, s := range svgElement.FindAllString(body, -1) {
		if !strings.Contains(s, "data-chart=") {
			continue
		}
		n++
		dec := xml.NewDecoder(strings.NewReader(s))
		for { // every token, so that a malformed part anywhere fails
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("chart is not valid XML: %v\n%.300s", err, s)
				break
			}
		}
		var c svgChart
		if err := xml.Unmarshal([]byte(s), &c); err != nil {
			t.Errorf("chart: %v", err)
			continue
		}
		if c.Role != "img" || c.Label == "" || c.Title == "" || c.Width != "100%" || !strings.HasPrefix(c.ViewBox, "0 0 ") {
			t.Errorf("chart %q: role %q, aria-label %q, width %q, viewBox %q: want img, a label and a title, 100%%, a viewBox",
				c.Title, c.Role, c.Label, c.Width, c.ViewBox)
		}
	}
	return n
}

// dashData is a dashboard's tables: table → row key → column → text.
type dashData map[string]map[string]map[string]string

var (
	dashTable = regexp.MustCompile(`(?s)<table[^>]*data-table="([^"]+)".*?</table>`)
	dashRowRe = regexp.MustCompile(`(?s)<tr data-key="([^"]+)"[^>]*>(.*?)</tr>`)
	dashCell  = regexp.MustCompile(`(?s)<td[^>]*data-col="([^"]+)"[^>]*>(.*?)</td>`)
	tags      = regexp.MustCompile(`<[^>]+>`)
)

func dashTables(body string) dashData {
	out := dashData{}
	for _, tm := range dashTable.FindAllStringSubmatch(body, -1) {
		rows := map[string]map[string]string{}
		for _, rm := range dashRowRe.FindAllStringSubmatch(tm[0], -1) {
			cells := map[string]string{}
			for _, cm := range dashCell.FindAllStringSubmatch(rm[2], -1) {
				cells[cm[1]] = html.UnescapeString(strings.TrimSpace(tags.ReplaceAllString(cm[2], "")))
			}
			rows[html.UnescapeString(rm[1])] = cells
		}
		out[tm[1]] = rows
	}
	return out
}

// want checks one cell.
func (d dashData) want(t *testing.T, table, key, col, want string) {
	t.Helper()
	if got, ok := d[table][key][col]; !ok {
		t.Errorf("dashboard table %s has no cell %s/%s; rows: %v", table, key, col, d[table])
	} else if got != want {
		t.Errorf("dashboard table %s, %s/%s = %q, want %q (the API's)", table, key, col, got, want)
	}
}

// rupiahText is an exact amount as the dashboard's tables write it.
func rupiahText(n int64) string { return "Rp" + dak.Money(n).Figures() }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
