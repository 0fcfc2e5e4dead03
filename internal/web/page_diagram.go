package web

import (
	"fmt"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// diagramView is the workflow drawn as an SVG, server-side, with the
// current state marked (no script, nothing fetched from elsewhere).
type diagramView struct {
	Width, Height int
	Nodes         []diagramNode
	Edges         []diagramEdge
	Next          []string // what may happen from the current state, in words
}

// diagramNode is one state's box.
type diagramNode struct {
	X, Y, W, H  int
	TextX       int
	Lines       []diagramText
	Class, Name string
	Title       string
}

// diagramText is one line of a box's label.
type diagramText struct {
	Y    int
	Text string
}

// diagramEdge is one transition's arrow.
type diagramEdge struct {
	D, Class, Title string
}

// Box geometry of the diagram, in SVG units.
const (
	boxW, boxH   = 196, 40
	colW, rowH   = 232, 62
	marginX      = 16
	marginY      = 12
	labelPerLine = 26
)

// diagram lays the states out in rows by their distance from the initial
// state; within a row the state that leads furthest comes first, so the
// main path runs down the left column.
func diagram(d *workflow.Definition, current string, visited map[string]bool) diagramView {
	depth := map[string]int{d.Initial: 0}
	queue := []string{d.Initial}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, e := range d.Events {
			if slices.Contains(e.From, s) {
				if _, seen := depth[e.To]; !seen {
					depth[e.To] = depth[s] + 1
					queue = append(queue, e.To)
				}
			}
		}
	}
	reach := map[string]int{}
	var reachOf func(s string) int
	reachOf = func(s string) int {
		if r, ok := reach[s]; ok {
			return r
		}
		reach[s] = depth[s]
		for _, e := range d.Events {
			if slices.Contains(e.From, s) && depth[e.To] > depth[s] {
				reach[s] = max(reach[s], reachOf(e.To))
			}
		}
		return reach[s]
	}
	rows := map[int][]string{}
	maxDepth, maxCols := 0, 1
	for _, st := range d.States {
		dp, ok := depth[st.Name]
		if !ok {
			continue
		}
		rows[dp] = append(rows[dp], st.Name)
		maxDepth = max(maxDepth, dp)
	}
	pos := map[string][2]int{}
	for dp, names := range rows {
		slices.SortStableFunc(names, func(a, b string) int { return reachOf(b) - reachOf(a) })
		for col, n := range names {
			pos[n] = [2]int{marginX + col*colW, marginY + dp*rowH}
		}
		maxCols = max(maxCols, len(names))
	}
	v := diagramView{Width: marginX*2 + (maxCols-1)*colW + boxW + 40, Height: marginY*2 + maxDepth*rowH + boxH}
	for _, st := range d.States {
		xy, ok := pos[st.Name]
		if !ok {
			continue
		}
		n := diagramNode{X: xy[0], Y: xy[1], W: boxW, H: boxH, TextX: xy[0] + boxW/2, Name: st.Name, Title: st.Label, Class: "state"}
		switch {
		case st.Name == current:
			n.Class += " current"
		case visited[st.Name]:
			n.Class += " visited"
		}
		if st.Final {
			n.Class += " final"
		}
		lines := wrap(st.Label, labelPerLine)
		for i, l := range lines {
			n.Lines = append(n.Lines, diagramText{Y: xy[1] + boxH/2 + 4 + (2*i-len(lines)+1)*7, Text: l})
		}
		v.Nodes = append(v.Nodes, n)
	}
	for _, e := range d.Events {
		for _, from := range e.From {
			a, okA := pos[from]
			b, okB := pos[e.To]
			if !okA || !okB {
				continue
			}
			cls := "edge"
			if from == current {
				cls += " next"
				roles := make([]string, len(e.Roles))
				for i, r := range e.Roles {
					roles[i] = dak.Role(r).Label()
				}
				v.Next = append(v.Next, fmt.Sprintf("%s → %s (%s)", e.Label, d.StateLabel(e.To), strings.Join(roles, ", ")))
			}
			v.Edges = append(v.Edges, diagramEdge{D: edgePath(a, b), Class: cls, Title: e.Label})
		}
	}
	return v
}

// edgePath draws an arrow between two boxes: straight down to the next
// row of the same column, a curve down to another column, out of the
// facing sides to a row above, and a bulge on the right within a column.
func edgePath(a, b [2]int) string {
	ax, ay, bx, by := a[0], a[1], b[0], b[1]
	midA, midB := ay+boxH/2, by+boxH/2
	switch {
	case ax == bx && by == ay+rowH:
		return fmt.Sprintf("M%d %d L%d %d", ax+boxW/2, ay+boxH, bx+boxW/2, by-2)
	case by > ay && bx != ax:
		return fmt.Sprintf("M%d %d C%d %d %d %d %d %d", ax+boxW/2, ay+boxH, ax+boxW/2, ay+boxH+24, bx+boxW/2, by-24, bx+boxW/2, by-2)
	case bx > ax:
		x1, x2 := ax+boxW, bx-2
		return fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, midA, x1+24, midA, x2-24, midB, x2, midB)
	case bx < ax:
		x1, x2 := ax, bx+boxW+2
		return fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, midA, x1-24, midA, x2+24, midB, x2, midB)
	}
	off := 20 + 6*abs(by-ay)/rowH
	x1, x2 := ax+boxW, bx+boxW+2
	return fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, midA, x1+off, midA, x2+off, midB, x2, midB)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// wrap breaks a label into lines of at most width characters (two lines
// at most; a longer label is cut with an ellipsis).
func wrap(s string, width int) []string {
	if len(s) <= width {
		return []string{s}
	}
	words := strings.Fields(s)
	var first, rest []string
	n := 0
	for i, w := range words {
		if n+len(w) > width && i > 0 {
			rest = words[i:]
			break
		}
		first = append(first, w)
		n += len(w) + 1
	}
	second := strings.Join(rest, " ")
	if len(second) > width {
		second = second[:width-1] + "…"
	}
	return []string{strings.Join(first, " "), second}
}
