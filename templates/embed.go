// Package templates embeds the wording of dakflow's documents and its web
// pages, and the font its documents are set in, so the binary carries them
// and callers receive them as an fs.FS; //go:embed cannot reach "..", so
// this directory embeds itself.
package templates

import "embed"

// FS holds templates/documents (common.yaml, signers.yaml — who signs each
// kind — and one <kind>.yaml per document kind, read by
// internal/document.NewRenderer) and
// templates/pages (html/template files, read by internal/web).
//
//go:embed documents pages
var FS embed.FS

// Fonts holds templates/fonts: the Dakflow Sans font files every document
// embeds (fpdf definitions and compressed TrueType), with their licence,
// which the OFL asks to travel with every copy of the font. It is apart
// from FS because the font is part of the layout, not wording a deployment
// may change.
//
//go:embed fonts
var Fonts embed.FS
