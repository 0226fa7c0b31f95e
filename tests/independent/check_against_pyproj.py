#!/usr/bin/env python3
"""Check infrange's classification against an independent geodesic library.

Runs `infrange analyze ... --all --format csv`, then recomputes every city's
distance to every site with pyproj's Geod(ellps='WGS84').inv (PROJ's own
implementation of Karney's algorithm, a different code base from geo's
geographiclib-rs) and applies the INF band rule independently.

    pip install pyproj
    python3 tests/independent/check_against_pyproj.py [path/to/infrange]

Exits non-zero on any disagreement: band, nearest site, or distance off by
more than 1 m.
"""
import csv
import io
import subprocess
import sys

from pyproj import Geod

SITES = {
    "Kapustin Yar": (48.5833, 45.75),
    "Kamyshlov": (56.8333, 62.7167),
    "Mozdok": (43.7333, 44.7),
    "Shuya": (56.85, 41.3667),
}


def band(d_m: float) -> str:
    if d_m < 500_000.0:
        return "below"
    if d_m <= 1_000_000.0:
        return "shorter-range"
    if d_m <= 5_500_000.0:
        return "intermediate-range"
    return "beyond"


def main() -> int:
    exe = sys.argv[1] if len(sys.argv) > 1 else "target/release/infrange"
    args = [exe, "analyze"]
    for name, (lat, lon) in SITES.items():
        args += ["--site", f"{name}={lat},{lon}"]
    args += ["--allies", "nato@2019-08-02", "--all", "--format", "csv"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    geod = Geod(ellps="WGS84")
    names = list(SITES)
    n = len(rows)
    worst_m = 0.0
    bad = 0
    bands = {}
    for r in rows:
        lat, lon = float(r["lat"]), float(r["lon"])
        lons1 = [SITES[s][1] for s in names]
        lats1 = [SITES[s][0] for s in names]
        _, _, dists = geod.inv(lons1, lats1, [lon] * len(names), [lat] * len(names))
        i = min(range(len(names)), key=lambda k: (dists[k], k))
        d = dists[i]
        diff = abs(float(r["distance_km"]) * 1000.0 - d)
        worst_m = max(worst_m, diff)
        ok = (r["nearest_site"] == names[i] and r["band"] == band(d) and diff <= 1.0)
        bands[band(d)] = bands.get(band(d), 0) + 1
        if not ok:
            bad += 1
            print(f"DISAGREE {r['name']},{r['country']}: infrange {r['nearest_site']} "
                  f"{r['distance_km']} {r['band']}; pyproj {names[i]} {d / 1000:.6f} {band(d)}")
    print(f"cities: {n}; disagreements: {bad}; largest distance difference: {worst_m * 1000:.6f} mm")
    print("bands (pyproj):", ", ".join(f"{k} {v}" for k, v in sorted(bands.items())))
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
