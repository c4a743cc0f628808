"""Cleaning on all 620k posts of the COVID-19 Weibo corpus: is any post emptied?

Streams the 57 GB18030 ``.csv.gz`` files with pandas, one at a time, and runs
:func:`opinion.text.clean.clean_document` on every post. Prints the posts read, the posts
empty before cleaning, those empty after, those emptied by cleaning (must be 0: only posts
empty before may be empty after), the posts cleaning removed something from (furniture
lines, Weibo leftovers) with the most frequent removals, and the speed. Beside it, in the
same run, the cleaner before issue 14 (``--old FILE``: that version of ``clean.py``, e.g.
``git show 67b75c9~1:opinion/text/clean.py > /tmp/old_clean.py``) and the posts it emptied.

    nice -n 10 python3 benchmarks/clean_weibo.py [--old /tmp/old_clean.py] [--files N]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from opinion.text.clean import clean_document

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"


def _posts(files: list[Path]):
    for path in files:
        frame = pd.read_csv(path, encoding="gb18030", encoding_errors="replace", dtype=str,
                            usecols=["text"])
        yield from frame["text"].fillna("").tolist()


def _old_cleaner(path: Path | None):
    if path is None or not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("old_clean", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.clean_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--old", type=Path, default=None, help="clean.py before issue 14, to compare")
    parser.add_argument("--files", type=int, default=0, help="only the first N files (0: all)")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.csv.gz"))
    files = files[: args.files] if args.files else files
    old = _old_cleaner(args.old)

    read = empty_before = empty_after = emptied = with_removals = old_emptied = 0
    removals: Counter[str] = Counter()
    examples: list[str] = []
    seconds = old_seconds = 0.0
    for text in _posts(files):
        read += 1
        blank = not text.strip()
        empty_before += blank
        started = time.perf_counter()
        done = clean_document(text)
        seconds += time.perf_counter() - started
        after = not done.text.strip()
        empty_after += after
        emptied += after and not blank
        if done.removed:
            with_removals += 1
            removals.update(piece[:12] for piece in done.removed)
        if old is not None:
            started = time.perf_counter()
            gone = not old(text).strip()
            old_seconds += time.perf_counter() - started
            if gone and not blank:
                old_emptied += 1
                if len(examples) < 5:
                    examples.append(text[:70])

    print(f"{len(files)} files, {read:,} posts read")
    print(f"empty before cleaning:          {empty_before:,}")
    print(f"empty after cleaning:           {empty_after:,}")
    print(f"emptied by cleaning:            {emptied:,}   (equal before/after: {empty_after == empty_before})")
    print(f"posts with something removed:   {with_removals:,} (column clean_removed)")
    print("most frequent removals:         " + ", ".join(f"{k!r} {v:,}" for k, v in removals.most_common(6)))
    print(f"clean_document: {seconds:.1f} s, {read / seconds:,.0f} posts/s")
    if old is not None:
        print(f"\nbefore issue 14 ({args.old}): emptied {old_emptied:,} non-empty posts; "
              f"{old_seconds:.1f} s, {read / old_seconds:,.0f} posts/s "
              f"(new/old time {seconds / old_seconds:.2f}x)")
        for example in examples:
            print(f"  emptied: {example}")


if __name__ == "__main__":
    main()
