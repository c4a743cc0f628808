"""int8 ``--method transformer``: accuracy and speed against float32, with and without smoothing.

One run, the same texts: seeded samples (``--per-split``) of every validation split of
``benchmarks/sentiment_eval.py`` (the split the shipped default is validated on), scored by
the shipped transformer file in onnxruntime at three precisions:

- **float32**: the numpy encoder's numbers (the ``auto`` runtime);
- **int8 plain**: ``quantize_dynamic`` on the graph as built (what ``onnx-int8`` was until
  2026-12-05);
- **int8 smoothed**: the same after smoothing the feed-forward output MatMuls
  (``opinion/sentiment/e5/smoothing.py``, today's ``onnx-int8``).

Prints per split n, accuracy and macro-F1 of each, each int8's share of labels equal to
float32's, then the means over splits and texts/s of each (all splits' texts, batched by
length, ``--threads`` onnxruntime threads). Caveat: the teacher's own training rows are not
removed from these splits (that needs its checkpoint, see ``e5_teacher_eval.py --run``), so
absolute figures are optimistic; the differences between precisions are what this measures.

    python benchmarks/transformer_int8.py --per-split 400
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from sentiment_eval import DATA, predicted_labels, validation_splits  # noqa: E402

from opinion.sentiment.datasets import load_rows, split_validation  # noqa: E402
from opinion.sentiment.evaluate import figures  # noqa: E402

PRECISIONS = ("float32", "int8 plain", "int8 smoothed")


def sampled_splits(per_split: int, seed: int, data_dir: Path) -> dict:
    """Every validation split, each cut to a seeded sample of ``per_split`` rows."""
    _, validation = split_validation(load_rows(data_dir))
    rng = np.random.default_rng(seed)
    out = {}
    for name, (task, kind, frame) in validation_splits(validation).items():
        if len(frame) > per_split:
            frame = frame.iloc[np.sort(rng.permutation(len(frame))[:per_split])]
        out[name] = (task, kind, frame)
    return out


def encoders(threads: int, folder: Path) -> tuple[object, dict[str, object]]:
    """The shipped model (float32 runtime) and one encoder per precision."""
    from opinion.sentiment.e5.onnx_runtime import E5OnnxEncoder, build_onnx_file, cached_model_path
    from opinion.sentiment.transformer import TransformerModel, transformer_path

    path = transformer_path()
    model = TransformerModel(path, runtime="onnx", threads=threads)
    e5 = model.encoder.model
    plain = folder / "plain"
    build_onnx_file(e5, cached_model_path(path, "int8", folder=plain), "int8", smoothing=False)
    return model, {"float32": model.encoder,
                   "int8 plain": E5OnnxEncoder(e5, path, precision="int8", threads=threads, folder=plain),
                   "int8 smoothed": E5OnnxEncoder(e5, path, precision="int8", threads=threads,
                                                  folder=folder / "smoothed")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-split", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=DATA)
    args = parser.parse_args(argv)
    from opinion.sentiment.transformer import HEAD_CLASSES

    splits = sampled_splits(args.per_split, args.seed, args.data_dir)
    texts = list(dict.fromkeys(t for _, _, frame in splits.values() for t in frame["text"]))
    with tempfile.TemporaryDirectory(prefix="opinion-int8-") as folder:
        model, by_precision = encoders(args.threads, Path(folder))
        encoded = [model.token_ids(t) for t in texts]
        print(f"{len(texts):,} texts, {np.mean([len(e) for e in encoded]):.1f} tokens on average; "
              f"{args.threads} threads", flush=True)
        probs, speed = {}, {}
        for name, encoder in by_precision.items():
            started = time.perf_counter()
            pooled = encoder.pooled_ids(encoded, batch_size=16)
            speed[name] = len(texts) / (time.perf_counter() - started)
            probs[name] = model.head_probabilities(pooled)
    row_of = {t: i for i, t in enumerate(texts)}
    print(f"\n| split | n | {' | '.join(f'{p} acc / F1' for p in PRECISIONS)} | same labels plain | "
          "same labels smoothed |\n|---|---:|" + "---:|" * (len(PRECISIONS) + 2))
    scores: dict[str, list[tuple[float, float]]] = {p: [] for p in PRECISIONS}
    for name, (task, kind, frame) in splits.items():
        rows = [row_of[t] for t in frame["text"]]
        truth = frame["label"].to_numpy(dtype=object)
        preds = {p: predicted_labels(probs[p][task][rows], HEAD_CLASSES[task], kind) for p in PRECISIONS}
        labels = sorted(set(truth).union(*map(set, preds.values())))
        cells = []
        for p in PRECISIONS:
            got = figures(truth, preds[p], labels)
            scores[p].append((got["accuracy"], got["macro_f1"]))
            cells.append(f"{got['accuracy']:.3f} / {got['macro_f1']:.3f}")
        same = [f"{np.mean(preds[p] == preds['float32']):.1%}" for p in PRECISIONS[1:]]
        print(f"| {name} | {len(truth)} | {' | '.join(cells)} | {' | '.join(same)} |")
    print()
    for p in PRECISIONS:
        acc, f1 = np.mean(scores[p], axis=0)
        base_acc, base_f1 = np.mean(scores["float32"], axis=0)
        print(f"{p:14} mean accuracy {acc:.4f} ({acc - base_acc:+.4f}), mean macro-F1 {f1:.4f} "
              f"({f1 - base_f1:+.4f}); {speed[p]:,.1f} texts/s ({speed[p] / speed['float32']:.2f}x float32)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
