#!/usr/bin/env bash
# The README's QGIS and KML pictures: infrange's layers and map.kml rendered by QGIS
# (headless, QGIS 3 with its Python bindings: `apt-get install qgis python3-qgis`).
# Usage: [PYTHON=python-with-qgis] bash docs/gis_screenshots.sh [path/to/infrange]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/infrange}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
py=${PYTHON:-python3}
render() { "$py" docs/render_qgis.py "$@" --land=data/naturalearth/countries-50m.json; }
"$bin" run --out "$tmp/default" >/dev/null
"$bin" run --site 'N=90,0,9M729' --allies nato --out "$tmp/pole" >/dev/null
"$bin" run --site 'Anadyr=64.73,177.51,9M729' --allies nato --out "$tmp/anadyr" >/dev/null
polar='+proj=aeqd +lat_0=90 +lon_0=45 +datum=WGS84'
render "$tmp/default" docs/qgis-default.png "$polar" --half=7000000 --down=2600000
render "$tmp/default" docs/kml-default.png "$polar" --half=7000000 --down=2600000 --kml
for place in pole anadyr; do
  lon0=$([ "$place" = pole ] && echo 0 || echo 178)
  down=$([ "$place" = pole ] && echo 0 || echo 2000000)
  proj="+proj=aeqd +lat_0=90 +lon_0=$lon0 +datum=WGS84"
  render "$tmp/$place" "$tmp/$place-qml.png" "$proj" --half=6000000 --down=$down
  render "$tmp/$place" "$tmp/$place-kml.png" "$proj" --half=6000000 --down=$down --kml
done
# The four hard-place pictures side by side, 600 px each.
"$py" - "$tmp" <<'PY'
import sys
from qgis.PyQt.QtGui import QImage, QPainter
tmp = sys.argv[1]
names = ["pole-qml", "pole-kml", "anadyr-qml", "anadyr-kml"]
out = QImage(1200, 1200, QImage.Format_RGB32)
out.fill(0xFFFFFF)
p = QPainter(out)
for i, n in enumerate(names):
    img = QImage(f"{tmp}/{n}.png").scaledToWidth(600)
    p.drawImage(600 * (i % 2), 600 * (i // 2), img)
p.end()
out.save("docs/qgis-kml-hard-places.png")
PY
echo "wrote docs/qgis-default.png docs/kml-default.png docs/qgis-kml-hard-places.png"
