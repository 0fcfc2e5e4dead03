// Package apitest drives dakflow's HTTP API in tests: a real server on
// loopback over a real database, clients logged in per role, and walkers
// that take a proposal through the workflow by firing real events.
package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// Client calls the API as one logged-in user.
type Client struct {
	tb    testing.TB
	base  string
	Token string
	User  map[string]any
}

// Response is a finished call.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map; a body that is no JSON object
// is nil, for the test to compare.
func (r Response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m) // nil is the answer for a body that is no object
	return m
}

// Decode decodes the body into v or fails the test.
func (r Response) Decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Fields lists the "field" of every error of a problem body.
func (r Response) Fields() []string {
	var p struct {
		Errors []struct{ Field, Guard string } `json:"errors"`
	}
	_ = json.Unmarshal(r.Body, &p) // a body that is no problem names no field
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// Guards lists the "guard" of every error of a problem body.
func (r Response) Guards() []string {
	var p struct {
		Errors []struct{ Guard string } `json:"errors"`
	}
	_ = json.Unmarshal(r.Body, &p) // a body that is no problem names no guard
	var out []string
	for _, e := range p.Errors {
		if e.Guard != "" {
			out = append(out, e.Guard)
		}
	}
	return out
}

// Login opens a session for username or fails the test.
func Login(tb testing.TB, base, username, password string) *Client {
	tb.Helper()
	c := &Client{tb: tb, base: base}
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}, nil)
	if r.Status != http.StatusOK {
		tb.Fatalf("login %s = %d %s", username, r.Status, r.Body)
	}
	var out struct {
		Token string         `json:"token"`
		User  map[string]any `json:"user"`
	}
	r.Decode(tb, &out)
	c.Token, c.User = out.Token, out.User
	return c
}

// Anonymous is a client without a token.
func Anonymous(tb testing.TB, base string) *Client { return &Client{tb: tb, base: base} }

// Do sends body (nil, []byte/string sent raw, or anything else as JSON).
func (c *Client) Do(method, path string, body any, header map[string]string) Response {
	c.tb.Helper()
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.tb.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.tb.Fatalf("request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", ct)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.send(req)
}

func (c *Client) send(req *http.Request) Response {
	c.tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.tb.Fatalf("read body: %v", err)
	}
	out := Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	c.checkContract(req, out) // every call held to the OpenAPI description (contract.go)
	return out
}

// Upload sends one attachment as multipart form data.
func (c *Client) Upload(proposalID int64, kind, fileName string, data []byte) Response {
	c.tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("kind", kind); err != nil {
		c.tb.Fatal(err)
	}
	fw, err := w.CreateFormFile("file", fileName)
	if err != nil {
		c.tb.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		c.tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		c.tb.Fatal(err)
	}
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/proposals/%d/attachments", c.base, proposalID), &buf)
	if err != nil {
		c.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	return c.send(req)
}

// File is one attachment of a multipart filing (CreateWithFiles).
type File struct {
	Kind, Name string
	Data       []byte
}

// CreateWithFiles files a proposal with its attachments in one multipart
// request: the proposal's JSON in the part named proposal, then a kind and
// a file part for each file.
func (c *Client) CreateWithFiles(proposal any, files []File) Response {
	c.tb.Helper()
	return c.CreateWithFilesHeader(proposal, files, nil)
}

// CreateWithFilesHeader is CreateWithFiles with extra request headers (an
// Idempotency-Key); every call writes the form anew, with a boundary of its
// own, as a retrying client would.
func (c *Client) CreateWithFilesHeader(proposal any, files []File, header map[string]string) Response {
	c.tb.Helper()
	body, err := json.Marshal(proposal)
	if err != nil {
		c.tb.Fatal(err)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("proposal", string(body)); err != nil {
		c.tb.Fatal(err)
	}
	for _, f := range files {
		if err := w.WriteField("kind", f.Kind); err != nil {
			c.tb.Fatal(err)
		}
		fw, err := w.CreateFormFile("file", f.Name)
		if err != nil {
			c.tb.Fatal(err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			c.tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		c.tb.Fatal(err)
	}
	req, err := http.NewRequest("POST", c.base+"/api/v1/proposals", &buf)
	if err != nil {
		c.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.send(req)
}

// Fire posts an event and returns the response.
func (c *Client) Fire(id int64, event, comment string, data any, header map[string]string) Response {
	c.tb.Helper()
	body := map[string]any{"event": event}
	if comment != "" {
		body["comment"] = comment
	}
	if data != nil {
		body["data"] = data
	}
	return c.Do("POST", fmt.Sprintf("/api/v1/proposals/%d/events", id), body, header)
}

// MustFire fires an event that must succeed.
func (c *Client) MustFire(id int64, event, comment string, data any) map[string]any {
	c.tb.Helper()
	r := c.Fire(id, event, comment, data, nil)
	if r.Status != http.StatusOK {
		c.tb.Fatalf("fire %s on %d = %d %s", event, id, r.Status, r.Body)
	}
	return r.JSON()
}

// PDFBytes is a small valid PDF for uploads.
func PDFBytes(title string) []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " + title + "\ntrailer<</Root 1 0 R>>\n%%EOF\n")
}

// With returns a copy of the client that reports failures to tb (a subtest).
func (c *Client) With(tb testing.TB) *Client {
	cp := *c
	cp.tb = tb
	return &cp
}
