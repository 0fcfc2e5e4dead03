package document

//go:generate bash ../../scripts/gen-fonts.sh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"sync"

	"dakflow/templates"
)

// Every document is set in Dakflow Sans, Liberation Sans cut down to
// Windows-1252 (templates/fonts/README.md), embedded in the PDF: DOCUMENTS.md
// asks for embedded fonts, so that a document looks the same in ten years,
// and the PDF core fonts are never embedded. fpdf embeds it as a simple
// TrueType font with WinAnsiEncoding, so the text stays the cp1252 bytes of
// text.go and the widths the layout measures with come from the font's own
// definition. Parsing a TTF per document costs ~18 ms against a budget of
// 2 ms for a letter, so the font was prepared once with fpdf's makefont
// (scripts/gen-fonts.sh) and a document only hands fpdf the shared bytes.
//
// Not even the font files: fpdf copies an embedded file several times over
// while it writes a document, growing its buffer as it goes, and for 25 KiB
// of font that cost about 0.25 ms of the 2 ms. So fpdf embeds a placeholder
// of a few bytes for each file, and output puts the real file in its place
// in one copy, before deflatePages rebuilds the cross-reference table; a
// placeholder not found fails the rendering, and so NewRenderer's self-test.

// fontFamily is the family name documents call SetFont with.
const fontFamily = "DakflowSans"

// fontStyle is one style of the family, as fpdf's AddFontFromBytes takes it.
type fontStyle struct {
	style string // "" regular, "B" bold
	def   []byte // fpdf's JSON font definition
	file  []byte // the zlib-compressed TrueType font fpdf embeds
	mark  []byte // the placeholder fpdf embeds instead (see output)
}

// fontStyles are the styles the layout uses, by their file names in
// templates/fonts. There is no italic: no block is set in it.
var fontStyles = []struct{ style, name string }{
	{"", "DakflowSans-Regular"},
	{"B", "DakflowSans-Bold"},
}

// loadFonts reads the embedded font files once per process; every Renderer
// shares the bytes, which fpdf only reads.
var loadFonts = sync.OnceValues(func() ([]fontStyle, error) {
	fonts, err := readFonts(templates.Fonts)
	if err != nil {
		return nil, fmt.Errorf("document fonts: %w", err)
	}
	return fonts, nil
})

// readFonts reads the styles of fontStyles from fsys (a tree holding
// fonts/) and checks that each definition is an embedded TrueType font of
// code page 1252 whose file is there, so that a bad font stops start-up
// instead of failing every document.
func readFonts(fsys fs.FS) ([]fontStyle, error) {
	var fonts []fontStyle
	for _, s := range fontStyles {
		def, err := fs.ReadFile(fsys, "fonts/"+s.name+".json")
		if err != nil {
			return nil, err
		}
		var d struct{ Tp, Name, Enc, Diff, File string }
		if err := json.Unmarshal(def, &d); err != nil {
			return nil, fmt.Errorf("%s.json: %w", s.name, err)
		}
		if d.Tp != "TrueType" || d.Name != s.name || d.Enc != "cp1252" || d.Diff != "" || d.File != s.name+".z" {
			return nil, fmt.Errorf("%s.json: want an embedded TrueType font %s of cp1252, got %s %q of %q, file %q",
				s.name, s.name, d.Tp, d.Name, d.Enc, d.File)
		}
		file, err := fs.ReadFile(fsys, "fonts/"+d.File)
		if err != nil {
			return nil, err
		}
		mark := []byte("%dakflow font " + s.name + "%")
		fonts = append(fonts, fontStyle{style: s.style, def: def, file: file, mark: mark})
	}
	return fonts, nil
}

// addFonts makes the family available to one fpdf instance, with the font
// files themselves when embed is set, else with their placeholders, which
// output replaces.
func (d *doc) addFonts(embed bool) {
	fonts, err := loadFonts()
	d.fail(err)
	for _, f := range fonts {
		file := f.mark
		if embed {
			file = f.file
		}
		d.pdf.AddFontFromBytes(fontFamily, f.style, f.def, file)
	}
	d.fail(d.pdf.Error())
}

// buffers hold a document while output works on it; pooled, as a document
// with its font is some 50 KiB.
var buffers = sync.Pool{New: func() any {
	b := new(bytes.Buffer)
	b.Grow(64 << 10)
	return b
}}

// output writes the finished document: fpdf's bytes, the font files in
// place of their placeholders, the page streams compressed. With
// Options.NoCompression fpdf embedded the fonts itself (addFonts) and its
// bytes are the document.
func (d *doc) output() ([]byte, error) {
	raw := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(raw)
	raw.Reset()
	if err := d.pdf.Output(raw); err != nil {
		return nil, err
	}
	if d.r.opts.NoCompression {
		return bytes.Clone(raw.Bytes()), nil
	}
	full := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(full)
	full.Reset()
	if err := spliceFonts(full, raw.Bytes()); err != nil {
		return nil, err
	}
	in := full.Bytes()
	out := deflatePages(in)
	if len(out) > 0 && &out[0] == &in[0] { // deflatePages left it as it was
		out = bytes.Clone(out)
	}
	return out, nil
}

// spliceFonts writes pdf to out with each font file in place of its
// placeholder: the stream "<</Length n ... >>\nstream\n<mark>\nendstream"
// that fpdf wrote gets the file and its length. Offsets move; deflatePages
// rebuilds the cross-reference table after. A placeholder not found is an
// error, never a document with a broken font.
func spliceFonts(out *bytes.Buffer, pdf []byte) error {
	fonts, err := loadFonts()
	if err != nil {
		return err
	}
	type cut struct {
		length, body int // where the Length value and the stream data start
		f            *fontStyle
	}
	var cuts []cut
	for i := range fonts {
		f := &fonts[i]
		n := strconv.Itoa(len(f.mark))
		body := bytes.Index(pdf, slices.Concat([]byte("\nstream\n"), f.mark, []byte("\nendstream\n")))
		head := bytes.LastIndex(pdf[:max(body, 0)], []byte("<</Length "+n+"\n"))
		if body < 0 || head < 0 || body-head > 80 {
			return fmt.Errorf("font %s: placeholder not found in fpdf's output", f.mark)
		}
		cuts = append(cuts, cut{head + len("<</Length "), body + len("\nstream\n"), f})
	}
	slices.SortFunc(cuts, func(a, b cut) int { return a.length - b.length })
	out.Grow(len(pdf) + 30<<10)
	at := 0
	for _, c := range cuts {
		out.Write(pdf[at:c.length])
		out.WriteString(strconv.Itoa(len(c.f.file)))
		out.Write(pdf[c.length+len(strconv.Itoa(len(c.f.mark))) : c.body])
		out.Write(c.f.file)
		at = c.body + len(c.f.mark)
	}
	out.Write(pdf[at:])
	return nil
}
