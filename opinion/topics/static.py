"""``static-zh``: a static Chinese document embedder shipped in the package (numpy only).

A document vector is the TF-IDF-weighted (Zipf-style) sum of one stored vector per
feature, then scaled to length 1. Features are the document's Simplified characters, its
character bigrams and its jieba words; a word outside the vocabulary falls back to the
vectors of its characters and bigrams, so nothing is ever unknown except characters that
no training text had. Traditional input is mapped to Simplified first (OpenCC ``t2s``),
so both scripts give the same vector::

    emb = StaticEmbedder().fit([])                          # pretrained: fit only loads
    simp = emb.encode([["资讯", "安全"]], texts=["资讯安全"])  # float32 (1, 256), length 1
    trad = emb.encode([["資訊", "安全"]], texts=["資訊安全"])  # Traditional: same vector
    assert (simp == trad).all()

The vectors are distilled from a multilingual sentence encoder by
``tools/distill_static_zh.py`` (see ``docs/embeddings.md``) and stored as int8 with one
float16 scale per row in ``opinion/resources/static_zh/`` (safetensors + JSON, no pickle).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from opinion.errors import InputError, OpinionError

MODEL_DIR = Path(__file__).resolve().parents[1] / "resources" / "static_zh"
VECTORS_FILE = "vectors.safetensors"
VOCAB_FILE = "vocab.json"

WORD_PREFIX = "w:"  # features of whole jieba words, kept apart from character bigrams
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_SEP = "\n"  # joins many texts for one OpenCC call; never a unit, so never in a feature
_BIGRAM_SHIFT = 21  # a code point fits in 21 bits: bigram key = (first << 21) | second


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 as float32; all-zero rows stay zero."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    return matrix / norms


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


def normalise_many(texts: Sequence[str]) -> list[str]:
    """:func:`normalise` on many texts with one OpenCC call; newlines become spaces."""
    is_nfkc, nfkc = unicodedata.is_normalized, unicodedata.normalize
    cleaned = []
    for text in texts:
        text = "" if text is None else str(text)
        if not is_nfkc("NFKC", text):
            text = nfkc("NFKC", text)
        cleaned.append(text.replace(_SEP, " ").replace("\r", " ").lower())
    out = to_simplified(_SEP.join(cleaned)).split(_SEP)
    return out if len(out) == len(cleaned) else [normalise(t) for t in cleaned]


def _is_unit(codes: np.ndarray) -> np.ndarray:
    """Which code points are units: CJK ideographs, a-z, 0-9."""
    mask = ((codes >= 0x61) & (codes <= 0x7A)) | ((codes >= 0x30) & (codes <= 0x39))
    for low, high in _CJK_RANGES:
        mask |= (codes >= low) & (codes <= high)
    return mask


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def char_keys(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Integer keys of the units and adjacent-unit bigrams of normalised ``text``,
    with the position each starts at."""
    codes = _codes(text)
    unit = _is_unit(codes)
    pair = unit[:-1] & unit[1:]
    keys = np.concatenate([codes[unit], (codes[:-1][pair] << _BIGRAM_SHIFT) | codes[1:][pair]])
    where = np.concatenate([np.flatnonzero(unit), np.flatnonzero(pair)])
    return keys, where


def feature_key(feature: str) -> int | None:
    """Integer key of a one- or two-character feature; None for word features."""
    if feature.startswith(WORD_PREFIX) or not 1 <= len(feature) <= 2:
        return None
    codes = [ord(ch) for ch in feature]
    return codes[0] if len(codes) == 1 else (codes[0] << _BIGRAM_SHIFT) | codes[1]


def char_features(text: str) -> list[str]:
    """Units (CJK characters, a-z, 0-9) then bigrams of adjacent units, on normalised text.

    Bigrams never cross punctuation or spaces:
    ``char_features("疫情,5g") == ["疫", "情", "5", "g", "疫情", "5g"]``.
    """
    keys, _ = char_keys(text)
    mask = (1 << _BIGRAM_SHIFT) - 1
    return [chr(k) if k <= mask else chr(k >> _BIGRAM_SHIFT) + chr(k & mask)
            for k in keys.tolist()]


def word_features(tokens: Iterable[str], *, normalised: bool = False) -> list[str]:
    """Multi-character words as features: ``["疫情", "的", "防控"] -> ["w:疫情", "w:防控"]``."""
    words = [str(t).strip() for t in tokens]
    if not normalised:
        words = normalise_many(words)
    return [WORD_PREFIX + w for w in words if len(w) >= 2]


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

    @property
    def model_folder(self) -> Path:
        """The folder the vectors are read from (the shipped model unless ``path`` is set)."""
        return Path(self.path) if self.path is not None else MODEL_DIR

    def _load(self) -> None:
        if hasattr(self, "vectors_"):
            return
        folder = self.model_folder
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
        self.features_ = meta["features"]
        self._index(self.features_)
        self.meta_ = {k: v for k, v in meta.items() if k != "features"}
        self.dim_ = int(self.vectors_.shape[1])

    def _index(self, features: list[str]) -> None:
        """Lookup tables: sorted integer keys for characters/bigrams, a dict for words."""
        keys, rows, words = [], [], {}
        for i, feature in enumerate(features):
            key = feature_key(feature)
            if key is None:
                words[feature] = i
            else:
                keys.append(key)
                rows.append(i)
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        self.char_keys_ = np.asarray(keys, dtype=np.int64)[order]
        self.char_rows_ = np.asarray(rows, dtype=np.int64)[order]
        self.word_rows_ = words
        self.n_features_ = len(features)

    def _word_columns(self, tokens: list[str]) -> np.ndarray:
        """Feature row of each token's word feature, -1 when it has none."""
        distinct = list(dict.fromkeys(tokens))
        get = self.word_rows_.get
        column = {tok: get(WORD_PREFIX + norm.strip(), -1) if len(norm.strip()) >= 2 else -1
                  for tok, norm in zip(distinct, normalise_many(distinct))}
        return np.fromiter((column[t] for t in tokens), dtype=np.int64, count=len(tokens))

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
        n = len(texts)
        norm = normalise_many(texts)
        # characters and bigrams of all documents at once, found by binary search
        codes_text = _SEP.join(norm)
        keys, where = char_keys(codes_text)
        doc_of_char = np.cumsum(_codes(codes_text) == ord(_SEP))[where]
        slot = np.searchsorted(self.char_keys_, keys)
        slot = np.minimum(slot, max(len(self.char_keys_) - 1, 0))
        known = (self.char_keys_[slot] == keys) if len(self.char_keys_) else slot < 0
        doc_ids = [doc_of_char[known]]
        cols = [self.char_rows_[slot[known]]]
        if docs is not None and self.use_words:
            doc_ids.append(np.repeat(np.arange(n), [len(d) for d in docs]))
            cols.append(self._word_columns([t for d in docs for t in d]))
            known_word = cols[-1] >= 0
            doc_ids[-1], cols[-1] = doc_ids[-1][known_word], cols[-1][known_word]
        cells, counts = np.unique(np.concatenate(doc_ids) * self.n_features_
                                  + np.concatenate(cols), return_counts=True)
        rows, cols_ = np.divmod(cells, self.n_features_)
        data = (1.0 + np.log(counts.astype(np.float32))) * self.idf_[cols_]
        matrix = sparse.csr_matrix((data.astype(np.float32), (rows, cols_)),
                                   shape=(n, self.n_features_), dtype=np.float32)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags((1.0 / norms).astype(np.float32)) @ matrix

    def encode(self, docs: Sequence[Sequence[str]], *,
               texts: Sequence[str] | None = None) -> np.ndarray:
        """float32 (n, d) rows of length 1; a document with no known character is all zero."""
        self._load()
        return l2_normalise(self.feature_matrix(docs, texts) @ self.vectors_)
