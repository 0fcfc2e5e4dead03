#!/usr/bin/env bash
# gen-regions.sh rebuilds internal/region/data from the pinned npm package
# idn-area-data (PRODUCT.md §2 "Region"): npm pack into a temporary folder,
# check the tarball against the pinned SHA-512 (npm's dist.integrity for this
# version), extract it and run the generator. Run it from anywhere, or via
# `go generate ./internal/region`. Needs npm, tar, sha512sum and go.
set -euo pipefail

PKG=idn-area-data
VERSION=4.0.1
# sha512 of idn-area-data-4.0.1.tgz, the hex form of its npm dist.integrity
# "sha512-PhNSIl5T7swVwwWxJOFMtCaeHAF9TUu0HLDf+36EIWZro9j7au83AFIJiBQGL+iRsBDA2OlpJ5fjiqxNYndzOQ==".
SHA512=3e1352225e53eecc15c305b124e14cb4269e1c017d4d4bb41cb0dffb7e8421666ba3d8fb6aef370052098814062fe891b010c0d8e9692797e38aac4d62777339

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null)
tgz="$tmp/$PKG-$VERSION.tgz"
echo "$SHA512  $tgz" | sha512sum --check --quiet -
tar -xzf "$tgz" -C "$tmp"

cd "$root"
go run ./internal/region/gen -src "$tmp/package" -out internal/region/data
