package dak

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// monitoring are the parameters of workflows/dak-fisik-ikm.yaml.
var monitoring = MonitoringParams{AfterState: "completed", Years: 3, GraceDays: 30, UnusedOccupancyPercent: 30, UnusedConsecutiveReports: 2}

func wib(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, WIB)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		err  string
	}{
		{"2028-S1", Period{2028, 1}, ""},
		{"2028-S2", Period{2028, 2}, ""},
		{"2028-S3", Period{}, "format"},
		{"2028-s1", Period{}, "format"},
		{"28-S1", Period{}, "format"},
		{"2028-S1 ", Period{}, "format"},
		{"1999-S2", Period{}, "antara 2000 dan 2100"},
		{"+028-S1", Period{}, "format"},
		{"", Period{}, "format"},
		{"2028\x00S1", Period{}, "format"},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParsePeriod(%q) error = %v; want one saying %q", tt.in, err, tt.err)
		}
	}
	p := Period{2028, 2}
	if p.String() != "2028-S2" || p.Label() != "Semester II 2028" || p.Next() != (Period{2029, 1}) {
		t.Errorf("Period{2028,2}: %s, %s, next %v", p, p.Label(), p.Next())
	}
	if got := FormatDate(Period{2028, 1}.End()); got != "30 Juni 2028" {
		t.Errorf("End of 2028-S1 = %s, want 30 Juni 2028", got)
	}
	// 31 December 20.00 UTC is already 1 January in Jakarta.
	if got := PeriodOf(time.Date(2027, 12, 31, 20, 0, 0, 0, time.UTC)); got != (Period{2028, 1}) {
		t.Errorf("PeriodOf(31 Dec 20.00 UTC) = %v, want 2028-S1", got)
	}
}

func TestMonitoringSchedule(t *testing.T) {
	completed := wib("2027-05-20 10:00")
	var got []string
	for _, p := range monitoring.Periods(completed) {
		got = append(got, p.String()+" "+monitoring.Due(p).Format(time.DateOnly))
	}
	want := []string{"2027-S2 2028-01-30", "2028-S1 2028-07-30", "2028-S2 2029-01-30", "2029-S1 2029-07-30",
		"2029-S2 2030-01-30", "2030-S1 2030-07-30"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Periods and due dates (-want +got):\n%s", diff)
	}

	tests := []struct {
		period, now string
		err         string
	}{
		{"2027-S2", "2027-07-01 00:00", ""},
		{"2027-S2", "2029-03-01 09:00", ""}, // late, but owed
		{"2030-S1", "2030-01-01 00:00", ""},
		{"2027-S1", "2027-08-01 09:00", "sebelum masa pemantauan"},
		{"2030-S2", "2031-01-01 09:00", "setelah masa pemantauan"},
		{"2028-S1", "2027-12-31 23:59", "belum dimulai"},
	}
	for _, tt := range tests {
		p, _ := ParsePeriod(tt.period)
		msg := monitoring.CheckPeriod(p, completed, wib(tt.now))
		if tt.err == "" && msg != "" || tt.err != "" && !strings.Contains(msg, tt.err) {
			t.Errorf("CheckPeriod(%s at %s) = %q, want %q", tt.period, tt.now, msg, tt.err)
		}
	}
}

func TestAssess(t *testing.T) {
	completed := wib("2027-05-20 10:00")
	report := func(id int64, period string, ikm int64, occupancy Percent, filed string) ReportFacts {
		p, _ := ParsePeriod(period)
		return ReportFacts{ID: id, Period: p, IKMUsing: ikm, Occupancy: occupancy * 100, FiledAt: wib(filed)}
	}
	tests := []struct {
		name    string
		reports []ReportFacts
		now     string
		states  string // the schedule's states, in order
		overdue string
		soon    string
		flags   []string
		unused  string
	}{
		{name: "before any report is owed", now: "2027-06-30 23:59",
			states: "upcoming upcoming upcoming upcoming upcoming upcoming", flags: []string{}},
		{name: "first semester open, not yet due soon", now: "2027-12-01 09:00",
			states: "open upcoming upcoming upcoming upcoming upcoming", flags: []string{}},
		{name: "first report due within 30 days", now: "2028-01-02 09:00", soon: "2027-S2",
			states: "open open upcoming upcoming upcoming upcoming", flags: []string{}},
		{name: "due day itself is on time", now: "2028-01-30 23:59", soon: "2027-S2",
			states: "open open upcoming upcoming upcoming upcoming", flags: []string{}},
		{name: "overdue the day after", now: "2028-01-31 00:00", overdue: "2027-S2",
			states: "overdue open upcoming upcoming upcoming upcoming", flags: []string{FlagOverdue}},
		{name: "filed late is no longer overdue", now: "2028-02-10 09:00",
			reports: []ReportFacts{report(1, "2027-S2", 10, 80, "2028-02-05 09:00")},
			states:  "filed open upcoming upcoming upcoming upcoming", flags: []string{}},
		{name: "one unused report does not flag", now: "2028-08-10 09:00",
			reports: []ReportFacts{report(1, "2027-S2", 10, 80, "2028-01-05 09:00"), report(2, "2028-S1", 0, 50, "2028-07-05 09:00")},
			states:  "filed filed open upcoming upcoming upcoming", flags: []string{}},
		{name: "no IKM, then occupancy under 30%: flagged", now: "2029-01-10 09:00",
			reports: []ReportFacts{report(2, "2028-S1", 0, 50, "2028-07-05 09:00"), report(3, "2028-S2", 4, 29, "2029-01-05 09:00"),
				report(1, "2027-S2", 10, 80, "2028-01-05 09:00")},
			states: "filed filed filed open upcoming upcoming", flags: []string{FlagUnused}, unused: "2028-S1 2028-S2"},
		{name: "30% exactly is in use", now: "2029-01-10 09:00",
			reports: []ReportFacts{report(2, "2028-S1", 0, 50, "2028-07-05 09:00"), report(3, "2028-S2", 4, 30, "2029-01-05 09:00"),
				report(1, "2027-S2", 10, 80, "2028-01-05 09:00")},
			states: "filed filed filed open upcoming upcoming", flags: []string{}},
		{name: "a later report in use clears the flag", now: "2029-07-10 09:00",
			reports: []ReportFacts{report(1, "2027-S2", 0, 0, "2028-01-05 09:00"), report(2, "2028-S1", 0, 0, "2028-07-05 09:00"),
				report(3, "2028-S2", 5, 60, "2029-01-05 09:00"), report(4, "2029-S1", 5, 60, "2029-07-05 09:00")},
			states: "filed filed filed filed open upcoming", flags: []string{}},
		{name: "overdue and flagged together", now: "2029-08-01 09:00",
			reports: []ReportFacts{report(1, "2027-S2", 0, 0, "2028-01-05 09:00"), report(2, "2028-S1", 3, 10, "2028-07-05 09:00")},
			states:  "filed filed overdue overdue open upcoming", overdue: "2028-S2 2029-S1",
			flags: []string{FlagOverdue, FlagUnused}, unused: "2027-S2 2028-S1"},
		{name: "after the monitoring ends, missing reports stay overdue", now: "2031-03-01 09:00",
			states:  "overdue overdue overdue overdue overdue overdue",
			overdue: "2027-S2 2028-S1 2028-S2 2029-S1 2029-S2 2030-S1", flags: []string{FlagOverdue}},
	}
	periods := func(ps []Period) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.String())
		}
		return strings.Join(s, " ")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := monitoring.Assess(completed, tt.reports, wib(tt.now))
			var states []string
			for _, e := range a.Schedule {
				states = append(states, e.State)
				if e.State == ScheduleFiled && e.ReportID == 0 {
					t.Errorf("%s filed without its report id", e.Period)
				}
			}
			got := []string{strings.Join(states, " "), periods(a.Overdue), periods(a.DueSoon), periods(a.UnusedPeriods)}
			want := []string{tt.states, tt.overdue, tt.soon, tt.unused}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Assess at %s: states, overdue, due soon, unused (-want +got):\n%s", tt.now, diff)
			}
			if diff := cmp.Diff(tt.flags, a.Flags()); diff != "" {
				t.Errorf("Flags (-want +got):\n%s", diff)
			}
		})
	}
	a := monitoring.Assess(completed, []ReportFacts{report(1, "2027-S2", 0, 0, "2028-01-05 09:00"), report(2, "2028-S1", 3, 10, "2028-07-05 09:00")},
		wib("2029-02-01 09:00"))
	want := []string{"Laporan pemanfaatan Semester II 2028 belum disampaikan (jatuh tempo 30 Januari 2029).",
		"Tidak dimanfaatkan: 2 laporan berturut-turut (Semester II 2027, Semester I 2028) tanpa IKM yang memanfaatkan atau dengan tingkat hunian di bawah 30%."}
	if diff := cmp.Diff(want, monitoring.Reasons(a)); diff != "" {
		t.Errorf("Reasons (-want +got):\n%s", diff)
	}
	late := report(1, "2027-S2", 1, 50, "2028-01-31 00:00")
	if !monitoring.Late(late) || monitoring.Late(report(1, "2027-S2", 1, 50, "2028-01-30 23:59")) {
		t.Error("Late: a report filed on 31 January for 2027-S2 is late, one on 30 January is not")
	}
}

func TestSentraReportValidate(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	money := func(v Money) *Money { return &v }
	pct := func(v Percent) *Percent { return &v }
	valid := func() SentraReportInput {
		return SentraReportInput{Period: " 2028-S1 ", IKMUsing: n(12), Workers: n(40), ProductionValue: money(150_000_000),
			OccupancyPercent: pct(7500), Condition: "baik", OperatingBudget: money(0), Issues: "Atap bocor\nperlu perbaikan"}
	}
	in := valid()
	p, err := in.Validate()
	if err != nil || p != (Period{2028, 1}) || in.Period != "2028-S1" {
		t.Fatalf("Validate(valid) = %v, %v (period %q)", p, err, in.Period)
	}
	tests := []struct {
		name   string
		change func(*SentraReportInput)
		fields []string
	}{
		{"bad period", func(in *SentraReportInput) { in.Period = "2028-S9" }, []string{"period"}},
		{"negative counts", func(in *SentraReportInput) { in.IKMUsing, in.Workers = n(-1), n(-5) }, []string{"ikm_using", "workers"}},
		{"huge counts", func(in *SentraReportInput) { in.IKMUsing, in.Workers = n(math.MaxInt64), n(1_000_001) }, []string{"ikm_using", "workers"}},
		{"occupancy over 100", func(in *SentraReportInput) { in.OccupancyPercent = pct(10100) }, []string{"occupancy_percent"}},
		{"occupancy not whole", func(in *SentraReportInput) { in.OccupancyPercent = pct(4550) }, []string{"occupancy_percent"}},
		{"unknown condition", func(in *SentraReportInput) { in.Condition = "bagus" }, []string{"condition"}},
		{"NUL in issues", func(in *SentraReportInput) { in.Issues = "a\x00b" }, []string{"issues"}},
		{"invalid UTF-8", func(in *SentraReportInput) { in.Issues = "a\xffb" }, []string{"issues"}},
		{"issues too long", func(in *SentraReportInput) { in.Issues = strings.Repeat("é", 2001) }, []string{"issues"}},
		{"everything at once", func(in *SentraReportInput) {
			*in = SentraReportInput{Period: "x", IKMUsing: n(-1), Workers: n(-1), OccupancyPercent: pct(20000), Condition: "", Issues: "\x01"}
		}, []string{"period", "ikm_using", "workers", "production_value", "occupancy_percent", "condition", "operating_budget", "issues"}},
		{"figures left out", func(in *SentraReportInput) { *in = SentraReportInput{Period: "2028-S1", Condition: "baik"} },
			[]string{"ikm_using", "workers", "production_value", "occupancy_percent", "operating_budget"}},
	}
	for _, tt := range tests {
		in := valid()
		tt.change(&in)
		_, err := in.Validate()
		de, ok := AsError(err)
		if !ok || de.Kind != ErrInvalid {
			t.Errorf("%s: Validate = %v, want ErrInvalid", tt.name, err)
			continue
		}
		var fields []string
		for _, f := range de.Fields {
			fields = append(fields, f.Field)
		}
		if diff := cmp.Diff(tt.fields, fields); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
		}
	}
	// The occupancy is read exactly, as every percentage of the API.
	var dec SentraReportInput
	if err := json.Unmarshal([]byte(`{"occupancy_percent": 45, "ikm_using": null}`), &dec); err != nil || *dec.OccupancyPercent != 4500 || dec.IKMUsing != nil {
		t.Errorf("decode occupancy 45 = %+v, %v", dec, err)
	}
}

func TestSentraVisitValidate(t *testing.T) {
	now := wib("2026-11-22 10:00")
	tests := []struct {
		in     SentraVisitInput
		fields []string
	}{
		{SentraVisitInput{Date: "2026-11-22", Status: "kurang_aktif", Findings: "Hanya 3 dari 15 IKM berproduksi"}, nil},
		{SentraVisitInput{Date: "2026-11-20", Findings: "Bangunan dipakai penuh"}, nil},
		{SentraVisitInput{Date: "2026-11-23", Status: "aktif", Findings: "x"}, []string{"date"}},
		{SentraVisitInput{Date: "2026-02-30", Status: "mati", Findings: ""}, []string{"date", "status", "findings"}},
		{SentraVisitInput{Date: "2026-11-01", Findings: strings.Repeat("x", 2001)}, []string{"findings"}},
		{SentraVisitInput{Date: "1999-12-31", Findings: "a\x00"}, []string{"date", "findings"}},
	}
	for _, tt := range tests {
		in := tt.in
		day, err := in.Validate(now)
		var fields []string
		if de, ok := AsError(err); ok {
			for _, f := range de.Fields {
				fields = append(fields, f.Field)
			}
		} else if err == nil && day.IsZero() {
			t.Errorf("Validate(%+v) gave no day", tt.in)
		}
		if diff := cmp.Diff(tt.fields, fields); diff != "" {
			t.Errorf("Validate(%+v) fields (-want +got):\n%s", tt.in, diff)
		}
	}
	if got := VisitBasis(wib("2026-11-22 00:00")); got != "Kunjungan lapangan 22 November 2026" {
		t.Errorf("VisitBasis = %q", got)
	}
}

func TestPhotoChecks(t *testing.T) {
	for _, tt := range []struct {
		data string
		want string
	}{
		{"\xFF\xD8\xFF\xE0rest", "image/jpeg"},
		{"\x89PNG\r\n\x1a\nrest", "image/png"},
		{"%PDF-1.4", ""},
		{"\x89PN", ""},
		{"", ""},
	} {
		if got, ok := PhotoType([]byte(tt.data)); got != tt.want || ok != (tt.want != "") {
			t.Errorf("PhotoType(%q) = %q, %v; want %q", tt.data, got, ok, tt.want)
		}
	}
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		lat, lon *float64
		fields   []string
	}{
		{nil, nil, nil},
		{f(-5.4), f(105.26), nil},
		{f(-5.4), nil, []string{"longitude"}},
		{nil, f(105.2), []string{"latitude"}},
		{f(40), f(200), []string{"latitude", "longitude"}},
		{f(math.NaN()), f(105), []string{"latitude"}},
	} {
		var errs Fields
		CheckPhotoCoordinates(&errs, tt.lat, tt.lon)
		var fields []string
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		if !slices.Equal(fields, tt.fields) {
			t.Errorf("CheckCoordinates = %v, want %v", fields, tt.fields)
		}
	}
	if p := monitoring.Problems(); len(p) != 0 {
		t.Errorf("Problems of the default parameters = %v", p)
	}
	if p := (MonitoringParams{}).Problems(); len(p) != 3 {
		t.Errorf("Problems of zero parameters = %v, want three", p)
	}
}
