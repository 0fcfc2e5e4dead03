package region

import (
	_ "embed"
	"strings"
	"sync"
)

//go:generate bash ../../scripts/gen-outline.sh

// outlineTxt is Indonesia's outline, and its neighbours', as SVG path data
// already projected onto MapView: written by ./outlinegen from Natural
// Earth (public domain; data/outline/ATTRIBUTION.md). About 35 KB.
//
//go:embed data/outline/indonesia.txt
var outlineTxt string

// View is the frame of the coverage map (PRODUCT.md §9): an
// equirectangular projection, which near the equator distorts little,
// from West/North (degrees) at Scale pixels per degree, Width × Height
// pixels. The outline is projected with it when generated and the sentra
// when a page is drawn, so both always agree.
type View struct {
	West, North   float64 // degrees east, degrees north of the top-left corner
	Scale         float64 // pixels per degree
	Width, Height float64 // pixels
}

// MapView frames Indonesia from Sabang (95° E) to the Papua Nugini border (141° E) and from
// Miangas (5.6° N) to Rote (11° S), with a margin.
var MapView = View{West: 94.5, North: 7, Scale: 20, Width: 950, Height: 370}

// Project gives the map position of a point, in pixels from the top-left
// corner of the view. A point outside the view lands outside 0..Width,
// 0..Height; the caller decides whether to draw it.
func (v View) Project(lat, lon float64) (x, y float64) {
	return (lon - v.West) * v.Scale, (v.North - lat) * v.Scale
}

// Contains reports whether the point lies inside the view.
func (v View) Contains(lat, lon float64) bool {
	x, y := v.Project(lat, lon)
	return x >= 0 && x <= v.Width && y >= 0 && y <= v.Height
}

// Outline is the map's background, as SVG path data in MapView's pixels:
// Indonesia's land, and the land of the neighbouring countries drawn for
// context. Both are parsed once.
type Outline struct {
	Indonesia, Neighbours string
}

var outline = sync.OnceValue(func() Outline {
	var o Outline
	for _, line := range strings.Split(outlineTxt, "\n") {
		if key, d, ok := strings.Cut(line, " "); ok {
			switch key {
			case "indonesia":
				o.Indonesia = d
			case "neighbours":
				o.Neighbours = d
			}
		}
	}
	return o
})

// MapOutline returns the outline of Indonesia and its neighbours.
func MapOutline() Outline { return outline() }
