package apitest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"sort"
)

// Multipart posts a multipart form to path: fields, and the file data in
// field fileField under fileName. The call is held to the description
// like any other.
func (c *Client) Multipart(path string, fields map[string]string, fileField, fileName string, data []byte) Response {
	c.tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := w.WriteField(k, fields[k]); err != nil {
			c.tb.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile(fileField, fileName)
	if err != nil {
		c.tb.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		c.tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		c.tb.Fatal(err)
	}
	body := buf.Bytes()
	req, err := http.NewRequest("POST", c.base+path, bytes.NewReader(body))
	if err != nil {
		c.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	return c.send(req)
}
