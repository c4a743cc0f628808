"""KWIC on Traditional posts of a prepared workspace: are the lines the posts' own words?

For every ``zh-Hant`` document of a prepared workspace (e.g. the 620k-post Weibo corpus),
runs ``opinion kwic`` in ``zh-Hant-TW`` for a few words and counts the lines whose
``left + term + right`` is a piece of the document's ``text_clean`` (its cleaned original,
spaces flattened), character for character. Beside it, in the same run, the rendering used
before issue 14: lines cut from the Simplified ``text_norm`` and rendered with OpenCC
``s2twp`` (Taiwan phrases), which quoted words the posts never used (視頻 → 影片).

    nice -n 10 python3 benchmarks/kwic_verbatim.py -w /tmp/ws   # after opinion load + prepare
"""

from __future__ import annotations

import argparse
from collections import Counter

import pandas as pd

from opinion.io.workspace import Workspace
from opinion.kwic import kwic, kwic_lines
from opinion.text.script import converter

WORDS = ("视频", "网络", "信息", "数据", "用户", "台湾", "软件", "比特")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-w", "--workspace", required=True)
    parser.add_argument("--width", type=int, default=8)
    args = parser.parse_args()
    ws = Workspace.open(args.workspace)
    prepared = pd.concat([ws.read_part("prepared", p, columns=["doc_id", "script", "text_clean", "text_norm"])
                          for p in ws.parts("prepared")])
    hant = prepared[prepared["script"] == "zh-Hant"].set_index("doc_id")
    flat = {d: " ".join(t.split()) for d, t in hant["text_clean"].items()}
    s2twp = converter("s2twp").convert
    print(f"{len(prepared):,} documents, {len(hant):,} in zh-Hant\n")
    print(f"{'word':<6} {'lines':>6} {'verbatim now':>13} {'verbatim before':>16}  terms shown now / before")
    total = now_ok = before_ok = 0
    for word in WORDS:
        lines = kwic(ws, word, width=args.width, script="zh-Hant-TW", limit=10**7)
        lines = lines[lines["doc_id"].isin(flat)]
        now = sum(f"{r.left}{r.term}{r.right}" in flat[r.doc_id] for r in lines.itertuples())
        before_lines = [row for d in lines["doc_id"].unique()
                        for row in kwic_lines(d, hant.at[d, "text_norm"], word, width=args.width)]
        before = sum(s2twp(f"{r['left']}{r['term']}{r['right']}") in flat[r["doc_id"]] for r in before_lines)
        terms_now = Counter(lines["term"]).most_common(2)
        terms_before = Counter(s2twp(r["term"]) for r in before_lines).most_common(2)
        print(f"{word:<6} {len(lines):>6} {now:>13} {before:>16}  {terms_now} / {terms_before}")
        total, now_ok, before_ok = total + len(lines), now_ok + now, before_ok + before
    if total:
        print(f"\nall    {total:>6} {now_ok:>13} {before_ok:>16}  "
              f"({now_ok / total:.1%} verbatim now, {before_ok / total:.1%} before)")


if __name__ == "__main__":
    main()
