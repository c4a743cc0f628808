"""Distillation: the default's recipe on gold labels only vs gold + the e5 teacher's soft labels.

Same run, same fit rows (the fit part of :func:`opinion.sentiment.datasets.split_validation`),
same features and settings (``opinion.sentiment.train.TRAIN_SETTINGS``); the students differ
only in the extra rows: every soft-labelled post (``tools/e5_soft_labels.py``) enters each
head once per class with weight ``λ × P(class)`` (:func:`opinion.sentiment.distill.with_soft`). Posts whose key is in the validation part
or already in the fit rows are dropped first. Prints accuracy and macro-F1 of every
validation split (``benchmarks/sentiment_eval.py``'s) for gold-only and each ``λ``, with
the differences. The shipped model is not touched.

``--mix-baseline 0.35`` adds, for the polarity splits, each student's probabilities averaged
with the plain baseline's (``(1 - w) × student + w × baseline``): the ensemble of word and
character n-gram models the sentiment issue names (emotions are not mixed: the baseline is
weak there). ``--mix-max-chars 140`` mixes only texts of at most that many characters (longer
ones keep the student's probabilities): the baseline is weak on full news articles.

    nice -n 10 python benchmarks/e5_distill.py --soft /work/e5_soft/weibo --weights 0.5,1
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sentiment_eval import (  # noqa: E402
    DATA,
    _hashed,
    _load_baselines,
    _save_baselines,
    baseline_inputs,
    baseline_predictions,
    predicted_labels,
    validation_splits,
)

from opinion.sentiment.datasets import load_rows, split_validation  # noqa: E402
from opinion.sentiment.distill import read_soft, with_soft, without_keys  # noqa: E402
from opinion.sentiment.evaluate import figures  # noqa: E402
from opinion.sentiment.model import SentimentModel  # noqa: E402
from opinion.sentiment.train import TRAIN_SETTINGS, fit_char_model, head_data  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soft", type=Path, nargs="+", required=True,
                        help="tools/e5_soft_labels.py's --out folders")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--weights", default="0.5,1", help="comma list of λ (soft row weight)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--baseline-cache", type=Path, default=None,
                        help="as sentiment_eval.py's: the plain baseline's probabilities on the same "
                             "splits (same fit rows, deterministic), fitted here when missing")
    parser.add_argument("--mix-baseline", default="", help="comma list of w: polarity also as "
                        "(1 - w) × student + w × baseline")
    parser.add_argument("--char-mix", default="", help="comma list of character models to mix into "
                        "short texts (train.fit_char_model), each 'key=value:key=value' over "
                        "TRAIN_SETTINGS['char_mix'] with weight 0.5: 'n_features=1048576:c=1'")
    parser.add_argument("--mix-max-chars", default="", help="comma list of N: also mix only texts of "
                        "at most N characters")
    args = parser.parse_args(argv)
    mixes = [(float(w), None) for w in args.mix_baseline.split(",") if w]
    mixes += [(w, int(n)) for w, _ in list(mixes) for n in args.mix_max_chars.split(",") if n]
    started = time.perf_counter()
    fit, validation = split_validation(load_rows(args.data_dir))
    everything = read_soft(args.soft)
    n_soft = len(everything)
    soft = without_keys(everything, set(validation["key"]) | set(fit["key"]))
    splits = validation_splits(validation)
    texts = list(dict.fromkeys([*fit["text"], *soft["text"],
                                *(t for _, _, f in splits.values() for t in f["text"])]))
    counts = _hashed(texts, TRAIN_SETTINGS["config"], None)
    row_of = {t: i for i, t in enumerate(texts)}
    print(f"fit rows {len(fit):,}; soft posts {len(soft):,} of {n_soft:,} (the rest are in the "
          f"labelled sets); hashed in {time.perf_counter() - started:.0f} s", flush=True)
    gold_heads = head_data(fit, TRAIN_SETTINGS)
    variants = {"gold": gold_heads} | {f"soft λ={w}": with_soft(gold_heads, soft, float(w))
                                       for w in args.weights.split(",")}
    baselines = _load_baselines(args.baseline_cache)
    if not baselines:
        for task in ("polarity", "emotion"):
            baselines |= baseline_predictions(*baseline_inputs(fit, splits, task))
        if args.baseline_cache:
            _save_baselines(args.baseline_cache, baselines)
    models = {}
    for name, heads in variants.items():
        t0 = time.perf_counter()
        models[name] = SentimentModel(config=TRAIN_SETTINGS["config"], c=TRAIN_SETTINGS["c"]).fit(
            heads, counts=counts, row_of=row_of)
        print(f"{name}: fitted in {time.perf_counter() - t0:.0f} s", flush=True)
    for text in filter(None, args.char_mix.split(",")):  # train.fit_char_model, mixed in predict_proba
        spec = {**TRAIN_SETTINGS["char_mix"], "weight": 0.5,
                **{k: float(v) for k, v in (kv.split("=") for kv in text.split(":") if kv)}}
        t0 = time.perf_counter()
        char = fit_char_model(fit, {"char_mix": spec})
        assert char is not None
        print(f"character model {text}: fitted in {time.perf_counter() - t0:.0f} s ({char[1]})", flush=True)
        for name in [n for n in models if "char" not in n]:
            mixed = models[f"{name} + char {text}"] = copy.copy(models[name])
            mixed.char_model_, mixed.char_mix_ = char
    names = [*models, *(_mix_name(n, *mix) for n in models for mix in mixes)]
    print(f"\n{'split':36} {'n':>5}  {'baseline acc/F1':>20}  "
          + "  ".join(f"{n + ' acc/F1':>20}" for n in names))
    results: dict[str, dict] = {}
    for split, (task, kind, frame) in splits.items():
        truth = frame["label"].to_numpy(dtype=object)
        probs, classes = baselines[split]
        predicted = predicted_labels(probs, classes, kind)
        got = {"baseline": figures(truth, predicted, sorted(set(truth) | set(predicted)))}
        for name, model in models.items():
            student = model.predict_proba(frame["text"].tolist(), task)
            predicted = predicted_labels(student, model.classes(task), kind)
            got[name] = figures(truth, predicted, sorted(set(truth) | set(predicted)))
            lengths = frame["text"].str.len().to_numpy()
            for w, max_chars in mixes:
                weight = np.where(lengths <= (max_chars or np.inf), w, 0.0)[:, None]
                mixed = student if task != "polarity" else (1 - weight) * student + weight * _aligned(
                    probs, classes, model.classes(task))
                predicted = predicted_labels(mixed, model.classes(task), kind)
                got[_mix_name(name, w, max_chars)] = figures(truth, predicted,
                                                             sorted(set(truth) | set(predicted)))
        results[split] = {"n": len(truth), **{n: {"accuracy": round(g["accuracy"], 4),
                                                  "macro_f1": round(g["macro_f1"], 4)}
                                              for n, g in got.items()}}
        base = got["gold"]
        cells = [f"{g['accuracy']:.3f} / {g['macro_f1']:.3f}".rjust(20)
                 for g in (got["baseline"], base)]
        cells += [f"{got[n]['accuracy'] - base['accuracy']:+.3f} / {got[n]['macro_f1'] - base['macro_f1']:+.3f}"
                  .rjust(20) for n in names if n != "gold"]  # in the header's order
        print(f"{split:36} {len(truth):5d}  " + "  ".join(cells))
    print("\n(baseline: character 1-3-gram TF-IDF + LR on the same gold rows; soft columns: "
          "difference to gold-only, accuracy / macro-F1)")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    return 0


def _mix_name(model: str, w: float, max_chars: int | None) -> str:
    return f"{model} + {w} baseline" + (f" ≤{max_chars}" if max_chars else "")


def _aligned(probs, classes: tuple[str, ...], wanted: tuple[str, ...]):
    """``probs`` (columns ``classes``) in the column order ``wanted`` (0 for a missing class)."""
    return np.column_stack([probs[:, list(classes).index(c)] if c in classes else np.zeros(len(probs))
                            for c in wanted])


if __name__ == "__main__":
    raise SystemExit(main())
