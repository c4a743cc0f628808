"""The lexicon's negators of 2026-12-08 (不怎么, 不甚, 没怎么 soften; 并非, 谈不上, 算不上, 称不上
negate) against the same lexicon without them, in one run, on the labelled review sets.

Before, 不怎么喜欢 scored +0.6 (不怎么 read as a plain degree word) and 并非很好 +2.0. The
alternative here is the shipped lexicon files with those seven lines taken out of
``[negators]`` (the scorer itself is today's), so the difference is the lines' alone. Accuracy
is over the texts the lexicon decides (score ≠ 0.5) and over all texts (0.5 counted wrong).

    python benchmarks/lexicon_negators.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.sentiment.lexicon import LexiconScorer  # noqa: E402
from opinion.sentiment.lexicon_files import _resource_dir  # noqa: E402

SETS = {"waimai_10k.csv": "review", "ChnSentiCorp_htl_all.csv": "review", "online_shopping_10_cats.csv": "review"}
ADDED = ("不怎么", "不甚", "没怎么", "并非", "谈不上", "算不上", "称不上")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sentiment"


def without_added(folder: Path) -> Path:
    """A copy of the shipped lexicon files whose ``[negators]`` lacks :data:`ADDED`."""
    shutil.copytree(_resource_dir(), folder)
    additions = folder / "opinion_additions.txt"
    lines, section = [], ""
    for line in additions.read_text(encoding="utf-8").splitlines():
        section = line if line.startswith("[") else section
        if not (section == "[negators]" and line.strip() in ADDED):
            lines.append(line)
    additions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def accuracy(scorer: LexiconScorer, texts: list[str], labels: list[int]) -> tuple[float, float, int]:
    scores = scorer.score(texts)
    right = [(s > 0.5) == (label == 1) for s, label in zip(scores, labels) if s != 0.5]
    return sum(right) / len(right), sum(right) / len(texts), len(right)


def main() -> None:
    scorers = {"with the seven": LexiconScorer.load(),
               "without them": LexiconScorer.load(without_added(Path(tempfile.mkdtemp()) / "lexicon"))}
    for name, column in SETS.items():
        frame = pd.read_csv(DATA / name)[["label", column]].dropna()
        texts, labels = frame[column].astype(str).tolist(), frame["label"].astype(int).tolist()
        found = {variant: accuracy(scorer, texts, labels) for variant, scorer in scorers.items()}
        (new, new_all, n), (old, old_all, _) = found["with the seven"], found["without them"]
        print(f"{name:<30} n={len(texts):>6}  decided: {old:.4f} -> {new:.4f} ({new - old:+.4f}, {n} decided)  "
              f"all: {old_all:.4f} -> {new_all:.4f} ({new_all - old_all:+.4f})")


if __name__ == "__main__":
    main()
