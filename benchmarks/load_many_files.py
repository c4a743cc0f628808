"""Loading many tiny files: the cost must grow linearly with their number (issue 13, item 10).

Writes N tiny CSV files (one real Weibo post each, from tests/data/text/weibo_sample.tsv),
loads them as one folder with this checkout, and, for comparison, with another checkout
(``--old /work/main``: the loader that rewrote and fsynced the manifest after every input).
Each load runs in a fresh process so that both checkouts are timed the same way. Prints the
seconds for each N and the ratio of the largest to the smallest::

    nice -n 10 python benchmarks/load_many_files.py --sizes 400 2000 --old /work/main
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTS = ROOT / "tests" / "data" / "text" / "weibo_sample.tsv"
LOAD = "from opinion.io.load import load_corpus; import sys; load_corpus([sys.argv[1]], sys.argv[2])"
# prepare (one part per file) saving its manifest record after every part, or once a second
PREPARE = ("import sys, opinion.engine.runner as R; R.SAVE_SECONDS = float(sys.argv[2]); "
           "from opinion.prepare import prepare_workspace; prepare_workspace(sys.argv[1], workers=1)")


def make_files(folder: Path, n: int) -> None:
    """``n`` CSV files ``text`` + one post, cycling through the 300 sample posts."""
    with open(POSTS, encoding="utf-8", newline="") as fh:
        posts = [row[1] for row in csv.reader(fh, delimiter="\t") if len(row) > 1]
    folder.mkdir(parents=True)
    for i in range(n):
        with open(folder / f"post_{i:05d}.csv", "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([["text"], [f"{posts[i % len(posts)]} #{i}"]])


def time_load(checkout: Path, folder: Path, workspace: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, imports included) of one ``load_corpus`` of
    ``folder`` with the code of ``checkout``; CPU time varies less on a shared machine."""
    return _timed(checkout, [LOAD, str(folder), str(workspace)])


def _timed(checkout: Path, argv: list[str]) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", *argv], env=env, check=True, cwd=checkout)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 2000])
    parser.add_argument("--old", type=Path, default=None,
                        help="another checkout to compare with (e.g. /work/main)")
    parser.add_argument("--prepare", type=int, default=0, metavar="N",
                        help="also time `prepare` on N loaded files, recording its parts in the "
                             "manifest after every part vs at most once a second")
    args = parser.parse_args()
    checkouts = {"this checkout": ROOT}
    if args.old is not None:
        checkouts[f"old ({args.old})"] = args.old
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for n in args.sizes:
            make_files(base / f"files_{n}", n)
        for name, checkout in checkouts.items():
            wall, cpu = {}, {}
            for n in args.sizes:
                workspace = base / f"ws_{n}"
                wall[n], cpu[n] = time_load(checkout, base / f"files_{n}", workspace)
                shutil.rmtree(workspace)
                print(f"{name:<24} {n:>6} files  wall {wall[n]:7.1f} s  cpu {cpu[n]:7.1f} s",
                      flush=True)
            small, large = min(args.sizes), max(args.sizes)
            print(f"{name:<24} ratio {large}/{small} files: wall {wall[large] / wall[small]:.2f},"
                  f" cpu {cpu[large] / cpu[small]:.2f} (x{large / small:.0f} the files; "
                  f"linear: {large / small:.1f})", flush=True)
        if args.prepare:
            time_prepare(base, args.prepare)


def time_prepare(base: Path, n: int) -> None:
    """`prepare` of ``n`` one-row parts, saving the stage record per part vs once a second."""
    make_files(base / f"prepare_{n}", n)
    loaded = base / "prepare_ws"
    time_load(ROOT, base / f"prepare_{n}", loaded)
    for label, every in (("record saved per part", "0"), ("record saved once a second", "1")):
        workspace = base / f"prepare_ws_{every}"
        shutil.copytree(loaded, workspace)
        wall, cpu = _timed(ROOT, [PREPARE, str(workspace), every])
        print(f"prepare {n} parts, {label:<28} wall {wall:7.1f} s  cpu {cpu:7.1f} s", flush=True)


if __name__ == "__main__":
    main()
