#!/usr/bin/env bash
# Renders the README's gallery into docs/gallery/ (PNG, 1200×900 unless said).
#   bash docs/gallery.sh            # builds the release binary first
#   INFRANGE=path/to/infrange bash docs/gallery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${INFRANGE:-}" ]; then
  cargo build --release --quiet
  INFRANGE=target/release/infrange
fi
out=docs/gallery
mkdir -p "$out"
size=(--width 1200 --height 900)
map() { local name=$1; shift; "$INFRANGE" map "${size[@]}" "$@" --out "$out/$name.png"; }

# The default scenario: 9M729 sites, NATO on the day the INF Treaty ended.
map default
# The same, framed on Europe.
map europe --extent europe
# Iskander-M at Chernyakhovsk (Kaliningrad): the reach is the story.
map kaliningrad --scenario chernyakhovsk-2024
# A Pershing II site in West Germany (Mutlangen), and how far Moscow was.
map pershing --site 'Mutlangen=48.82,9.87,Pershing II' --allies nato@1987-12-08 --label Moscow
# North Korea over the Pacific: an illustrative user-given reach of 1,300 km.
map north-korea --site 'Pyongyang=39.03,125.75' --range-km 1300 --allies US,JP,KR \
  --bands 500,1000,3000,5500 --label Tokyo --label Hagatna
# Rings across ±180°, and rings round the North Pole.
map anadyr --site 'Anadyr=64.73,177.51,9M729' --allies nato
map svalbard --site 'Svalbard=78.22,15.65,Iskander-M' --allies nato
# A world map (Equal Earth) and a small page.
map world --extent world
"$INFRANGE" map --width 800 --height 600 --out "$out/small-800x600.png"
# The georeferencing side-cars are for GIS use, not for the README.
rm -f "$out"/*.pgw "$out"/*.aux.xml
ls -l "$out"
