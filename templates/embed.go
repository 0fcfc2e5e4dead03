// Package templates embeds the wording of dakflow's documents and its web
// pages, so the binary carries them and callers receive them as an fs.FS;
// //go:embed cannot reach "..", so this directory embeds itself.
package templates

import "embed"

// FS holds templates/documents (common.yaml and one <kind>.yaml per
// document kind, read by internal/document.NewRenderer) and
// templates/pages (html/template files, read by internal/web).
//
//go:embed documents pages
var FS embed.FS
