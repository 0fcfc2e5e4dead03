package document

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// fpdf compresses each page with a zlib writer of its own, and a new writer
// allocates about a megabyte: on these machines that cost 4 ms for a
// two-page letter, twice the whole budget. So fpdf writes the pages
// uncompressed and deflatePages compresses them with pooled writers,
// rebuilding the cross-reference table. The result is the same PDF fpdf
// would have written with compression on, byte for byte deterministic.
//
// deflatePages also puts the page count in place of its alias (pageAlias)
// in the page streams, which fpdf would do by copying every page four
// times over (Fpdf.AliasNbPages); the pages are read here once anyway.

// pageAlias stands for the number of pages in the text of the pages, as
// fpdf's AliasNbPages would.
const pageAlias = "{nb}"

var zlibWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// deflatePages writes pdf, an uncompressed fpdf document, to out with every
// stream whose dictionary is exactly <</Length n>> (the page contents)
// compressed and pageAlias in them replaced by the number of pages, and
// with the core font dictionary fpdf wrote for each of fonts replaced by
// the embedded TrueType font (see fontObjects), whose other objects it adds
// at the end. ok is false, and out is to be ignored, on a layout it does
// not recognise, or when it did not find one page stream per page and
// every font once.
func deflatePages(out *bytes.Buffer, pdf []byte, pageCount int, fonts []fontStyle) (ok bool) {
	size, ok := trailerSize(pdf) // fpdf's objects are 1…size-1
	if !ok || size < 2 {
		return false
	}
	pages, streams := strconv.Itoa(pageCount), 0
	offsets := make([]int, size, size+3*len(fonts)) // by object number
	for i := range offsets {
		offsets[i] = -1
	}
	placed := make([]int, 0, len(fonts)) // the fonts by the order of their objects
	next := size                         // the next object number free
	fontBytes := 0
	for i := range fonts {
		fontBytes += len(fonts[i].file) + 2<<10
	}
	out.Grow(len(pdf) + fontBytes)
	shown := newShownText() // for the fonts' subsets
	for i := range len(pages) {
		shown.anyFont.add(pages[i])
	}
	fontObject := make([]int, len(fonts)) // by font: its object's number
	pos := 0
	scratch := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(scratch)
	for pos < len(pdf) && !bytes.HasPrefix(pdf[pos:], []byte("xref\n")) {
		end := bytes.IndexByte(pdf[pos:], '\n')
		if end < 0 {
			return false
		}
		line := pdf[pos : pos+end+1]
		if n, ok := objectNumber(line); ok {
			if n >= size {
				return false
			}
			offsets[n] = out.Len()
			out.Write(line)
			pos += len(line)
			if end, ok := deflateStream(out, scratch, pdf, pos, pages, shown); ok {
				pos = end
				streams++
			} else if i := coreFont(pdf[pos:], fonts); i >= 0 && !slices.Contains(placed, i) {
				f := &fonts[i]
				out.Write(f.dictHead)
				out.WriteString(strconv.Itoa(next))
				out.WriteString(" 0 R\n/FontDescriptor ")
				out.WriteString(strconv.Itoa(next + 1))
				out.Write(f.dictTail)
				pos += len(f.coreDict)
				placed = append(placed, i)
				fontObject[i] = n
				next += 3
			}
			continue
		}
		shown.addResource(line)
		out.Write(line)
		pos += len(line)
	}
	if streams != pageCount || len(placed) != len(fonts) {
		return false
	}
	for _, i := range placed {
		f := &fonts[i]
		file, err := f.font.subset(shown.forFont(fontObject[i]))
		if err != nil {
			return false
		}
		n := len(offsets)
		offsets = append(offsets, out.Len())
		out.WriteString(strconv.Itoa(n))
		out.WriteString(" 0 obj\n")
		out.Write(f.widths)
		offsets = append(offsets, out.Len())
		out.WriteString(strconv.Itoa(n + 1))
		out.WriteString(" 0 obj\n")
		out.Write(f.descriptor)
		out.WriteString(strconv.Itoa(n + 2))
		out.WriteString(" 0 R>>\nendobj\n")
		offsets = append(offsets, out.Len())
		out.WriteString(strconv.Itoa(n + 2))
		out.WriteString(" 0 obj\n")
		out.WriteString("<</Length ")
		out.WriteString(strconv.Itoa(len(file.z)))
		out.WriteString("\n/Filter /FlateDecode\n/Length1 ")
		out.WriteString(strconv.Itoa(file.length))
		out.WriteString("\n>>\nstream\n")
		out.Write(file.z)
		out.WriteString("\nendstream\nendobj\n")
	}
	return finishXref(out, pdf, pos, offsets, size)
}

// coreFont is the index of the font of fonts whose core font dictionary
// (fontObjects.coreDict) obj starts with, or -1.
func coreFont(obj []byte, fonts []fontStyle) int {
	if !bytes.HasPrefix(obj, []byte("<</Type /Font\n")) {
		return -1
	}
	for i := range fonts {
		if bytes.HasPrefix(obj, fonts[i].coreDict) {
			return i
		}
	}
	return -1
}

// trailerSize is the /Size of the trailer of fpdf's document: one more than
// the number of its last object.
func trailerSize(pdf []byte) (int, bool) {
	at := bytes.LastIndex(pdf, []byte("\ntrailer\n<<\n/Size "))
	if at < 0 {
		return 0, false
	}
	rest := pdf[at+len("\ntrailer\n<<\n/Size "):]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 || end > 10 {
		return 0, false
	}
	n, err := strconv.Atoi(string(rest[:end]))
	return n, err == nil
}

// objectNumber parses a line "N 0 obj\n".
func objectNumber(line []byte) (int, bool) {
	num, ok := bytes.CutSuffix(line, []byte(" 0 obj\n"))
	if !ok || len(num) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(string(num))
	return n, err == nil && n > 0
}

// deflateStream compresses the stream starting at pos if it is a page's
// "<</Length n>>\nstream\n…\nendstream\n", with pageAlias replaced by
// pages, returning the position after it, and adds what its text shows to
// shown. z is scratch space.
func deflateStream(out, z *bytes.Buffer, pdf []byte, pos int, pages string, shown *shownText) (int, bool) {
	rest := pdf[pos:]
	head, ok := bytes.CutPrefix(rest, []byte("<</Length "))
	if !ok {
		return 0, false
	}
	end := bytes.Index(head, []byte(">>\nstream\n"))
	if end < 0 || end > 10 {
		return 0, false
	}
	n, err := strconv.Atoi(string(head[:end]))
	body := head[end+len(">>\nstream\n"):]
	if err != nil || n > len(body) || !bytes.HasPrefix(body[n:], []byte("\nendstream\n")) {
		return 0, false
	}
	shown.addPage(body[:n]) // with the alias's characters, a few glyphs more at worst
	z.Reset()
	w := zlibWriters.Get().(*zlib.Writer)
	w.Reset(z)
	for page := body[:n]; err == nil; {
		i := bytes.Index(page, []byte(pageAlias))
		if i < 0 {
			_, err = w.Write(page)
			break
		}
		if _, err = w.Write(page[:i]); err == nil {
			_, err = io.WriteString(w, pages)
		}
		page = page[i+len(pageAlias):]
	}
	if err == nil {
		err = w.Close()
	}
	zlibWriters.Put(w)
	if err != nil {
		return 0, false
	}
	out.WriteString("<</Filter /FlateDecode /Length ")
	out.WriteString(strconv.Itoa(z.Len()))
	out.WriteString(">>\nstream\n")
	out.Write(z.Bytes())
	out.WriteString("\nendstream\n")
	return pos + len("<</Length ") + end + len(">>\nstream\n") + n + len("\nendstream\n"), true
}

// finishXref writes the cross-reference table for the new offsets and the
// trailer of the original document, whose /Size was size, with the new one.
func finishXref(out *bytes.Buffer, pdf []byte, pos int, offsets []int, size int) bool {
	tail := pdf[pos:]
	trailer := bytes.Index(tail, []byte("trailer\n"))
	startxref := bytes.Index(tail, []byte("startxref\n"))
	if trailer < 0 || startxref < trailer || len(offsets) < 2 {
		return false
	}
	xref := out.Len()
	out.WriteString("xref\n0 ")
	out.WriteString(strconv.Itoa(len(offsets)))
	out.WriteString("\n0000000000 65535 f \n")
	var num [10]byte
	for _, off := range offsets[1:] {
		if off < 0 {
			return false
		}
		s := strconv.AppendInt(num[:0], int64(off), 10)
		for range 10 - len(s) {
			out.WriteByte('0')
		}
		out.Write(s)
		out.WriteString(" 00000 n \n")
	}
	t := tail[trailer:startxref]
	oldSize := "/Size " + strconv.Itoa(size) + "\n"
	at := bytes.Index(t, []byte(oldSize))
	if at < 0 {
		return false
	}
	out.Write(t[:at])
	out.WriteString("/Size ")
	out.WriteString(strconv.Itoa(len(offsets)))
	out.WriteByte('\n')
	out.Write(t[at+len(oldSize):])
	out.WriteString("startxref\n")
	out.WriteString(strconv.Itoa(xref))
	out.WriteString("\n%%EOF\n")
	return true
}
