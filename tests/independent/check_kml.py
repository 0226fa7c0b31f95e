#!/usr/bin/env python3
"""Check infrange's map.kml the way a globe viewer such as Google Earth reads it.

Usage: python3 tests/independent/check_kml.py DIR/map.kml [--points N]

Needs GDAL's Python bindings (osgeo), numpy and pyproj.

A globe viewer joins consecutive vertices by great-circle arcs (the short way, across ±180°
where that is shorter) and fills the side of each closed ring it takes for the inside;
Google Earth takes the smaller side. This script reads the KML with GDAL (so it also checks
that GDAL's KML reader opens every folder without an error) and, for every polygon of the
"Band zones" folder:

* checks that it is smaller than a hemisphere (then "the smaller side" and "the left of the
  counter-clockwise exterior" are the same region) and that no edge spans 180° of longitude;
* decides point-in-polygon **on the sphere, with great-circle edges** (winding number of the
  rings around the point) for random points on the globe, points near every site, both
  poles and points on ±180°, and compares with the band the point is in by Karney distances
  from the sites (pyproj), skipping points within 101 m of a band edge.

Exit status 1 on any disagreement.
"""
import argparse
import sys

import numpy as np
from osgeo import ogr
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
ogr.UseExceptions()


def unit(lon, lat):
    lon, lat = np.radians(lon), np.radians(lat)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)


def inside_ring(ring, points):
    """Whether points are inside a closed ring (N×2 lon/lat) with great-circle edges, or on
    it. The winding number of the ring around a point counts the ring as seen from the
    point, which cannot tell the point from its antipode; the ring is smaller than a
    hemisphere, so the side of its centre decides."""
    v = unit(ring[:, 0], ring[:, 1])
    a, b = v[:-1], v[1:]
    p = points[:, None, :]
    cross = np.cross(a, b)[None, :, :]
    y = np.sum(p * cross, -1)
    x = np.sum(a * b, -1)[None, :] - np.sum(p * a[None], -1) * np.sum(p * b[None], -1)
    # A point on an edge (not merely on its great circle) sees it under ±180°: boundaries count as inside.
    pa, pb = np.sum(p * a[None], -1), np.sum(p * b[None], -1)
    on_edge = np.any((np.abs(y) < 1e-12) & (x < 0) & (pa > 0) & (pb > 0), -1)
    turns = np.abs(np.sum(np.arctan2(y, x), -1) / (2 * np.pi))
    # The middle of the ring's lon/lat box: pieces are at most 90° wide and never cross
    # ±180°, so every point of the piece is within 90° of it and its antipode is not.
    centre = unit(
        0.5 * (ring[:, 0].min() + ring[:, 0].max()), 0.5 * (ring[:, 1].min() + ring[:, 1].max())
    )
    same_side = points @ centre > 0
    return on_edge | ((turns > 0.5) & same_side), on_edge


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kml")
    ap.add_argument("--points", type=int, default=20000)
    args = ap.parse_args()
    ds = ogr.Open(args.kml)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    print("folders:", ", ".join(f"{n} ({ds.GetLayerByName(n).GetFeatureCount()})" for n in names))
    sites = [
        (f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY()) for f in ds.GetLayerByName("Sites")
    ]
    rng = np.random.default_rng(14)
    n = args.points
    lon = rng.uniform(-180, 180, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    extra = []
    for slon, slat in sites:
        az = rng.uniform(0, 360, 2000)
        dist = rng.uniform(0, 8e6, 2000)
        elon, elat, _ = GEOD.fwd(np.full(2000, slon), np.full(2000, slat), az, dist)
        extra.append(np.stack([elon, elat], -1))
        # Around the antipode, where bands near 20,000 km lie.
        dist = rng.uniform(0, 1e5, 2000)
        alon = np.full(2000, slon + 180.0 if slon <= 0 else slon - 180.0)
        elon, elat, _ = GEOD.fwd(alon, np.full(2000, -slat), az, dist)
        extra.append(np.stack([elon, elat], -1))
    # Near the poles (a point exactly at a pole is the antipode of vertices on the other
    # pole, where the winding number is undefined) and on ±180°.
    extra.append(
        np.array([[0, 89.99999], [0, -89.99999]] + [[180, y] for y in range(-85, 90, 10)])
    )
    pts = np.concatenate([np.stack([lon, lat], -1)] + extra)
    nearest = np.full(len(pts), np.inf)
    for slon, slat in sites:
        _, _, d = GEOD.inv(np.full(len(pts), slon), np.full(len(pts), slat), pts[:, 0], pts[:, 1])
        nearest = np.minimum(nearest, d)
    pv = unit(pts[:, 0], pts[:, 1])
    failures = 0
    earth = abs(GEOD.polygon_area_perimeter([0, 90, 180, -90], [0, 0, 0, 0])[0]) * 2
    for f in ds.GetLayerByName("Band zones"):
        name = f.GetField("Name")
        band = f.GetField("band")
        lo = 0.0 if band == "below" else float(f.GetField("min_km")) * 1000
        hi = float(f.GetField("max_km")) * 1000
        geom = f.GetGeometryRef()
        inside = np.zeros(len(pts), dtype=bool)
        pieces = 0
        for i in range(geom.GetGeometryCount()):
            poly = geom.GetGeometryRef(i)
            pieces += 1
            in_piece = None
            for r in range(poly.GetGeometryCount()):
                ring = np.array(poly.GetGeometryRef(r).GetPoints())[:, :2]
                if np.any(np.abs(np.diff(ring[:, 0])) >= 180):
                    print(f"FAIL {name}: piece {i} has an edge spanning 180° of longitude")
                    failures += 1
                if r == 0:
                    area, _ = GEOD.polygon_area_perimeter(ring[:-1, 0], ring[:-1, 1])
                    if not 0 < area < earth / 2:
                        print(f"FAIL {name}: piece {i} area {area / 1e6:.0f} km² is not below a hemisphere")
                        failures += 1
                    in_piece, _ = inside_ring(ring, pv)
                else:
                    in_hole, on_hole = inside_ring(ring, pv)
                    in_piece &= ~in_hole | on_hole
            inside |= in_piece
        want = (nearest > lo) & (nearest <= hi) if lo > 0 else nearest <= hi
        clear = np.abs(nearest - hi) > 101
        if lo > 0:
            clear &= np.abs(nearest - lo) > 101
        bad = np.flatnonzero(clear & (inside != want))
        print(
            f"{name}: {pieces} pieces, {int(clear.sum())} points checked, "
            f"{int(want[clear].sum())} inside, {len(bad)} disagreements"
        )
        for k in bad[:5]:
            print(f"  point {pts[k]} at {nearest[k] / 1000:.3f} km: globe says {inside[k]}")
        failures += len(bad)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
