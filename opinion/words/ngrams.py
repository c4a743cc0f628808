"""Counting Han character n-grams in bounded memory, part by part (numpy, no Python loops per character).

Texts are turned into arrays of code points; every n-gram is a 64-bit polynomial hash
(``h(ab) = h(a)·B^len(b) + h(b)`` mod 2⁶⁴), computed for a whole part with a few vector
operations. Counting is level-wise (Apriori): an n-gram can occur ``min_count`` times only
if both of its (n−1)-grams do, so level n counts only positions whose prefix and suffix
survived level n−1. Each level is one pass over the parts; per part ``np.unique`` gives the
counts, which are merged into sorted arrays. Memory is bounded by the n-grams that survive
pruning, not by the corpus. Non-Han characters (punctuation, Latin, digits, the newline
between documents) are boundaries: no n-gram crosses them.

Example:
    >>> part = encode_texts(["火神山医院", "雷神山医院"])
    >>> int(part.codes.size)
    11
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

BASE = np.uint64(0x100000001B3)  # FNV prime: odd, so the hash keeps every character's bits
_HAN = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))


@dataclass
class EncodedPart:
    """One part's texts as one array of code points (documents separated by ``\\n``)."""

    codes: np.ndarray  # uint32 code points
    han: np.ndarray  # bool, the character is a Han character
    starts: np.ndarray  # int64, offset of each document in ``codes``
    doc_ids: list[str]

    def text(self, start: int, stop: int) -> str:
        """The characters ``[start, stop)`` as a string (clipped to the part)."""
        start, stop = max(0, start), min(len(self.codes), stop)
        return self.codes[start:stop].astype("<u4").tobytes().decode("utf-32-le")

    def document_at(self, position: int) -> str:
        """The doc_id of the document holding ``position``."""
        return self.doc_ids[int(np.searchsorted(self.starts, position, side="right")) - 1]

    def context(self, start: int, stop: int, width: int) -> tuple[str, str]:
        """Up to ``width`` characters left of ``[start, stop)`` and right of it, never past
        its own document: ``encode_texts(["甲乙", "丙丁"]).context(3, 4, 5) == ("", "丁")`` (丙 at 3)."""
        doc = int(np.searchsorted(self.starts, start, side="right")) - 1
        first = int(self.starts[doc])
        end = int(self.starts[doc + 1]) - 1 if doc + 1 < len(self.starts) else len(self.codes)
        return self.text(max(first, start - width), start), self.text(stop, min(end, stop + width))


def encode_texts(texts: Iterable[str], doc_ids: Iterable[str] | None = None, *,
                 skip: re.Pattern[str] | None = None) -> EncodedPart:
    """Encode texts as code points joined by newlines (a boundary for every n-gram); the
    characters of each ``skip`` match (``#话题#`` hashtags, which the tokenizer keeps whole)
    count as boundaries too, but stay in the text for examples."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    ids = [str(d) for d in doc_ids] if doc_ids is not None else [str(i) for i in range(len(texts))]
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else np.zeros(0, np.int64)
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype="<u4").astype(np.uint32)
    han = np.zeros(codes.shape, dtype=bool)
    for low, high in _HAN:
        han |= (codes >= low) & (codes <= high)
    if skip is not None:
        for start, text in zip(starts.tolist(), texts):
            for match in skip.finditer(text):
                han[start + match.start():start + match.end()] = False
    return EncodedPart(codes=codes, han=han, starts=starts, doc_ids=ids)


def ngram_hashes(part: EncodedPart, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the n-grams starting at each position, and whether each is all Han."""
    size = len(part.codes) - n + 1
    if size <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, bool)
    codes = part.codes.astype(np.uint64)
    hashes = codes[:size].copy()
    valid = part.han[:size].copy()
    with np.errstate(over="ignore"):
        for k in range(1, n):
            hashes = hashes * BASE + codes[k:k + size]
            valid &= part.han[k:k + size]
    return hashes, valid


def power(k: int) -> np.uint64:
    """``BASE**k`` mod 2⁶⁴."""
    out = np.uint64(1)
    with np.errstate(over="ignore"):
        for _ in range(k):
            out = out * BASE
    return out


@dataclass
class Level:
    """The n-grams of one length that occur at least ``min_count`` times, sorted by hash."""

    n: int
    keys: np.ndarray  # uint64, sorted
    counts: np.ndarray  # int64
    prefix: np.ndarray  # uint64, hash of the first n-1 characters (0 for n == 1)
    last: np.ndarray  # uint32, the last character

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """Index of each hash in ``keys``, or -1."""
        if not len(self.keys):
            return np.full(len(hashes), -1, dtype=np.int64)
        at = np.searchsorted(self.keys, hashes).clip(0, len(self.keys) - 1)
        return np.where(self.keys[at] == hashes, at, -1)

    def count_of(self, hashes: np.ndarray) -> np.ndarray:
        at = self.lookup(hashes)
        return np.where(at >= 0, self.counts[at.clip(0)], 0)


class _Accumulator:
    """Sums (key → count, first prefix/last) over parts, merging every few parts."""

    def __init__(self) -> None:
        self.pending: list[tuple[np.ndarray, ...]] = []
        self.rows = 0

    def add(self, keys: np.ndarray, counts: np.ndarray, prefix: np.ndarray, last: np.ndarray) -> None:
        self.pending.append((keys, counts, prefix, last))
        self.rows += len(keys)
        if len(self.pending) >= 8:
            self.pending = [self._merge()]

    def _merge(self) -> tuple[np.ndarray, ...]:
        keys, counts, prefix, last = (np.concatenate(x) for x in zip(*self.pending))
        unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        return unique, np.bincount(inverse, weights=counts).astype(np.int64), prefix[first], last[first]

    def result(self) -> tuple[np.ndarray, ...]:
        if not self.pending:
            return np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.uint64), np.zeros(0, np.uint32)
        return self._merge()


def count_level(parts: Iterable[EncodedPart], n: int, previous: Level | None, *, min_count: int) -> Level:
    """Count the n-grams whose two (n−1)-grams are in ``previous``; keep those ≥ ``min_count``."""
    acc = _Accumulator()
    for part in parts:
        hashes, valid = ngram_hashes(part, n)
        if previous is not None and len(hashes):
            short, _ = ngram_hashes(part, n - 1)
            known = previous.lookup(short) >= 0
            valid &= known[:-1] & known[1:]
        where = np.flatnonzero(valid)
        if not len(where):
            continue
        keys, first, counts = np.unique(hashes[where], return_index=True, return_counts=True)
        positions = where[first]
        if n > 1:
            prefix, _ = ngram_hashes(part, n - 1)
            prefix = prefix[positions]
        else:
            prefix = np.zeros(len(keys), np.uint64)
        acc.add(keys, counts.astype(np.int64), prefix, part.codes[positions + n - 1])
    keys, counts, prefix, last = acc.result()
    keep = counts >= min_count
    return Level(n, keys[keep], counts[keep], prefix[keep], last[keep])


def count_levels(parts: Iterator[EncodedPart] | list[EncodedPart], *, max_len: int, min_count: int,
                 reread=None) -> list[Level]:
    """Levels 1..``max_len``; ``reread()`` gives the parts again for each level (a new pass)."""
    levels: list[Level] = []
    previous = None
    for n in range(1, max_len + 1):
        source = parts if n == 1 or reread is None else reread()
        level = count_level(source, n, previous, min_count=min_count)
        levels.append(level)
        previous = level
        if not len(level.keys):
            break
    return levels


def prefix_chain(levels: list[Level], n: int, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For n-grams ``index`` of level ``n``: their prefix hashes of every length (column k-1
    holds the hash of the first k characters) and their characters (uint32, one column each)."""
    hashes = np.zeros((len(index), n), dtype=np.uint64)
    chars = np.zeros((len(index), n), dtype=np.uint32)
    level = levels[n - 1]
    hashes[:, n - 1] = level.keys[index]
    at = index
    for m in range(n, 0, -1):
        level = levels[m - 1]
        if m < n:
            at = level.lookup(hashes[:, m - 1])
        chars[:, m - 1] = level.last[at]
        if m > 1:
            hashes[:, m - 2] = level.prefix[at]
    return hashes, chars


def texts_of(chars: np.ndarray) -> list[str]:
    """Rows of code points as strings."""
    return ["".join(map(chr, row)) for row in chars.tolist()]
