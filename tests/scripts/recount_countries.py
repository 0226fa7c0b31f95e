#!/usr/bin/env python3
"""Recompute countries.csv of an `infrange run --all` independently, with pyproj.

    python3 tests/scripts/recount_countries.py OUTPUT_DIR

Reads OUTPUT_DIR/scenario.toml (sites, ranges, bands, allies) and
OUTPUT_DIR/cities.csv (only each city's name, country, lat, lon, population
and capital flag), computes every site-to-city distance with pyproj's
geodesic (Karney's algorithm in PROJ, WGS84), classifies bands and reach by
the treaty's rules (first band closed at both ends, every other band
(lower, upper]; a site reaches a city at most its range away), sums per
country and band, and compares with OUTPUT_DIR/countries.csv field by field.
Exits 1 on any difference, printing it.
"""
import csv
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import numpy as np
from pyproj import Geod

INF_EDGES_KM = [500.0, 1000.0, 5500.0]
INF_NAMES = ["shorter-range", "intermediate-range"]


def band_names(edges):
    if edges == INF_EDGES_KM:
        return INF_NAMES
    return [None] * (len(edges) - 1)  # names are taken from countries.csv


def main(out_dir: Path) -> int:
    scenario = tomllib.loads((out_dir / "scenario.toml").read_text())
    edges = scenario.get("bands", "inf")
    edges_km = INF_EDGES_KM if edges == "inf" else [float(e) for e in edges]
    sites = scenario["site"]
    ranges_km = np.array([s.get("range_km", np.nan) for s in sites])
    allies = scenario["allies"]
    allied = None if allies == "all" else set(allies["countries"])

    with open(out_dir / "cities.csv", newline="", encoding="utf-8") as f:
        cities = list(csv.DictReader(f))
    with open(out_dir / "countries.csv", newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    names = [r["band"] for r in table if r["band"] not in ("below", "beyond")]
    band_labels = list(dict.fromkeys(names))  # in order, per country repeated
    assert len(band_labels) == len(edges_km) - 1, (band_labels, edges_km)
    expected_names = band_names(edges_km)
    for want, got in zip(expected_names, band_labels):
        assert want is None or want == got, (want, got)

    geod = Geod(ellps="WGS84")
    lat = np.array([float(c["lat"]) for c in cities])
    lon = np.array([float(c["lon"]) for c in cities])
    dist_km = np.empty((len(sites), len(cities)))
    for i, s in enumerate(sites):
        _, _, d = geod.inv(np.full_like(lon, s["lon"]), np.full_like(lat, s["lat"]), lon, lat)
        dist_km[i] = d / 1000.0
    nearest_km = dist_km.min(axis=0)
    reached = (dist_km <= ranges_km[:, None]).any(axis=0)

    def zone(d):
        if d < edges_km[0]:
            return "below"
        if d <= edges_km[1]:
            return band_labels[0]
        for k in range(1, len(edges_km) - 1):
            if d <= edges_km[k + 1]:
                return band_labels[k]
        return "beyond"

    tally = defaultdict(lambda: [0, 0, 0, 0, [], []])
    for c, d, r in zip(cities, nearest_km, reached):
        if allied is not None and c["country"] not in allied:
            continue
        t = tally[(c["country"], zone(d))]
        pop = int(c["population"] or 0)
        t[0] += 1
        t[1] += pop
        if r:
            t[2] += 1
            t[3] += pop
        if c["capital"] == "1":
            t[4].append(c["name"])
            if r:
                t[5].append(c["name"])

    problems = 0
    seen = set()
    for row in table:
        key = (row["country"], row["band"])
        seen.add(key)
        cities_n, pop, rc, rp, caps, rcaps = tally.get(key, [0, 0, 0, 0, [], []])
        got = (int(row["cities"]), int(row["population"]), int(row["reached_cities"]),
               int(row["reached_population"]))
        want = (cities_n, pop, rc, rp)
        caps_got = sorted(filter(None, row["capitals"].split(";")))
        rcaps_got = sorted(filter(None, row["reached_capitals"].split(";")))
        if got != want or caps_got != sorted(caps) or rcaps_got != sorted(rcaps):
            problems += 1
            print(f"{key}: countries.csv {got} {caps_got} {rcaps_got}; pyproj {want} {sorted(caps)} {sorted(rcaps)}")
    for key in tally:
        if key not in seen:
            problems += 1
            print(f"{key}: cities in it, but no row in countries.csv")
    if allied is not None:
        countries = {r["country"] for r in table}
        if countries != allied:
            problems += 1
            print(f"countries.csv lists {sorted(countries ^ allied)} wrongly")
    print(f"{len(cities)} cities, {len(sites)} sites, {len(table)} rows: "
          f"{'all equal' if problems == 0 else f'{problems} differences'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
