"""What one spelling per Latin word changes in the word views, against counting words as
written, in the same run: how many Latin words and occurrences are merged, how the week
keywords and the top-100 cloud words differ, and what the extra reading of the tokens costs
against counting the groups (:mod:`opinion.words.forms`).

Usage: ``python benchmarks/latin_forms.py WS`` (a prepared workspace, e.g. of the 620k Weibo
posts: ``opinion run ../shared/data/weibo/covid19_weibo_2020 -w ws620``). Word counts kept in
``WS/words/`` are not read or written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.io.workspace import Workspace  # noqa: E402
from opinion.words import forms, groups  # noqa: E402
from opinion.words.keywords import KeywordSettings, count_groups, keyness  # noqa: E402


def _counts(ws: Workspace, *, folded: bool) -> tuple[float, tuple]:
    forms._forms.cache_clear()
    kept = groups.latin_forms
    if not folded:
        groups.latin_forms = lambda ws: {}  # the words as written
    try:
        start = time.perf_counter()
        counts = count_groups(ws, by=("period",), settings=KeywordSettings(period="week"))["period"]
        return time.perf_counter() - start, counts
    finally:
        groups.latin_forms = kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace")
    args = parser.parse_args()
    ws = Workspace.open(args.workspace)
    for old in (ws.root / forms.FOLDER).glob("latin_forms_*.parquet"):
        old.unlink()
    start = time.perf_counter()
    spellings = forms._count_latin(ws)
    counting = time.perf_counter() - start
    merged = forms.preferred_forms(spellings)
    moved = sum(spellings[w] for w in merged)
    print(f"{ws.root}: {len(spellings):,} Latin spellings; {len(merged):,} of them merged into another "
          f"({moved:,} occurrences, {moved / max(1, sum(spellings.values())):.1%} of Latin ones)")
    for word, form in sorted(merged.items(), key=lambda kv: -spellings[kv[0]])[:8]:
        print(f"  {word} ({spellings[word]:,}) → {form} ({spellings[form]:,})")
    seconds = {}
    tables = {}
    for folded in (False, True):
        seconds[folded], (counts, totals, _) = _counts(ws, folded=folded)
        tables[folded] = (keyness(counts, totals, top=20, min_count=5), totals)
    for folded, name in ((False, "as written"), (True, "one spelling")):
        table, totals = tables[folded]
        latin = table[table["word"].str.contains(r"[A-Za-z]")]
        doubled = latin["word"].str.casefold().duplicated().sum()
        cloud = groups.top_words(totals, 100)
        print(f"{name:>13}: counting {seconds[folded]:.1f} s; week keywords {len(table)}, Latin {len(latin)} "
              f"(same word twice in a week: {doubled}); top-100 cloud words with another spelling beside them: "
              f"{int(cloud.index.str.casefold().duplicated().sum())}")
    print(f"the extra reading of the tokens: {counting:.1f} s ({counting / seconds[False]:.0%} of counting as written)")


if __name__ == "__main__":
    main()
