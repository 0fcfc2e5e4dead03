#!/usr/bin/env bash
# gen-fonts.sh rebuilds templates/fonts, the fonts every dakflow document
# embeds (DOCUMENTS.md: fonts embedded, PDF/A-2b the goal), from Liberation
# Sans 2.1.5 as Debian 12 ships it (apt-get install fonts-liberation2 fonttools;
# the fonts are pinned below by version and SHA-256; the files in the
# repository were made with Debian 12's fonttools 4.38.0, and another version
# may write other bytes). Run it from anywhere, or via
# `go generate ./internal/document`. Needs pyftsubset and python3 with
# fontTools, sha256sum and go.
#
# For each of Regular and Bold it
#  1. subsets the TTF to the characters of Windows-1252, the code page the
#     renderer prints (internal/document/text.go), without hinting and without
#     OpenType layout tables, which a PDF never uses (the PDF positions every
#     glyph): 410 KB becomes 19 KB;
#  2. renames the subset "Dakflow Sans": a subset is a Modified Version under
#     the SIL OFL 1.1, and "Liberation" and "Arimo" are Reserved Font Names
#     that a Modified Version may not use (OFL condition 3); the copyright and
#     licence name records are kept (condition 2);
#  3. runs fpdf's own makefont over it with cp1252.map from the fpdf module, so
#     that the widths the layout measures with are the ones fpdf writes: a
#     definition (.json) and the zlib-compressed font (.z) that fpdf embeds.
# The output is byte for byte the same on every run (no timestamps).
set -euo pipefail

VERSION=2.1.5 # Debian 12 fonts-liberation2 2.1.5-1; name ID 5 "Version 2.1.5"
SRC=${SRC:-/usr/share/fonts/truetype/liberation2}
PYTHON=${PYTHON:-/usr/bin/python3}
declare -A SHA256=(
	[Regular]=8d91388f1d3604b3b8ae0e3ee2d140e50cd6122f9214514f4aca772540a4076d
	[Bold]=ba0e0dc3f7aca5b0afbc31e800531ee43be3aa79ae35b2ef1f6470a9547765c4
)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/templates/fonts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
map="$(go list -m -f '{{.Dir}}' github.com/go-pdf/fpdf)/font/cp1252.map"
# "!E9 U+00E9 eacute": every code point the code page prints.
unicodes=$(awk '$3 != ".notdef" {print $2}' "$map" | paste -sd, -)

for style in Regular Bold; do
	ttf="$SRC/LiberationSans-$style.ttf"
	echo "${SHA256[$style]}  $ttf" | sha256sum --check --quiet -
	pyftsubset "$ttf" --unicodes="$unicodes" --no-hinting --layout-features= \
		--drop-tables+=FFTM,GDEF,GPOS,GSUB,kern --name-IDs='*' --notdef-outline \
		--output-file="$tmp/subset-$style.ttf"
	"$PYTHON" - "$tmp/subset-$style.ttf" "$tmp/DakflowSans-$style.ttf" "$style" "$VERSION" <<'EOF'
import re
import sys
from fontTools.ttLib import TTFont

src, dst, style, version = sys.argv[1:]
font = TTFont(src, recalcTimestamp=False)
name = font["name"]
got = name.getDebugName(5)
if got != "Version " + version:
    sys.exit(f"{src}: name ID 5 is {got!r}, want 'Version {version}'")
# Names that carry the Reserved Font Names or describe the original go; the
# copyright (0) and licence (13, 14) records stay.
for nid in (1, 3, 4, 6, 7, 10, 16, 17):
    name.removeNames(nameID=nid)
names = {
    1: "Dakflow Sans",
    3: f"Dakflow Sans {style} {version}",
    4: "Dakflow Sans" + ("" if style == "Regular" else " " + style),
    6: f"DakflowSans-{style}",
    10: f"Windows-1252 subset of Liberation Sans {version} without hinting, renamed as the "
        "SIL Open Font License 1.1 requires of a Modified Version (Reserved Font Names: "
        "Liberation, Arimo). Made by dakflow's scripts/gen-fonts.sh.",
}
for nid, s in names.items():
    name.setName(s, nid, 3, 1, 0x409)
for rec in name.names:
    if rec.nameID != 10 and re.search("liberation|arimo", rec.toUnicode(), re.I):
        sys.exit(f"{dst}: name ID {rec.nameID} still reads {rec.toUnicode()!r}")
font.save(dst)
EOF
	go run github.com/go-pdf/fpdf/makefont --embed --enc="$map" --dst="$tmp" \
		"$tmp/DakflowSans-$style.ttf" 2>"$tmp/makefont.log"
	if grep -v -e '^Font file compressed' -e '^Font definition file successfully' "$tmp/makefont.log"; then
		echo "makefont DakflowSans-$style: see the messages above" >&2
		exit 1
	fi
	cp "$tmp/DakflowSans-$style.json" "$tmp/DakflowSans-$style.z" "$out/"
done
ls -l "$out"
