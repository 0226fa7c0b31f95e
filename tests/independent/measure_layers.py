#!/usr/bin/env python3
"""Measure infrange's polygon layers independently with pyproj (PROJ's geodesics).

Usage: python3 tests/independent/measure_layers.py DIR [--bound M] [--area-tol FRACTION]

DIR holds `sites.geojson`, `bands.geojson` and `coverage.geojson` as `infrange run` or
`infrange geojson` writes them. For every polygon feature this prints, and checks:

* the largest distance between its drawn boundary and the true geodesic circle(s), with
  every edge read four ways: as a straight lon/lat segment (how RFC 7946 readers draw it),
  as a geodesic (PostGIS geography, pyproj, BigQuery), straight in an azimuthal
  equidistant projection centred on the feature's site (one-site features) and straight in
  the north/south polar azimuthal equidistant projection of the site's hemisphere. Edges
  on ±180 or along the pole line (where a polygon is cut) are not on any circle and are
  skipped. The distance of a point from the boundary is |min over sites of the Karney
  distance − radius| for the nearest of the feature's radii;
* its geodesic area (pyproj `Geod.polygon_area_perimeter` per ring, exterior plus holes,
  taken modulo the Earth's area because GeographicLib reports a polygon larger than a
  hemisphere as its complement) against the exact area of the annulus or disc, computed from
  36,000 vertices on the true circle(s) (from the antipode where the radius is within the
  cut-locus band);
* shapely validity.

Exit status 1 if a lon/lat or geodesic error exceeds `--bound` (default: each feature's
own `max_error_m`), if an area of a one-site feature is off by more than `--area-tol`
(default 0.0005, i.e. 0.05 %) or if shapely calls a geometry invalid. The azimuthal
readings are reported, not checked.
"""
import argparse
import json
import math
import sys

import numpy as np
from pyproj import Geod, Transformer
from shapely.geometry import shape

GEOD = Geod(ellps="WGS84")
SAMPLES = 24  # interior points per edge
# Area of the WGS84 ellipsoid.
EARTH_AREA = abs(GEOD.polygon_area_perimeter([0, 90, 180, -90], [0, 0, 0, 0])[0]) * 2


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["features"]


def rings_of(geom):
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    for poly in polys:
        for i, ring in enumerate(poly):
            yield i, np.asarray(ring, dtype=float)


def artificial(a, b):
    return (abs(a[0]) == 180 and a[0] == b[0]) or (abs(a[1]) == 90 and a[1] == b[1])


def boundary_error_m(lons, lats, sites, radii_m):
    """|min over sites of distance − r| for the nearest radius, for arrays of points."""
    dmin = None
    for lat0, lon0 in sites:
        _, _, d = GEOD.inv(np.full_like(lons, lon0), np.full_like(lats, lat0), lons, lats)
        dmin = d if dmin is None else np.minimum(dmin, d)
    return np.min([np.abs(dmin - r) for r in radii_m], axis=0)


def edge_points(rings):
    """Start and end of every non-artificial edge of the given rings."""
    a, b = [], []
    for ring in rings:
        for p, q in zip(ring[:-1], ring[1:]):
            if not artificial(p, q):
                a.append(p)
                b.append(q)
    return np.array(a).reshape(-1, 2), np.array(b).reshape(-1, 2)


def interior_t():
    return np.arange(1, SAMPLES) / SAMPLES


def lonlat_samples(a, b):
    t = interior_t()[None, :]
    lon = a[:, :1] + t * (b[:, :1] - a[:, :1])
    lat = a[:, 1:] + t * (b[:, 1:] - a[:, 1:])
    return lon.ravel(), lat.ravel()


def geodesic_samples(a, b):
    az, _, s = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    t = interior_t()[None, :]
    n = len(a)
    lon, lat, _ = GEOD.fwd(
        np.repeat(a[:, 0], SAMPLES - 1),
        np.repeat(a[:, 1], SAMPLES - 1),
        np.repeat(az, SAMPLES - 1),
        (s[:, None] * t).reshape(n * (SAMPLES - 1)),
    )
    return lon, lat


def projected_samples(a, b, proj):
    fwd = Transformer.from_crs("EPSG:4326", proj, always_xy=True)
    inv = Transformer.from_crs(proj, "EPSG:4326", always_xy=True)
    ax, ay = fwd.transform(a[:, 0], a[:, 1])
    bx, by = fwd.transform(b[:, 0], b[:, 1])
    t = interior_t()[None, :]
    x = (ax[:, None] + t * (bx - ax)[:, None]).ravel()
    y = (ay[:, None] + t * (by - ay)[:, None]).ravel()
    lon, lat = inv.transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def circle_ring(lat0, lon0, r_m, n=36000):
    """Counter-clockwise ring of n points on the true geodesic circle (lons, lats)."""
    az = np.linspace(360.0, 0.0, n, endpoint=False)
    lon, lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, np.full(n, r_m))
    _, _, d = GEOD.inv(np.full(n, lon0), np.full(n, lat0), lon, lat)
    if np.max(np.abs(d - r_m)) < 1e-3:
        return lon, lat
    # Cut-locus band: search the boundary along geodesics from the antipode (bisection),
    # where the complement of the disc lies; bearings from the antipode clockwise put the
    # complement on the right, i.e. the disc on the left: counter-clockwise around the disc.
    alon, alat = lon0 + 180.0, -lat0
    bearings = np.linspace(0.0, 360.0, n, endpoint=False)
    lo, hi = np.zeros(n), np.full(n, 200_000.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        mlon, mlat, _ = GEOD.fwd(np.full(n, alon), np.full(n, alat), bearings, mid)
        _, _, d = GEOD.inv(np.full(n, lon0), np.full(n, lat0), mlon, mlat)
        inside = d < r_m
        hi = np.where(inside, mid, hi)
        lo = np.where(inside, lo, mid)
    lon, lat, _ = GEOD.fwd(np.full(n, alon), np.full(n, alat), bearings, 0.5 * (lo + hi))
    return lon, lat


def disc_area(lat0, lon0, r_m):
    _, _, anti = GEOD.inv(lon0, lat0, lon0 + 180.0, -lat0)
    if r_m >= anti:
        return EARTH_AREA
    lon, lat = circle_ring(lat0, lon0, r_m)
    a, _ = GEOD.polygon_area_perimeter(lon, lat)
    return a % EARTH_AREA


def feature_area(geom):
    total = 0.0
    for _, ring in rings_of(geom):
        a, _ = GEOD.polygon_area_perimeter(ring[:-1, 0], ring[:-1, 1])
        total += a
    return total % EARTH_AREA


def describe(f, sites_by_name, all_sites):
    """(label, sites, radii in metres, exact area or None) of a polygon feature."""
    p = f["properties"]
    if "range_km" in p and p.get("kind") == "reach":
        s = sites_by_name[p["site"]]
        r = p["range_km"] * 1000.0
        return f"reach {p['site']}", [s], [r], disc_area(*s, r)
    lo, hi = p["min_km"] * 1000.0, p["max_km"] * 1000.0
    radii = [r for r in (lo, hi) if r > 0]
    if "site" in p:
        sites = [sites_by_name[p["site"]]]
        label = f"band {p['site']} {p['band']}"
    else:
        sites = all_sites
        label = f"coverage {p['band']}"
    exact = None
    if len(sites) == 1:
        exact = disc_area(*sites[0], hi) - (disc_area(*sites[0], lo) if lo > 0 else 0.0)
    return label, sites, radii, exact


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--bound", type=float, default=None)
    ap.add_argument("--area-tol", type=float, default=0.0005)
    args = ap.parse_args()

    sites = load(f"{args.dir}/sites.geojson")
    sites_by_name = {
        s["properties"]["name"]: (s["geometry"]["coordinates"][1], s["geometry"]["coordinates"][0])
        for s in sites
    }
    all_sites = list(sites_by_name.values())
    failures = []
    print(
        f"{'feature':<44} {'vertices':>8} {'bound':>6} {'lonlat':>8} {'geodesic':>8} "
        f"{'aeqd@site':>9} {'polar':>9} {'area error':>11}  valid"
    )
    for layer in ("bands", "coverage"):
        for f in load(f"{args.dir}/{layer}.geojson"):
            geom = f["geometry"]
            if geom is None or geom["type"] not in ("Polygon", "MultiPolygon"):
                continue
            label, fsites, radii, exact = describe(f, sites_by_name, all_sites)
            rings = [r for _, r in rings_of(geom)]
            a, b = edge_points(rings)
            bound = args.bound if args.bound is not None else f["properties"]["max_error_m"]
            errs = {}
            if len(a):
                errs["lonlat"] = boundary_error_m(*lonlat_samples(a, b), fsites, radii).max()
                errs["geodesic"] = boundary_error_m(*geodesic_samples(a, b), fsites, radii).max()
                if len(fsites) == 1:
                    lat0, lon0 = fsites[0]
                    proj = f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84"
                    errs["aeqd"] = boundary_error_m(
                        *projected_samples(a, b, proj), fsites, radii
                    ).max()
                pole = 90 if np.mean([s[0] for s in fsites]) >= 0 else -90
                proj = f"+proj=aeqd +lat_0={pole} +lon_0=0 +datum=WGS84"
                errs["polar"] = boundary_error_m(*projected_samples(a, b, proj), fsites, radii).max()
            area_rel = None
            if exact is not None and exact > 0:
                area_rel = (feature_area(geom) - exact) / exact
            valid = shape(geom).is_valid
            vertices = sum(len(r) for r in rings)
            fmt = lambda k: f"{errs[k]:.2f}" if k in errs else "-"
            area_s = f"{100 * area_rel:+.5f} %" if area_rel is not None else "-"
            print(
                f"{label[:44]:<44} {vertices:>8} {bound:>6g} {fmt('lonlat'):>8} "
                f"{fmt('geodesic'):>8} {fmt('aeqd'):>9} {fmt('polar'):>9} {area_s:>11}  {valid}"
            )
            for k in ("lonlat", "geodesic"):
                if k in errs and errs[k] > bound + 1e-6:
                    failures.append(f"{label}: {k} edge error {errs[k]:.3f} m > {bound} m")
            if area_rel is not None and abs(area_rel) > args.area_tol:
                failures.append(f"{label}: area off by {100 * area_rel:.4f} %")
            if not valid:
                failures.append(f"{label}: shapely says invalid")
    for line in failures:
        print("FAIL", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
