"""Cleaning time on hostile posts as they grow: a link followed by a long run of brackets and
stops, many ``#@a`` mentions inside hashtags, a long run of @names. Each size is ten times the
first, so a linear rule takes about ten times as long and a quadratic one about a hundred.

The rules that give text back after a link (``opinion.text.contacts._url``) and keep an @ inside
a hashtag (``_mention``) first counted brackets and ``#`` again for every character or match:
200,000 characters of ``)`` after a link took 27.7 s, and ``#@a`` × 66,666 3.9 s.

    python benchmarks/clean_hostile.py [--base 20000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.text.clean import clean_text  # noqa: E402

POSTS = {
    "link + ')' run": lambda n: "见 http://a.cn/" + ")" * n,
    "link + ').(' run": lambda n: "见 http://a.cn/" + ").(" * (n // 3),
    "'#@a' repeated": lambda n: "#@a" * (n // 3),
    "'@名字 ' repeated": lambda n: "@名字 " * (n // 4),
    "link + '#' run": lambda n: "http://t.cn/x#" + "#" * n,
}


def seconds(text: str) -> float:
    start = time.perf_counter()
    clean_text(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=20_000, help="characters of the smaller post")
    args = parser.parse_args()
    small, large = args.base, args.base * 10
    print(f"{'post':22} {small:>9,} chars {large:>9,} chars   ratio (linear ≈ 10, quadratic ≈ 100)")
    for name, make in POSTS.items():
        a, b = seconds(make(small)), seconds(make(large))
        print(f"{name:22} {a:13.3f} s {b:13.3f} s   {b / max(a, 1e-6):6.1f}")


if __name__ == "__main__":
    main()
