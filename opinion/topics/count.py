"""The automatic topic count: k-means silhouettes over candidate counts, ties to the finer one.

For every candidate k (up to √n / 2, and leaving ≥ 4 × ``min_size`` documents per topic on
average) k-means runs on a seeded subsample of the reduced vectors three times (seeds
``seed``, ``seed + 1``, ``seed + 2``), and each run's cosine silhouette is measured on its own
seeded sample of 4,000 rows. The mean is the score of k, and the spread of the three runs
is its noise. The count is the **largest k whose mean + standard deviation reaches the best
mean** (rule ``"within-noise"``): neighbouring counts (8 and 10 topics) often differ by
less than the run-to-run noise, and then the finer split wins, since topics that should be
one are easy to merge by hand while a merged topic cannot be split. The previous rule
(``"best"``: one k-means with 3 starts per k, the best silhouette) is kept for the benchmark
(``benchmarks/topics_count.py``), and so is a label-free alternative that was measured and
not adopted (``"stability"``: agreement, as adjusted Rand index, of k-means runs on seeded
80% subsamples; the same within-noise choice on those scores; docs/topics.md has the figures).

Everything is seeded: the same vectors and seed give the same count (tested).

Example:
    >>> X = np.random.default_rng(0).normal(size=(600, 5)).astype("float32")
    >>> k, scores = choose_count(X, candidates=(2, 3, 4), min_size=5, seed=0)
    >>> k in scores
    True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RUNS = 3                # k-means runs (one start each) per candidate count
SCORE_ROWS = 4_000      # rows each silhouette is measured on
SELECTION_ROWS = 20_000
STABILITY_RUNS = 4      # k-means runs on seeded subsamples per count (rule "stability")
STABILITY_SHARE = 0.8   # share of the selection rows each of those runs sees
RULES = ("within-noise", "best", "stability")
DEFAULT_RULE = "within-noise"


def fitting_counts(n: int, candidates: Sequence[int], min_size: int) -> list[int]:
    """The candidates ≤ √n / 2 that leave ≥ 4 × ``min_size`` documents per topic on average."""
    most = max(2, min(int(np.sqrt(n) / 2), n // (4 * max(min_size, 1))))
    return [k for k in candidates if k <= most] or [min(most, n - 1)]


def cosine_distances_of(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The cosine distances between the ``rows`` of ``X``, as ``silhouette_score(X[rows], ...,
    metric="cosine")`` computes them (one block, diagonal zero). The score rows do not depend
    on the candidate count, so each sample's matrix is computed once and every count reuses it.
    """
    from sklearn.metrics import pairwise_distances

    return pairwise_distances(X[rows], metric="cosine")


def _silhouette(distances: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> float:
    """The cosine silhouette of ``labels[rows]`` from the rows' distance matrix; -1 for one cluster.

    The same number as ``silhouette_score(X[rows], labels[rows], metric="cosine")`` (checked in
    tests/test_topics_count.py): that call computes this matrix and then reads it.
    """
    from sklearn.metrics import silhouette_score

    if len(set(labels[rows].tolist())) < 2:
        return -1.0
    return float(silhouette_score(distances, labels[rows], metric="precomputed"))


def _within_noise(fitting: Sequence[int], runs: dict[int, list[float]]) -> tuple[int, dict[int, float]]:
    """The largest count whose mean + standard deviation over ``runs`` reaches the best mean."""
    means = {k: round(float(np.mean(runs[k])), 4) for k in fitting}
    top = max(means.values())
    return max(k for k in fitting if means[k] + float(np.std(runs[k])) >= top), means


def stability_runs(sub: np.ndarray, fitting: Sequence[int], seed: int) -> dict[int, list[float]]:
    """For each count, the adjusted Rand index of every pair of k-means runs on seeded subsamples.

    Run ``r`` fits k-means (one start, seed ``seed + r``) on its own seeded
    ``STABILITY_SHARE`` of ``sub``; every run then labels the same seeded score rows by its
    nearest centre, and each pair of runs is compared there (label-free: a count the data
    hold is found again from other documents).
    """
    from itertools import combinations

    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    rows = np.random.default_rng([seed, RUNS]).choice(len(sub), min(SCORE_ROWS, len(sub)), replace=False)
    size = max(2, int(STABILITY_SHARE * len(sub)))
    draws = [np.random.default_rng([seed, run]).choice(len(sub), size, replace=False)
             for run in range(STABILITY_RUNS)]
    out: dict[int, list[float]] = {}
    for k in fitting:
        labels = [KMeans(n_clusters=k, n_init=1, random_state=seed + run).fit(sub[draw]).predict(sub[rows])
                  for run, draw in enumerate(draws)]
        out[k] = [float(adjusted_rand_score(labels[i], labels[j]))
                  for i, j in combinations(range(STABILITY_RUNS), 2)]
    return out


def choose_count(X: np.ndarray, *, candidates: Sequence[int], min_size: int, seed: int,
                 rule: str | None = None, selection_rows: int = SELECTION_ROWS,
                 space: np.ndarray | None = None) -> tuple[int, dict[int, float]]:
    """The topic count for the reduced vectors ``X`` and the score of every candidate.

    ``rule`` is ``"within-noise"`` (the default, see the module text), ``"best"`` or
    ``"stability"``; the k-means runs see a seeded subsample of ``selection_rows`` rows.
    ``space`` (rows of ``X`` in other coordinates, e.g. the full embeddings) is where the
    silhouettes are measured; by default ``X`` itself.
    """
    from sklearn.cluster import KMeans

    rule = rule or DEFAULT_RULE
    if rule not in RULES:
        raise ValueError(f"unknown count rule {rule!r}; use one of {RULES}")
    fitting = fitting_counts(len(X), candidates, min_size)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(X), selection_rows, replace=False) if len(X) > selection_rows else np.arange(len(X))
    sub = X[chosen]
    measured = sub if space is None else np.asarray(space)[chosen]
    scored = rng.choice(len(sub), min(SCORE_ROWS, len(sub)), replace=False)
    if rule == "stability":
        return _within_noise(fitting, stability_runs(sub, fitting, seed))
    if rule == "best":
        best: dict[int, float] = {}
        distances = cosine_distances_of(measured, scored)
        for k in fitting:
            labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(sub)
            best[k] = round(_silhouette(distances, labels, scored), 4)
        return max(best, key=lambda k: (best[k], -k)), best
    runs: dict[int, list[float]] = {k: [] for k in fitting}
    for run in range(RUNS):  # each run's score rows are the same for every count
        rows = np.random.default_rng([seed, run]).choice(len(sub), min(SCORE_ROWS, len(sub)), replace=False)
        distances = cosine_distances_of(measured, rows)
        for k in fitting:
            labels = KMeans(n_clusters=k, n_init=1, random_state=seed + run).fit_predict(sub)
            runs[k].append(_silhouette(distances, labels, rows))
    return _within_noise(fitting, runs)
