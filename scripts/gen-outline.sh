#!/usr/bin/env bash
# gen-outline.sh rebuilds internal/region/data/outline/indonesia.txt, the
# coverage map's outline (PRODUCT.md §9), from Natural Earth's 1:50m Admin 0
# countries as the pinned npm package world-atlas redistributes them: npm
# pack into a temporary folder, check the tarball against the pinned SHA-512
# (npm's dist.integrity for this version), extract it and run the generator.
# Run it from anywhere, or via `go generate ./internal/region`. Needs npm,
# tar, sha512sum and go.
set -euo pipefail

PKG=world-atlas
VERSION=2.0.2
# sha512 of world-atlas-2.0.2.tgz, the hex form of its npm dist.integrity
# "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==".
SHA512=2177d5d2ac25297a5c933d458705d5c0a46388884e9d6b6d3ac926e42b7132c8e013f317018447589aa05cea4cf0891c3c1a179f24d4e651477186b90a11b42d

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null)
tgz="$tmp/$PKG-$VERSION.tgz"
echo "$SHA512  $tgz" | sha512sum --check --quiet -
tar -xzf "$tgz" -C "$tmp"

cd "$root"
go run ./internal/region/outlinegen -src "$tmp/package" -out internal/region/data/outline
