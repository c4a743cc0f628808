"""Encoding detection on small files with one broken line: the previous rule (fewest U+FFFD,
then charset-normalizer) against the current one (private-use code points count as broken
too, a short Chinese-reading sample is accepted), in the same run.

Files: n real lines (GSD Traditional sentences written as Big5, or the same sentences'
Simplified side written as GB18030 and UTF-8) plus one line of bytes no CJK codec reads
(``\\xff\\xfe\\x81``), 200 seeded draws per size. Prints the share detected right per rule.

    python benchmarks/encoding_small_files.py [--gsd ../shared/data/script/gsd_trad_simp_dev.tsv]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.io import encoding as E  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def previous_rule(sample: bytes) -> str:
    """detect_encoding as it was before 2026-12-03 22:20 (fewest U+FFFD, else charset-normalizer)."""
    if E._strictly_decodes(sample, "utf-8") is not None:
        return "utf-8"
    fits = {enc: t for enc in E.CJK_ENCODINGS[1:] if (t := E._strictly_decodes(sample, enc)) is not None}
    if fits:
        return max(fits, key=lambda enc: E.common_hanzi_ratio(fits[enc]))
    errors = {}
    for enc in E.CJK_ENCODINGS:
        text = sample.decode(enc, errors="replace")
        errors[enc] = (text.count("\ufffd") / max(len(text), 1), -E.common_hanzi_ratio(text))
    best = min(errors, key=errors.__getitem__)
    if errors[best][0] < 0.01:
        return best
    from charset_normalizer import from_bytes

    guess = from_bytes(sample).best()
    return E.normalize_encoding_name(guess.encoding) if guess is not None else best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gsd", type=Path, default=ROOT.parent / "shared" / "data" / "script" / "gsd_trad_simp_dev.tsv")
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args(argv)
    gsd = pd.read_csv(args.gsd, sep="\t")
    sides = {"big5hkscs": ("traditional", "big5hkscs"), "gb18030": ("simplified", "gb18030"),
             "utf-8": ("simplified", "utf-8")}
    print(f"{'lines':>5} {'written as':<10} {'previous':>9} {'current':>8}   ({args.draws} files each)")
    for n in (2, 3, 5, 10, 30):
        for expected, (column, codec) in sides.items():
            rng = random.Random(n)
            right = {"previous": 0, "current": 0}
            for _ in range(args.draws):
                lines = rng.sample(gsd[column].tolist(), n)
                data = b"".join((line + "\r\n").encode(codec, errors="ignore") for line in lines[:1])
                data += b"\xff\xfe\x81 broken\r\n"
                data += b"".join((line + "\r\n").encode(codec, errors="ignore") for line in lines[1:])
                right["previous"] += previous_rule(data) == expected
                right["current"] += E.detect_encoding(data) == expected
            print(f"{n:>5} {expected:<10} {right['previous'] / args.draws:>9.1%} {right['current'] / args.draws:>8.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
