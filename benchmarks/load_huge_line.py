"""Benchmark: peak memory loading a small .csv.gz that unpacks to one huge line.

Writes ``huge.csv.gz``: a header, a normal post, ONE line of ``--line-mb`` MB (a 1 GB line of
one repeated character packs into about 1 MB of gzip) and another normal post. Then measures, each in its own
process under ``/usr/bin/time -v`` (peak RSS = "Maximum resident set size"):

- ``opinion load`` of this working tree (the huge line must be rejected as
  ``field too long`` and the two posts loaded: read = loaded + rejected);
- the loader before the limit (``--before-ref``, default the commit this branch started
  from), on a smaller line (``--before-line-mb``, default 100): on a 1 GB line it peaks
  at about 11.5 GB, too much for a shared 24 GB machine, so its figure is extrapolated;
- the obvious alternative, pandas ``read_csv``, on the same smaller line.

    nice -n 10 python3 benchmarks/load_huge_line.py                 # 1 GB line, 100 MB before
    nice -n 10 python3 benchmarks/load_huge_line.py --line-mb 100   # quicker
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POST = "武汉加油，中国加油！"


def make_file(path: Path, line_mb: int) -> None:
    """The test file, compressed as it is written (the huge line is never held whole)."""
    gz = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = ("武" * 2**18).encode()  # 768 KB of one character: gzip packs it 1,000 to 1
    with open(path, "wb") as out:
        out.write(gz.compress(f"id,text\n1,{POST}\n2,".encode()))
        left = line_mb * 1024 * 1024
        while left > 0:
            out.write(gz.compress(block[:left]))
            left -= len(block)
        out.write(gz.compress(f"\n3,{POST}第三条\n".encode()))
        out.write(gz.flush())


def timed(command: list[str], *, cwd: Path, env: dict | None = None) -> dict:
    """Run under /usr/bin/time -v; peak RSS in MB, wall seconds, exit code, last output."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *command], cwd=cwd, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    tail = [ln for ln in (proc.stdout + proc.stderr).splitlines()
            if ln.strip() and not ln.startswith(("\t", "Command exited"))]
    return {"peak_mb": int(peak.group(1)) / 1024 if peak else float("nan"),
            "seconds": seconds, "rc": proc.returncode, "last": tail[-1] if tail else ""}


def load_with(code_root: Path, data: Path, ws: Path) -> dict:
    """``opinion load`` with the package found in ``code_root``."""
    env = {"PYTHONPATH": str(code_root), "PATH": "/usr/bin:/bin",
           "HOME": str(Path.home())}
    result = timed([sys.executable, "-m", "opinion", "load", str(data), "-w", str(ws)],
                   cwd=code_root, env=env)
    manifest = ws / "manifest.json"
    if manifest.exists():
        entry = json.loads(manifest.read_text(encoding="utf-8"))["inputs"][0]
        result.update({k: entry[k] for k in ("rows_read", "rows_loaded", "rows_rejected")})
        with open(ws / "rejects.csv", encoding="utf-8-sig", newline="") as fh:
            result["reasons"] = [row["reason"] for row in csv.DictReader(fh)]
    return result


def pandas_read(data: Path) -> dict:
    code = ("import pandas as pd, sys; df = pd.read_csv(sys.argv[1]); "
            "print(len(df), 'rows;', int(df['text'].str.len().max()), 'characters longest')")
    return timed([sys.executable, "-c", code, str(data)], cwd=ROOT)


def old_checkout(ref: str, into: Path) -> Path:
    """The ``opinion`` package as it was at ``ref`` (git archive), importable from ``into``."""
    archive = subprocess.run(["git", "archive", ref, "opinion"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--line-mb", type=int, default=1024)
    parser.add_argument("--before-line-mb", type=int, default=100)
    parser.add_argument("--before-ref", default="f20b890")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huge-line-") as tmp:
        tmp = Path(tmp)
        big, small = tmp / "big" / "huge.csv.gz", tmp / "small" / "huge.csv.gz"
        for path, mb in ((big, args.line_mb), (small, args.before_line_mb)):
            path.parent.mkdir()
            make_file(path, mb)
        old = old_checkout(args.before_ref, tmp / "old")
        runs = [
            (f"opinion load (this tree), {args.line_mb} MB line", load_with(ROOT, big, tmp / "w1")),
            (f"opinion load (this tree), {args.before_line_mb} MB line",
             load_with(ROOT, small, tmp / "w2")),
            (f"opinion load ({args.before_ref}, before), {args.before_line_mb} MB line",
             load_with(old, small, tmp / "w3")),
            (f"pandas read_csv, {args.before_line_mb} MB line", pandas_read(small)),
        ]
        print(f"gzip sizes: {big.stat().st_size / 1e6:.2f} MB ({args.line_mb} MB line), "
              f"{small.stat().st_size / 1e6:.2f} MB ({args.before_line_mb} MB line)")
    for name, r in runs:
        counts = (f"read {r['rows_read']} = loaded {r['rows_loaded']} + rejected "
                  f"{r['rows_rejected']}" if "rows_read" in r else r["last"][:90])
        print(f"{name:<48} peak {r['peak_mb']:8.0f} MB  {r['seconds']:6.1f} s  rc {r['rc']}  "
              f"{counts}")
        for reason in r.get("reasons", []):
            print(f"{'':<48} rejected: {reason}")
    before = runs[2][1]["peak_mb"]
    now_small, now_big = runs[1][1]["peak_mb"], runs[0][1]["peak_mb"]
    scale = args.line_mb / args.before_line_mb
    print(f"\npeak before / now on the {args.before_line_mb} MB line: {before / now_small:.1f}x")
    print(f"before, extrapolated linearly to {args.line_mb} MB: ~{before * scale / 1024:.1f} GB "
          f"(now measured: {now_big / 1024:.2f} GB)")


if __name__ == "__main__":
    main()
