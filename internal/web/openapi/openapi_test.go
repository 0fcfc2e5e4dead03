package openapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestJSON(t *testing.T) {
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatalf("JSON() is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.0.3" || doc.Paths["/api/v1/proposals"] == nil {
		t.Errorf("JSON() = openapi %q with %d paths, want 3.0.3 with /api/v1/proposals", doc.OpenAPI, len(doc.Paths))
	}
}

func TestToJSON(t *testing.T) {
	tests := []struct {
		name, yaml, want, err string
	}{
		{"quoted status", "responses:\n  \"200\": {description: ok}\n", `{"responses":{"200":{"description":"ok"}}}`, ""},
		{"merge key", "a: &p {x: 1}\nb: {<<: *p, y: 2}\n", `{"a":{"x":1},"b":{"x":1,"y":2}}`, ""},
		{"unquoted status", "responses:\n  200: {description: ok}\n", "", "/responses: key 200 (int) is not a string"},
		{"not yaml", "a: [\n", "", "yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toJSON([]byte(tt.yaml))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("toJSON(%q) error = %v, want %q", tt.yaml, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("toJSON(%q): %v", tt.yaml, err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("toJSON(%q) (-want +got):\n%s", tt.yaml, diff)
			}
		})
	}
}
