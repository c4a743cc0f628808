"""Sentence splitting of texts with many URLs: time grows with the text, not its square.

Each cut of :func:`opinion.sentiment.features.split_sentences` used to be checked against every
URL span (before 2026-12-08: 8,000 URLs took 14 s). The obvious alternative is the same split
with no URL protection (a regex split on the terminators), timed in the same run. For n posts
of one line each, it prints the seconds of both and the ratio of each to its n = 1,000 time
(linear: about n / 1,000; quadratic: its square).

    python benchmarks/sentence_split_urls.py
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.sentiment.features import split_sentences  # noqa: E402

LINE = "支持国货 http://t.cn/A6abc?x=1;y=2 好！\n"
PLAIN = re.compile(r"(?<=[。！？!?；;\n])")


def _seconds(func, text: str) -> float:
    start = time.perf_counter()
    func(text)
    return time.perf_counter() - start


def main() -> None:
    base: dict[str, float] = {}
    print(f"{'posts':>6} {'split_sentences s':>18} {'x n=1000':>9} {'plain regex s':>14} {'x n=1000':>9}")
    for n in (1000, 2000, 4000, 8000):
        text = LINE * n
        ours, plain = _seconds(split_sentences, text), _seconds(PLAIN.split, text)
        base.setdefault("ours", ours)
        base.setdefault("plain", plain)
        print(f"{n:>6} {ours:>18.3f} {ours / base['ours']:>9.1f} {plain:>14.4f} {plain / base['plain']:>9.1f}")


if __name__ == "__main__":
    main()
