"""The sub-models we hand to BERTopic: reduction, clustering, vectorizer, embedder backend.

Both the reducer and the clusterer keep their learned state in plain arrays, so that a
saved model (safetensors) predicts exactly what the fitted one did, with no pickle.

- :class:`LinearProjection`: seeded truncated SVD of the unit-length embeddings (no
  centring, so cosine geometry is kept), rows re-normalised to length 1 (fast, no numba
  compilation, a ``transform`` that costs a matrix product).
- :class:`CentroidClusterer`: seeded k-means; clusters smaller than ``min_size`` become the
  outlier topic -1; ``y`` from guided modelling seeds the initial centroids.
- :func:`topic_terms`: the tokens that may appear in topic words (no stopwords,
  punctuation, numbers or single characters).
- :class:`EmbedderBackend`: our embedder behind BERTopic's ``BaseEmbedder``, used for the
  guided seed words.

Example:
    >>> topic_terms(["疫情", "的", "，", "2020", "武汉", "加油", "#"])
    ['疫情', '武汉', '加油']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np

from opinion.errors import NotFittedError

# A term must contain a CJK character or a Latin letter, and be at least two characters.
_WORDLIKE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]")
# Numbers with units ("830例", "6.38亿") and emoticons ("[赞]") say little about a topic.
_NUMBER_OR_EMOTICON = re.compile(r"^(?:\d(?!.*[A-Za-z])|\[)")
# BERTopic replaces an empty document by this word before counting; it is never a term.
_BERTOPIC_EMPTY = "emptydoc"
# What Weibo writes for a repost that adds nothing (转发微博, 轉發微博, Repost in the English
# interface; jieba gives 转发 + 微博): alone, no topic words (compared in lower case).
REPOST_WORDS = frozenset({"转发微博", "转发", "微博", "轉發微博", "轉發", "repost"})


def _load_stopwords() -> frozenset[str]:
    """The text stage's shipped stopword lists (Simplified and Traditional)."""
    from opinion.text.tokenize import shipped_stopwords

    return shipped_stopwords()


_STOPWORDS: frozenset[str] | None = None


def stopwords() -> frozenset[str]:
    """Stopwords excluded from topic terms (loaded once)."""
    global _STOPWORDS
    if _STOPWORDS is None:
        _STOPWORDS = _load_stopwords()
    return _STOPWORDS


def topic_terms(tokens: Iterable[str]) -> list[str]:
    """The tokens that may be topic words, in order: ``["疫情", "的", "，"] -> ["疫情"]``; none
    for a bare repost, whose only words are Weibo's (:data:`REPOST_WORDS`):
    ``topic_terms(["转发", "微博"]) == []``, where ``["转发", "微博", "口罩"]`` keeps all three."""
    terms = [term for term in map(_topic_term, tokens) if term is not None]
    return terms if any(map(has_content, terms)) else []


@functools.cache  # once per distinct token (bounded by the vocabulary), as token_words: a 620k corpus asks it per token of every post
def has_content(token: str) -> bool:
    """Whether a token gives a topic word other than Weibo's repost words: a document has topic
    words when one of its tokens has content (``has_content("口罩")``, not ``has_content("转发")``)."""
    return any(word.lower() not in REPOST_WORDS for word in token_words(token))


@functools.cache  # bounded by the corpus vocabulary; the stopwords never change in a process
def _topic_term(token: str) -> str | None:
    """The topic word a token gives (spaces as ``_``), or None: decided once per distinct token."""
    token = token.strip().replace(" ", "_")
    if (len(token) < 2 or token in stopwords() or not _WORDLIKE.search(token)
            or _NUMBER_OR_EMOTICON.match(token) or token == _BERTOPIC_EMPTY):
        return None
    return token


@functools.cache  # bounded by the corpus vocabulary
def token_words(token: str) -> tuple[str, ...]:
    """The words one token gives the topic vectorizer, decided once per distinct token.

    The same as ``split_terms(" ".join(topic_terms([token])))`` for a token with content
    (:func:`has_content`); empty when the token cannot be a topic word:
    ``token_words("口罩") == ("口罩",)``, ``token_words("的") == ()``.
    """
    term = _topic_term(token)
    return tuple(split_terms(term)) if term is not None else ()


def split_terms(document: str) -> list[str]:
    """The analyzer of our CountVectorizer: documents are terms joined by spaces."""
    return [t for t in document.split() if t != _BERTOPIC_EMPTY]


def one_thread():
    """BLAS and OpenMP limited to one thread inside the ``with`` block.

    Sums split over another number of threads differ in the last bit, so k-means (and the
    SVD) could reach other clusters on a machine with another core count, and a local pool
    worker (all cores' BLAS threads) would differ from a Dask worker (``OMP_NUM_THREADS=1``).
    With one thread the same input and seed give the same topics everywhere; on 100k × 256
    vectors the fit took the same time with one thread as with two (9.1 s vs 9.4 s).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class LinearProjection:
    """Seeded truncated SVD to ``n_components`` dimensions, rows scaled to length 1.

    Embeddings are compared by cosine, so rows are scaled to length 1 and projected on
    their top right singular vectors *without* centring: centring (PCA) moves the origin
    and changes every angle. On THUCNews titles (the train half, docs/topics.md) this
    raised k-means NMI at 10 topics from 0.578 to 0.595 (static-zh) and 0.564 to 0.581
    (e5-small). ``mean_`` is kept (zeros for new fits) so that models saved with
    centring still load and transform as before.

    >>> X = np.random.default_rng(0).normal(size=(50, 8)).astype("float32")
    >>> LinearProjection(n_components=3, seed=0).fit(X).transform(X).shape
    (50, 3)
    """

    def __init__(self, *, n_components: int = 50, seed: int = 42) -> None:
        self.n_components = n_components
        self.seed = seed

    def fit(self, X: np.ndarray, y: Sequence[int] | None = None) -> LinearProjection:
        from sklearn.utils.extmath import randomized_svd

        X = normalise_rows(X)
        n_components = max(1, min(self.n_components, X.shape[1], X.shape[0] - 1))
        with one_thread():
            _, _, vt = randomized_svd(X, n_components, random_state=self.seed)
        self.mean_ = np.zeros(X.shape[1], dtype=np.float32)
        self.components_ = np.ascontiguousarray(vt, dtype=np.float32)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        if not hasattr(self, "components_"):
            raise NotFittedError("LinearProjection is not fitted yet; call fit(X) first")
        return normalise_rows((normalise_rows(X) - self.mean_) @ self.components_.T)

    def fit_transform(self, X: np.ndarray, y: Sequence[int] | None = None) -> np.ndarray:
        return self.fit(X, y).transform(X)


AUTO_CANDIDATES = (8, 10, 12, 15, 20, 25, 30, 40, 50)


class CentroidClusterer:
    """Seeded k-means; clusters below ``min_size`` documents become -1 (outliers).

    ``n_clusters="auto"`` picks k among ``candidates`` up to √n / 2 that leave ≥ 4 ×
    ``min_size`` documents per cluster on average (so that few fall under ``min_size``), by
    cosine silhouettes of k-means on a seeded subsample (:func:`opinion.topics.count.choose_count`:
    the largest k within the run-to-run noise of the best). The mean scores are kept in
    ``selection_``. ``fit(X, y)`` with guided labels ``y`` (seed topic per row, -1 for none)
    starts the centroids of the seeded topics at the mean of their rows.
    """

    def __init__(self, *, n_clusters: int | str = "auto", min_size: int = 10, seed: int = 42,
                 n_init: int = 10, candidates: Sequence[int] = AUTO_CANDIDATES,
                 selection_size: int = 20_000) -> None:
        self.n_clusters = n_clusters
        self.min_size = min_size
        self.seed = seed
        self.n_init = n_init
        self.candidates = candidates
        self.selection_size = selection_size

    def _choose_k(self, X: np.ndarray) -> int:
        from opinion.topics.count import choose_count

        k, self.selection_ = choose_count(X, candidates=self.candidates, min_size=self.min_size,
                                          seed=self.seed, selection_rows=self.selection_size)
        return k

    def _initial_centers(self, X: np.ndarray, y: Sequence[int] | None, k: int) -> np.ndarray | None:
        if y is None:
            return None
        labels = np.asarray(y)
        seeded = [X[labels == s].mean(axis=0) for s in sorted(set(labels.tolist()) - {-1})
                  if (labels == s).sum() >= self.min_size][:k]
        if not seeded:
            return None
        from sklearn.cluster import kmeans_plusplus

        rest = k - len(seeded)
        if rest <= 0:
            return np.vstack(seeded)
        extra, _ = kmeans_plusplus(X, rest, random_state=self.seed)
        return np.vstack([*seeded, extra])

    def fit(self, X: np.ndarray, y: Sequence[int] | None = None) -> CentroidClusterer:
        with one_thread():  # the same clusters whatever the machine's core count
            return self._fit(np.asarray(X, dtype=np.float32), y)

    def _fit(self, X: np.ndarray, y: Sequence[int] | None) -> CentroidClusterer:
        from sklearn.cluster import KMeans

        k = self._choose_k(X) if self.n_clusters == "auto" else int(self.n_clusters)
        k = max(1, min(k, X.shape[0]))
        self.n_clusters_ = k
        init = self._initial_centers(X, y, k)
        kmeans = KMeans(n_clusters=k, init="k-means++" if init is None else init,
                        n_init=self.n_init if init is None else 1, random_state=self.seed)
        raw = kmeans.fit_predict(X)
        self.cluster_centers_ = kmeans.cluster_centers_.astype(np.float32)
        sizes = np.bincount(raw, minlength=k)
        # Map raw k-means clusters to labels: small clusters -> -1, the rest 0..m-1.
        label_map = np.full(k, -1, dtype=np.int64)
        kept = np.flatnonzero(sizes >= self.min_size)
        label_map[kept] = np.arange(len(kept))
        self.label_map_ = label_map
        self.labels_ = label_map[raw]
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        if not hasattr(self, "cluster_centers_"):
            raise NotFittedError("CentroidClusterer is not fitted yet; call fit(X) first")
        X = np.asarray(X, dtype=np.float32)
        out = np.empty(len(X), dtype=np.int64)
        for start in range(0, len(X), 50_000):  # bounded memory on big corpora
            block = X[start:start + 50_000]
            dist = (block ** 2).sum(1)[:, None] - 2 * block @ self.cluster_centers_.T \
                + (self.cluster_centers_ ** 2).sum(1)[None, :]
            out[start:start + 50_000] = self.label_map_[dist.argmin(axis=1)]
        return out


def embedder_backend(embedder):
    """Wrap one of our embedders as a BERTopic ``BaseEmbedder`` (documents = space-joined terms)."""
    from bertopic.backend import BaseEmbedder

    class EmbedderBackend(BaseEmbedder):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            tokens = [d.split() for d in documents]
            return self.inner.encode(tokens, texts=["".join(t) for t in tokens])

    return EmbedderBackend(embedder)
