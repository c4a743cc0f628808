"""Date cells an attacker or a broken export writes: long runs of spaces inside a value.

Times ``parse_date`` (the loader's reader, which may be called several times per cell: column
guessing, the row, the warning's fix) against ``pandas.to_datetime(format="mixed")`` on the same
values, in the same run, and prints seconds per value and the ratio. Until 2026-12-07 the
loader's patterns took time quadratic in such a run: one 30,000-space cell held a two-row load
for 167 s; values over ``MAX_DATE_CHARS`` are now never read as dates.

    python benchmarks/dates_hostile.py [--spaces 30000]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.io.dates import MAX_DATE_CHARS, parse_date  # noqa: E402


def _pandas(value: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pd.to_datetime(value, format="mixed")
        except (ValueError, OverflowError, TypeError):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=30_000)
    args = parser.parse_args()
    run = " " * args.spaces
    values = {"date, spaces, 来源": f"2020-02-01{run}来源", "digit, spaces, x": f"1{run}x",
              "来自, spaces": f"来自{run}好", "spaces inside a time": f"2020-02-01{run}10:30"}
    print(f"values with {args.spaces:,} spaces inside (MAX_DATE_CHARS = {MAX_DATE_CHARS})")
    print(f"{'value':24} {'parse_date':>11} {'pandas':>9} {'ratio':>7}  read as")
    for name, value in values.items():
        start = time.perf_counter()
        read = parse_date(value)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        _pandas(value)
        theirs = time.perf_counter() - start
        print(f"{name:24} {ours:10.4f}s {theirs:8.4f}s {ours / max(theirs, 1e-9):7.2f}  {read}")


if __name__ == "__main__":
    main()
