package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// maxJSONBody bounds any JSON request body.
const maxJSONBody = 2 << 20

// jsonRaw is a JSON value kept as the client sent it (an event's data).
type jsonRaw = json.RawMessage

// readBody reads a JSON request body, bounded: wrong content type is 415,
// too large 413.
func readBody(c echo.Context) ([]byte, error) { return readBodyUpTo(c, maxJSONBody) }

// readBodyUpTo reads a JSON request body of at most limit bytes. A body
// declared larger is refused from its Content-Length, unread: an anonymous
// client posting huge bodies costs no memory (PRODUCT.md §7).
func readBodyUpTo(c echo.Context, limit int64) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, dak.Errorf(dak.ErrUnsupported, "Content-Type harus application/json")
	}
	if c.Request().ContentLength > limit {
		return nil, dak.Errorf(dak.ErrTooLarge, "badan permintaan melebihi %d byte", limit)
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, limit+1))
	if err != nil {
		return nil, malformed("body", "badan permintaan tidak dapat dibaca")
	}
	if int64(len(body)) > limit {
		return nil, dak.Errorf(dak.ErrTooLarge, "badan permintaan melebihi %d byte", limit)
	}
	return body, nil
}

// decodeJSON reads a JSON body strictly into v: wrong content type is 415,
// too large 413, malformed or unknown fields 400 naming the field.
func decodeJSON(c echo.Context, v any) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(body, v, err)
	}
	if dec.More() {
		return malformed("body", "ada data setelah objek JSON")
	}
	return nil
}

// jsonProblem names the offending field of a failed decode of body into v.
func jsonProblem(body []byte, v any, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return malformed("body", fmt.Sprintf("JSON tidak valid pada posisi %d", syn.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("body", "JSON terpotong")
	}
	// encoding/json names no field for errors of Money and Percent, and no
	// index or parent: find the value that fails, with its full path.
	if path, perr := dak.JSONErrorPath(body, v); path != "" && perr != nil {
		switch {
		case errors.As(perr, &typ):
			return malformed(path, fmt.Sprintf("harus bertipe %s", typ.Type))
		case strings.HasPrefix(perr.Error(), "json: unknown field "):
			return malformed(path, "kolom tidak dikenal")
		}
		return malformed(path, perr.Error())
	}
	switch {
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return malformed(field, fmt.Sprintf("harus bertipe %s", typ.Type))
	case errors.Is(err, io.EOF):
		return malformed("body", "badan permintaan kosong")
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return malformed(strings.Trim(f, `"`), "kolom tidak dikenal")
	}
	// Otherwise the message may carry the path.
	field := "body"
	if i := strings.Index(msg, "Go struct field "); i >= 0 {
		rest := msg[i+len("Go struct field "):]
		if j := strings.Index(rest, " of type"); j > 0 {
			field = jsonPath(rest[:j])
		}
	}
	return malformed(field, msg)
}

// jsonPath turns "ProposalInput.budget_lines.unit_price" into "budget_lines.unit_price".
func jsonPath(goPath string) string {
	if i := strings.Index(goPath, "."); i >= 0 {
		return goPath[i+1:]
	}
	return goPath
}

// listBody is every list's shape: {"items": [...], "total": N}.
type listBody[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

// list wraps items as a list; no items is [], never null.
func list[T any](items []T, total int64) listBody[T] {
	if items == nil {
		items = []T{}
	}
	return listBody[T]{Items: items, Total: total}
}
