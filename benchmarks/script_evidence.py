"""Script detection before and after a change, on real texts, in one run.

Compares ``detect_and_convert`` (the script a text is given and its ``text_norm``) of an earlier
checkout with this one on: the GSD parallel set (both sides), real Weibo posts, the same posts
written with OpenCC ``s2hk`` (Hong Kong standard characters such as 衞), and the clauses of those
(cut at punctuation, as short posts). For each set it prints how many texts change script or
``text_norm``, how many hold one of the Hong Kong variant characters, and how many change
without holding one (a change outside what the rule is for).

Usage::

    mkdir /tmp/before && git archive <commit> opinion | tar -x -C /tmp/before
    python benchmarks/script_evidence.py --before /tmp/before [--posts 5000]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from pathlib import Path

import pandas as pd

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DAILY_FILES = ("1.19", "2.1", "2.3", "3.8", "4.2", "4.6")


def load_script_module(root: Path):
    """``opinion.text.script`` of the checkout at ``root``, under another name."""
    spec = importlib.util.spec_from_file_location("script_before", root / "opinion" / "text" / "script.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.path.insert(0, str(root))
    try:
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    finally:
        sys.path.remove(str(root))
    return module


def text_sets(posts: int) -> dict[str, list[str]]:
    from opinion.text.script import converter

    gsd = pd.read_csv(SHARED / "script" / "gsd_trad_simp_dev.tsv", sep="\t")
    weibo: list[str] = []
    for name in DAILY_FILES:
        frame = pd.read_csv(SHARED / "weibo" / "covid19_weibo_2020" / f"{name}.csv.gz", encoding="gb18030", nrows=3000)
        weibo += frame["text"].dropna().astype(str).tolist()[:posts // 5]
    weibo = [t.replace("\n", " ") for t in weibo[:posts]]
    hk_posts = converter("s2hk").convert("\n".join(weibo)).split("\n")
    clauses = [c for t in hk_posts for c in re.split(r"[，。！？；：、,!?;: ]+", t) if c]
    return {"GSD Traditional": gsd["traditional"].tolist(), "GSD Simplified": gsd["simplified"].tolist(),
            f"Weibo posts ({len(weibo)})": weibo, "the same posts written with s2hk": hk_posts,
            "their clauses": clauses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the earlier code")
    parser.add_argument("--posts", type=int, default=5000)
    args = parser.parse_args()
    from opinion.text import script as after

    before = load_script_module(args.before)
    variants = re.compile("[" + "".join(map(chr, after._hong_kong_variants())) + "牠揹]")
    for name, texts in text_sets(args.posts).items():
        start = time.perf_counter()
        old = [before.detect_and_convert(t) for t in texts]
        middle = time.perf_counter()
        new = [after.detect_and_convert(t) for t in texts]
        end = time.perf_counter()
        changed = [i for i, (a, b) in enumerate(zip(old, new)) if a != b]
        holders = sum(bool(variants.search(t)) for t in texts)
        outside = sum(not variants.search(texts[i]) for i in changed)
        print(f"{name}: {len(texts):,} texts, {holders:,} hold a variant character; changed {len(changed):,} "
              f"(script or text_norm), {outside} of them without one; before {middle - start:.2f} s, "
              f"after {end - middle:.2f} s")
        for i in changed[:3]:
            print(f"    {texts[i][:40]!r}: {old[i][0]} {old[i][1][:30]!r} -> {new[i][0]} {new[i][1][:30]!r}")


if __name__ == "__main__":
    main()
