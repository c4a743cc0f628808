"""Accuracy and macro-F1 of the model, the lexicon scorer and SnowNLP on every held-out split.

The held-out splits are the ones the shipped model was trained without
(:func:`opinion.sentiment.datasets.load_splits`: ChnSentiCorp validation, and fixed hashed
parts of waimai, online_shopping and the Weibo emotion set). All three methods are measured
in this one run; SnowNLP needs ``pip install snownlp`` (the ``compare`` extra).

    python benchmarks/sentiment_eval.py            # prints a Markdown table
    python benchmarks/sentiment_eval.py --limit 500  # quicker, first 500 rows of each split
    python benchmarks/sentiment_eval.py --tune       # settings compared on a validation part
                                                     # carved from the TRAINING data only
"""

from __future__ import annotations

import argparse
import sys
import importlib.util
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

from opinion.sentiment.datasets import carve_validation, load_splits
from opinion.sentiment.evaluate import evaluate_scores, score_for_method
from opinion.sentiment.features import FeatureConfig
from opinion.sentiment.model import SentimentModel
from opinion.sentiment.train import DEFAULT_SOURCE_WEIGHTS

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sentiment"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=0, help="rows per split (0: all)")
    parser.add_argument("--tune", action="store_true",
                        help="compare model settings on a validation part of the training data")
    args = parser.parse_args()
    if args.tune:
        tune(args.data_dir)
        return

    methods = ["model", "lexicon"]
    if importlib.util.find_spec("snownlp"):
        methods.append("snownlp")
    else:
        print("snownlp is not installed: pip install snownlp (skipping it)")
    splits = load_splits(args.data_dir).heldout
    rows, calibration = [], []
    for name, frame in splits.items():
        if args.limit:
            frame = frame.iloc[:args.limit]
        truth = frame["label"].map({1: "positive", 0: "negative"}).reset_index(drop=True)
        for method in methods:
            started = time.perf_counter()
            scores = score_for_method(frame["text"].tolist(), method)
            seconds = time.perf_counter() - started
            result = evaluate_scores(truth, scores, method=method)
            if method == "model":
                calibration.append(_calibration(name, scores, frame["label"].to_numpy()))
            rows.append({"split": name, "n": result.n, "method": method,
                         "accuracy": result.accuracy, "macro_f1": result.macro_f1,
                         "texts_per_s": round(result.n / seconds)})
            print(f"{name:24} {method:8} n={result.n:5}  acc={result.accuracy:.4f}  "
                  f"F1={result.macro_f1:.4f}  {result.n / seconds:,.0f} texts/s", flush=True)
    table = pd.DataFrame(rows)
    print()
    print(_markdown(table))
    print()
    print("model calibration (10-bin ECE, Brier), share in the 0.4..0.6 band, accuracy outside it:")
    for line in calibration:
        print(line)
    if "snownlp" in methods:
        wide = table.pivot(index="split", columns="method", values="accuracy")
        print()
        for split, row in wide.iterrows():
            print(f"{split}: model - SnowNLP = {100 * (row['model'] - row['snownlp']):+.1f} points; "
                  f"lexicon - SnowNLP = {100 * (row['lexicon'] - row['snownlp']):+.1f} points")


# name -> (SentimentModel options, source weights); the first is the previous shipped model.
TUNE_GRID: dict[str, tuple[dict, dict]] = {
    "binary features, C=8 (model v1)": ({"use_idf": False}, DEFAULT_SOURCE_WEIGHTS),
    "idf, C=4": ({"c": 4.0}, DEFAULT_SOURCE_WEIGHTS),
    "idf, C=8 (shipped)": ({}, DEFAULT_SOURCE_WEIGHTS),
    "idf, C=16": ({"c": 16.0}, DEFAULT_SOURCE_WEIGHTS),
    "idf, char 1-4-grams": ({"config": FeatureConfig(char_ngram_max=4)}, DEFAULT_SOURCE_WEIGHTS),
    "idf, equal source weights": ({}, {}),
}


def tune(data_dir: Path) -> None:
    """Accuracy of each TUNE_GRID setting on a 15 % validation part carved from training."""
    fit, validation = carve_validation(load_splits(data_dir).train)
    truth = validation["label"].to_numpy(bool)
    chn = validation["source"].isin(["chnsenticorp_train.csv", "ChnSentiCorp_htl_all.csv"]).to_numpy()
    print(f"fit on {len(fit):,} training texts, validate on {len(validation):,} "
          f"({chn.sum():,} ChnSentiCorp)")
    for name, (options, weights) in TUNE_GRID.items():
        started = time.perf_counter()
        sample_weight = fit["source"].map(weights).fillna(1.0).to_numpy(np.float64)
        model = SentimentModel(calibration_folds=0, **options).fit(
            fit["text"].tolist(), fit["label"].to_numpy(), sample_weight=sample_weight)
        right = (model.decision_function(validation["text"].tolist()) > 0) == truth
        sources = validation["source"].to_numpy()
        by_source = ", ".join(f"{source.split('.')[0]} {right[sources == source].mean():.4f}"
                              for source in sorted(set(sources)))
        print(f"{name:34} all {right.mean():.4f}  ChnSentiCorp {right[chn].mean():.4f}  "
              f"({by_source})  {time.perf_counter() - started:.0f} s", flush=True)


def _calibration(name: str, scores: np.ndarray, labels: np.ndarray) -> str:
    bins = np.clip((scores * 10).astype(int), 0, 9)
    ece = sum(abs(scores[bins == b].mean() - labels[bins == b].mean()) * (bins == b).sum()
              for b in range(10) if (bins == b).any()) / len(scores)
    inside = (scores >= 0.4) & (scores <= 0.6)
    outside_acc = ((scores[~inside] > 0.5) == labels[~inside].astype(bool)).mean()
    return (f"  {name}: ECE {ece:.3f}, Brier {np.mean((scores - labels) ** 2):.3f}, "
            f"neutral {inside.mean():.1%}, accuracy outside the band {outside_acc:.3f}")


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| held-out split | n | method | accuracy | macro-F1 |", "|---|---:|---|---:|---:|"]
    for row in table.itertuples():
        lines.append(f"| {row.split} | {row.n:,} | {row.method} | {row.accuracy:.3f} | "
                     f"{row.macro_f1:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
