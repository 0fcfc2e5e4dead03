package document

//go:generate bash ../../scripts/gen-fonts.sh

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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
// Not even the font files, nor the font's objects: fpdf copies an embedded
// file several times over while it writes a document, growing its buffer as
// it goes, and formats the 224 widths of each style number by number (with
// fmt), for objects that are the same in every document. So fpdf is told the style is a core font without a file (only
// its name and metrics matter to the layout), and deflatePages puts the
// TrueType font dictionary, with the widths and descriptor objects prepared
// once per process (fontObjects) and the subset of the font file the
// document shows (subset.go), in place of the core font dictionary fpdf
// wrote; a dictionary not found fails the rendering, and so NewRenderer's
// self-test. With Options.NoCompression fpdf embeds the
// font itself.

// fontFamily is the family name documents call SetFont with.
const fontFamily = "DakflowSans"

// fontStyle is one style of the family, as fpdf's AddFontFromBytes takes it.
type fontStyle struct {
	style string    // "" regular, "B" bold
	def   []byte    // fpdf's JSON font definition
	file  []byte    // the zlib-compressed TrueType font fpdf embeds
	font  *trueType // file, read for the documents' subsets (subset.go)
	fontObjects
}

// fontObjects are what deflatePages writes for one style: coreDef is the
// definition fpdf is given, a core font of the same name and metrics
// without a file; coreDict the font dictionary fpdf then writes (after
// "N 0 obj\n"), which deflatePages replaces by the TrueType one, made of
// dictHead, "N 0 R\n/FontDescriptor N+1" and dictTail; the widths (N)
// array, the font descriptor (N+1) up to its FontFile2 reference, and the
// document's subset of the font file (N+2, subset.go) follow as objects of
// their own. The font's name in both carries the tag of a subset.
type fontObjects struct {
	coreDef, coreDict, dictHead, dictTail []byte
	widths, descriptor                    []byte
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
		objects, err := prepareFontObjects(def, subsetTags[s.style])
		if err != nil {
			return nil, fmt.Errorf("%s.json: %w", s.name, err)
		}
		font, err := readTrueType(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.File, err)
		}
		fonts = append(fonts, fontStyle{style: s.style, def: def, file: file, font: font, fontObjects: objects})
	}
	return fonts, nil
}

// prepareFontObjects writes the objects of a font as fpdf would for an
// embedded TrueType font (Fpdf.putfonts), for deflatePages to put in every
// document, the font named as a subset with tag.
func prepareFontObjects(def []byte, tag string) (fontObjects, error) {
	var d struct {
		Name string
		Desc struct {
			Ascent, Descent, CapHeight, Flags int
			FontBBox                          struct{ Xmin, Ymin, Xmax, Ymax int }
			ItalicAngle, StemV, MissingWidth  int
		}
		Cw []int
	}
	if err := json.Unmarshal(def, &d); err != nil {
		return fontObjects{}, err
	}
	if len(d.Cw) != 256 {
		return fontObjects{}, fmt.Errorf("%d widths, want 256", len(d.Cw))
	}
	var o fontObjects
	// fpdf embeds no core font and needs neither the type nor the file to
	// lay out text.
	tp, file := []byte(`"Tp":"TrueType",`), []byte(`"File":"`+d.Name+`.z",`)
	if bytes.Count(def, tp) != 1 || bytes.Count(def, file) != 1 {
		return fontObjects{}, fmt.Errorf("not in the form of fpdf's makefont")
	}
	o.coreDef = bytes.Replace(bytes.Replace(def, tp, []byte(`"Tp":"Core",`), 1), file, []byte(`"File":"",`), 1)
	o.coreDict = fmt.Appendf(nil, "<</Type /Font\n/BaseFont /%s\n/Subtype /Type1\n/Encoding /WinAnsiEncoding\n>>\nendobj\n", d.Name)
	o.dictHead = fmt.Appendf(nil, "<</Type /Font\n/BaseFont /%s+%s\n/Subtype /TrueType\n/FirstChar 32 /LastChar 255\n/Widths ", tag, d.Name)
	o.dictTail = []byte(" 0 R\n/Encoding /WinAnsiEncoding\n>>\nendobj\n") // after "/FontDescriptor N"
	o.widths = append(o.widths, '[')
	for _, w := range d.Cw[32:] {
		o.widths = fmt.Appendf(o.widths, "%d ", w)
	}
	o.widths = append(o.widths, "]\nendobj\n"...)
	dd := d.Desc
	o.descriptor = fmt.Appendf(nil, "<</Type /FontDescriptor /FontName /%s+%s /Ascent %d /Descent %d /CapHeight %d /Flags %d "+
		"/FontBBox [%d %d %d %d] /ItalicAngle %d /StemV %d /MissingWidth %d /FontFile2 ",
		tag, d.Name, dd.Ascent, dd.Descent, dd.CapHeight, dd.Flags, dd.FontBBox.Xmin, dd.FontBBox.Ymin, dd.FontBBox.Xmax,
		dd.FontBBox.Ymax, dd.ItalicAngle, dd.StemV, dd.MissingWidth)
	return o, nil
}

// addFonts makes the family available to one fpdf instance: with the font
// files themselves when embed is set, else as core fonts, which
// deflatePages turns into the embedded TrueType fonts.
func (d *doc) addFonts(embed bool) {
	fonts, err := loadFonts()
	d.fail(err)
	if !embed && !d.r.addFontsEach && shareFonts(d.pdf) {
		return
	}
	for _, f := range fonts {
		if embed {
			d.pdf.AddFontFromBytes(fontFamily, f.style, f.def, f.file)
		} else {
			d.pdf.AddFontFromBytes(fontFamily, f.style, f.coreDef, nil)
		}
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

// output writes the finished document: fpdf's bytes with the fonts
// embedded and the page streams compressed, with the page count in place
// of its alias (deflatePages). With Options.NoCompression fpdf embedded the
// fonts itself (addFonts), replaced the alias, and its bytes are the
// document. Every buffer but the document returned is pooled.
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
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	out := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(out)
	out.Reset()
	if !deflatePages(out, raw.Bytes(), d.pdf.PageCount(), fonts) {
		return nil, errors.New("fpdf's output is not laid out as deflatePages expects")
	}
	return bytes.Clone(out.Bytes()), nil
}
