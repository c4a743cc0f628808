"""Scoring throughput on real Weibo posts: polarity + emotions (1 and N processes), lexicon, SnowNLP.

"model" is what the sentiment stage computes per document: one feature extraction, the
three-way polarity head and the six-emotion head (:func:`opinion.sentiment.score.score_documents`);
"polarity only" runs the polarity head alone, to show what the emotion head costs.

Posts come from ``../shared/data/weibo/covid19_weibo_2020`` (GB18030), converted to
Simplified first (as the prepare stage's ``text_norm`` is), so only scoring is timed.
SnowNLP, the obvious alternative, runs on a subsample (it is much slower) when installed.

    python benchmarks/sentiment_speed.py --posts 40000 --workers 2
    python benchmarks/sentiment_speed.py --posts 40000 --workers 2 --max-chars 60  # short posts
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone

from opinion.sentiment.features import to_simplified
from opinion.sentiment.score import SentimentSettings, score_documents, score_texts

WEIBO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "weibo" / "covid19_weibo_2020"


def read_posts(n: int) -> list[str]:
    """The first ``n`` non-empty posts of the daily files, in file order, Simplified."""
    posts: list[str] = []
    for name in ("2.1.csv.gz", "2.14.csv.gz", "3.1.csv.gz", "1.24.csv.gz"):
        frame = pd.read_csv(WEIBO / name, encoding="gb18030", encoding_errors="replace", dtype=str)
        posts += [t for t in frame["text"].dropna().tolist() if t.strip()]
        if len(posts) >= n:
            break
    return [to_simplified(t) for t in posts[:n]]


def _score_chunk(texts: list[str]) -> pd.DataFrame:
    return score_documents(texts, SentimentSettings())


def _timed(label: str, func, n: int) -> float:
    """Posts per wall-clock second; the process's own CPU rate is printed too (it holds on a
    machine shared with other jobs, where the wall-clock rate swings with the load)."""
    started, cpu = time.perf_counter(), time.process_time()
    func()
    rate = n / (time.perf_counter() - started)
    cpu_rate = n / max(time.process_time() - cpu, 1e-9)
    print(f"{label:44} {rate:10,.0f} posts/s  ({cpu_rate:,.0f} per CPU-second of this process)",
          flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=40_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--snownlp-posts", type=int, default=2_000)
    parser.add_argument("--max-chars", type=int, default=0,
                        help="keep only posts up to this many characters (0: all)")
    parser.add_argument("--compare-model", type=Path,
                        help="also time this model file (say, an earlier round's), same posts, same run")
    parser.add_argument("--only-compare", action="store_true",
                        help="time the shipped and the --compare-model only (1 process), twice each")
    args = parser.parse_args()

    posts = read_posts(args.posts * (3 if args.max_chars else 1))
    if args.max_chars:
        posts = [p for p in posts if len(p) <= args.max_chars][:args.posts]
    lengths = np.array([len(p) for p in posts])
    print(f"{len(posts):,} Weibo posts, {lengths.mean():.0f} characters on average "
          f"(median {np.median(lengths):.0f}); {os.cpu_count()} cores")
    _score_chunk(["预热"])  # load the model and the dictionary first
    score_texts(["预热"], method="lexicon")
    n = len(posts)
    if args.compare_model:
        other = SentimentSettings(model_path=str(args.compare_model))
        score_documents(["预热"], other)
        cpu = {"model": 0.0, "other": 0.0}
        for turn in range(3 if args.only_compare else 1):  # alternate, so load changes hit both
            order = (("model", SentimentSettings()), ("other", other))
            for name, settings in order[::-1] if turn % 2 else order:
                started = time.process_time()
                _timed(f"{name if name == 'model' else args.compare_model.name}, 1 process",
                       lambda s=settings: score_documents(posts, s), n)
                cpu[name] += time.process_time() - started
        print(f"ratio model / {args.compare_model.name} in CPU time: {cpu['other'] / cpu['model']:.2f}x")
        if args.only_compare:
            return
    one = _timed("model (polarity + emotions), 1 process", lambda: _score_chunk(posts), n)
    polarity = _timed("model, polarity only, 1 process", lambda: score_texts(posts, method="model"), n)
    chunks = [posts[i:i + 2_000] for i in range(0, n, 2_000)]
    with ProcessPoolExecutor(args.workers) as pool:
        list(pool.map(_score_chunk, [["预热"]] * args.workers))  # warm every worker
        pooled = _timed(f"model (polarity + emotions), {args.workers} processes",
                        lambda: list(pool.map(_score_chunk, chunks)), n)
    lexicon = _timed("lexicon, 1 process", lambda: score_texts(posts, method="lexicon"), n)
    print(f"ratio polarity + emotions / polarity only (1 process): {one / polarity:.2f}x")
    print(f"ratio model {args.workers} processes / 1 process: {pooled / one:.2f}x")
    print(f"ratio model / lexicon (1 process): {one / lexicon:.2f}x")
    if importlib.util.find_spec("snownlp"):
        from snownlp import SnowNLP

        sample = posts[:args.snownlp_posts]
        snow = _timed(f"SnowNLP, 1 process ({len(sample):,} posts)",
                      lambda: [SnowNLP(t).sentiments for t in sample], len(sample))
        print(f"ratio model / SnowNLP (1 process): {one / snow:.1f}x")


if __name__ == "__main__":
    main()
