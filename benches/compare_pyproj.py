#!/usr/bin/env python3
"""End-to-end comparison of `infrange analyze` with pyproj's vectorised Karney.

Generates N points and M sites (seeded, uniform on the sphere; with
``--reach``, site ranges cycle through none, 500, 1000, 2350, 5500 km), runs

    infrange analyze --cities pts.csv --sites sites.csv --allies all --all --format csv --quiet -o out.csv

on all N x M pairs, runs pyproj's ``Geod(ellps='WGS84').inv`` on a random
subsample of the points (all M sites each, so nearest site, distance, band
and reach can be derived), checks that the results agree, and prints
per-pair times and their ratio. The two sides are timed in turns (five by
default) and the medians compared.

    python3 benches/compare_pyproj.py --points 1000000 --sites 1000 --pyproj-pairs 2000000

The binary defaults to target/release/infrange (built by
`cargo build --release` with CARGO_TARGET_DIR=target); pass --bin otherwise.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyproj

RANGES_KM = [None, 500.0, 1000.0, 2350.0, 5500.0]
# The INF bands: [500, 1000] km, (1000, 5500] km.


def band_of(d_m):
    if d_m < 500_000.0:
        return "below"
    if d_m <= 1_000_000.0:
        return "shorter-range"
    if d_m <= 5_500_000.0:
        return "intermediate-range"
    return "beyond"


def uniform_points(rng, n):
    lon = rng.uniform(-180.0, 180.0, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    return lon, lat


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=100_000)
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--pyproj-pairs", type=int, default=1_000_000, help="pairs for pyproj (subsample of points x all sites)")
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "infrange"))
    ap.add_argument("--workdir", default=None, help="keep the generated files here")
    ap.add_argument("--reach", action="store_true", help="give the sites ranges (reach is then checked too)")
    ap.add_argument("--decimals", type=int, default=None, help="round point coordinates to this many decimals (GeoNames has 5); default: full 17-digit precision")
    ap.add_argument("--runs", type=int, default=5, help="time each side this many times, taking turns; the medians are compared")
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    n, m = args.points, args.sites
    plon, plat = uniform_points(rng, n)
    if args.decimals is not None:
        # Both sides get the same, rounded coordinates.
        plon, plat = np.round(plon, args.decimals), np.round(plat, args.decimals)
    slon, slat = uniform_points(rng, m)
    # Python floats: repr() is the shortest round-tripping text.
    plon_l, plat_l, slon_l, slat_l = plon.tolist(), plat.tolist(), slon.tolist(), slat.tolist()
    ranges = [RANGES_KM[j % len(RANGES_KM)] if args.reach else None for j in range(m)]

    work = args.workdir or tempfile.mkdtemp(prefix="infrange-bench-")
    os.makedirs(work, exist_ok=True)
    pts_csv = os.path.join(work, "pts.csv")
    sites_csv = os.path.join(work, "sites.csv")
    out_csv = os.path.join(work, "out.csv")
    t = time.perf_counter()
    with open(pts_csv, "w") as f:
        f.write("name,country,lat,lon\n")
        f.writelines(f"p{i},PL,{plat_l[i]!r},{plon_l[i]!r}\n" for i in range(n))
    with open(sites_csv, "w") as f:
        f.write("name,lat,lon,range_km\n")
        for j in range(m):
            r = "" if ranges[j] is None else repr(ranges[j])
            f.write(f"S{j},{slat_l[j]!r},{slon_l[j]!r},{r}\n")
    size_mb = os.path.getsize(pts_csv) / 1e6
    print(f"generated {n} points ({size_mb:.1f} MB) and {m} sites in {time.perf_counter() - t:.1f} s, in {work}")

    cmd = [args.bin, "analyze", "--cities", pts_csv, "--sites", sites_csv, "--allies", "all", "--all", "--format", "csv", "--quiet", "-o", out_csv]

    # pyproj on a subsample of points x all sites.
    k = max(1, min(n, args.pyproj_pairs // m))
    idx = np.sort(rng.choice(n, size=k, replace=False))
    lon1 = np.repeat(slon[None, :], k, axis=0).ravel()
    lat1 = np.repeat(slat[None, :], k, axis=0).ravel()
    lon2 = np.repeat(plon[idx], m)
    lat2 = np.repeat(plat[idx], m)
    geod = pyproj.Geod(ellps="WGS84")

    # The two sides take turns, so that a change in the machine's speed
    # (this VM's varies by tens of percent over minutes) hits both alike.
    infr_times, py_times = [], []
    for _ in range(args.runs):
        # Neither the previous run's output nor the generated files'
        # write-back is charged to infrange: replacing an 86 MB file costs
        # the rename ~0.08 s of freeing its blocks.
        if os.path.exists(out_csv):
            os.remove(out_csv)
        os.sync()
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        infr_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        _, _, dist = geod.inv(lon1, lat1, lon2, lat2)
        py_times.append(time.perf_counter() - t)
    infr_s = sorted(infr_times)[len(infr_times) // 2]
    infr_ns = infr_s * 1e9 / (n * m)
    print(f"infrange analyze: {infr_s:.3f} s end to end (median of {', '.join(f'{x:.3f}' for x in infr_times)} s) for {n} x {m} = {n * m:.3g} pairs: {infr_ns:.4f} ns/pair")
    py_s = sorted(py_times)[len(py_times) // 2]
    py_ns = py_s * 1e9 / (k * m)
    print(f"pyproj Geod.inv: {py_s:.3f} s (median of {', '.join(f'{x:.3f}' for x in py_times)} s) for {k} points x {m} sites = {k * m:.3g} pairs: {py_ns:.1f} ns/pair")
    turns = sorted((p / (k * m)) / (i / (n * m)) for i, p in zip(infr_times, py_times))
    print(f"  ratio per turn: {', '.join(f'{x:.0f}x' for x in turns)} (median {turns[len(turns) // 2]:.0f}x)")

    # The same pipeline against one site: parsing + output, no pair work.
    one_csv = os.path.join(work, "one_site.csv")
    with open(one_csv, "w") as f:
        f.write(f"name,lat,lon,range_km\nS0,{slat_l[0]!r},{slon_l[0]!r},{'1000' if args.reach else ''}\n")
    t = time.perf_counter()
    subprocess.run(cmd[:5] + [one_csv] + cmd[6:-1] + [out_csv + ".one"], check=True)
    one_s = time.perf_counter() - t
    os.remove(out_csv + ".one")
    print(f"  same with 1 site (parse + classify + format + write): {one_s:.3f} s, input {size_mb / one_s:.1f} MB/s end to end")

    rows = {}
    with open(out_csv, newline="") as f:
        for r in csv.DictReader(f):
            rows[r["name"]] = r
    assert len(rows) == n, f"{len(rows)} rows for {n} points"

    dist = dist.reshape(k, m)
    nearest = dist.argmin(axis=1)  # first index on ties, like infrange
    bad = 0
    checked_reach = 0
    for row_i, i in enumerate(idx):
        r = rows[f"p{i}"]
        d = dist[row_i]
        j = nearest[row_i]
        want_band = band_of(d[j])
        want_reach = [f"S{s}" for s in range(m) if ranges[s] is not None and d[s] <= ranges[s] * 1000.0]
        got_reach = [x for x in r["reached_by"].split(";") if x]
        checked_reach += m
        ok = r["nearest_site"] == f"S{j}" and r["band"] == want_band and abs(float(r["distance_km"]) - d[j] / 1000.0) < 2e-6 and got_reach == want_reach
        if not ok:
            bad += 1
            if bad <= 5:
                print(f"  DISAGREE p{i}: infrange {r['nearest_site']} {r['distance_km']} {r['band']} {got_reach[:5]} vs pyproj S{j} {d[j] / 1000:.6f} {want_band} {want_reach[:5]}")
    print(f"checked {k} points ({k * m} pairs: nearest site, distance to the mm, band, reach): {bad} disagreements")
    print(f"per-pair time: pyproj {py_ns:.1f} ns, infrange {infr_ns:.4f} ns end to end: {py_ns / infr_ns:.0f}x")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
