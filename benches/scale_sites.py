#!/usr/bin/env python3
"""How `infrange run` scales with the number of sites: time, memory, output size.

For each N given with --sites, writes N random 9M729 sites (seeded, uniform by
area over Eurasia, lat 30-70 deg N, lon 20-140 deg E) to a CSV with columns
name,lat,lon,system, runs

    infrange run --timings --sites sites-N.csv --out DIR

under `/usr/bin/time -v` (or os.wait4 where that is missing), and prints a
Markdown table: wall time, CPU time (user + sys), peak resident memory, the
per-step times that `--timings` prints on standard error, and the total size
of the files written. With --repeat K every figure is the median of K runs.
Exits non-zero if a run fails.

The issue's targets, on 2 cores: 1,000 sites within 10 s, 10,000 within 60 s.
This is a benchmark, not a test: it checks nothing against them. Run it on a
quiet machine; the table's caption gives the load average at the start.

    cargo build --release
    python3 benches/scale_sites.py                      # 1,000 and 10,000 sites
    python3 benches/scale_sites.py --sites 100 --sites 1000 --repeat 3

Python 3 standard library only. MB are 10^6 bytes.
"""

import argparse
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

GNU_TIME = "/usr/bin/time"
TIMINGS = re.compile(r"^infrange: ([\d.]+) s in all: (.*)$", re.MULTILINE)
STEP = re.compile(r"\s*(.+?) ([\d.]+) s$")


def write_sites(path, n, seed):
    """N sites uniform by area in the box; the first k of N are those of k."""
    rng = random.Random(seed)
    sin_lo, sin_hi = math.sin(math.radians(30)), math.sin(math.radians(70))
    with open(path, "w") as f:
        f.write("name,lat,lon,system\n")
        for i in range(n):
            lat_deg = math.degrees(math.asin(rng.uniform(sin_lo, sin_hi)))
            lon_deg = rng.uniform(20, 140)
            f.write(f"S{i:05d},{lat_deg:.4f},{lon_deg:.4f},9M729\n")


def run_once(binary, sites_csv, out_dir):
    """One run: wall s, CPU s, max RSS MB, {step: s}, output MB."""
    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [binary, "run", "--timings", "--sites", sites_csv, "--out", out_dir]
    time_log = out_dir + ".time"
    use_gnu_time = os.access(GNU_TIME, os.X_OK)
    if use_gnu_time:
        cmd = [GNU_TIME, "-v", "-o", time_log] + cmd
    err_log = out_dir + ".stderr"
    with open(err_log, "w") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall_s = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = open(err_log).read()
    if proc.returncode != 0:
        sys.exit(f"run failed (exit {proc.returncode}): {' '.join(cmd)}\n{stderr[-2000:]}")

    if use_gnu_time:
        log = open(time_log).read()
        field = lambda name: float(re.search(rf"{name}: ([\d.]+)", log).group(1))
        cpu_s = field(r"User time \(seconds\)") + field(r"System time \(seconds\)")
        rss_mb = field(r"Maximum resident set size \(kbytes\)") * 1024 / 1e6
    else:  # ru_maxrss is in KiB on Linux
        cpu_s = usage.ru_utime + usage.ru_stime
        rss_mb = usage.ru_maxrss * 1024 / 1e6

    match = TIMINGS.search(stderr)
    if not match:
        sys.exit(f"no `infrange: … s in all:` line on stderr of: {' '.join(cmd)}")
    steps = {}
    for part in match.group(2).split(","):
        name, seconds = STEP.match(part).groups()
        steps[name] = float(seconds)

    out_mb = sum(e.stat().st_size for e in os.scandir(out_dir) if e.is_file()) / 1e6
    return wall_s, cpu_s, rss_mb, steps, out_mb


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="target/release/infrange")
    ap.add_argument("--sites", type=int, action="append", metavar="N",
                    help="number of sites (repeatable; default 1000 and 10000)")
    ap.add_argument("--seed", type=int, default=729)
    ap.add_argument("--repeat", type=int, default=1, metavar="K",
                    help="runs per N; the table shows medians")
    ap.add_argument("--out", metavar="DIR",
                    help="scratch folder for sites and outputs (default: a temporary one, removed)")
    args = ap.parse_args()
    counts = args.sites or [1000, 10000]
    binary = os.path.abspath(args.binary)
    scratch = args.out or tempfile.mkdtemp(prefix="infrange-scale-")
    os.makedirs(scratch, exist_ok=True)

    load = os.getloadavg()[0]
    rows, step_names = [], []
    try:
        for n in counts:
            sites_csv = os.path.join(scratch, f"sites-{n}.csv")
            write_sites(sites_csv, n, args.seed)
            runs = [run_once(binary, sites_csv, os.path.join(scratch, f"out-{n}"))
                    for _ in range(args.repeat)]
            med = lambda values: statistics.median(values)
            steps = {}
            for name in runs[0][3]:
                steps[name] = med([r[3].get(name, math.nan) for r in runs])
                if name not in step_names:
                    step_names.append(name)
            rows.append((n, med([r[0] for r in runs]), med([r[1] for r in runs]),
                         med([r[2] for r in runs]), steps, med([r[4] for r in runs])))
            print(f"{n} sites: {rows[-1][1]:.1f} s", file=sys.stderr)
    finally:
        if not args.out:
            shutil.rmtree(scratch, ignore_errors=True)

    print(f"`infrange run` with N random 9M729 sites (seed {args.seed}; "
          f"median of {args.repeat}; {os.cpu_count()} CPUs; load average {load:.2f} at the start)\n")
    head = ["sites", "wall s", "CPU s", "max RSS MB"] + [f"{s} s" for s in step_names] + ["output MB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---:|" * len(head))
    for n, wall_s, cpu_s, rss_mb, steps, out_mb in rows:
        cells = [f"{n:,}", f"{wall_s:.1f}", f"{cpu_s:.1f}", f"{rss_mb:,.0f}"]
        cells += [f"{steps.get(s, math.nan):.2f}" for s in step_names] + [f"{out_mb:.1f}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
