package document

//go:generate bash ../../scripts/gen-fonts.sh

import (
	"encoding/json"
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

// fontFamily is the family name documents call SetFont with.
const fontFamily = "DakflowSans"

// fontStyle is one style of the family, as fpdf's AddFontFromBytes takes it.
type fontStyle struct {
	style string // "" regular, "B" bold
	def   []byte // fpdf's JSON font definition
	file  []byte // the zlib-compressed TrueType font fpdf embeds
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
		fonts = append(fonts, fontStyle{style: s.style, def: def, file: file})
	}
	return fonts, nil
}

// addFonts makes the family available to one fpdf instance.
func (d *doc) addFonts() {
	fonts, err := loadFonts()
	d.fail(err)
	for _, f := range fonts {
		d.pdf.AddFontFromBytes(fontFamily, f.style, f.def, f.file)
	}
	d.fail(d.pdf.Error())
}
