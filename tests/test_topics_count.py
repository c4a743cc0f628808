"""The automatic topic count (opinion.topics.count) is chosen the same way every time."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opinion.text.tokenize import tokenize
from opinion.topics import count
from opinion.topics.components import CentroidClusterer, LinearProjection
from opinion.topics.embed import get_embedder

DATA = Path(__file__).parent / "data" / "topics"


@pytest.fixture(scope="module")
def titles() -> np.ndarray:
    """400 real THUCNews titles, embedded with the shipped static-zh and projected."""
    frame = pd.read_csv(DATA / "thucnews_titles_400.tsv", sep="\t", quoting=csv.QUOTE_NONE)
    texts = frame["title"].tolist()
    tokens = [tokenize(t) for t in texts]
    vectors = get_embedder("static-zh").fit(tokens, texts=texts).encode(tokens, texts=texts)
    return LinearProjection(n_components=50, seed=42).fit_transform(vectors)


@pytest.mark.parametrize("rule", count.RULES)
def test_same_input_and_seed_give_the_same_count(titles: np.ndarray, rule: str) -> None:
    first = count.choose_count(titles, candidates=(4, 6, 8, 10), min_size=5, seed=42, rule=rule)
    again = count.choose_count(titles.copy(), candidates=(4, 6, 8, 10), min_size=5, seed=42, rule=rule)
    assert first == again
    k, scores = first
    assert set(scores) == {4, 6, 8, 10} and k in scores


def test_clusterer_count_is_reproducible_and_within_the_noise_of_the_best(titles: np.ndarray) -> None:
    runs = [CentroidClusterer(n_clusters="auto", min_size=5, seed=7, candidates=(4, 6, 8, 10)).fit(titles)
            for _ in range(2)]
    assert runs[0].n_clusters_ == runs[1].n_clusters_
    assert runs[0].selection_ == runs[1].selection_
    assert (runs[0].labels_ == runs[1].labels_).all()
    scores = runs[0].selection_
    assert runs[0].n_clusters_ >= max(scores, key=scores.get)  # ties go to the finer split


def test_counts_respect_the_corpus_size() -> None:
    assert count.fitting_counts(2_000, (8, 10, 12, 15, 20, 25), 10) == [8, 10, 12, 15, 20]
    assert count.fitting_counts(100, (8, 10), 10) == [2]
    with pytest.raises(ValueError, match="count rule"):
        count.choose_count(np.eye(50, dtype="float32"), candidates=(2,), min_size=1, seed=0, rule="x")


def _choose_count_reference(X: np.ndarray, *, candidates: tuple[int, ...], min_size: int, seed: int):
    """The within-noise rule as first written: sklearn's cosine silhouette per count and run."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    fitting = count.fitting_counts(len(X), candidates, min_size)
    means, spread = {}, {}
    for k in fitting:
        runs = []
        for run in range(count.RUNS):
            labels = KMeans(n_clusters=k, n_init=1, random_state=seed + run).fit_predict(X)
            rows = np.random.default_rng([seed, run]).choice(len(X), min(count.SCORE_ROWS, len(X)), replace=False)
            runs.append(float(silhouette_score(X[rows], labels[rows], metric="cosine")))
        means[k], spread[k] = round(float(np.mean(runs)), 4), float(np.std(runs))
    top = max(means.values())
    return max(k for k in fitting if means[k] + spread[k] >= top), means, spread


def test_count_silhouettes_from_shared_distances_equal_sklearn_cosine(titles: np.ndarray) -> None:
    """Distances computed once per score sample give sklearn's own cosine silhouette, bit for bit."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rows = np.random.default_rng([42, 1]).choice(len(titles), 300, replace=False)
    distances = count.cosine_distances_of(titles, rows)
    for k in (3, 7):
        labels = KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(titles)
        assert count._silhouette(distances, labels, rows) == float(
            silhouette_score(titles[rows], labels[rows], metric="cosine"))
    k, scores = count.choose_count(titles, candidates=(4, 6, 8, 10), min_size=5, seed=42)
    assert (k, scores) == _choose_count_reference(titles, candidates=(4, 6, 8, 10), min_size=5, seed=42)[:2]


def test_stability_rule_finds_well_separated_groups() -> None:
    """Three far-apart groups: runs on other subsamples agree at 3 clusters, not at 2 or 6."""
    rng = np.random.default_rng(0)
    centres = np.eye(5, dtype="float32")[:3] * 10
    X = np.vstack([c + rng.normal(scale=0.5, size=(200, 5)) for c in centres]).astype("float32")
    k, scores = count.choose_count(X, candidates=(2, 3, 6), min_size=5, seed=1, rule="stability")
    assert k == 3 and scores[3] > 0.99 > max(scores[2], scores[6])


def test_silhouettes_in_another_space(titles: np.ndarray) -> None:
    """``space`` is where silhouettes are measured: X itself changes nothing, other rows change the scores."""
    default = count.choose_count(titles, candidates=(4, 8), min_size=5, seed=3)
    assert count.choose_count(titles, candidates=(4, 8), min_size=5, seed=3, space=titles) == default
    shuffled = titles[np.random.default_rng(0).permutation(len(titles))]
    assert count.choose_count(titles, candidates=(4, 8), min_size=5, seed=3, space=shuffled)[1] != default[1]
