"""Topic quality metrics: NPMI coherence, topic diversity and outlier share.

All three are computed from the topics' top terms and the corpus tokens we already store,
so runs with different settings can be compared on the same corpus.

Example:
    >>> topics = [["疫情", "防控", "口罩"], ["股市", "基金", "上涨"]]
    >>> docs = [["疫情", "防控", "口罩"], ["疫情", "口罩"], ["股市", "基金"], ["基金", "上涨"]]
    >>> [round(v, 3) for v in npmi_coherence(topics, docs)]
    [0.667, 0.0]
    >>> topic_diversity(topics)
    1.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

TOP_N = 10


def _binary_doc_term_matrix(docs: Iterable[Sequence[str]], vocab: dict[str, int]) -> sparse.csc_matrix:
    """Documents × vocab, 1 where the term occurs in the document (other terms are ignored)."""
    indptr = [0]
    indices: list[int] = []
    for tokens in docs:
        hits = {vocab[t] for t in tokens if t in vocab}
        indices.extend(hits)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                               shape=(len(indptr) - 1, len(vocab)))
    return matrix.tocsc()


def npmi_coherence(topics: Sequence[Sequence[str]], docs: Iterable[Sequence[str]], *,
                   top_n: int = TOP_N, eps: float = 1e-12) -> list[float]:
    """NPMI coherence of each topic's first ``top_n`` terms, by document co-occurrence.

    For every pair of terms ``(a, b)`` of a topic, ``NPMI = log(p(a,b) / (p(a) p(b))) /
    -log(p(a,b))`` with probabilities counted over ``docs`` (a term occurs in a document or
    not). A pair that never co-occurs scores -1. The score of a topic is the mean over its
    pairs, in [-1, 1]; a topic with fewer than two terms scores ``nan``.
    """
    heads = [list(dict.fromkeys(t for t in terms if t))[:top_n] for terms in topics]
    vocab: dict[str, int] = {}
    for terms in heads:
        for term in terms:
            vocab.setdefault(term, len(vocab))
    if not vocab:
        return [math.nan] * len(heads)
    return npmi_from_matrix(topics, _binary_doc_term_matrix(docs, vocab), vocab, top_n=top_n, eps=eps)


def npmi_from_matrix(topics: Sequence[Sequence[str]], matrix: sparse.spmatrix, vocab: dict[str, int], *,
                     top_n: int = TOP_N, eps: float = 1e-12) -> list[float]:
    """:func:`npmi_coherence` on a documents × terms matrix (non-zero: the term occurs) whose
    columns ``vocab`` names; terms outside ``vocab`` never occur."""
    heads = [list(dict.fromkeys(t for t in terms if t))[:top_n] for terms in topics]
    wanted = sorted({vocab[t] for terms in heads for t in terms if t in vocab})
    if not wanted or matrix.shape[0] == 0:
        return [math.nan if len(h) < 2 or matrix.shape[0] == 0 else -1.0 for h in heads]
    column = {j: i for i, j in enumerate(wanted)}
    matrix = (sparse.csc_matrix(matrix)[:, wanted] > 0).astype(np.float32).tocsc()
    vocab = {t: column[vocab[t]] for terms in heads for t in terms if t in vocab}
    n_docs = matrix.shape[0]
    if n_docs == 0:
        return [math.nan] * len(heads)
    doc_freq = np.asarray(matrix.sum(axis=0)).ravel()
    co_occurrence = (matrix.T @ matrix).toarray()
    scores = []
    for terms in heads:
        ids = [vocab.get(t, -1) for t in terms]
        pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
        if not pairs:
            scores.append(math.nan)
            continue
        values = []
        for a, b in pairs:
            joint = co_occurrence[a, b] / n_docs if a >= 0 and b >= 0 else 0.0
            if joint <= 0:
                values.append(-1.0)
                continue
            p_a, p_b = doc_freq[a] / n_docs, doc_freq[b] / n_docs
            pmi = math.log(joint / (p_a * p_b))
            values.append(pmi / max(-math.log(joint), eps) if joint < 1 else 1.0)
        scores.append(float(np.mean(values)))
    return scores


def topic_diversity(topics: Sequence[Sequence[str]], *, top_n: int = TOP_N) -> float:
    """Share of unique terms among all topics' first ``top_n`` terms (1.0 = no term repeats)."""
    heads = [list(terms)[:top_n] for terms in topics]
    total = sum(len(h) for h in heads)
    if total == 0:
        return math.nan
    return len({t for h in heads for t in h}) / total


def outlier_share(topic_ids: Sequence[int] | np.ndarray) -> float:
    """Share of documents in the outlier topic -1 (before outliers are reassigned)."""
    ids = np.asarray(topic_ids)
    return float((ids == -1).mean()) if ids.size else 0.0
