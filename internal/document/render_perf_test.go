package document

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// refPenalty is the mask penalty as first written, module by module over
// []bool (ISO/IEC 18004 §7.8.3), which the packed qrRows.penalty must equal.
func refPenalty(g []bool, n int) int {
	line := func(start, step int) int {
		p, run, win := 0, 0, 0
		prev := false
		for i := 0; i < n; i++ {
			c := g[start+i*step]
			if i > 0 && c == prev {
				run++
			} else {
				if run >= 5 {
					p += run - 2
				}
				run, prev = 1, c
			}
			win = win << 1 & 0x7FF
			if c {
				win |= 1
			}
			if win == 0x05D || win == 0x5D0 {
				p += 40
			}
		}
		if run >= 5 {
			p += run - 2
		}
		for range 4 {
			if win = win << 1 & 0x7FF; win == 0x5D0 {
				p += 40
			}
		}
		return p
	}
	p, darks := 0, 0
	for a := 0; a < n; a++ {
		p += line(a*n, 1) + line(a, n)
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			c := g[y*n+x]
			if c {
				darks++
			}
			if x+1 < n && y+1 < n && c == g[y*n+x+1] && c == g[(y+1)*n+x] && c == g[(y+1)*n+x+1] {
				p += 3
			}
		}
	}
	total := n * n
	k := (abs(darks*20-total*10)+total-1)/total - 1
	return p + k*10
}

// TestQRPenaltyMatchesReference checks the packed penalty and the mask it
// chooses against the module-by-module reference, for every mask of codes
// of every version 1–10.
func TestQRPenaltyMatchesReference(t *testing.T) {
	var cases []string
	for n := 1; n <= 213; n += 3 {
		cases = append(cases, strings.Repeat("z", n), strings.Repeat("\x00\xff", n/2+1)[:n])
	}
	for i := range 60 {
		cases = append(cases, fmt.Sprintf("https://dakflow.kemenperin.go.id/verify/%04X-K%03d-Q%d", i*7919, i*31, i))
	}
	for _, s := range cases {
		best, bestScore := -1, -1
		for m := 0; m < 8; m++ {
			q, err := encodeQR([]byte(s), m)
			if err != nil {
				t.Fatalf("encodeQR(%d bytes, %d): %v", len(s), m, err)
			}
			var rows, cols qrRows
			for y := 0; y < q.size; y++ {
				for x := 0; x < q.size; x++ {
					if q.at(x, y) {
						rows[y] |= 1 << x
						cols[x] |= 1 << y
					}
				}
			}
			want := refPenalty(q.dark, q.size)
			if got := penalty(&rows, &cols, q.size); got != want {
				t.Fatalf("%d bytes, mask %d: penalty %d, reference %d", len(s), m, got, want)
			}
			if bestScore < 0 || want < bestScore {
				best, bestScore = m, want
			}
		}
		q, err := encodeQR([]byte(s), -1)
		if err != nil {
			t.Fatal(err)
		}
		ref, _ := encodeQR([]byte(s), best)
		if fmt.Sprint(q.dark) != fmt.Sprint(ref.dark) {
			t.Fatalf("%d bytes: the chosen symbol is not that of mask %d, the reference's choice", len(s), best)
		}
	}
}

// TestQRNoAllocs: choosing the mask allocates nothing (PRODUCT.md §7: every
// document draws a QR code).
func TestQRNoAllocs(t *testing.T) {
	q, err := encodeQR([]byte("https://dakflow.kemenperin.go.id/verify/AZ4J-JILS-HRQ5"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() { q.bestMask() }); n != 0 {
		t.Errorf("bestMask allocates %.0f times, want 0", n)
	}
}

// TestGFTables checks the log tables rsRemainder multiplies with against
// gfMul, and that no generator coefficient is 0 (it has no logarithm).
func TestGFTables(t *testing.T) {
	for x := 1; x < 256; x++ {
		for y := 1; y < 256; y++ {
			if got, want := gfExp[gfLog[x]+gfLog[y]], gfMul(byte(x), byte(y)); got != want {
				t.Fatalf("%d·%d = %d by the tables, %d by gfMul", x, y, got, want)
			}
		}
	}
	for d, g := range rsGenerators {
		for _, c := range g {
			if c == 0 {
				t.Fatalf("generator of degree %d has a coefficient 0", d)
			}
		}
	}
}

// TestRenderConcurrent renders every kind from several goroutines at once,
// as the server does, with the pooled writers and buffers shared: each
// document must be the bytes of the same kind rendered alone. Run it with
// -race.
func TestRenderConcurrent(t *testing.T) {
	want := map[string][]byte{}
	for _, kind := range Kinds() {
		want[kind] = render(t, sampleInput(t, kind))
	}
	r := testRenderer(t)
	errs := make(chan error, 4*len(want))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kinds := Kinds()
			for i := range kinds {
				kind := kinds[(i+g*5)%len(kinds)]
				in, _ := SampleInput(kind)
				got, err := r.Render(in)
				if err == nil && !bytes.Equal(got, want[kind]) {
					err = fmt.Errorf("%s: rendered concurrently, the bytes differ", kind)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
