"""Hashed character n-grams of whole texts, computed for a batch at once with numpy.

The character model of short texts (:class:`opinion.sentiment.model.CharMix`) uses the plain
baseline's features: the character 1..n-grams of scikit-learn's ``analyzer="char"`` (the
lower-cased text, runs of two or more white-space characters made one space; punctuation,
emoji and single white space kept). Built as strings and hashed one by one (scikit-learn's
``HashingVectorizer``), the character model scored about 14,500 short Weibo posts per
CPU-second, most of it hashing, and halved the speed of the whole sentiment model; this
module hashes the n-grams of about 105,000 such posts per CPU-second (2026-12-06, 10,000
posts of at most 60 characters, 2-core EPYC). Here every n-gram of a batch is one 64-bit integer (up to three
code points of 21 bits, after its length) mixed by a multiply-xorshift hash, so the whole
batch is a handful of numpy operations. The buckets differ from scikit-learn's murmur
hash; the n-grams are the same (tested).

Example:
    >>> X = hashed_char_ngrams(["好！！", "好 ！！"], top=2, n_features=2**10)
    >>> X.shape, [int(n) for n in X.getnnz(axis=1)]  # 好 ！ 好！ ！！ / 好 ' ' ！ 好' ' ' '！ ！！
    ((2, 1024), [4, 6])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_WHITE_RUNS = re.compile(r"\s\s+")  # scikit-learn's _white_spaces
_BITS = 21  # a Unicode code point fits in 21 bits; three of them in 63
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2^64 / golden ratio, odd
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64's second constant


def normalise(text: str) -> str:
    """``text`` as scikit-learn's char analyzer reads it: lower-cased, white-space runs one space.

    >>> normalise("好  吃\\nA")
    '好 吃\\na'
    """
    return _WHITE_RUNS.sub(" ", (text or "").lower())


def hashed_char_ngrams(texts: Sequence[str], *, top: int, n_features: int):
    """A 0/1 CSR matrix (len(texts), n_features) float32: which n-gram buckets each text has.

    ``n_features`` must be a power of two; n-grams of 1..``top`` (≤ 3) characters of
    :func:`normalise` d text, as scikit-learn's ``analyzer="char"`` lists them.
    """
    from scipy.sparse import csr_matrix

    if not 1 <= top <= 3 or n_features & (n_features - 1):
        raise ValueError(f"top must be 1..3 and n_features a power of two; got {top}, {n_features}")
    parts = [normalise(t) for t in texts]
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    points = np.frombuffer("".join(parts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row_of = np.repeat(np.arange(len(parts), dtype=np.int64), lengths)
    ends = np.cumsum(lengths)[row_of]  # where each position's text ends
    position = np.arange(len(points), dtype=np.int64)
    rows, keys = [], []
    for n in range(1, top + 1):
        start = position[position + n <= ends]
        key = np.full(len(start), n, dtype=np.uint64)  # the length tells 'a' from 'a\0'
        for k in range(n):
            key = (key << np.uint64(_BITS)) ^ points[start + k]
        rows.append(row_of[start])
        keys.append(key)
    bucket = _bucket(np.concatenate(keys), n_features)
    matrix = csr_matrix((np.ones(len(bucket), dtype=np.float32), (np.concatenate(rows), bucket)),
                        shape=(len(parts), n_features), dtype=np.float32)
    matrix.sum_duplicates()
    matrix.data[:] = 1.0  # binary
    return matrix


def ngram_bucket(ngram: str, n_features: int) -> int:
    """The column of one n-gram (1..3 characters), as :func:`hashed_char_ngrams` hashes it.

    >>> X = hashed_char_ngrams(["好"], top=1, n_features=2**10)
    >>> int(X.indices[0]) == ngram_bucket("好", 2**10)
    True
    """
    key = np.uint64(len(ngram))
    for ch in ngram:
        key = (key << np.uint64(_BITS)) ^ np.uint64(ord(ch))
    return int(_bucket(np.array([key], dtype=np.uint64), n_features)[0])


def _bucket(keys: np.ndarray, n_features: int) -> np.ndarray:
    """The top log2(n_features) bits of a multiply-xorshift mix of ``keys`` (uint64)."""
    with np.errstate(over="ignore"):
        mixed = keys * _MIX
        mixed ^= mixed >> np.uint64(31)
        mixed *= _MIX2
        mixed ^= mixed >> np.uint64(29)
    shift = np.uint64(64 - (n_features.bit_length() - 1))
    return (mixed >> shift).astype(np.int64)
