"""Traditional→Simplified agreement and script detection on UD Chinese-GSD / GSDSimp.

Reads ``../shared/data/script/gsd_trad_simp_dev.tsv`` (500 sentence pairs; CC BY-SA 4.0)
and prints, for each OpenCC converter, the share of characters and of whole sentences that
equal the hand-corrected Simplified reference, then the script-detection accuracy on both
sides (whole sentences, and their first 2/3/5/10 characters), for the threshold we ship and
two others.

    python3 benchmarks/script_gsd.py
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from opinion.text import script as S

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "script" / "gsd_trad_simp_dev.tsv"


def agreement(rows: list[dict[str, str]], convert) -> tuple[float, float]:
    """(character agreement, sentence agreement) of ``convert(traditional)`` with the reference."""
    same_chars = total_chars = same_sentences = 0
    for row in rows:
        out, ref = convert(row["traditional"]), row["simplified"]
        same_sentences += out == ref
        total_chars += len(ref)
        if len(out) == len(ref):
            same_chars += sum(a == b for a, b in zip(out, ref))
        else:  # a phrase conversion changed the length: count the common prefix and suffix
            prefix = next((i for i, (a, b) in enumerate(zip(out, ref)) if a != b), min(len(out), len(ref)))
            suffix = next((i for i, (a, b) in enumerate(zip(out[::-1], ref[::-1])) if a != b), 0)
            same_chars += min(len(ref), prefix + suffix)
    return same_chars / total_chars, same_sentences / len(rows)


def detection(rows: list[dict[str, str]], prefix: int | None = None) -> tuple[float, float, int]:
    """Accuracy of :func:`detect_script` on the Traditional and on the Simplified side.

    With ``prefix``, only texts whose two versions differ are counted (a prefix such as
    "大多數" vs "大多数" can be told apart; "同時" vs "同时" too; "中國人" vs "中国人" yes,
    but "人口" written the same in both scripts cannot). Returns the count used as well.
    """
    cut = (lambda t: t) if prefix is None else (lambda t: t[:prefix])
    pairs = [(cut(r["traditional"]), cut(r["simplified"])) for r in rows]
    pairs = [(t, s) for t, s in pairs if t != s]
    trad = sum(S.detect_script(t) == S.HANT for t, _ in pairs) / len(pairs)
    simp = sum(S.detect_script(s) == S.HANS for _, s in pairs) / len(pairs)
    return trad, simp, len(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    args = parser.parse_args()
    with args.data.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    print(f"{args.data.name}: {len(rows)} sentence pairs, "
          f"{sum(len(r['simplified']) for r in rows)} characters\n")

    print("T→S converter          chars    sentences")
    converters = [("opinion to_analysis (auto)", S.to_analysis)]
    converters += [(f"opencc {c}", S.converter(c).convert) for c in ("t2s", "tw2s", "tw2sp", "hk2s")]
    for name, convert in converters:
        chars, sentences = agreement(rows, convert)
        print(f"{name:<22} {chars:8.2%} {sentences:10.2%}")

    shipped = S.MIXED_MINORITY_SHARE
    print(f"\nscript detection (minority share for 'mixed' = {shipped}, shipped)")
    print("text                 Traditional  Simplified  pairs (versions that differ)")
    started = time.perf_counter()
    for prefix in (None, 10, 5, 3, 2):
        trad, simp, used = detection(rows, prefix)
        label = "whole sentence" if prefix is None else f"first {prefix} characters"
        print(f"{label:<20} {trad:11.2%} {simp:11.2%}  {used:5d}")
    seconds = time.perf_counter() - started
    n_texts = 2 * 5 * len(rows)
    print(f"({n_texts} detections in {seconds:.2f} s, {n_texts / seconds:,.0f} texts/s)")

    print("\nwhole sentences with other thresholds (share of the minority script above which "
          "a text is 'mixed')")
    for threshold in (0.1, 0.15, 0.2, 0.25):
        S.MIXED_MINORITY_SHARE = threshold
        trad, simp, _ = detection(rows)
        halves = [a["traditional"][: len(a["traditional"]) // 2] + b["simplified"][len(b["simplified"]) // 2:]
                  for a, b in zip(rows, rows[1:])]
        mixed = sum(S.detect_script(t) == S.MIXED for t in halves) / len(halves)
        print(f"threshold {threshold:<5} Traditional {trad:7.2%}  Simplified {simp:7.2%}  "
              f"half/half texts called mixed {mixed:7.2%}")
    S.MIXED_MINORITY_SHARE = shipped


if __name__ == "__main__":
    main()
