package dak

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// JSONErrorPath finds the first value of data, in document order, that does
// not decode strictly (unknown fields rejected) into the type v points to,
// and returns its path in the style of FieldError ("budget_lines[0].unit_price")
// with the decoding error; "" and nil when every value decodes.
//
// encoding/json names no field for an error returned by an UnmarshalJSON
// method (Money, Percent), no array index, and not the parents of an unknown
// field; callers use this after a failed decode so that the 400 says which
// field is wrong.
func JSONErrorPath(data []byte, v any) (string, error) {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return "", nil
	}
	return jsonErrorPath(data, t.Elem(), "")
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

func jsonErrorPath(data []byte, t reflect.Type, path string) (string, error) {
	for t.Kind() == reflect.Pointer {
		if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
			return "", nil // a nil pointer
		}
		t = t.Elem()
	}
	composite := t.Kind() == reflect.Struct || t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8
	if !composite || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		if err := json.Unmarshal(data, reflect.New(t).Interface()); err != nil {
			return path, err
		}
		return "", nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return path, err
	}
	want := json.Delim('{')
	if t.Kind() == reflect.Slice {
		want = '['
	}
	switch {
	case tok == nil:
		return "", nil // null leaves the value as it is
	case tok != want:
		return path, json.Unmarshal(data, reflect.New(t).Interface())
	}
	for i := 0; dec.More(); i++ {
		at, elem := fmt.Sprintf("%s[%d]", path, i), t
		if t.Kind() == reflect.Struct {
			tok, err := dec.Token()
			if err != nil {
				return path, err
			}
			key, _ := tok.(string)
			if at = key; path != "" {
				at = path + "." + key
			}
			f, ok := jsonField(t, key)
			if !ok {
				return at, fmt.Errorf("json: unknown field %q", key)
			}
			elem = f.Type
		} else {
			elem = t.Elem()
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return at, err
		}
		if p, err := jsonErrorPath(raw, elem, at); err != nil {
			return p, err
		}
	}
	return "", nil
}

// jsonField finds the field encoding/json decodes key into: the exact name
// first, else one that matches ignoring case.
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	var folded *reflect.StructField
	for _, f := range reflect.VisibleFields(t) {
		tag := f.Tag.Get("json")
		if !f.IsExported() || f.Anonymous && tag == "" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f, true
		}
		if folded == nil && strings.EqualFold(name, key) {
			folded = &f
		}
	}
	if folded != nil {
		return *folded, true
	}
	return reflect.StructField{}, false
}
