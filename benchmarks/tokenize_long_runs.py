"""One very long run of Han characters (a spam post, a hostile cell): ``opinion.text.tokenize``
against ``jieba.lcut`` on the whole run (the obvious alternative), in the same run.

jieba's HMM for unknown characters builds its path by list copies, so its time is quadratic in a
run's length; the tokenizer hands runs to the engine in pieces of ``MAX_HAN_RUN`` characters.
Prints seconds per text and the ratio, for runs of a repeated character and of a repeated phrase.

    python benchmarks/tokenize_long_runs.py [--sizes 10000,20000,40000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.text.tokenize import MAX_HAN_RUN, tokenize  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,40000")
    args = parser.parse_args()
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    tokenize("预热")
    print(f"MAX_HAN_RUN = {MAX_HAN_RUN:,}")
    print(f"{'text':24} {'tokenize':>9} {'jieba.lcut':>11} {'ratio':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        for name, unit in (("的", "的"), ("武汉加油", "武汉加油")):
            text = (unit * (size // len(unit) + 1))[:size]
            start = time.perf_counter()
            tokenize(text)
            ours = time.perf_counter() - start
            start = time.perf_counter()
            jieba.lcut(text)
            theirs = time.perf_counter() - start
            print(f"{f'{name} × {size:,} chars':24} {ours:8.2f}s {theirs:10.2f}s {ours / theirs:7.3f}")


if __name__ == "__main__":
    main()
