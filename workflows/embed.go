// Package workflows holds the workflow definitions as data (YAML), embedded
// so that the binary carries the rules it runs.
package workflows

import "embed"

// FS holds every *.yaml workflow definition.
//
//go:embed *.yaml
var FS embed.FS
