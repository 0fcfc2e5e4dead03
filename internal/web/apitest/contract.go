package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"dakflow/internal/web/openapi"
)

// The API's contract is its OpenAPI description (internal/web/openapi).
// Every call a Client makes is held to it (checkContract), so that the
// description cannot drift from what the server does: a request the
// description refuses must be refused by the server too, and every
// response — status, content type, headers, body — must be one the
// description allows.

// contract is the description, loaded and checked once per process.
var contract struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

// ContractStats counts the calls held to the description in this process.
var ContractStats struct {
	// Requests is every call under /api/v1 (or to another described path)
	// checked against the description.
	Requests atomic.Int64
	// Refused is those of Requests that the description refuses and the
	// server refused too (400, 401, 404, 413, 415, 422, …): a test of bad
	// input.
	Refused atomic.Int64
	// operations holds "METHOD /path" of every operation called.
	operations sync.Map
}

// ContractCoverage lists the operations of the description that no call
// of this process reached, as "METHOD /path", and how many there are
// (none before the first call).
func ContractCoverage() (missed []string, total int) {
	if ContractStats.Requests.Load() == 0 {
		return nil, 0
	}
	for path, item := range contract.doc.Paths.Map() {
		for method := range item.Operations() {
			total++
			if _, ok := ContractStats.operations.Load(method + " " + path); !ok {
				missed = append(missed, method+" "+path)
			}
		}
	}
	slices.Sort(missed)
	return missed, total
}

// Contract returns the API description as the suite checks it: loaded from
// the JSON the server serves, valid (openapi3.T.Validate), and closed —
// every object schema with properties admits no others — so that a field
// the server sends must be described. (The served description leaves
// response objects open: PRODUCT.md §6, "more fields may be added".)
func Contract(tb testing.TB) (*openapi3.T, routers.Router) {
	tb.Helper()
	contract.once.Do(func() {
		contract.doc, contract.router, contract.err = loadContract(openapi.JSON())
	})
	if contract.err != nil {
		tb.Fatalf("openapi.yaml: %v", contract.err)
	}
	return contract.doc, contract.router
}

func loadContract(b []byte) (*openapi3.T, routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("validate: %w", err)
	}
	seen := map[*openapi3.Schema]bool{}
	for _, s := range doc.Components.Schemas {
		closeObjects(s, seen)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						closeObjects(mt.Schema, seen)
					}
				}
			}
		}
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("router: %w", err)
	}
	return doc, router, nil
}

// closeObjects sets additionalProperties: false on every object schema
// below ref that lists properties and says nothing of others.
func closeObjects(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	ap := &s.AdditionalProperties
	if len(s.Properties) > 0 && ap.Has == nil && ap.Schema == nil {
		closed := false
		ap.Has = &closed
	}
	for _, p := range s.Properties {
		closeObjects(p, seen)
	}
	closeObjects(s.Items, seen)
	closeObjects(ap.Schema, seen)
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, r := range group {
			closeObjects(r, seen)
		}
	}
}

var contractOptions = &openapi3filter.Options{
	IncludeResponseStatus: true, // a status the description does not list is a mismatch
	MultiError:            true,
	AuthenticationFunc:    bearerPresent,
}

// bearerPresent is the description's bearer scheme as the validator sees
// it: a token is sent; whether the server knows it is the server's answer.
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); !ok || t == "" {
		return errors.New("no bearer token")
	}
	return nil
}

// checkContract holds one finished call to the description, failing the
// test on a mismatch. Calls outside /api/v1 are checked only when the
// description has a path for them (the probes). A request the description
// refuses must be refused by the server (4xx); a path or method the
// description lacks must be one the server lacks (404 or 405, or 401 from
// the API's token check, which runs first).
func (c *Client) checkContract(req *http.Request, resp Response) {
	c.tb.Helper()
	_, router := Contract(c.tb)
	vreq, err := replay(req)
	if err != nil {
		c.tb.Errorf("openapi: %s %s: %v", req.Method, req.URL.Path, err)
		return
	}
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		if strings.HasPrefix(req.URL.Path, "/api/v1/") && !missing(resp.Status) {
			c.tb.Errorf("openapi: %s %s = %d, but openapi.yaml has no such operation: %v", req.Method, req.URL.Path, resp.Status, err)
		}
		return
	}
	ContractStats.Requests.Add(1)
	ContractStats.operations.Store(req.Method+" "+route.Path, true)
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: contractOptions}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		if resp.Status/100 != 4 {
			c.tb.Errorf("openapi: %s %s = %d, but the request does not match openapi.yaml:\n%v", req.Method, req.URL.Path, resp.Status, err)
		} else {
			ContractStats.Refused.Add(1)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.Status, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(resp.Body)), Options: contractOptions}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		c.tb.Errorf("openapi: %s %s = %d %s, which openapi.yaml does not describe:\n%v\n%.600s", req.Method, req.URL.Path,
			resp.Status, resp.Header.Get("Content-Type"), err, resp.Body)
	}
}

// missing reports whether status says that the server has no such route.
func missing(status int) bool {
	return status == http.StatusNotFound || status == http.StatusMethodNotAllowed || status == http.StatusUnauthorized
}

// replay is a copy of a sent request, with its body again, for the
// validator to read.
func replay(req *http.Request) (*http.Request, error) {
	r := req.Clone(context.Background())
	r.Body = http.NoBody
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
		r.Body = body
	}
	return r, nil
}
