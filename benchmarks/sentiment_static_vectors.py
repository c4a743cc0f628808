"""Do the shipped static-zh document vectors add to character n-grams for review polarity?

A tried-and-not-shipped check for issue 15 (reviews ≥ 0.89): the plain baseline (character
1–3-gram TF-IDF + logistic regression) against the same model with each text's ``static-zh``
vector (256 dims, length 1, the topics stage's embedder) appended with weight ``alpha``, fitted
on the same rows — the review sets' part of the fit split of
:func:`opinion.sentiment.datasets.split_validation` — and scored on the three review validation
splits; also the vectors alone. Prints accuracy / macro-F1 and the difference to the baseline.

    python benchmarks/sentiment_static_vectors.py      # about 10 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sentiment_eval import DATA, validation_splits  # noqa: E402

from opinion.sentiment.datasets import load_rows, split_validation, task_rows  # noqa: E402

REVIEW_SETS = ("chnsenticorp_validation.csv", "chnsenticorp_train.csv", "ChnSentiCorp_htl_all.csv",
               "waimai_10k.csv", "online_shopping_10_cats.csv")


def static_vectors(texts: list[str]):
    """Each text's static-zh vector (jieba tokens of the text, as the topics stage embeds)."""
    import jieba
    import numpy as np

    from opinion.topics.embed import get_embedder

    jieba.setLogLevel(60)
    return get_embedder("static-zh").encode([jieba.lcut(t) for t in texts], texts=texts).astype(np.float64)


def main(argv: list[str] | None = None) -> int:
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--alphas", default="0.5,1,2", help="weights of the appended vector")
    parser.add_argument("--C", default="1,4", help="inverse regularisation strengths")
    args = parser.parse_args(argv)
    fit, validation = split_validation(load_rows(args.data_dir))
    polarity = task_rows(fit, "polarity")
    train = polarity[polarity["source"].isin(REVIEW_SETS)]
    splits = {name: spec[2] for name, spec in validation_splits(validation).items() if name.startswith("reviews")}
    print(f"fit rows {len(train):,}; " + ", ".join(f"{k} {len(v):,}" for k, v in splits.items()))
    vectors = static_vectors(train["text"].tolist())
    split_vectors = {k: static_vectors(v["text"].tolist()) for k, v in splits.items()}
    tfidf = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    grams = tfidf.fit_transform(train["text"])
    split_grams = {k: tfidf.transform(v["text"]) for k, v in splits.items()}

    def features(g, v, alpha: float):
        return sparse.hstack([g, sparse.csr_matrix(v * alpha)]).tocsr() if alpha else g

    def scores(model, alpha: float) -> dict[str, tuple[float, float]]:
        out = {}
        for name, rows in splits.items():
            predicted = model.predict(features(split_grams[name], split_vectors[name], alpha))
            out[name] = (accuracy_score(rows["label"], predicted), f1_score(rows["label"], predicted, average="macro"))
        return out

    for C in (float(c) for c in args.C.split(",")):
        base = scores(LogisticRegression(max_iter=2000, C=C).fit(grams, train["label"]), 0)
        print(f"C {C:g} baseline: " + "  ".join(f"{k.split()[-1]} {a:.3f}/{f:.3f}" for k, (a, f) in base.items()))
        for alpha in (float(a) for a in args.alphas.split(",")):
            model = LogisticRegression(max_iter=2000, C=C).fit(features(grams, vectors, alpha), train["label"])
            got = scores(model, alpha)
            print(f"C {C:g} + static-zh × {alpha:g}: " + "  ".join(
                f"{k.split()[-1]} {a:.3f}/{f:.3f} ({a - base[k][0]:+.3f}/{f - base[k][1]:+.3f})"
                for k, (a, f) in got.items()), flush=True)
    alone = LogisticRegression(max_iter=2000, C=4).fit(vectors, train["label"])
    print("static-zh vectors alone, C 4: " + "  ".join(
        f"{k.split()[-1]} {accuracy_score(v['label'], alone.predict(split_vectors[k])):.3f}" for k, v in splits.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
