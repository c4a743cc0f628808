"""Hashing whole-text character 1-3-grams: scikit-learn's string hashing vs the numpy batch.

The character model of short texts (docs/sentiment.md, round 5) needs the plain baseline's
n-grams for every post. This times, on the same real Weibo posts (Simplified, at most
``--max-chars``), in one process and CPU seconds:

- ``scikit-learn``: ``HashingVectorizer(analyzer="char", ngram_range=(1, 3), binary=True)``,
  the obvious way (what the first round 5 file used);
- ``numpy batch``: :func:`opinion.sentiment.char_ngrams.hashed_char_ngrams`;

and checks that both give every post the same number of distinct n-grams (up to hash
collisions, which it counts). Prints posts per CPU-second and the ratio.

    python benchmarks/char_hashing_speed.py --posts 20000 --max-chars 60
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sentiment_speed import read_posts  # noqa: E402

from opinion.sentiment.char_ngrams import hashed_char_ngrams  # noqa: E402


def best_rate(func, texts: list[str], repeat: int) -> float:
    """Posts per CPU-second, best of ``repeat`` runs (after one warm-up)."""
    func(texts[:200])
    times = []
    for _ in range(repeat):
        started = time.process_time()
        func(texts)
        times.append(time.process_time() - started)
    return len(texts) / min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--max-chars", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from sklearn.feature_extraction.text import HashingVectorizer

    texts = [t for t in read_posts(args.posts * 3) if len(t) <= args.max_chars][:args.posts]
    sklearn = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=2**19,
                                alternate_sign=False, norm=None, binary=True, dtype=np.float32)
    rates = {
        "scikit-learn": best_rate(sklearn.transform, texts, args.repeat),
        "numpy batch": best_rate(lambda t: hashed_char_ngrams(t, top=3, n_features=2**19),
                                 texts, args.repeat),
    }
    ours, theirs = hashed_char_ngrams(texts, top=3, n_features=2**19), sklearn.transform(texts)
    differ = int(np.sum(ours.getnnz(axis=1) != theirs.getnnz(axis=1)))
    print(f"{len(texts):,} Weibo posts of at most {args.max_chars} characters "
          f"({np.mean([len(t) for t in texts]):.0f} on average), 1 process, best of {args.repeat}")
    for name, rate in rates.items():
        print(f"  {name:14} {rate:>10,.0f} posts per CPU-second")
    print(f"ratio numpy batch / scikit-learn: {rates['numpy batch'] / rates['scikit-learn']:.1f}x")
    print(f"posts whose count of distinct buckets differs (hash collisions in one or the other): "
          f"{differ:,} of {len(texts):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
