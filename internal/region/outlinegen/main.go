// Command outlinegen writes the outline of the coverage map (PRODUCT.md §9),
// internal/region/data/outline/indonesia.txt, from Natural Earth's 1:50m
// Admin 0 countries as the npm package world-atlas 2.0.2 redistributes them
// (countries-50m.json, TopoJSON). It is run by scripts/gen-outline.sh, which
// fetches and checks the pinned package.
//
// It keeps Indonesia (ISO 3166 numeric 360) and, for context, the land of
// the neighbours that reach into region.MapView; projects every ring with
// region.MapView (so the page projects sentra the same way), simplifies it
// (Douglas–Peucker, 0.6 px, about 3 km) and drops islets under 2 px², and
// writes one line of SVG path data per group.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"dakflow/internal/region"
)

const (
	indonesia = "360"
	tolerance = 0.6 // pixels, for the simplification
	minArea   = 2.0 // pixels², below which a ring is dropped
)

// neighbours are drawn in a lighter colour so the sea borders read.
var neighbours = map[string]bool{"458": true, "096": true, "626": true, "598": true, "702": true,
	"608": true, "036": true, "585": true, "764": true, "704": true}

// topology is the part of a TopoJSON file this reads.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]int `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type string          `json:"type"`
				ID   string          `json:"id"`
				Arcs json.RawMessage `json:"arcs"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

type point struct{ x, y float64 }

func main() {
	src := flag.String("src", "", "world-atlas package folder (holding countries-50m.json)")
	out := flag.String("out", "internal/region/data/outline", "output folder")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "outlinegen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	raw, err := os.ReadFile(filepath.Join(src, "countries-50m.json"))
	if err != nil {
		return err
	}
	var t topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return fmt.Errorf("countries-50m.json: %w", err)
	}
	arcs := t.decodeArcs()
	var land, near strings.Builder
	found := false
	for _, g := range t.Objects.Countries.Geometries {
		if g.ID != indonesia && !neighbours[g.ID] {
			continue
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return err
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return err
			}
		default:
			continue
		}
		w := &near
		if g.ID == indonesia {
			w, found = &land, true
		}
		for _, poly := range polys {
			for _, ring := range poly {
				writeRing(w, ringOf(arcs, ring))
			}
		}
	}
	if !found || land.Len() == 0 {
		return fmt.Errorf("no Indonesia (id %s) in countries-50m.json", indonesia)
	}
	v := region.MapView
	text := fmt.Sprintf("# Indonesia (indonesia) and its neighbours (neighbours) as SVG path data in region.MapView\n"+
		"# (west %g, north %g, %g px/degree, %g x %g px). Made with Natural Earth (public domain), 1:50m\n"+
		"# Admin 0 countries v4.1.0 via world-atlas 2.0.2; see ATTRIBUTION.md. Written by outlinegen.\n"+
		"indonesia %s\nneighbours %s\n", v.West, v.North, v.Scale, v.Width, v.Height, land.String(), near.String())
	return os.WriteFile(filepath.Join(out, "indonesia.txt"), []byte(text), 0o644)
}

// decodeArcs turns the quantized, delta-encoded arcs into projected points.
func (t *topology) decodeArcs() [][]point {
	out := make([][]point, len(t.Arcs))
	for i, arc := range t.Arcs {
		var x, y int
		pts := make([]point, len(arc))
		for j, d := range arc {
			x, y = x+d[0], y+d[1]
			lon := float64(x)*t.Transform.Scale[0] + t.Transform.Translate[0]
			lat := float64(y)*t.Transform.Scale[1] + t.Transform.Translate[1]
			px, py := region.MapView.Project(lat, lon)
			pts[j] = point{px, py}
		}
		out[i] = pts
	}
	return out
}

// ringOf joins a ring's arcs; a negative index ~i is arc i reversed, and
// each arc after the first starts where the one before ended.
func ringOf(arcs [][]point, idx []int) []point {
	var ring []point
	for k, i := range idx {
		var a []point
		if i >= 0 {
			a = arcs[i]
		} else {
			src := arcs[^i]
			a = make([]point, len(src))
			for j := range src {
				a[j] = src[len(src)-1-j]
			}
		}
		if k > 0 && len(a) > 0 {
			a = a[1:]
		}
		ring = append(ring, a...)
	}
	return ring
}

// writeRing simplifies a ring and appends it as "Mx,y x,y …Z", unless it
// lies wholly outside the view or is too small to see.
func writeRing(w *strings.Builder, ring []point) {
	if len(ring) < 4 || !visible(ring) || math.Abs(area(ring)) < minArea {
		return
	}
	keep := simplify(ring)
	if len(keep) < 4 {
		return
	}
	for i, p := range keep[:len(keep)-1] { // the last point repeats the first
		if i == 0 {
			w.WriteString("M")
		} else {
			w.WriteString(" ")
		}
		w.WriteString(num(p.x) + "," + num(p.y))
	}
	w.WriteString("Z")
}

// visible reports whether the ring's bounding box meets the view.
func visible(ring []point) bool {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range ring {
		minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
		minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
	}
	v := region.MapView
	return maxX >= 0 && minX <= v.Width && maxY >= 0 && minY <= v.Height
}

// area is the ring's signed area (shoelace).
func area(ring []point) float64 {
	var a float64
	for i := 1; i < len(ring); i++ {
		a += ring[i-1].x*ring[i].y - ring[i].x*ring[i-1].y
	}
	return a / 2
}

// simplify is Douglas–Peucker with the tolerance above, keeping both ends.
func simplify(pts []point) []point {
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	var dp func(lo, hi int)
	dp = func(lo, hi int) {
		best, at := 0.0, -1
		for i := lo + 1; i < hi; i++ {
			if d := distance(pts[i], pts[lo], pts[hi]); d > best {
				best, at = d, i
			}
		}
		if at >= 0 && best > tolerance {
			keep[at] = true
			dp(lo, at)
			dp(at, hi)
		}
	}
	// A closed ring's ends coincide: split it at its farthest point first.
	far, fd := len(pts)/2, 0.0
	for i, p := range pts {
		if d := math.Hypot(p.x-pts[0].x, p.y-pts[0].y); d > fd {
			far, fd = i, d
		}
	}
	keep[far] = true
	dp(0, far)
	dp(far, len(pts)-1)
	var out []point
	for i, k := range keep {
		if k {
			out = append(out, pts[i])
		}
	}
	return out
}

// distance is the distance of p from the segment a–b.
func distance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// num writes a coordinate with one decimal, without a trailing ".0".
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}
