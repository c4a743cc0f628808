"""The sentiment model against the plain baseline on validation splits of the shared sets.

Both are trained in this run on the same rows: the ``fit`` part of
:func:`opinion.sentiment.datasets.split_validation` (every key of the validation part is
removed from it, across sets). The plain baseline is character 1–3-gram TF-IDF + logistic
regression (scikit-learn defaults), one for polarity and one for emotions. Per split it
prints n, accuracy and macro-F1 of both with the difference, and 95 % bootstrap intervals
for the model. Binary sets (reviews, weibo_emotions_train) are scored as positive vs
negative; three-class and six-class sets in all their classes.

``news long`` are pseudo-articles: 6 validation news items of the same label joined
(about 300 characters), because no labelled full-length article is in the shared data.

    python benchmarks/sentiment_eval.py                      # the chosen settings + baseline
    python benchmarks/sentiment_eval.py --settings c4,c16    # more model settings (tuning)
    python benchmarks/sentiment_eval.py --json out.json      # also write the figures
    python benchmarks/sentiment_eval.py --cache f.npz --baseline-cache b.npz  # reruns skip the
                                                             # hashing and the baseline's fits
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

from opinion.sentiment.datasets import load_rows, split_validation, task_rows
from opinion.sentiment.evaluate import bootstrap_intervals, figures
from opinion.sentiment.features import FeatureConfig, FeatureHasher
from opinion.sentiment.model import LongTextRule, SentimentModel
from opinion.sentiment.train import TRAIN_SETTINGS, head_data

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sentiment"

# name -> changes to TRAIN_SETTINGS (opinion.sentiment.train); "shipped" is the default.
SETTINGS: dict[str, dict] = {
    "shipped": {},
    "c4": {"c": {"polarity": 4.0, "emotion": 4.0}},
    "c16": {"c": {"polarity": 16.0, "emotion": 16.0}},
    "equal_weights": {"source_weights": {}, "noisy_weight": 1.0},
    "no_noisy": {"noisy_weight": 0.0},
    "emotion_c2": {"c": {"polarity": 8.0, "emotion": 2.0}},
}
LONG_MODES = ("whole", "lead", "sentences", "lead+sentences")


def validation_splits(validation: pd.DataFrame) -> dict[str, tuple[str, str, pd.DataFrame]]:
    """name -> (task, kind, rows with text/label); kind: binary, classes."""
    pol, emo = task_rows(validation, "polarity"), task_rows(validation, "emotion")
    by = lambda frame, *files: frame[frame["source"].isin(files)]  # noqa: E731
    ewect = "weibo_emotion_smp2020_ewect.csv"
    splits = {
        "reviews ChnSentiCorp": ("polarity", "binary", by(pol, "chnsenticorp_validation.csv",
                                                          "chnsenticorp_train.csv",
                                                          "ChnSentiCorp_htl_all.csv")),
        "reviews waimai": ("polarity", "binary", by(pol, "waimai_10k.csv")),
        "reviews online_shopping": ("polarity", "binary", by(pol, "online_shopping_10_cats.csv")),
        "news CCF (title+snippet)": ("polarity", "classes",
                                     by(pol, "news_sentiment_ccf_bdci2019_truncated.csv")),
        "implicit ECISA": ("polarity", "classes", by(pol, "implicit_sentiment_smp2019_ecisa_dev.csv")),
        "Weibo polarity weibo_emotions": ("polarity", "binary", by(pol, "weibo_emotions_train.csv")),
        "Weibo polarity EWECT (pos/neg)": ("polarity", "binary",
                                           by(pol, ewect).query("label != 'neutral'")),
        "Weibo polarity EWECT (3-class)": ("polarity", "classes", by(pol, ewect)),
        "Weibo polarity NLPCC2013 (3-class)": ("polarity", "classes",
                                               by(pol, "weibo_emotion_nlpcc2013.csv")),
        "Weibo emotions EWECT usual": ("emotion", "classes", by(emo, ewect).query("subset == 'usual'")),
        "Weibo emotions EWECT virus": ("emotion", "classes", by(emo, ewect).query("subset == 'virus'")),
        "Weibo emotions weibo_emotions": ("emotion", "classes", by(emo, "weibo_emotions_train.csv")),
    }
    splits["news CCF long (6 joined)"] = ("polarity", "classes", pseudo_articles(
        splits["news CCF (title+snippet)"][2]))
    return splits


def pseudo_articles(news: pd.DataFrame, *, per_article: int = 6, seed: int = 0) -> pd.DataFrame:
    """Join ``per_article`` validation news items of one label into one long text."""
    rng = np.random.default_rng(seed)
    rows = []
    for label, group in news.groupby("label", sort=True):
        texts = group["text"].to_numpy()[rng.permutation(len(group))]
        for start in range(0, len(texts) - per_article + 1, per_article):
            rows.append({"text": "。".join(texts[start:start + per_article]) + "。", "label": label})
    return pd.DataFrame(rows)


def predicted_labels(probs: np.ndarray, classes: tuple[str, ...], kind: str) -> np.ndarray:
    """argmax over all classes, or over positive/negative only for a binary set."""
    if kind == "binary":
        pos, neg = classes.index("positive"), classes.index("negative")
        return np.where(probs[:, pos] >= probs[:, neg], "positive", "negative")
    return np.asarray(classes, dtype=object)[probs.argmax(axis=1)]


def baseline_inputs(fit: pd.DataFrame, splits: dict[str, tuple[str, str, pd.DataFrame]],
                    task: str) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """The arguments of :func:`baseline_predictions` for ``task``: its fit rows' texts and
    labels, and the texts of each of its validation splits."""
    rows = task_rows(fit, task)
    return (rows["text"].tolist(), rows["label"].tolist(),
            {name: frame["text"].tolist() for name, (t, _, frame) in splits.items() if t == task})


def baseline_predictions(fit_texts: list[str], fit_labels: list[str],
                         texts_by_split: dict[str, list[str]]) -> dict[str, tuple[np.ndarray, tuple]]:
    """The plain baseline: character 1–3-gram TF-IDF + logistic regression (scikit-learn
    defaults), fitted on ``fit_texts``; its class probabilities on every split."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    classifier = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(fit_texts), fit_labels)
    print(f"baseline fitted on {len(fit_texts):,} rows in {time.perf_counter() - started:.0f} s",
          flush=True)
    classes = tuple(classifier.classes_)
    return {name: (classifier.predict_proba(vectorizer.transform(texts)), classes)
            for name, texts in texts_by_split.items()}


def fit_model(fit: pd.DataFrame, setting: dict, counts, row_of) -> SentimentModel:
    options = {**TRAIN_SETTINGS, **setting}
    heads = head_data(fit, options)
    model = SentimentModel(config=options["config"], c=options["c"])
    return model.fit(heads, counts=counts, row_of=row_of, workers=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--settings", default="shipped", help=f"comma list of {list(SETTINGS)}")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--cache", type=Path, help="keep the hashed features in this .npz")
    parser.add_argument("--baseline-cache", type=Path,
                        help="keep the baseline's probabilities in this .npz (it is deterministic: "
                             "same rows, same figures), so a second model run skips its fits")
    args = parser.parse_args()

    started = time.perf_counter()
    fit, validation = split_validation(load_rows(args.data_dir))
    splits = validation_splits(validation)
    texts = list(dict.fromkeys([*fit["text"], *(t for _, _, f in splits.values() for t in f["text"])]))
    counts = _hashed(texts, TRAIN_SETTINGS["config"], args.cache)
    row_of = {t: i for i, t in enumerate(texts)}
    print(f"fit rows {len(fit):,}, validation rows {len(validation):,}, "
          f"{len(texts):,} distinct texts hashed in {time.perf_counter() - started:.0f} s", flush=True)
    results: dict[str, dict] = {}
    cached = _load_baselines(args.baseline_cache)
    with ProcessPoolExecutor(2) as pool:  # the two baselines fit while the model does
        pending = {} if args.no_baseline or cached else {
            task: pool.submit(baseline_predictions, *baseline_inputs(fit, splits, task))
            for task in ("polarity", "emotion")}
        models = {}
        for name in args.settings.split(","):
            t0 = time.perf_counter()
            config = SETTINGS[name].get("config", TRAIN_SETTINGS["config"])
            hashed = counts if config == TRAIN_SETTINGS["config"] else _hashed(texts, config, None)
            models[name] = fit_model(fit, SETTINGS[name], hashed, row_of)
            print(f"model setting {name!r} fitted in {time.perf_counter() - t0:.0f} s", flush=True)
        baselines: dict[str, tuple] = cached or {}
        for future in pending.values():
            baselines |= future.result()
        if args.baseline_cache and pending:
            _save_baselines(args.baseline_cache, baselines)
    for name, model in models.items():
        print(f"\n== model setting {name!r}")
        results[name] = _report(model, baselines, splits)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


def _save_baselines(path: Path, baselines: dict[str, tuple]) -> None:
    arrays = {f"p{i}": probs for i, (probs, _) in enumerate(baselines.values())}
    names = [[name, list(classes)] for name, (_, classes) in baselines.items()]
    np.savez(path, names=np.array(json.dumps(names, ensure_ascii=False)), **arrays)


def _load_baselines(path: Path | None) -> dict[str, tuple]:
    if not path or not path.exists():
        return {}
    with np.load(path, allow_pickle=False) as data:
        names = json.loads(str(data["names"]))
        return {name: (data[f"p{i}"], tuple(classes)) for i, (name, classes) in enumerate(names)}


def _hashed(texts: list[str], config: FeatureConfig, cache: Path | None):
    import scipy.sparse as sp

    if cache and cache.exists():
        counts = sp.load_npz(cache)
        if counts.shape[0] == len(texts):
            return counts
    counts = FeatureHasher(config).binary_counts(texts)
    if cache:
        sp.save_npz(cache, counts)
    return counts


def _report(model: SentimentModel, baselines: dict[str, tuple], splits) -> dict:
    out = {}
    print(f"{'split':36} {'n':>6}  {'model acc':>9} {'F1':>6}  {'base acc':>8} {'F1':>6}  "
          f"{'Δacc':>6} {'ΔF1':>6}   model 95% CI acc / F1")
    for name, (task, kind, frame) in splits.items():
        texts, truth = frame["text"].tolist(), frame["label"].to_numpy(dtype=object)
        classes = model.classes(task)
        modes = LONG_MODES if "long" in name else (model.long_text.mode,)
        for mode in modes:
            model.long_text = LongTextRule(**{**model.long_text.__dict__, "mode": mode})
            predicted = predicted_labels(model.predict_proba(texts, task), classes, kind)
            labels = sorted(set(truth) | set(predicted))
            result = figures(truth, predicted, labels)
            ci = bootstrap_intervals(truth, predicted, labels)
            row = {"n": len(truth), "task": task, "accuracy": result["accuracy"],
                   "macro_f1": result["macro_f1"], "per_class_f1": result["per_class_f1"], **ci}
            if name in baselines:
                probs, base_classes = baselines[name]
                base = figures(truth, predicted_labels(probs, base_classes, kind), labels)
                row.update(baseline_accuracy=base["accuracy"], baseline_macro_f1=base["macro_f1"])
            label = name if len(modes) == 1 else f"{name} [{mode}]"
            out[label] = row
            diff = (f"{row['accuracy'] - row['baseline_accuracy']:+6.3f} "
                    f"{row['macro_f1'] - row['baseline_macro_f1']:+6.3f}" if "baseline_accuracy" in row
                    else " " * 13)
            base = (f"{row['baseline_accuracy']:8.3f} {row['baseline_macro_f1']:6.3f}"
                    if "baseline_accuracy" in row else " " * 15)
            print(f"{label:36} {row['n']:6,}  {row['accuracy']:9.3f} {row['macro_f1']:6.3f}  {base}  "
                  f"{diff}   {ci['accuracy_ci'][0]:.3f}–{ci['accuracy_ci'][1]:.3f} / "
                  f"{ci['macro_f1_ci'][0]:.3f}–{ci['macro_f1_ci'][1]:.3f}", flush=True)
        model.long_text = LongTextRule()
    return out


if __name__ == "__main__":
    main()
