"""The e5 teacher (``--method transformer``) against the shipped default and the plain baseline.

Splits are :func:`benchmarks.sentiment_eval.validation_splits` (the validation part of
:func:`opinion.sentiment.datasets.split_validation`, the split the shipped model is
validated on), each cut to a seeded sample of ``--per-split`` rows, and with every key the
teacher was fitted on removed. In the same run:

- **transformer**: the exported file (``--model``), run by the numpy encoder, no torch;
- **default**: the default n-gram recipe (``TRAIN_SETTINGS``) fitted in this run on the
  fit part (about 120k rows): the *shipped* file is trained on every row, validation
  included, so it cannot be scored on these splits;
- **char LR same rows**: character 1-3-gram TF-IDF + logistic regression (C = 4) fitted on
  exactly the teacher's fit rows (``--run``'s per-set sample), one per task.

Binary sets are scored positive vs negative, the others over all classes (as
``sentiment_eval.py``). Prints n, accuracy and macro-F1 of each, and the transformer's
differences. ``--previous FILE`` scores an earlier transformer file on the same texts in the
same run and prints the new file's differences from it.

    nice -n 10 python benchmarks/e5_teacher_eval.py --run /work/e5_ckpt/run3 \\
        --model opinion/resources/sentiment/transformer.e5s1 --per-split 300
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from ast import literal_eval
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sentiment_eval import DATA, _hashed, fit_model, predicted_labels, validation_splits  # noqa: E402

from opinion.sentiment.datasets import load_rows, split_validation  # noqa: E402
from opinion.sentiment.evaluate import figures  # noqa: E402


def teacher_fit_rows(run: Path, data_dir: Path):
    """The rows the teacher was fitted on, rebuilt from its checkpoint's arguments."""
    import torch
    from e5_teacher_data import load_rows as teacher_rows
    from e5_teacher_data import split_rows

    saved = torch.load(run / "checkpoint.pt", map_location="cpu", weights_only=False)["args"]
    sets = [*literal_eval(saved["polarity_sets"]), *literal_eval(saved["emotion_sets"])]
    rows = teacher_rows(data_dir, sets, exclude=literal_eval(saved["exclude"]))
    per_set = None if saved.get("per_set") in (None, "None") else int(saved["per_set"])
    limit = None if saved.get("limit") in (None, "None") else int(saved["limit"])
    fit, _ = split_rows(rows, fraction=float(saved["validation_fraction"]), limit=limit,
                        seed=int(saved["seed"]), per_set=per_set)
    return fit


def char_lr(fit, task: str, classes: tuple[str, ...]):
    """TF-IDF char 1-3-gram + LR (C = 4) on the teacher's rows; a function texts -> probs."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = fit[fit[task] >= 0]
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    model = LogisticRegression(C=4.0, max_iter=2000).fit(vectoriser.fit_transform(rows["text"]),
                                                          rows[task])
    columns = [list(model.classes_).index(i) if i in model.classes_ else None
               for i in range(len(classes))]

    def predict(texts: list[str]) -> np.ndarray:
        probs = model.predict_proba(vectoriser.transform(texts))
        return np.column_stack([probs[:, c] if c is not None else np.zeros(len(texts))
                                for c in columns])
    return predict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="the teacher's training folder")
    parser.add_argument("--model", type=Path, required=True, help="the exported transformer file")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--per-split", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--previous", type=Path, default=None,
                        help="an earlier transformer file, scored on the same texts in the same run")
    args = parser.parse_args(argv)
    from opinion.sentiment.train import TRAIN_SETTINGS
    from opinion.sentiment.transformer import HEAD_CLASSES, TransformerModel

    fit = teacher_fit_rows(args.run, args.data_dir)
    seen = set(fit["key"])
    gold_fit, validation = split_validation(load_rows(args.data_dir))
    splits = {}
    rng = np.random.default_rng(args.seed)
    for name, (task, kind, frame) in validation_splits(validation).items():
        frame = frame[~frame["key"].isin(seen)] if "key" in frame else frame
        if len(frame) > args.per_split:
            frame = frame.iloc[np.sort(rng.permutation(len(frame))[:args.per_split])]
        splits[name] = (task, kind, frame)
    texts = list(dict.fromkeys(t for _, _, f in splits.values() for t in f["text"]))
    print(f"teacher fit rows {len(fit):,}; {len(splits)} splits, {len(texts):,} distinct texts",
          flush=True)

    transformer = TransformerModel(args.model)
    started = time.perf_counter()
    e5 = transformer.predict_proba_all(texts)
    e5_seconds = time.perf_counter() - started
    previous = TransformerModel(args.previous).predict_proba_all(texts) if args.previous else None
    all_texts = list(dict.fromkeys([*gold_fit["text"], *texts]))
    row_of_all = {t: i for i, t in enumerate(all_texts)}
    default = fit_model(gold_fit, {}, _hashed(all_texts, TRAIN_SETTINGS["config"], None), row_of_all)
    started = time.perf_counter()
    base = {t: default.predict_proba(texts, t) for t in HEAD_CLASSES}
    default_seconds = time.perf_counter() - started
    lr = {t: char_lr(fit, t, c)(texts) for t, c in HEAD_CLASSES.items()}
    print(f"transformer {len(texts) / e5_seconds:,.1f} texts/s, default "
          f"{len(texts) / default_seconds:,.0f} texts/s (this run, shared CPU)\n")
    row_of = {t: i for i, t in enumerate(texts)}
    print(f"{'split':36} {'n':>5}  {'e5 acc':>6} {'F1':>6}  {'dflt acc':>8} {'F1':>6}  "
          f"{'LR acc':>6} {'F1':>6}  {'Δacc dflt':>9} {'ΔF1 dflt':>8}")
    results = {}
    for name, (task, kind, frame) in splits.items():
        rows = [row_of[t] for t in frame["text"]]
        truth = frame["label"].to_numpy(dtype=object)
        classes = HEAD_CLASSES[task]
        preds = {"transformer": predicted_labels(e5[task][rows], classes, kind),
                 "default": predicted_labels(base[task][rows], default.classes(task), kind),
                 "char_lr_same_rows": predicted_labels(lr[task][rows], classes, kind)}
        if previous is not None:
            preds["previous_transformer"] = predicted_labels(previous[task][rows], classes, kind)
        labels = sorted(set(truth).union(*map(set, preds.values())))
        got = {k: figures(truth, p, labels) for k, p in preds.items()}
        results[name] = {"n": len(truth), **{k: {"accuracy": round(v["accuracy"], 4),
                                                  "macro_f1": round(v["macro_f1"], 4)}
                                              for k, v in got.items()}}
        e, d, b = got["transformer"], got["default"], got["char_lr_same_rows"]
        print(f"{name:36} {len(truth):5d}  {e['accuracy']:.3f}  {e['macro_f1']:.3f}  "
              f"{d['accuracy']:8.3f} {d['macro_f1']:.3f}  {b['accuracy']:.3f}  {b['macro_f1']:.3f}  "
              f"{e['accuracy'] - d['accuracy']:+9.3f} {e['macro_f1'] - d['macro_f1']:+8.3f}"
              + (f"  previous {got['previous_transformer']['accuracy']:.3f} "
                 f"{got['previous_transformer']['macro_f1']:.3f} (Δ {e['accuracy'] - got['previous_transformer']['accuracy']:+.3f} "
                 f"{e['macro_f1'] - got['previous_transformer']['macro_f1']:+.3f})" if previous is not None else ""))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
