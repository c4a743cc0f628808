"""Which character features carry the plain baseline: each character model alone, one run.

The shipped polarity of short texts averages the main model with a character model
(``opinion.sentiment.train.TRAIN_SETTINGS["char_mix"]``, docs/sentiment.md). This script
fits, on the same fit rows (:func:`opinion.sentiment.datasets.split_validation`), the plain
baseline (character 1–3-gram TF-IDF + LR, exact vocabulary) and hashed stand-ins for it, and
prints accuracy / macro-F1 of each on every polarity validation split with the difference
to the baseline:

- ``sklearn hash 2^19``: scikit-learn's HashingVectorizer of the same n-grams (binary) + idf;
- ``shipped character model``: :func:`opinion.sentiment.train.fit_char_model` with the
  shipped settings (whole-text n-grams, punctuation included);
- ``clause n-grams``: the same model on the main extractor's character n-grams (per clause,
  no punctuation, no negation marks).

    python benchmarks/char_features.py            # about 15 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sentiment_eval import DATA, predicted_labels, validation_splits  # noqa: E402

from opinion.sentiment.datasets import TASK_CLASSES, load_rows, split_validation, task_rows  # noqa: E402
from opinion.sentiment.evaluate import figures  # noqa: E402
from opinion.sentiment.features import FeatureConfig  # noqa: E402
from opinion.sentiment.model import HeadData, SentimentModel  # noqa: E402
from opinion.sentiment.train import TRAIN_SETTINGS, char_config, fit_char_model  # noqa: E402


def sklearn_models(n_features: int) -> dict:
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    hashing = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=n_features,
                                alternate_sign=False, norm=None, binary=True)
    return {
        "baseline": make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)),
                                  LogisticRegression(max_iter=1000)),
        f"sklearn hash 2^{n_features.bit_length() - 1}": make_pipeline(
            hashing, TfidfTransformer(), LogisticRegression(max_iter=1000)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    args = parser.parse_args(argv)
    fit, validation = split_validation(load_rows(args.data_dir))
    splits = {name: spec for name, spec in validation_splits(validation).items()
              if spec[0] == "polarity" and "long" not in name}
    rows = task_rows(fit, "polarity")
    texts, labels = rows["text"].tolist(), rows["label"].tolist()
    spec = {**TRAIN_SETTINGS["char_mix"], "weight": 1.0}
    predictors = {}
    for name, pipeline in sklearn_models(int(spec["n_features"])).items():
        t0 = time.perf_counter()
        pipeline.fit(texts, labels)
        print(f"{name}: fitted on {len(texts):,} rows in {time.perf_counter() - t0:.0f} s", flush=True)
        predictors[name] = (pipeline.predict_proba, tuple(pipeline.classes_))
    t0 = time.perf_counter()
    shipped, _ = fit_char_model(fit, {"char_mix": spec})
    print(f"shipped character model: fitted in {time.perf_counter() - t0:.0f} s", flush=True)
    predictors["shipped character model"] = (shipped.predict_proba, shipped.classes("polarity"))
    clause = FeatureConfig(**{**char_config(spec).to_dict(), "raw_char_ngrams": False})
    head = HeadData(texts, labels, None, TASK_CLASSES["polarity"])
    t0 = time.perf_counter()
    clause_model = SentimentModel(config=clause, c=float(spec["c"]), max_iter=int(spec["max_iter"]))
    clause_model.fit({"polarity": head})
    print(f"clause n-grams: fitted in {time.perf_counter() - t0:.0f} s", flush=True)
    predictors["clause n-grams"] = (clause_model.predict_proba, clause_model.classes("polarity"))

    print(f"\n{'split':36} {'n':>5}  " + "  ".join(f"{n:>26}" for n in predictors))
    for split, (_, kind, frame) in splits.items():
        truth = frame["label"].to_numpy()
        got = {}
        for name, (predict_proba, classes) in predictors.items():
            predicted = predicted_labels(predict_proba(frame["text"].tolist()), classes, kind)
            got[name] = figures(truth, predicted, sorted(set(truth) | set(predicted)))
        base = got["baseline"]
        cells = [f"{base['accuracy']:.3f} / {base['macro_f1']:.3f}".rjust(26)]
        cells += [f"{g['accuracy']:.3f} / {g['macro_f1']:.3f} ({g['accuracy'] - base['accuracy']:+.3f})"
                  .rjust(26) for n, g in got.items() if n != "baseline"]
        print(f"{split:36} {len(truth):5d}  " + "  ".join(cells))
    print("\n(accuracy / macro-F1; in brackets the accuracy difference to the exact baseline)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
