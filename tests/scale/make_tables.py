"""Random tables for measuring streamed input at scale (issue 5).

    python3 tests/scale/make_tables.py points  pts.csv   1000000   # user CSV, 37 bytes a row
    python3 tests/scale/make_tables.py sites   sites.csv 1000      # ranges as in benches/engine.rs
    python3 tests/scale/make_tables.py geonames gn.txt   2000000   # GeoNames dump format, ~130 bytes a row
    infrange analyze --cities pts.csv --sites sites.csv --allies all --all --format csv -o out.csv

Points are uniform on the sphere; every run of a command makes the same file.
"""
import math, random, sys

def uniform(rng):
    z = rng.uniform(-1, 1)
    return math.degrees(math.asin(z)), rng.uniform(-180, 180)

CC = ["PL", "DE", "FR", "GB", "US", "TR", "IT", "ES", "NO", "LT", "RU", "CN", "IN", "BR", ""]

def points_csv(path, n, seed=1):
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("name,country,lat,lon,population\n")
        for i in range(n):
            lat, lon = uniform(rng)
            f.write(f"P{i},{CC[i % 14]},{lat:.5f},{lon:.5f},{rng.randrange(0, 2_000_000)}\n")

def sites_csv(path, n, seed=2):
    rng = random.Random(seed)
    ranges = ["", "500", "1000", "2350", "5500"]
    with open(path, "w") as f:
        f.write("name,lat,lon,range_km\n")
        for i in range(n):
            lat, lon = uniform(rng)
            f.write(f"S{i},{lat:.5f},{lon:.5f},{ranges[i % 5]}\n")

ALT = ["Warszawa", "Varsovie", "Варшава", "华沙", "Varsóvia", '"Old Town"', "Wrocław, Poland", "Βαρσοβία", "ワルシャワ", "Warschau"]

def geonames(path, n, seed=3):
    rng = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n):
            lat, lon = uniform(rng)
            # allCountries: most rows have few alternate names; ~125 bytes a row.
            alt = ",".join(rng.sample(ALT, rng.choice([0, 0, 0, 1, 2, 4])))
            code = rng.choice(["PPL", "PPL", "STM", "HLL", "PPLA", "PPLC"])
            pop = rng.choice(["0", "0", "1520", "", "120344"])
            cc = CC[i % 15]
            f.write(f"{1000000 + i}\tPlace {i} Ńame\tPlace {i} Name\t{alt}\t{lat:.5f}\t{lon:.5f}\tP\t{code}\t{cc}\t\t{i % 90:02d}\t\t\t\t{pop}\t\t{rng.randrange(-20, 3000)}\tEurope/Warsaw\t2023-01-0{1 + i % 9}\n")

if __name__ == "__main__":
    what, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    {"points": points_csv, "sites": sites_csv, "geonames": geonames}[what](path, n)
