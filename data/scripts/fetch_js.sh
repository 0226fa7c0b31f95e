#!/usr/bin/env bash
# Re-fetches the JavaScript libraries that map.html embeds (see data/README.md, "js/").
#
# Each package is downloaded from the npm registry with `npm pack` (which checks the
# tarball against the registry's integrity hash), and its minified UMD build and its
# licence are copied into data/js/ as <package>-<version>.min.js and LICENSE-<package>.
# Node.js/npm are needed only to run this script, never to build or run infrange.
#
# To update a library: change its version below, run the script, update the file names
# in src/render/webmap/assets.rs and the table in data/README.md, and run
# `cargo test --test webmap`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Load order matters: each package's dependencies come before it.
packages=(
  d3-array@3.2.5
  d3-geo@3.1.2
  d3-quadtree@3.0.2
  d3-dispatch@3.0.2
  d3-selection@3.0.1
  d3-color@3.1.1
  d3-interpolate@3.0.2
  d3-ease@3.0.2
  d3-timer@3.0.2
  d3-transition@3.0.2
  d3-drag@3.0.1
  d3-zoom@3.0.1
  topojson-client@3.1.0
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f js/*.min.js js/LICENSE-*
for spec in "${packages[@]}"; do
  name=${spec%@*}
  version=${spec#*@}
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$tmp/$name"
  tar xzf "$tmp/$name-$version.tgz" -C "$tmp/$name"
  cp "$tmp/$name/package/dist/$name.min.js" "js/$name-$version.min.js"
  cp "$tmp/$name/package/LICENSE" "js/LICENSE-$name"
done
sha256sum js/*.min.js | sed 's/^/sha256 /'
