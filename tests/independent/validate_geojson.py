#!/usr/bin/env python3
"""Check every feature of a GeoJSON file with shapely: is_valid / explain_validity,
plus the RFC 7946 rules shapely does not look at (ranges, winding, duplicates).

Usage: python3 scripts/validate_geojson.py FILE.geojson [...]
Exit status 0 when every feature passes, 1 otherwise (details on stdout).
Needs shapely (`pip install shapely`).
"""
import json
import sys

from shapely.geometry import shape
from shapely.validation import explain_validity


def signed_area(ring):
    return 0.5 * sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    return []


def check_feature(feature):
    problems = []
    geom = feature.get("geometry")
    if geom is None:
        return ["no geometry"]
    shp = shape(geom)
    if not shp.is_valid:
        problems.append("shapely: " + explain_validity(shp))
    for pi, poly in enumerate(polygons(geom)):
        for ri, ring in enumerate(poly):
            where = f"polygon {pi} ring {ri}"
            if len(ring) < 4 or ring[0] != ring[-1]:
                problems.append(f"{where}: not closed or < 4 positions")
            if any(a == b for a, b in zip(ring, ring[1:])):
                problems.append(f"{where}: consecutive duplicate positions")
            if any(abs(x) > 180 or abs(y) > 90 for x, y, *_ in ring):
                problems.append(f"{where}: position out of lon/lat range")
            area = signed_area(ring)
            if ri == 0 and area <= 0:
                problems.append(f"{where}: exterior not counter-clockwise")
            if ri > 0 and area >= 0:
                problems.append(f"{where}: hole not clockwise")
    bbox = feature.get("bbox")
    if bbox is not None and shp.is_valid and not shp.is_empty:
        minx, miny, maxx, maxy = shp.bounds
        if [round(v, 9) for v in bbox] != [round(v, 9) for v in (minx, miny, maxx, maxy)]:
            problems.append(f"bbox {bbox} != bounds {shp.bounds}")
    return problems


def main(paths):
    failed = 0
    total = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        features = data["features"] if data.get("type") == "FeatureCollection" else [data]
        for i, feature in enumerate(features):
            total += 1
            problems = check_feature(feature)
            name = (feature.get("properties") or {}).get("site", "")
            if problems:
                failed += 1
                for p in problems:
                    print(f"{path}: feature {i} {name}: {p}")
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
