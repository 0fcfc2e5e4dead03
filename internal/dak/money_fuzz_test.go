package dak

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz targets of this file check that the parsers of amounts and
// percentages accept exactly the documented forms and that whatever they
// accept formats back to the same value. Seeds are in
// testdata/fuzz/<FuzzName>/; scripts/test.sh runs each for DAKFLOW_FUZZTIME.

// FuzzParseMoney: an accepted string is plain digits of at most MaxMoney, its
// value is strconv's, and String, Figures and MarshalJSON all give it back; a
// refused string gets an error that quotes at most a clipped piece of it.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "1250000000", "0500", "999999999999999", "1000000000000000",
		"18446744073709551616", "-1", "1.000", "Rp5", " 1", "1\x00", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			checkClippedError(t, "ParseMoney", s, err)
			if u, perr := strconv.ParseUint(s, 10, 64); perr == nil && u <= uint64(MaxMoney) && s[0] != '+' {
				t.Fatalf("ParseMoney(%q) = %v, but it is %d in digits", s, err, u)
			}
			return
		}
		u, perr := strconv.ParseUint(s, 10, 64)
		if perr != nil || Money(u) != m || m < 0 || m > MaxMoney || !allDigits(s) {
			t.Fatalf("ParseMoney(%q) = %d, want strconv's %d (%v) within 0..MaxMoney", s, m, u, perr)
		}
		checkMoneyFormatsBack(t, m)
	})
}

// FuzzMoneyJSON: UnmarshalJSON accepts only a bare integer without leading
// zeros, so an accepted value marshals back to exactly the trimmed input.
func FuzzMoneyJSON(f *testing.F) {
	for _, s := range []string{"0", "1250000000", " 42\n", "999999999999999", "1000000000000000",
		"1.0", "1e3", "01", "-1", `"1"`, "null", "", "[]", "{}", "1\x00", "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Money
		if err := m.UnmarshalJSON(b); err != nil {
			checkClippedError(t, "Money.UnmarshalJSON", string(b), err)
			if m != 0 {
				t.Fatalf("Money.UnmarshalJSON(%q) failed with %v but set %d", b, err, m)
			}
			return
		}
		if m < 0 || m > MaxMoney {
			t.Fatalf("Money.UnmarshalJSON(%q) = %d, outside 0..MaxMoney", b, m)
		}
		out, _ := m.MarshalJSON()
		if want := strings.Trim(string(b), " \t\r\n"); string(out) != want {
			t.Fatalf("Money.UnmarshalJSON(%q) = %d, which marshals to %q, want %q", b, m, out, want)
		}
		checkMoneyFormatsBack(t, m)
	})
}

// FuzzParsePercent: an accepted percentage has at most two decimals, and its
// figure (String without "%", either separator) and JSON parse back to it.
func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"45", "70.5", "80,5", "70,25", "0", "0.05", "100", "100.00", "92233720368547758.07",
		"92233720368547758.08", "1.234", "1.2.3", "1,2.3", ".5", "5.", "-1", "45%", "1e2", "\x00", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePercent(s)
		if err != nil {
			checkClippedError(t, "ParsePercent", s, err)
			return
		}
		if p < 0 {
			t.Fatalf("ParsePercent(%q) = %d, negative", s, p)
		}
		checkPercentFormatsBack(t, p)
	})
}

// FuzzPercentJSON: what UnmarshalJSON accepts is non-negative, ParsePercent
// agrees with it, and it marshals back to a number that decodes to it.
func FuzzPercentJSON(f *testing.F) {
	for _, s := range []string{"45", "70.5", "70.25", "70.500", "0.05", "100", "1e2", "01", "-1", `"45"`, "null",
		"92233720368547758.07", "92233720368547758.08", "\x00", "\xff", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Percent
		if err := p.UnmarshalJSON(b); err != nil {
			checkClippedError(t, "Percent.UnmarshalJSON", string(b), err)
			return
		}
		if p < 0 {
			t.Fatalf("Percent.UnmarshalJSON(%q) = %d, negative", b, p)
		}
		if q, err := ParsePercent(strings.Trim(string(b), " \t\r\n")); err != nil || q != p {
			t.Fatalf("Percent.UnmarshalJSON(%q) = %d, but ParsePercent gives %d, %v", b, p, q, err)
		}
		checkPercentFormatsBack(t, p)
	})
}

// FuzzMoneyWords: every int64 amount is spelled in non-empty words that end
// in "rupiah", start with "nol" only for zero and read back to the amount;
// the figures of String read back to it too.
func FuzzMoneyWords(f *testing.F) {
	for _, n := range []int64{0, 1, 10, 11, 1000, 1_000_000, 1_250_000_000, int64(MaxMoney), int64(MaxMoney) + 1,
		-5000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		m := Money(n)
		w := m.Words()
		words, ok := strings.CutSuffix(w, " rupiah")
		if !ok || words == "" || (n != 0) == strings.HasPrefix(words, "nol") {
			t.Fatalf("Money(%d).Words() = %q: empty, no rupiah, or nol for a non-zero amount", n, w)
		}
		if (n < 0) != strings.HasPrefix(words, "minus ") {
			t.Fatalf("Money(%d).Words() = %q: sign lost", n, w)
		}
		if got, err := ParseTerbilang(words); err != nil || got != n {
			t.Fatalf("ParseTerbilang(%q) = %d, %v; want %d", words, got, err, n)
		}
		if got := figuresValue(t, m.String(), "Rp", ",00"); got != n {
			t.Fatalf("Money(%d).String() = %q reads back as %d", n, m.String(), got)
		}
		if got := figuresValue(t, m.Figures(), "", ""); got != n {
			t.Fatalf("Money(%d).Figures() = %q reads back as %d", n, m.Figures(), got)
		}
		if want := m.String() + " (" + w + ")"; m.Spelled() != want {
			t.Fatalf("Money(%d).Spelled() = %q, want %q", n, m.Spelled(), want)
		}
	})
}

// FuzzParseTerbilang: arbitrary text is read without panicking, and what is
// accepted is exactly Terbilang's spelling of the number it names.
func FuzzParseTerbilang(f *testing.F) {
	for _, s := range []string{"nol", "satu miliar dua ratus lima puluh juta", "SERIBU  satu", "minus sembilan",
		"sembilan kuintiliun dua ratus dua puluh tiga kuadriliun tiga ratus tujuh puluh dua triliun tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh ratus tujuh puluh lima ribu delapan ratus delapan",
		"minus sembilan kuintiliun dua ratus dua puluh tiga kuadriliun tiga ratus tujuh puluh dua triliun tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh ratus tujuh puluh lima ribu delapan ratus sembilan",
		"satu ratus", "sejuta", "ribu ribu ribu", "minus", "minus nol", "puluh", "\x00", "\xff\xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseTerbilang(s)
		if err != nil {
			checkClippedError(t, "ParseTerbilang", s, err)
			return
		}
		if got, want := strings.Join(strings.Fields(strings.ToLower(s)), " "), Terbilang(n); got != want {
			t.Fatalf("ParseTerbilang(%q) = %d, but Terbilang(%d) = %q", s, n, n, want)
		}
	})
}

// checkMoneyFormatsBack checks that every format of m parses back to m.
func checkMoneyFormatsBack(t *testing.T, m Money) {
	t.Helper()
	digits := strings.ReplaceAll(m.Figures(), ".", "")
	if got, err := ParseMoney(digits); err != nil || got != m {
		t.Fatalf("ParseMoney(%q) (Money(%d).Figures without dots) = %d, %v", digits, m, got, err)
	}
	out, _ := m.MarshalJSON()
	var back Money
	if err := back.UnmarshalJSON(out); err != nil || back != m {
		t.Fatalf("Money(%d) marshals to %q, which unmarshals to %d, %v", m, out, back, err)
	}
	if got := figuresValue(t, m.String(), "Rp", ",00"); got != int64(m) {
		t.Fatalf("Money(%d).String() = %q reads back as %d", m, m.String(), got)
	}
}

// checkPercentFormatsBack checks that String, with either separator, and
// MarshalJSON of p parse back to p.
func checkPercentFormatsBack(t *testing.T, p Percent) {
	t.Helper()
	fig, ok := strings.CutSuffix(p.String(), "%")
	if !ok {
		t.Fatalf("Percent(%d).String() = %q: no %% sign", p, p.String())
	}
	for _, s := range []string{fig, strings.Replace(fig, ",", ".", 1)} {
		if got, err := ParsePercent(s); err != nil || got != p {
			t.Fatalf("ParsePercent(%q) (from Percent(%d).String()) = %d, %v", s, p, got, err)
		}
	}
	out, _ := p.MarshalJSON()
	var back Percent
	if err := back.UnmarshalJSON(out); err != nil || back != p {
		t.Fatalf("Percent(%d) marshals to %q, which unmarshals to %d, %v", p, out, back, err)
	}
	if w := p.Words(); !strings.HasSuffix(w, " persen") || strings.Contains(w, "  ") {
		t.Fatalf("Percent(%d).Words() = %q", p, w)
	}
}

// figuresValue reads a formatted amount ("-Rp1.250,00", "1.250") back: an
// optional minus, the prefix, groups of three digits separated by dots, the
// suffix. It fails the test on any other shape.
func figuresValue(t *testing.T, s, prefix, suffix string) int64 {
	t.Helper()
	body, negative := strings.CutPrefix(s, "-")
	body, ok1 := strings.CutPrefix(body, prefix)
	body, ok2 := strings.CutSuffix(body, suffix)
	groups := strings.Split(body, ".")
	for i, g := range groups {
		if !ok1 || !ok2 || !allDigits(g) || len(g) > 3 || i > 0 && len(g) != 3 || len(groups) > 1 && i == 0 && g[0] == '0' {
			t.Fatalf("%q is not %s<figures>%s with dots between thousands", s, prefix, suffix)
		}
	}
	u, err := strconv.ParseUint(strings.Join(groups, ""), 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return fromMagnitude(u, negative)
}

// checkClippedError checks that a refusal says something, stays short and
// never echoes a long input whole or as invalid UTF-8 (the message reaches a
// 400 body). The echo is looked for in its quoted form, the one the errors
// print: quoting doubles a backslash, so a raw search would find a long run
// of them inside the quoting of a clipped, shorter run.
func checkClippedError(t *testing.T, fn, in string, err error) {
	t.Helper()
	msg := err.Error()
	quoted := strconv.Quote(in)
	echoed := len(in) > 60 && strings.Contains(msg, quoted[1:len(quoted)-1])
	if msg == "" || !utf8.ValidString(msg) || echoed || len(msg) > 512 {
		t.Fatalf("%s(%q) error %q: empty, not UTF-8, too long, or echoing the whole input", fn, in, msg)
	}
}
