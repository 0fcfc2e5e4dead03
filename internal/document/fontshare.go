package document

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/go-pdf/fpdf"
)

// fpdf decodes a font's JSON definition (and encodes it again, to hash it)
// each time it is added, and keeps it in a map of its own, unexported: a
// sixth of a short letter's rendering went into reading the same two
// definitions per document, and fpdf has no call that shares them. So the
// definitions are added once, to a prototype, and every document gets a
// copy of the prototype's font map (shareFonts), as AddFontFromBytes would
// have left it. This reaches into fpdf's fields, so it is checked once per
// process before it is used (fontSharing): a document made from a copy of
// the map must hold, field for field, what one given the fonts by
// AddFontFromBytes holds; else, say after an upgrade of fpdf that changed
// its fields, every document adds the fonts itself, as before.
// TestSharedFontsAsAdded checks the documents come out byte for byte the
// same both ways.

// fontSharing is the prototype's font map, nil when sharing it is not
// safe (fpdf not laid out as checked).
var fontSharing = sync.OnceValue(func() *reflect.Value {
	fonts, err := loadFonts()
	if err != nil {
		return nil
	}
	added := func() *fpdf.Fpdf {
		pdf := fpdf.New("P", "mm", "A4", "")
		for _, f := range fonts {
			pdf.AddFontFromBytes(fontFamily, f.style, f.coreDef, nil)
		}
		return pdf
	}
	proto := added()
	if proto.Err() {
		return nil
	}
	src, ok := fontMap(proto)
	if !ok || src.Len() != len(fonts) {
		return nil
	}
	shared := fpdf.New("P", "mm", "A4", "")
	if !copyFonts(shared, src) || !sameState(shared, added()) {
		return nil
	}
	return &src
})

// shareFonts gives pdf, new, the family's fonts as the prototype holds
// them, and reports whether it did (else the caller adds them).
func shareFonts(pdf *fpdf.Fpdf) bool {
	src := fontSharing()
	return src != nil && copyFonts(pdf, *src)
}

// copyFonts copies the font map src into pdf's, and reports whether pdf
// has one of src's type. The definitions' width tables are shared: fpdf
// only reads them (it writes only the used runes of a UTF-8 font, which
// these are not).
func copyFonts(pdf *fpdf.Fpdf, src reflect.Value) bool {
	dst, ok := fontMap(pdf)
	if !ok || dst.Type() != src.Type() {
		return false
	}
	for it := src.MapRange(); it.Next(); {
		dst.SetMapIndex(it.Key(), it.Value())
	}
	return true
}

// fontMap is pdf's font map, settable, if it has one where checked.
func fontMap(pdf *fpdf.Fpdf) (reflect.Value, bool) {
	v := reflect.ValueOf(pdf).Elem().FieldByName("fonts")
	if !v.IsValid() || v.Kind() != reflect.Map || v.Type().Key().Kind() != reflect.String {
		return reflect.Value{}, false
	}
	return settable(v), true
}

// sameState reports whether a and b hold the same values in every field,
// functions only by whether they are set.
func sameState(a, b *fpdf.Fpdf) bool {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		fa, fb := settable(va.Field(i)), settable(vb.Field(i))
		if fa.Kind() == reflect.Func {
			if fa.IsNil() != fb.IsNil() {
				return false
			}
			continue
		}
		if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			return false
		}
	}
	return true
}

// settable is the field v, unexported, as a value reflect lets us read
// and set.
func settable(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}
