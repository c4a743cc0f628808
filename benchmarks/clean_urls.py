"""URLs on real posts and reviews: the rule before 2026-12-06 (a scheme with ``://``, or
``www.``; the address runs to the next space or Chinese punctuation) against the current one
(also schemes broken by scraping, ``http:t.cn/x`` and ``http:\\\\t.cn\\x``, a scheme cut off at
the end, Weibo's bare ``t.cn/`` links; an address ends at a Chinese character), in one run.

Prints the texts each rule changes, the link leftovers each leaves for the tokenizer
(``http``, ``t.cn``), the Chinese characters the old rule swallowed into ``<URL>``, examples,
and the time of both rules over the same texts.

    python benchmarks/clean_urls.py ../shared/data/weibo/covid19_weibo_2020 \
        --csv ../shared/data/sentiment/online_shopping_10_cats.csv:review
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.clean_mentions import texts as weibo_texts  # noqa: E402
from opinion.text import contacts as C  # noqa: E402

OLD = re.compile(r"(?:https?|ftp)://[^\s\u3000-\u303f\uff00-\uffef<>\"'，。]+"
                 r"|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s\u3000-\u303f\uff00-\uffef<>\"'，。]*")
old_rule = C._replacer(OLD, "url", ("/", "www."))
LEFTOVER = re.compile(r"(?i)\bhttps?\b|(?<![A-Za-z])t\.cn\b")
HAN = re.compile(rf"[{C._HAN}]")


def csv_texts(spec: str) -> list[str]:
    """``FILE:COLUMN`` → the column's texts."""
    path, _, column = spec.rpartition(":")
    return pd.read_csv(path, dtype=str, usecols=[column])[column].dropna().tolist()


def timed(rule, posts: list[str]) -> tuple[list[str], float]:
    start = time.perf_counter()
    out = [rule(text) for text in posts]
    return out, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of Weibo .csv.gz files")
    parser.add_argument("--csv", action="append", default=[], help="FILE:COLUMN, more texts")
    args = parser.parse_args(argv)
    posts = weibo_texts(args.folder, None)
    for spec in args.csv:
        posts += csv_texts(spec)
    old, old_s = timed(old_rule, posts)
    new, new_s = timed(C.replace_urls, posts)
    changed = [(text, a, b) for text, a, b in zip(posts, old, new) if a != b]
    swallowed = sum(len(HAN.findall(m.group())) for text in posts for m in OLD.finditer(text))
    print(f"{len(posts):,} texts; changed by the old rule {sum(a != t for t, a in zip(posts, old)):,}, "
          f"by the current {sum(b != t for t, b in zip(posts, new)):,}; the two differ on {len(changed):,}")
    print(f"link leftovers (http, t.cn) after the old rule: {sum(bool(LEFTOVER.search(a)) for a in old):,} "
          f"texts; after the current: {sum(bool(LEFTOVER.search(b)) for b in new):,}")
    print(f"Chinese characters the old rule took into <URL>: {swallowed:,} (the current keeps them)")
    print(f"time: old {old_s:.2f} s, current {new_s:.2f} s (×{new_s / old_s:.2f})")
    for _text, a, b in changed[:: max(1, len(changed) // 10)][:10]:
        at = next(i for i, (x, y) in enumerate(zip(a + "\0", b + "\0")) if x != y)
        print("  old:", a[max(0, at - 30):at + 30].replace("\n", " "))
        print("  now:", b[max(0, at - 30):at + 30].replace("\n", " "))
    for text in [b for b in new if LEFTOVER.search(b)][:5]:
        at = LEFTOVER.search(text).start()
        print("  left:", text[max(0, at - 30):at + 30].replace("\n", " "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
