"""What the export's cell sanitiser does to real Weibo posts, against the previous writer.

Reads the posts of ``../shared/data/weibo/covid19_weibo_2020/*.csv.gz`` (GB18030, columns
``userid,text``) with pandas and, in the same run, compares the CSV writing before issue 13
(``spreadsheet_frame(df).to_csv(index=False)``: LF line ends, so a bare CR is not quoted)
with :func:`opinion.io.safety.write_csv_frame` (CRLF line ends). Prints:

1. how many posts hold a CR or an LF, how many start with a formula trigger under the old
   rule (first character ``= + - @``, tab or CR) and under the new one (first character
   after any whitespace, numbers excepted), and how many CSV cells get a visible ``'``;
2. the records Python's ``csv`` module reads back from each writer's file, against the
   number of posts;
3. the time of each writer on the same frame, alternated twice (the machine is shared).

Usage: ``nice -n 10 python3 benchmarks/export_safety.py [--files 57]``
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.io.safety import is_dangerous, spreadsheet_frame, write_csv_frame  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "weibo" / "covid19_weibo_2020"
OLD_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # the rule before issue 13


def read_posts(files: int) -> pd.DataFrame:
    paths = sorted(CORPUS.glob("*.csv.gz"))[:files]
    frames = [pd.read_csv(p, encoding="gb18030", encoding_errors="replace", dtype=str, on_bad_lines="skip")
              for p in paths]
    posts = pd.concat(frames, ignore_index=True).dropna(subset=["text"])
    return pd.DataFrame({"doc_id": [f"weibo-{i}" for i in range(len(posts))], "text_raw": posts["text"].tolist()})


def old_dangerous(text: str) -> bool:
    plain_number = text.lstrip("+-").replace(".", "", 1).rstrip("%").isdigit()
    return text.startswith(OLD_TRIGGERS) and not plain_number


def records(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def timed(func, *args) -> float:  # noqa: ANN001 - a tiny timing helper
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=57)
    args = parser.parse_args()
    docs = read_posts(args.files)
    texts = docs["text_raw"]
    print(f"posts: {len(docs):,} from {args.files} files")
    with_cr, with_lf = texts.str.contains("\r").sum(), texts.str.contains("\n").sum()
    print(f"posts holding a CR / an LF:                {with_cr:>8,} / {with_lf:,}")
    old, new = texts.map(old_dangerous), texts.map(is_dangerous)
    print(f"formula-like, old rule (first character):  {old.sum():>8,}")
    print(f"formula-like, new rule (after whitespace): {new.sum():>8,}  "
          f"(new only: {(new & ~old).sum():,}; old only: {(old & ~new).sum():,})")
    firsts = texts[new].str.lstrip().str[0].value_counts()
    print(f"    by first character: {', '.join(f'{c!r} {n:,}' for c, n in firsts.items())}")
    for text in texts[new & ~old].head(3).tolist() + texts[old & ~new].head(3).tolist():
        print(f"    {text[:40]!r}")
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp) / "old.csv", Path(tmp) / "new.csv"

        def write_old() -> None:
            spreadsheet_frame(docs).to_csv(old_path, index=False, encoding="utf-8-sig")

        times: dict[str, list[float]] = {"old": [], "new": []}
        for _ in (1, 2):
            times["old"].append(timed(write_old))
            times["new"].append(timed(write_csv_frame, docs, new_path))
        print(f"records read back by csv: old writer {records(old_path):,}, new writer {records(new_path):,} "
              f"(posts: {len(docs):,})")
        for name, runs in times.items():
            print(f"{name} writer: {', '.join(f'{t:.2f} s' for t in runs)}")
        print(f"ratio new / old: {', '.join(f'{n / o:.2f}x' for n, o in zip(times['new'], times['old']))}")


if __name__ == "__main__":
    main()
