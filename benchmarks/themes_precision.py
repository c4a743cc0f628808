"""Benchmark: precision of the built-in themes on real posts, before and after issue 14.

Inputs (in ``benchmarks/themes_precision/``), each a sample written by
``opinion themes check THEME -w WS --sample 100 --seed 0 --out FILE`` on the 620k Weibo
posts (duplicates and spam left out), with a ``relevant`` column (1/0) judged by hand:

- ``before_<theme>.csv``: 100 random hits under the old rules (any one term counts);
- ``after_<theme>.csv``: 100 random hits (or all of them, when fewer) under the new rules.

For each theme the script prints the precision of each sample and, reading the prepared
workspace ``WS`` (tokens and ``text_norm``), re-applies the *shipped* rules
(``opinion/resources/themes.toml``) to every sampled document, so the "after" precision is
that of the rules as shipped: a judged hit that no longer counts leaves the sample, which
stays a random sample of the hits (the shipped hits are a subset of the sampled ones). It
also counts the documents that count under each rule, and how many of the hits judged
relevant under the old rules still count (recall relative to the old rules).

    nice -n 10 python3 benchmarks/themes_precision.py runs/weibo   # a prepared 620k workspace
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "benchmarks" / "themes_precision"
sys.path.insert(0, str(ROOT))


def _interval(k: int, n: int) -> str:
    """95% Wilson interval of k successes in n."""
    from math import sqrt

    if n == 0:
        return "-"
    z, p = 1.96, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{max(0, centre - half):.2f}–{min(1, centre + half):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", help="the prepared 620k Weibo workspace")
    args = parser.parse_args()
    from opinion import schema as S
    from opinion.flags import kept_mask
    from opinion.io.workspace import Workspace
    from opinion.themes import ThemeCounter, load_themes

    ws = Workspace.open(args.workspace)
    themes = load_themes()
    counter = ThemeCounter(themes)
    names = [t.name for t in themes]
    counted = {name: set() for name in names}
    documents = 0
    for part in ws.parts(S.PREPARED):
        frame = ws.read_part(S.PREPARED, part, columns=[S.DOC_ID, S.TEXT_NORM, S.TOKENS])
        keep = kept_mask(ws, part, frame[S.DOC_ID])
        documents += int(keep.sum())
        for doc_id, text, tokens, kept in zip(frame[S.DOC_ID], frame[S.TEXT_NORM], frame[S.TOKENS], keep):
            if not kept:
                continue
            hits = counter.counts(list(tokens) if tokens is not None else [], text or "")
            for name, value in zip(names, hits):
                if value > 0:
                    counted[name].add(doc_id)
    print(f"{documents:,} distinct posts (duplicates and spam left out)\n")
    print("| theme | before: precision (95% CI) | before: hits | after: precision (95% CI) | "
          "after: hits | old relevant hits still counted |")
    print("|---|---|---|---|---|---|")
    for name in names:
        before = pd.read_csv(SAMPLES / f"before_{name}.csv")
        after = pd.read_csv(SAMPLES / f"after_{name}.csv")
        still = after[after["doc_id"].isin(counted[name])]
        k_b, n_b = int(before["relevant"].sum()), len(before)
        k_a, n_a = int(still["relevant"].sum()), len(still)
        relevant = before[before["relevant"] == 1]
        kept = int(relevant["doc_id"].isin(counted[name]).sum())
        old_hits = _old_hits(ws, name)
        print(f"| {name} | {k_b}/{n_b} = {k_b / n_b:.2f} ({_interval(k_b, n_b)}) | {old_hits:,} | "
              f"{k_a}/{n_a} = {k_a / max(n_a, 1):.2f} ({_interval(k_a, n_a)}) | {len(counted[name]):,} | "
              f"{kept}/{len(relevant)} |")


def _old_hits(ws, name: str) -> int:
    """Distinct posts with any term of the theme (the old rule), from the 'before' sample header."""
    header = (SAMPLES / f"before_{name}.txt")
    if header.exists():
        return int(header.read_text(encoding="utf-8").split(" documents")[0].split()[-1].replace(",", ""))
    return 0


if __name__ == "__main__":
    main()
