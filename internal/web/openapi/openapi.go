// Package openapi holds the OpenAPI 3 description of dakflow's HTTP API
// (openapi.yaml), the contract that integrators — a province's planning
// system, an auditor's scripts — generate clients from (issue 10, item 6).
// The server serves it as JSON at GET /api/v1/openapi.json, and the test
// suite validates every request and response it makes against it
// (internal/web/apitest), so that it stays true.
//
// The description is written in YAML, where it can carry comments; it is
// converted to JSON once, when the program starts, and a description that
// does not convert stops the program there, as a bad page template does.
package openapi

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// source is the description as written.
//
//go:embed openapi.yaml
var source []byte

// document is the description as JSON, converted once.
var document = mustJSON(source)

// JSON returns the description as GET /api/v1/openapi.json serves it. The
// caller must not modify the slice.
func JSON() []byte { return document }

func mustJSON(yamlDoc []byte) []byte {
	b, err := toJSON(yamlDoc)
	if err != nil {
		panic(fmt.Sprintf("openapi: openapi.yaml: %v", err))
	}
	return b
}

// toJSON converts a YAML document to JSON. YAML's anchors and merge keys
// are resolved; a mapping key that is not a string (an unquoted status
// code such as 200) is an error, since JSON has none.
func toJSON(yamlDoc []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(yamlDoc, &v); err != nil {
		return nil, err
	}
	v, err := jsonValue(v, "")
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// jsonValue checks that every mapping below v has string keys and returns
// it with those mappings as map[string]any.
func jsonValue(v any, at string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			c, err := jsonValue(e, at+"/"+k)
			if err != nil {
				return nil, err
			}
			t[k] = c
		}
		return t, nil
	case map[any]any:
		for k := range t {
			if _, ok := k.(string); !ok {
				return nil, fmt.Errorf("%s: key %v (%T) is not a string: quote it", at, k, k)
			}
		}
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k.(string)] = e
		}
		return jsonValue(out, at)
	case []any:
		for i, e := range t {
			c, err := jsonValue(e, fmt.Sprintf("%s/%d", at, i))
			if err != nil {
				return nil, err
			}
			t[i] = c
		}
		return t, nil
	}
	return v, nil
}
