"""Hong Kong-written posts back to Simplified: the analysis text against the post's Simplified
original, with and without the Hong Kong variant step of ``mainland_conventions``.

Real Weibo posts (Simplified) are written in the Hong Kong standard with OpenCC ``s2hk``, then
brought back with ``opinion.text.script.to_analysis``. Most such posts carry no Hong Kong marker
(嘅, 綫 …), so ``tw2s`` is picked and leaves 敍, 枱, 粧 … as they are. Prints, for both ways, the
posts and characters that differ from the original, and the time each took.

    python benchmarks/script_hong_kong.py [--posts 20000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from unittest import mock

import pandas as pd

from opinion.text import script as S

WEIBO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"


def _posts(n: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(WEIBO.glob("*.csv.gz"))[:12]:
        frame = pd.read_csv(path, encoding="gb18030", encoding_errors="replace", dtype=str,
                            on_bad_lines="skip", engine="python", usecols=lambda c: c.strip() == "text")
        texts += [t for t in frame.iloc[:, 0].dropna() if t.strip() and "\n" not in t and "\r" not in t]
        if len(texts) >= n:
            break
    return texts[:n]


def _compare(originals: list[str], written: list[str]) -> tuple[int, int, float]:
    start = time.perf_counter()
    back = [S.to_analysis(t) for t in written]
    seconds = time.perf_counter() - start
    posts = chars = 0
    for original, analysed in zip(originals, back):
        if original != analysed:
            posts += 1
            chars += sum(a != b for a, b in zip(original, analysed)) + abs(len(original) - len(analysed))
    return posts, chars, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    args = parser.parse_args()
    originals = _posts(args.posts)
    written = S.converter("s2hk").convert("\n".join(originals)).split("\n")
    # posts that s2hk changes and that are Simplified as written
    pairs = [(o, w) for o, w in zip(originals, written) if o != w and S.detect_script(o) == "zh-Hans"]
    originals, written = [p[0] for p in pairs], [p[1] for p in pairs]
    markers = sum(S.hant_config(w) == "hk2s" for w in written)
    print(f"{len(pairs):,} real Weibo posts written with s2hk ({markers:,} with a Hong Kong marker)")
    with mock.patch.object(S, "_hong_kong_variants", lambda: {}):
        before = _compare(originals, written)
    after = _compare(originals, written)
    print(f"{'':34}{'posts differing':>16}{'chars differing':>17}{'seconds':>9}")
    for name, (posts, chars, seconds) in (("without the Hong Kong variants", before),
                                          ("with them (prepare version 19)", after)):
        print(f"{name:34}{posts:>16,}{chars:>17,}{seconds:>9.2f}")
    print(f"difference: {after[0] - before[0]:+,} posts, {after[1] - before[1]:+,} characters")


if __name__ == "__main__":
    main()
