"""The automatic topic count with each run's distances shared by every count, against one
distance matrix per count and run (the code before), on a workspace's real vectors.

Reads the cached ``static-zh`` vectors of a workspace (``WS/embeddings/static-zh``), projects
the first ``--rows`` non-empty ones to 50 dimensions as the topic fit does, and runs
:func:`opinion.topics.count.choose_count` with the default candidates, alternately the way
before (the cosine silhouette computing the 4,000 × 4,000 distances inside every call) and
now. Prints the CPU time of each run with the load average, the median ratio, and whether
the count and every score are the same.

Usage: ``python benchmarks/topic_count_speed.py WS [--rows 60000] [--repeat 2]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.topics import count  # noqa: E402
from opinion.topics.components import AUTO_CANDIDATES, LinearProjection, one_thread  # noqa: E402
from opinion.topics.embed_cache import vectors_of  # noqa: E402


def reduced_vectors(workspace: Path, rows: int) -> np.ndarray:
    parts = sorted((workspace / "embeddings" / "static-zh").glob("*.parquet"))
    if not parts:
        raise SystemExit(f"{workspace}: no embeddings/static-zh parts; run `opinion topics` first")
    vectors = np.vstack([vectors_of(pd.read_parquet(p)) for p in parts])
    vectors = vectors[np.linalg.norm(vectors, axis=1) > 0][:rows]
    return LinearProjection(n_components=50, seed=42).fit_transform(vectors).astype(np.float32)


def silhouette_before(points: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> float:
    """The silhouette as before: scikit-learn computes the rows' cosine distances in every call."""
    from sklearn.metrics import silhouette_score

    if len(set(labels[rows].tolist())) < 2:
        return -1.0
    return float(silhouette_score(points, labels[rows], metric="cosine"))


def choose(X: np.ndarray, way: str) -> tuple[int, dict[int, float]]:
    if way == "now":
        return count.choose_count(X, candidates=AUTO_CANDIDATES, min_size=10, seed=42)
    with mock.patch.object(count, "cosine_distances_of", lambda X, rows: X[rows]), \
            mock.patch.object(count, "_silhouette", silhouette_before):
        return count.choose_count(X, candidates=AUTO_CANDIDATES, min_size=10, seed=42)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    X = reduced_vectors(args.workspace, args.rows)
    cpu: dict[str, list[float]] = {"before": [], "now": []}
    results = {}
    with one_thread():  # as the topic fit runs it
        for _ in range(args.repeat):
            for way in cpu:
                start = time.process_time()
                results[way] = choose(X, way)
                cpu[way].append(time.process_time() - start)
                print(f"{way:<6} cpu {cpu[way][-1]:5.1f} s, load {os.getloadavg()[0]:.2f}, count {results[way][0]}",
                      flush=True)
    before, now = statistics.median(cpu["before"]), statistics.median(cpu["now"])
    print(f"{len(X):,} vectors, candidates {AUTO_CANDIDATES}: median cpu before {before:.1f} s, now {now:.1f} s, "
          f"before/now {before / now:.2f}x; same count and scores: {results['before'] == results['now']}")


if __name__ == "__main__":
    main()
