"""Traditional→Simplified agreement and script detection on UD Chinese-GSD / GSDSimp.

Reads ``../shared/data/script/gsd_trad_simp_dev.tsv`` (500 sentence pairs; CC BY-SA 4.0)
and prints the share of characters and of whole sentences that equal the hand-corrected
Simplified reference: for ``opinion clean --script zh-Hans`` (clean, then
:func:`render_document`), for the same before issue 14 (cleaning turned （）into ( ), then
``tw2s``), and for plain OpenCC converters, in the same run. The set is cut in two halves:
**tuning** (odd sentence numbers), the only half whose differences were read to choose the
rules (「」 → “”, nested 『』 → ‘’, the 著 words, 牠 → 它), and **held-out** (even numbers),
never looked at; ``to_analysis`` also on documents of 10 and of all 500 sentences (a Hong
Kong marker in one sentence picks the converter for all). Then the script-detection accuracy
on both sides (whole sentences, and their first 2/3/5/10 characters), for the threshold we
ship and others.

    python3 benchmarks/script_gsd.py
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from opinion.text import script as S
from opinion.text.clean import clean_text, narrow_width

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


def in_documents(rows: list[dict[str, str]], size: int):
    """``to_analysis`` of each sentence as part of a document of ``size`` consecutive sentences
    (one line each), as ``opinion prepare`` converts a post or an article: a Hong Kong marker
    in one sentence (綫 in dev-s59, dev-s180) picks the converter for the whole document."""
    forms: dict[str, str] = {}
    for k in range(0, len(rows), size):
        sentences = [r["traditional"] for r in rows[k:k + size]]
        forms.update(zip(sentences, S.to_analysis("\n".join(sentences)).split("\n")))
    return forms.__getitem__


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

    halves = {"all": rows,
              "tuning (odd)": [r for r in rows if int(r["sent_id"].split("s")[-1]) % 2 == 1],
              "held-out (even)": [r for r in rows if int(r["sent_id"].split("s")[-1]) % 2 == 0]}
    converters = [
        ("opinion clean --script zh-Hans", lambda t: S.render_document(clean_text(t), None, "zh-Hans")),
        ("before issue 14 (clean + tw2s)", lambda t: S.converter("tw2s").convert(narrow_width(clean_text(t)))),
        ("opinion to_analysis (text_norm)", S.to_analysis),
    ]
    converters += [(f"to_analysis, {n}-sentence documents", in_documents(rows, n)) for n in (10, len(rows))]
    converters += [(f"opencc {c}", S.converter(c).convert) for c in ("t2s", "tw2s", "tw2sp", "hk2s")]
    print(f"{'T→S':<36}" + "".join(f"{f'{name} ({len(part)})':>26}" for name, part in halves.items()))
    print(f"{'':<36}" + "      chars  sentences" * len(halves))
    for name, convert in converters:
        cells = []
        for part in halves.values():
            chars, sentences = agreement(part, convert)
            cells.append(f"{chars:11.2%} {sentences:10.2%}    ")
        print(f"{name:<36}" + "".join(cells))

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
