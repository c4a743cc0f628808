"""What the shipped model says about real news it was not trained on (no sentiment labels exist).

1. THUCNews headlines (10 categories, 1,000 each): the share of each polarity and emotion
   label per category. Headlines are mostly factual, so most should be ``neutral``; the old
   binary model called routine news positive.
2. The seed article (``../shared/data/seed``, about 3,000 characters, Traditional): its
   label under each long-text mode, and per paragraph chunk.

    python benchmarks/sentiment_news_check.py
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

from opinion.sentiment.features import to_simplified
from opinion.sentiment.model import LongTextRule, load_default_model

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> None:
    model = load_default_model()
    titles = pd.read_csv(SHARED / "news" / "thucnews_titles_dev.tsv", sep="\t", header=None,
                         names=["title", "label"], dtype=str, quoting=3)
    names = (SHARED / "news" / "thucnews_classes.txt").read_text(encoding="utf-8").split()
    titles["label"] = titles["label"].astype(int).map(dict(enumerate(names)))
    texts = [to_simplified(t) for t in titles["title"]]
    probs = model.predict_proba_all(texts)
    for head in ("polarity", "emotion"):
        classes = model.classes(head)
        labels = pd.Series([classes[i] for i in probs[head].argmax(axis=1)], name=head)
        table = pd.crosstab(titles["label"], labels, normalize="index").round(3)
        print(f"\nTHUCNews headlines: share of each {head} label per category "
              f"(n = {len(titles):,})")
        print(table.to_string())
        print("all:", labels.value_counts(normalize=True).round(3).to_dict())

    article = to_simplified((SHARED / "seed" / "live_commerce_trust_article.txt").read_text(encoding="utf-8"))
    print(f"\nseed article, {len(article):,} characters:")
    original = model.long_text
    for mode in ("whole", "lead", "sentences", "lead+sentences"):
        model.long_text = replace(original, mode=mode)
        polarity = model.predict_proba([article])[0]
        emotion = model.predict([article], "emotion")[0]
        print(f"  {mode:15} negative {polarity[0]:.2f} neutral {polarity[1]:.2f} "
              f"positive {polarity[2]:.2f}; emotion {emotion}")
    model.long_text = original
    pieces = LongTextRule(mode="sentences", min_chars=0).segments(article)
    labels = model.predict([p for p, _ in pieces])
    print("  chunks:", pd.Series(labels).value_counts().to_dict())


if __name__ == "__main__":
    main()
