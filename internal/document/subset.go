package document

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// A document embeds only the glyphs it shows, as PDF writers do: of the 231
// glyphs of a style a letter uses some seventy, and the whole font was 25
// of a receipt's 35 KB — stored with every document, written to the
// database's log, copied into every trail. The subset keeps the font's
// glyph numbering, its character map, metrics and name table (with the
// licence) and empties the outlines of the glyphs the document does not
// show (their loca entries become zero-length), the way fontTools'
// "retain-gids" subsets do: nothing but glyf and loca changes, and the PDF's
// widths and encoding stay those of the whole font. deflatePages collects
// the characters from the page streams; subsets are kept per character set,
// since most documents of a kind show the same characters.

// subsetTags are the six-letter tags a subset font's name begins with
// (PDF 32000-1 §9.6.4), by style: the two subsets of a document differ.
var subsetTags = map[string]string{"": "DKFSRG", "B": "DKFSBD"}

// charSet is a set of the 256 codes of cp1252.
type charSet [4]uint64

func (s *charSet) add(c byte)      { s[c>>6] |= 1 << (c & 63) }
func (s *charSet) has(c byte) bool { return s[c>>6]&(1<<(c&63)) != 0 }

// shownText is what the page streams of a document show, by font: the
// characters of each font resource (fpdf's "/F<id>"), and those shown
// before any font was chosen, which every font's subset takes.
type shownText struct {
	fonts   []shownFont
	current int // index in fonts of the font chosen last, -1 for none
	anyFont charSet
}

type shownFont struct {
	name   []byte // the resource's name after "/F"
	object int    // the font object the resource dictionary names, 0 until read
	chars  charSet
}

func newShownText() *shownText { return &shownText{current: -1} }

func (t *shownText) chars() *charSet {
	if t.current < 0 {
		return &t.anyFont
	}
	return &t.fonts[t.current].chars
}

// font finds the font resource called name, adding it when new.
func (t *shownText) font(name []byte) int {
	for i := range t.fonts {
		if bytes.Equal(t.fonts[i].name, name) {
			return i
		}
	}
	t.fonts = append(t.fonts, shownFont{name: bytes.Clone(name)})
	return len(t.fonts) - 1
}

// addPage adds what a page's content stream shows: the characters of its
// literal strings (escaped by fpdf: "\\", "\(", "\)", "\r"; parentheses
// appear nowhere else in fpdf's page streams), each under the font the
// last "/F<id> <size> Tf" before it chose.
func (t *shownText) addPage(page []byte) {
	for {
		i := bytes.IndexAny(page, "(/")
		if i < 0 {
			return
		}
		if page[i] == '/' {
			page = page[i+1:]
			if name, rest, ok := bytes.Cut(page, []byte(" ")); ok && len(name) > 1 && name[0] == 'F' {
				if size, _, ok := bytes.Cut(rest, []byte(" Tf")); ok && len(size) < 10 {
					t.current = t.font(name[1:])
				}
			}
			continue
		}
		page = page[i+1:]
		set := t.chars()
		for len(page) > 0 && page[0] != ')' {
			c := page[0]
			if c == '\\' && len(page) > 1 {
				page = page[1:]
				switch c = page[0]; c {
				case 'r':
					c = '\r'
				case 'n':
					c = '\n'
				}
			}
			set.add(c)
			page = page[1:]
		}
	}
}

// addResource reads a line of the resource dictionary, "/F<id> <n> 0 R\n",
// which names the object of a font resource.
func (t *shownText) addResource(line []byte) {
	rest, ok := bytes.CutPrefix(line, []byte("/F"))
	if !ok {
		return
	}
	rest, ok = bytes.CutSuffix(rest, []byte(" 0 R\n"))
	name, num, found := bytes.Cut(rest, []byte(" "))
	if !ok || !found {
		return
	}
	if n, err := strconv.Atoi(string(num)); err == nil {
		t.fonts[t.font(name)].object = n
	}
}

// forFont is the characters the font of object n shows: its resource's,
// and any shown under no font or under a resource whose object is not
// known (which cannot happen with fpdf, and costs only glyphs if it did).
func (t *shownText) forFont(n int) charSet {
	set := t.anyFont
	for _, f := range t.fonts {
		if f.object == n || f.object == 0 {
			for i := range set {
				set[i] |= f.chars[i]
			}
		}
	}
	return set
}

// alphanumerics are in every subset: documents of a kind differ mostly in
// their names and numbers, so with them most documents of a kind take the
// same subset, made once (a subset costs some 150 µs to make, a tenth of a
// letter's rendering), for 1–2 KB more a document.
var alphanumerics = func() (s charSet) {
	for _, r := range [][2]byte{{'0', '9'}, {'A', 'Z'}, {'a', 'z'}} {
		for c := r[0]; c <= r[1]; c++ {
			s.add(c)
		}
	}
	return s
}()

// trueType is a TrueType font read once for subsetting: its tables, the
// glyph of each cp1252 code, and each glyph's outline.
type trueType struct {
	data     []byte // the font file, uncompressed
	tables   []ttTable
	longLoca bool
	glyphs   [][]byte // by glyph id: its outline, empty for none
	glyphOf  [256]int // cp1252 code → glyph id, 0 (.notdef) when unmapped
	compose  [][]int  // by glyph id: the glyphs a composite glyph is made of

	mu    sync.Mutex
	cache map[charSet]*subsetFile
}

type ttTable struct {
	tag       string
	off, size int
}

// subsetFile is a subset as deflatePages embeds it: the zlib-compressed
// font file and the length of the uncompressed one.
type subsetFile struct {
	z      []byte
	length int
}

// subsetWriters compress subsets; a writer is pooled, as a new one
// allocates about a megabyte. Level 4 makes files within 1 % of the best
// compression's in a third of its time.
var subsetWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, 4)
	return w
}}

// maxCachedSubsets bounds the subsets kept per style (each about 6 KB);
// past it the cache starts over.
const maxCachedSubsets = 256

// readTrueType reads a zlib-compressed TrueType font file, as fpdf embeds
// it, for subsetting.
func readTrueType(z []byte) (*trueType, error) {
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return parseTrueType(data)
}

// parseTrueType reads the tables of a TrueType font file that subsetting
// needs (head, maxp, loca, glyf, cmap) and checks them.
func parseTrueType(data []byte) (*trueType, error) {
	if len(data) < 12 {
		return nil, errors.New("font file too short")
	}
	t := &trueType{data: data}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errors.New("font table directory cut short")
	}
	byTag := map[string]ttTable{}
	for i := range n {
		e := data[12+16*i:]
		tb := ttTable{tag: string(e[:4]), off: int(binary.BigEndian.Uint32(e[8:])), size: int(binary.BigEndian.Uint32(e[12:]))}
		if tb.off < 0 || tb.size < 0 || tb.off+tb.size > len(data) {
			return nil, fmt.Errorf("font table %q outside the file", tb.tag)
		}
		t.tables = append(t.tables, tb)
		byTag[tb.tag] = tb
	}
	tables := map[string][]byte{}
	for tag, least := range map[string]int{"head": 54, "maxp": 6, "loca": 0, "glyf": 0, "cmap": 4} {
		tb, ok := byTag[tag]
		if !ok || tb.size < least {
			return nil, fmt.Errorf("font table %q missing or short", tag)
		}
		tables[tag] = data[tb.off : tb.off+tb.size]
	}
	head, maxp, loca, glyf, cmap := tables["head"], tables["maxp"], tables["loca"], tables["glyf"], tables["cmap"]
	t.longLoca = binary.BigEndian.Uint16(head[50:]) == 1
	count := int(binary.BigEndian.Uint16(maxp[4:]))
	offset := func(i int) int {
		if t.longLoca {
			return int(binary.BigEndian.Uint32(loca[4*i:]))
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
	}
	if (t.longLoca && len(loca) < 4*(count+1)) || (!t.longLoca && len(loca) < 2*(count+1)) {
		return nil, errors.New("font loca table cut short")
	}
	t.glyphs = make([][]byte, count)
	t.compose = make([][]int, count)
	for g := range count {
		from, to := offset(g), offset(g+1)
		if from > to || to > len(glyf) {
			return nil, fmt.Errorf("glyph %d outside the glyf table", g)
		}
		t.glyphs[g] = glyf[from:to]
		parts, err := components(t.glyphs[g], count)
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", g, err)
		}
		t.compose[g] = parts
	}
	unicode, err := cmapFormat4(cmap)
	if err != nil {
		return nil, err
	}
	for c := range 256 {
		r := rune(c)
		if c >= 0x80 {
			r = cp1252Rune[c]
		}
		if g := unicode(r); g < count {
			t.glyphOf[c] = g
		}
	}
	return t, nil
}

// components are the glyphs a composite glyph's outline refers to (none
// for a simple glyph).
func components(g []byte, count int) ([]int, error) {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, nil // empty, or simple
	}
	const (
		argsAreWords   = 0x0001
		haveScale      = 0x0008
		moreComponents = 0x0020
		haveXYScale    = 0x0040
		have2x2        = 0x0080
	)
	var out []int
	for p := 10; ; {
		if p+4 > len(g) {
			return nil, errors.New("composite glyph cut short")
		}
		flags, id := binary.BigEndian.Uint16(g[p:]), int(binary.BigEndian.Uint16(g[p+2:]))
		if id >= count {
			return nil, fmt.Errorf("component glyph %d of %d", id, count)
		}
		out = append(out, id)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&have2x2 != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			return out, nil
		}
	}
}

// cmapFormat4 finds the Windows Unicode (3,1) subtable of format 4 and
// returns its lookup.
func cmapFormat4(cmap []byte) (func(rune) int, error) {
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := range n {
		if 4+8*i+8 > len(cmap) {
			break
		}
		e := cmap[4+8*i:]
		platform, encoding, off := binary.BigEndian.Uint16(e), binary.BigEndian.Uint16(e[2:]), int(binary.BigEndian.Uint32(e[4:]))
		if platform != 3 || encoding != 1 || off+14 > len(cmap) || binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		st := cmap[off:]
		segs := int(binary.BigEndian.Uint16(st[6:])) / 2
		if 16+8*segs > len(st) {
			return nil, errors.New("cmap format 4 cut short")
		}
		ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
		u16 := func(at int) int {
			if at+2 > len(st) {
				return 0
			}
			return int(binary.BigEndian.Uint16(st[at:]))
		}
		return func(r rune) int {
			if r < 0 || r > 0xFFFF {
				return 0
			}
			c := int(r)
			for s := range segs {
				if c > u16(ends+2*s) {
					continue
				}
				start := u16(starts + 2*s)
				if c < start {
					return 0
				}
				delta, ro := u16(deltas+2*s), u16(ranges+2*s)
				if ro == 0 {
					return (c + delta) & 0xFFFF
				}
				g := u16(ranges + 2*s + ro + 2*(c-start))
				if g == 0 {
					return 0
				}
				return (g + delta) & 0xFFFF
			}
			return 0
		}, nil
	}
	return nil, errors.New("font has no Windows Unicode cmap of format 4")
}

// subset is the font file with the outlines of the glyphs of chars (and of
// .notdef and the glyphs they are composed of) only, compressed; kept for
// the next document with the same characters (and alphanumerics).
func (t *trueType) subset(chars charSet) (*subsetFile, error) {
	for i := range chars {
		chars[i] |= alphanumerics[i]
	}
	t.mu.Lock()
	f, ok := t.cache[chars]
	t.mu.Unlock()
	if ok {
		return f, nil
	}
	keep := make([]bool, len(t.glyphs))
	var mark func(g int)
	mark = func(g int) {
		if keep[g] {
			return
		}
		keep[g] = true
		for _, c := range t.compose[g] {
			mark(c)
		}
	}
	mark(0)
	for c := range 256 {
		if chars.has(byte(c)) {
			mark(t.glyphOf[c])
		}
	}
	var glyf, loca []byte
	putOffset := func(off int) {
		if t.longLoca {
			loca = binary.BigEndian.AppendUint32(loca, uint32(off))
		} else {
			loca = binary.BigEndian.AppendUint16(loca, uint16(off/2))
		}
	}
	for g, outline := range t.glyphs {
		putOffset(len(glyf))
		if keep[g] {
			glyf = append(glyf, outline...) // each as long as in the whole font, so still even
		}
	}
	putOffset(len(glyf))
	file := t.rebuild(map[string][]byte{"glyf": glyf, "loca": loca})
	var z bytes.Buffer
	w := subsetWriters.Get().(*zlib.Writer)
	defer subsetWriters.Put(w)
	w.Reset(&z)
	if _, err := w.Write(file); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	f = &subsetFile{z: z.Bytes(), length: len(file)}
	t.mu.Lock()
	if len(t.cache) >= maxCachedSubsets || t.cache == nil {
		t.cache = make(map[charSet]*subsetFile)
	}
	t.cache[chars] = f
	t.mu.Unlock()
	return f, nil
}

// rebuild writes the font with the tables of replace in place of its own,
// every table 4-byte aligned, with the directory's checksums and head's
// checkSumAdjustment computed anew.
func (t *trueType) rebuild(replace map[string][]byte) []byte {
	n := len(t.tables)
	out := make([]byte, 12+16*n, len(t.data))
	copy(out, t.data[:12])
	headAt := -1
	for i, tb := range t.tables {
		body, ok := replace[tb.tag]
		if !ok {
			body = t.data[tb.off : tb.off+tb.size]
		}
		at := len(out)
		out = append(out, body...)
		if tb.tag == "head" {
			headAt = at
			binary.BigEndian.PutUint32(out[at+8:], 0) // checkSumAdjustment, computed last
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		e := out[12+16*i:]
		copy(e, tb.tag)
		binary.BigEndian.PutUint32(e[4:], checksum(out[at:at+len(body)]))
		binary.BigEndian.PutUint32(e[8:], uint32(at))
		binary.BigEndian.PutUint32(e[12:], uint32(len(body)))
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

// checksum is the TrueType table checksum: the sum of its big-endian
// 32-bit words, the last padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	var last [4]byte
	copy(last[:], b)
	return sum + binary.BigEndian.Uint32(last[:])
}
