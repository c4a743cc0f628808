"""Pinyin removal: the rule before 2026-12-07 (bracketed pinyin with a tone mark only) against
``opinion.text.pinyin.remove_pinyin`` (also the unmarked neutral tone inside a run of annotated
characters), in the same run, on real texts.

Prints, per corpus: texts read, texts each rule changes, bracketed syllables each leaves after
a Han character (``的(de)``, ``(a)``), and up to ``--show`` texts the rules treat differently, so
that what the new rule removes beyond the old one can be read.

    python benchmarks/clean_pinyin.py [--weibo DIR] [--seed FILE] [--show 10]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from opinion.text import pinyin as P  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
_OLD = re.compile(rf"(?<=[{P._HAN}])[(（](?=[a-z{P._TONED} ]*[{P._TONED}])"
                  rf"({P._SYLLABLE}(?: ?{P._SYLLABLE}){{0,5}})[)）]")


def old_rule(text: str) -> str:
    return _OLD.sub("", text) if "(" in text or "（" in text else text


def weibo_texts(folder: Path):
    import csv

    csv.field_size_limit(1 << 30)
    for path in sorted(folder.glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="gb18030", errors="replace", newline="") as fh:
            for row in csv.reader(fh):
                yield max(row, key=len) if row else ""


def compare(name: str, texts, show: int) -> None:
    read = changed_old = changed_new = left_old = left_new = 0
    differ: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    for text in texts:
        read += 1
        old, new = old_rule(text), P.remove_pinyin(text)
        changed_old += old != text
        changed_new += new != text
        left_old += len(P._SYLLABLES.findall(old))
        left_new += len(P._SYLLABLES.findall(new))
        if old != new and len(differ) < show:
            differ.append((text, old, new))
    print(f"{name}: {read:,} texts in {time.perf_counter() - start:.1f} s; changed: old rule "
          f"{changed_old:,}, new {changed_new:,} (difference {changed_new - changed_old:+,}); bracketed "
          f"syllables left: old {left_old:,}, new {left_new:,}")
    for text, old, new in differ:
        print(f"  in : {text[:120]}\n  old: {old[:120]}\n  new: {new[:120]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weibo", type=Path, default=SHARED / "weibo" / "covid19_weibo_2020")
    parser.add_argument("--seed", type=Path, default=SHARED / "seed" / "live_commerce_trust_article.txt")
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    converter = ("我(wǒ)们(men)的(de)祖(zǔ)国(guó)很(hěn)美(měi)丽(lì)了(le)。"
                 "他(tā)们(men)说(shuō)：好(hǎo)吗(ma)？桌(zhuō)子(zi)上(shàng)有(yǒu)书(shū)。")
    compare("a converter's character-by-character text (built in)", [converter], args.show)
    if args.seed.exists():
        compare(f"seed article ({args.seed.name})", [args.seed.read_text(encoding="utf-8")], args.show)
    if args.weibo.exists():
        compare(f"Weibo posts ({args.weibo})", weibo_texts(args.weibo), args.show)


if __name__ == "__main__":
    main()
