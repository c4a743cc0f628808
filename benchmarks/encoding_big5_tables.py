"""Big5 files read with the encoding detection before 2026-12-07 (Big5-HKSCS for every Big5
file) and with the current one (cp950 where Big5-HKSCS cannot read the file, or where the two
differ only in punctuation), in the same run.

Files: 30 real GSD Traditional sentences each (those both Big5 tables can write) (200 seeded draws per case), written

- ``tw plain``: as cp950 (Excel on a Taiwanese Windows), nothing else;
- ``tw ～‧``: as cp950, a third of the lines ending in ～ and one name with ‧ (哈利‧波特);
- ``tw kana``: as cp950, one line with ぱ (0xC6D5: cp950 only);
- ``hk 嘅``: as Big5-HKSCS, one line of Cantonese (嘅, 咗: HKSCS only);
- ``hk ／¥``: as Python's Big5-HKSCS encoder, one line with ／ and ¥ (0xA241, 0xA244), which
  cp950 would read as ∕ and ￥ (a cp950 writer puts ／ at 0xA1FE, so 0xA241 says Big5-HKSCS).

Prints, per case and rule, the encoding chosen most often and the share of files whose every
character reads back as written.

    python benchmarks/encoding_big5_tables.py [--gsd ../shared/data/script/gsd_trad_simp_dev.tsv]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import types
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.io import encoding as current  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "ee63da0"  # the last commit with the previous rule


def previous_module() -> types.ModuleType:
    """opinion/io/encoding.py as it was at :data:`BEFORE`, imported under another name."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE}:opinion/io/encoding.py"],
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("encoding_before")
    exec(compile(source, "encoding_before.py", "exec"), module.__dict__)  # noqa: S102
    return module


def _both(sentence: str) -> bool:
    """Whether both Big5 tables can write ``sentence`` (a few GSD sentences hold 爲 or 峯)."""
    try:
        sentence.encode("cp950"), sentence.encode("big5hkscs")
    except UnicodeEncodeError:
        return False
    return True


def cases(lines: list[str], rng: random.Random) -> dict[str, tuple[str, list[str]]]:
    """Case name -> (codec the file is written with, its lines)."""
    tilde = [line + "～" if rng.random() < 1 / 3 else line for line in lines]
    return {
        "tw plain": ("cp950", lines),
        "tw ～‧": ("cp950", tilde + ["哈利‧波特真好看～"]),
        "tw kana": ("cp950", lines + ["這家的拉麵ぱ很好吃"]),
        "hk 嘅": ("big5hkscs", lines + ["佢哋嘅嘢食咗未？"]),
        "hk ／¥": ("big5hkscs", lines + ["每份定價 ¥30／位"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gsd", type=Path, default=ROOT.parent / "shared" / "data" / "script" / "gsd_trad_simp_dev.tsv")
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--lines", type=int, default=30)
    args = parser.parse_args(argv)
    sentences = [s for s in pd.read_csv(args.gsd, sep="\t")["traditional"] if _both(s)]
    rules = {"before": previous_module().detect_encoding, "current": current.detect_encoding}
    chosen: dict[tuple[str, str], Counter[str]] = {}
    intact: dict[tuple[str, str], int] = {}
    for draw in range(args.draws):
        rng = random.Random(draw)
        for case, (codec, lines) in cases(rng.sample(sentences, args.lines), rng).items():
            text = "\r\n".join(lines) + "\r\n"
            data = text.encode(codec)
            for rule, detect in rules.items():
                encoding = detect(data)
                chosen.setdefault((case, rule), Counter())[encoding] += 1
                read = data.decode(encoding, errors="replace")
                intact[(case, rule)] = intact.get((case, rule), 0) + (read == text)
    print(f"{'case':<9} {'before: chosen':<22} {'intact':>7}   {'current: chosen':<22} {'intact':>7}"
          f"   ({args.draws} files of {args.lines}+ lines each)")
    for case in cases(sentences[: args.lines], random.Random(0)):
        cells = []
        for rule in rules:
            (top, count), = chosen[(case, rule)].most_common(1)
            cells.append(f"{top} ({count / args.draws:.0%})".ljust(22) + f" {intact[(case, rule)] / args.draws:>7.1%}")
        print(f"{case:<9} {cells[0]}   {cells[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
