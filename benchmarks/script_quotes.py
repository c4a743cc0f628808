"""A Traditional quote inside a Simplified post, shown to a Traditional reader: is it as written?

Each real Weibo post (Simplified) gets `` 转发：`` and a real Traditional sentence (the GSD
parallel set's Traditional side, Taiwan standard, and the same sentences written with OpenCC
``t2hk``, Hong Kong standard). The post is still ``zh-Hans`` (or ``mixed``); it is rendered in
``zh-Hant-TW`` and ``zh-HK`` with ``render_document``, and the quote at its end is compared with
the sentence as written. Printed: quotes changed with the rule that keeps a Simplified post's
Traditional-only characters (2026-12-07) and without it (every character through s2tw/s2hk).

    python benchmarks/script_quotes.py [--posts 800]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from script_hong_kong import _posts  # noqa: E402

from opinion.text import script as S  # noqa: E402

GSD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "script" / "gsd_trad_simp_dev.tsv"
LINK = " 转发："


def _changed(posts: list[str], quotes: list[str], target: str) -> tuple[int, int]:
    changed = scripts_hans = 0
    for post, quote in zip(posts, quotes):
        text = post + LINK + quote
        script = S.detect_script(text)
        scripts_hans += script == S.HANS
        changed += not S.render_document(text, script, target).endswith(quote)
    return changed, scripts_hans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=800)
    args = parser.parse_args()
    with GSD.open(encoding="utf-8") as handle:
        taiwan = [row["traditional"] for row in csv.DictReader(handle, delimiter="\t")]
    posts = [p for p in _posts(args.posts * 3) if len(p) >= 2 * 60][: args.posts]
    taiwan = (taiwan * (len(posts) // len(taiwan) + 1))[: len(posts)]
    hong_kong = [S.converter("t2hk").convert(q) for q in taiwan]
    print(f"{len(posts)} real Weibo posts of 120+ characters, each quoting one GSD sentence")
    print(f"{'quote':10}{'reader':12}{'posts zh-Hans':>14}{'changed before':>16}{'changed now':>13}")
    for name, quotes in (("Taiwan", taiwan), ("Hong Kong", hong_kong)):
        for target in ("zh-Hant-TW", "zh-HK"):
            with mock.patch.object(S, "_keep_written_traditional", lambda original, converted: converted):
                before, hans = _changed(posts, quotes, target)
            now, _ = _changed(posts, quotes, target)
            print(f"{name:10}{target:12}{hans:>14}{before:>16}{now:>13}")


if __name__ == "__main__":
    main()
