"""The reducer and clusterer we hand to BERTopic (opinion/topics/components.py)."""

from __future__ import annotations

import numpy as np
import pytest

from opinion.topics.components import CentroidClusterer, LinearProjection, normalise_rows, topic_terms


def _directions(n_groups: int, per_group: int, dim: int = 64, spread: float = 0.35,
                seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors scattered around ``n_groups`` random directions (like sentence embeddings)."""
    rng = np.random.default_rng(seed)
    centres = normalise_rows(rng.normal(size=(n_groups, dim)))
    labels = np.repeat(np.arange(n_groups), per_group)
    return normalise_rows(centres[labels] + spread * rng.normal(size=(len(labels), dim))), labels


def test_projection_keeps_cosine_geometry_and_ignores_vector_length() -> None:
    X, _ = _directions(4, 30)
    projection = LinearProjection(n_components=8, seed=0).fit(X)
    out = projection.transform(X)
    assert out.shape == (120, 8)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    # No centring: the stored mean is zero, and scaling a vector does not move it.
    assert not projection.mean_.any()
    np.testing.assert_allclose(projection.transform(3.0 * X), out, atol=1e-5)


def test_projection_is_reproducible_for_a_seed() -> None:
    X, _ = _directions(3, 40, seed=1)
    first = LinearProjection(n_components=5, seed=7).fit_transform(X)
    second = LinearProjection(n_components=5, seed=7).fit_transform(X)
    assert np.array_equal(first, second)


def test_projection_still_applies_a_stored_mean() -> None:
    """Models saved before the change kept PCA's mean; loading one must transform as before."""
    X, _ = _directions(3, 20, dim=6, seed=2)
    projection = LinearProjection(n_components=2, seed=0).fit(X)
    projection.mean_ = X.mean(axis=0).astype(np.float32)
    expected = normalise_rows((X - projection.mean_) @ projection.components_.T)
    np.testing.assert_allclose(projection.transform(X), expected, atol=1e-5)


def test_automatic_count_finds_well_separated_groups() -> None:
    X, labels = _directions(12, 60, spread=0.06, seed=3)
    reduced = LinearProjection(n_components=20, seed=0).fit_transform(X)
    clusterer = CentroidClusterer(n_clusters="auto", min_size=10, seed=0).fit(reduced)
    assert clusterer.n_clusters_ == 12
    assert max(clusterer.selection_, key=clusterer.selection_.get) == 12
    # Every group ends up in one cluster of its own.
    pairs = {(int(a), int(b)) for a, b in zip(labels, clusterer.labels_)}
    assert len(pairs) == 12


def test_automatic_count_is_capped_by_corpus_size() -> None:
    X, _ = _directions(12, 20, spread=0.06, seed=4)  # 240 rows: √240 / 2 ≈ 7, 240 / 40 = 6
    clusterer = CentroidClusterer(n_clusters="auto", min_size=10, seed=0).fit(X)
    assert clusterer.n_clusters_ <= 6


def test_clusters_do_not_depend_on_the_thread_count() -> None:
    """k-means sums split over other thread counts differ in the last bit; the fit uses one."""
    from threadpoolctl import threadpool_limits

    X, _ = _directions(20, 500, dim=20, spread=0.05, seed=5)  # 10,000 rows: several chunks
    results = []
    for threads in (1, 2):
        with threadpool_limits(limits=threads):
            results.append(CentroidClusterer(n_clusters=20, seed=0).fit(X).cluster_centers_)
    assert np.array_equal(results[0], results[1])


def test_token_words_match_topic_terms_once_per_token() -> None:
    from opinion.topics.components import token_words

    assert token_words("口罩") == ("口罩",)
    assert token_words("#武汉加油#") == ("#武汉加油#",)
    for not_a_word in ("的", "，", "830例", "[赞]", "口"):
        assert token_words(not_a_word) == ()


@pytest.mark.parametrize("tokens, terms", [
    (["转发", "微博"], []),                                # 转发微博: Weibo's text for a bare repost
    (["转发", "微博", "[赞]", "！"], []),
    (["Repost"], []),                                      # the English interface
    (["轉發", "微博"], []),
    (["转发", "微博", "口罩", "到货"], ["转发", "微博", "口罩", "到货"]),  # a repost with a comment
    (["微博", "热搜", "删除"], ["微博", "热搜", "删除"]),       # 微博 as a word stays a word
    (["转发", "抽奖"], ["转发", "抽奖"]),
])
def test_topic_terms_of_a_bare_repost_are_none(tokens: list[str], terms: list[str]) -> None:
    """Finding 5 (2026-12-08): 75 posts of 转发微博 were 26 % of a topic."""
    assert topic_terms(tokens) == terms
