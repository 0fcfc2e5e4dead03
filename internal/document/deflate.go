package document

import (
	"bytes"
	"compress/zlib"
	"strconv"
	"sync"
)

// fpdf compresses each page with a zlib writer of its own, and a new writer
// allocates about a megabyte: on these machines that cost 4 ms for a
// two-page letter, twice the whole budget. So fpdf writes the pages
// uncompressed and deflatePages compresses them with pooled writers,
// rebuilding the cross-reference table. The result is the same PDF fpdf
// would have written with compression on, byte for byte deterministic.

var zlibWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// deflatePages compresses every stream of an uncompressed fpdf document
// whose dictionary is exactly <</Length n>> (the page contents). On any
// layout it does not recognise it returns the document as it is, which is
// valid, only larger.
func deflatePages(pdf []byte) []byte {
	out := bytes.NewBuffer(make([]byte, 0, len(pdf))) // the embedded fonts do not shrink
	var offsets []int                                 // by object number
	pos := 0
	for pos < len(pdf) && !bytes.HasPrefix(pdf[pos:], []byte("xref\n")) {
		end := bytes.IndexByte(pdf[pos:], '\n')
		if end < 0 {
			return pdf
		}
		line := pdf[pos : pos+end+1]
		if n, ok := objectNumber(line); ok {
			for len(offsets) <= n {
				offsets = append(offsets, -1)
			}
			offsets[n] = out.Len()
			out.Write(line)
			pos += len(line)
			if next, ok := deflateStream(out, pdf, pos); ok {
				pos = next
			}
			continue
		}
		out.Write(line)
		pos += len(line)
	}
	return finishXref(out, pdf, pos, offsets)
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
// "<</Length n>>\nstream\n…\nendstream\n", returning the position after it.
func deflateStream(out *bytes.Buffer, pdf []byte, pos int) (int, bool) {
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
	var z bytes.Buffer
	z.Grow(n/2 + 64)
	w := zlibWriters.Get().(*zlib.Writer)
	w.Reset(&z)
	_, err = w.Write(body[:n])
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
// trailer of the original document.
func finishXref(out *bytes.Buffer, pdf []byte, pos int, offsets []int) []byte {
	tail := pdf[pos:]
	trailer := bytes.Index(tail, []byte("trailer\n"))
	startxref := bytes.Index(tail, []byte("startxref\n"))
	if trailer < 0 || startxref < trailer || len(offsets) < 2 {
		return pdf
	}
	xref := out.Len()
	out.WriteString("xref\n0 ")
	out.WriteString(strconv.Itoa(len(offsets)))
	out.WriteString("\n0000000000 65535 f \n")
	var num [10]byte
	for _, off := range offsets[1:] {
		if off < 0 {
			return pdf
		}
		s := strconv.AppendInt(num[:0], int64(off), 10)
		for range 10 - len(s) {
			out.WriteByte('0')
		}
		out.Write(s)
		out.WriteString(" 00000 n \n")
	}
	if !bytes.Contains(tail[trailer:startxref], []byte("/Size "+strconv.Itoa(len(offsets))+"\n")) {
		return pdf
	}
	out.Write(tail[trailer:startxref])
	out.WriteString("startxref\n")
	out.WriteString(strconv.Itoa(xref))
	out.WriteString("\n%%EOF\n")
	return out.Bytes()
}
