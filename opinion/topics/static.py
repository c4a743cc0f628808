"""``static-zh``: a static Chinese document embedder shipped in the package (numpy only).

A document vector is the TF-IDF-weighted (Zipf-style) sum of one stored vector per
feature, then scaled to length 1. Features are the document's Simplified characters, its
character bigrams and its jieba words; a word outside the vocabulary falls back to the
vectors of its characters and bigrams, so nothing is ever unknown except characters that
no training text had. Traditional input is mapped to Simplified first (OpenCC ``t2s``),
so both scripts give the same vector::

    emb = StaticEmbedder().fit([])                    # pretrained: fit does nothing
    emb.encode([["疫情", "防控"]], texts=["疫情防控"])  # float32 (1, d), length 1
    emb.encode([["疫情", "防控"]], texts=["疫情防控"]) == emb.encode([[]], texts=["疫情防控"])

The vectors are distilled from a multilingual sentence encoder by
``tools/distill_static_zh.py`` (see ``docs/embeddings.md``) and stored as int8 with one
float16 scale per row in ``opinion/resources/static_zh/`` (safetensors + JSON, no pickle).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from opinion.errors import InputError, OpinionError

MODEL_DIR = Path(__file__).resolve().parents[1] / "resources" / "static_zh"
VECTORS_FILE = "vectors.safetensors"
VOCAB_FILE = "vocab.json"

WORD_PREFIX = "w:"  # features of whole jieba words, kept apart from character bigrams
_UNITS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[a-z]+|[0-9]+")
_SEGMENT_BREAK = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]+")


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to Simplified with OpenCC: ``to_simplified("資訊") == "资讯"``."""
    return _t2s().convert(text) if text else ""


def normalise(text: str) -> str:
    """The form features are read from: NFKC width, lower case, Simplified script."""
    return to_simplified(unicodedata.normalize("NFKC", text).lower())


def char_features(text: str) -> list[str]:
    """Characters and bigrams of adjacent units, on normalised text.

    Units are CJK characters, runs of Latin letters and runs of digits; bigrams never
    cross punctuation or spaces: ``char_features("疫情,5g") == ["疫", "情", "疫情", "5", "g", "5g"]``.
    """
    out: list[str] = []
    for segment in _SEGMENT_BREAK.split(text):
        units = _UNITS.findall(segment)
        out += units
        out += [a + b for a, b in zip(units, units[1:])]
    return out


def word_features(tokens: Iterable[str]) -> list[str]:
    """Multi-character words as features: ``["疫情", "的", "防控"] -> ["w:疫情", "w:防控"]``."""
    return [WORD_PREFIX + t for t in (normalise(str(tok)).strip() for tok in tokens)
            if len(t) >= 2 and not t.isspace()]


def document_features(text: str, tokens: Sequence[str] | None) -> list[str]:
    """All features of one document: its characters, bigrams and (when given) words."""
    features = char_features(normalise(text))
    if tokens is not None:
        features += word_features(tokens)
    return features


class StaticEmbedder:
    """The shipped static model (``get_embedder("static-zh")``); ``fit`` learns nothing.

    ``path`` points at another folder built by ``tools/distill_static_zh.py``.
    ``use_words=False`` ignores the jieba tokens and reads characters only.
    """

    name = "static-zh"

    def __init__(self, *, path: str | Path | None = None, use_words: bool = True) -> None:
        self.path = path
        self.use_words = use_words

    def fit(self, docs: Sequence[Sequence[str]], *,
            texts: Sequence[str] | None = None) -> StaticEmbedder:
        self._load()
        return self

    def _load(self) -> None:
        if hasattr(self, "vectors_"):
            return
        folder = Path(self.path) if self.path is not None else MODEL_DIR
        vectors_path, vocab_path = folder / VECTORS_FILE, folder / VOCAB_FILE
        if not vectors_path.exists() or not vocab_path.exists():
            raise OpinionError(f"static-zh model not found in {folder}: expected {VECTORS_FILE} "
                               f"and {VOCAB_FILE}; rebuild it with tools/distill_static_zh.py")
        from safetensors.numpy import load_file

        tensors = load_file(str(vectors_path))
        meta = json.loads(vocab_path.read_text(encoding="utf-8"))
        scales = tensors["scales"].astype(np.float32)[:, None]
        self.vectors_ = tensors["vectors"].astype(np.float32) * scales
        self.idf_ = tensors["idf"].astype(np.float32)
        self.bias_ = tensors["bias"].astype(np.float32) if "bias" in tensors else None
        self.index_ = {feature: i for i, feature in enumerate(meta["features"])}
        self.meta_ = {k: v for k, v in meta.items() if k != "features"}
        self.dim_ = int(self.vectors_.shape[1])

    def feature_matrix(self, docs: Sequence[Sequence[str]] | None,
                       texts: Sequence[str] | None):
        """Sparse (n, features) TF-IDF rows of length 1, as the model was trained on."""
        from scipy import sparse

        if texts is None:
            if docs is None:
                raise InputError("static-zh: pass tokens (docs) or texts")
            texts = ["".join(map(str, d)) for d in docs]
        if docs is not None and len(docs) != len(texts):
            raise InputError(f"encode: got {len(docs)} token lists but {len(texts)} texts; "
                             "pass one text per document")
        index, idf = self.index_, self.idf_
        indptr, indices, counts = [0], [], []
        for i, text in enumerate(texts):
            tokens = docs[i] if (docs is not None and self.use_words) else None
            row: dict[int, int] = {}
            for feature in document_features("" if text is None else str(text), tokens):
                j = index.get(feature)
                if j is not None:
                    row[j] = row.get(j, 0) + 1
            indices += row.keys()
            counts += row.values()
            indptr.append(len(indices))
        cols = np.asarray(indices, dtype=np.int32)
        data = (1.0 + np.log(np.asarray(counts, dtype=np.float32))) * idf[cols]
        matrix = sparse.csr_matrix((data, cols, np.asarray(indptr, dtype=np.int64)),
                                   shape=(len(texts), len(index)), dtype=np.float32)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms).astype(np.float32) @ matrix

    def encode(self, docs: Sequence[Sequence[str]], *,
               texts: Sequence[str] | None = None) -> np.ndarray:
        """float32 (n, d) rows of length 1; a document with no known character is all zero."""
        self._load()
        from opinion.topics.embed import l2_normalise

        return l2_normalise(self.feature_matrix(docs, texts) @ self.vectors_)
