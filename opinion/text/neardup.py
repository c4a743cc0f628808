"""Near-duplicate texts: MinHash over character bigrams, banded LSH, verified clusters.

Two texts are near-duplicates when the Jaccard similarity of their sets of character
bigrams is at least ``threshold`` (0.5 by default), after everything but letters and digits
is dropped and ASCII letters are lowercased (:func:`shingle_key`). So a re-punctuated,
emoji-padded or lightly character-scrambled copy of a post joins the post's cluster, and
each document points to the kept document of its cluster, the first in list order or in
the ``order`` given::

    >>> near_duplicate_firsts(["武汉加油！中国加油！大家一起努力", "武汉加油，中国加油😷大家一起努力",
    ...                        "今天天气很好，出去走走"])
    [None, 0, None]

The signatures are one-permutation MinHash (one 64-bit hash per bigram, ``num_perm`` bins,
the minimum per bin, empty bins filled by rotation) computed with numpy over all texts at
once, so 620k posts take seconds rather than the minutes of a per-document Python loop
(``benchmarks/neardup_weibo.py`` compares with ``datasketch``). Candidate pairs share an
LSH band; a pair is kept when its estimated Jaccard is at least ``threshold`` and, near the
threshold, when its exact Jaccard is. A post is compared without its ``#话题#`` tags (posts
that share only a trending tag are not copies); a post with fewer than ``min_chars``
letters besides its tags matches only exact copies. A document joins the earliest similar
document that leads a cluster, so clusters do not chain. Everything is seeded: the same
texts in the same order give the same clusters; :mod:`opinion.flags` takes them in an order
of their content and dates, so the flags do not depend on the row order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

_HASHTAG = re.compile(r"#[^#\n]{1,60}#")
_VALUE_BITS = 24  # low bits of a bin's minimum; the bits above hold the rotation offset
_EMPTY = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True)
class NearDupSettings:
    """``threshold``: bigram Jaccard of near-duplicates; LSH bands of ``rows`` signature values.

    ``min_chars``: keys shorter than this (after dropping punctuation) only join exact copies.
    ``margin``: pairs whose estimate is within this of ``threshold`` are checked exactly.
    """

    threshold: float = 0.5
    num_perm: int = 64
    rows: int = 3
    seed: int = 42
    min_chars: int = 5
    margin: float = 0.1

    @property
    def bands(self) -> int:
        return self.num_perm // self.rows

    def __post_init__(self) -> None:
        if not 0 < self.rows <= self.num_perm <= 256:
            raise ValueError(f"need 0 < rows <= num_perm <= 256; got rows={self.rows}, "
                             f"num_perm={self.num_perm}")
        if not 0 < self.threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1]; got {self.threshold}")


# --- the compared text -----------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _keep_table() -> tuple[np.ndarray, np.ndarray]:
    """For every BMP code point: kept (a letter or digit), and its lowercase ASCII form."""
    keep = np.zeros(0x10000, dtype=bool)
    for code in range(0x10000):
        if unicodedata.category(chr(code))[0] in "LN":
            keep[code] = True
    lower = np.arange(0x10000, dtype=np.uint32)
    lower[ord("A"):ord("Z") + 1] += 32
    lower[0xFF21:0xFF3B] = np.arange(ord("a"), ord("z") + 1)  # full-width Ａ-Ｚ
    lower[0xFF41:0xFF5B] = np.arange(ord("a"), ord("z") + 1)
    lower[0xFF10:0xFF1A] = np.arange(ord("0"), ord("9") + 1)
    return keep, lower


def _codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Kept, lowercased code points of all texts, and each text's number of them."""
    ends = np.cumsum(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)))
    raw = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    keep_table, lower = _keep_table()
    keep = keep_table[np.minimum(raw, 0xFFFF)] & (raw < 0x10000)  # astral (emoji) dropped
    codes = lower[raw[keep]]
    kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    return codes, np.diff(kept_before[np.concatenate([[0], ends])])


def shingle_key(text: str) -> str:
    """The text compared: letters and digits only, ASCII lowercased.

    ``shingle_key("武汉 加油！！ABC😷") == "武汉加油abc"``.
    """
    codes, _ = _codes([text or ""])
    return codes.astype("<u4").tobytes().decode("utf-32-le")


# --- signatures --------------------------------------------------------------------------------
def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a well-spread 64-bit hash of each value (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def bigram_hashes(codes: np.ndarray, lengths: np.ndarray, *, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """Seeded 64-bit hashes of each key's character bigrams, and each key's start offset.

    A one-character key counts as one bigram (the character twice); an empty key has none.
    ``hashes[starts[i]:starts[i + 1]]`` belong to key ``i``.
    """
    codes = codes.astype(np.uint64)
    ends = np.cumsum(lengths)
    counts = np.where(lengths >= 2, lengths - 1, lengths)
    starts = np.concatenate([[0], np.cumsum(counts)])
    first = np.repeat(ends - lengths - starts[:-1], counts) + np.arange(starts[-1])
    second = np.minimum(first + 1, np.repeat(ends - 1, counts))
    salt = np.uint64(_mix(np.array([seed], dtype=np.uint64))[0])
    return _mix(((codes[first] << np.uint64(21)) | codes[second]) ^ salt), starts


def signatures(hashes: np.ndarray, starts: np.ndarray, num_perm: int) -> np.ndarray:
    """One-permutation MinHash: ``len(starts) - 1`` × ``num_perm`` uint32 signatures.

    The top bits of a bigram hash choose its bin, the low 24 bits are its value; each bin
    keeps its minimum. An empty bin takes the next filled bin to its right (circularly)
    with the distance in the high bits (rotation densification), so two keys agree on a
    bin with probability close to their Jaccard similarity. Keys without bigrams get
    all-ones signatures.
    """
    n = len(starts) - 1
    counts = np.diff(starts)
    doc = np.repeat(np.arange(n, dtype=np.int64), counts)
    bins = (hashes % np.uint64(num_perm)).astype(np.int64)
    values = ((hashes >> np.uint64(40)) & np.uint64((1 << _VALUE_BITS) - 1)).astype(np.uint32)
    flat = np.full(n * num_perm, _EMPTY, dtype=np.uint32)
    np.minimum.at(flat, doc * num_perm + bins, values)
    sig = flat.reshape(n, num_perm)
    empty = sig == _EMPTY
    if empty.any():
        columns = np.arange(2 * num_perm)
        filled = np.where(np.tile(~empty, 2), columns, 2 * num_perm)
        nearest = np.minimum.accumulate(filled[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
        has = nearest < 2 * num_perm  # False only for keys without any bigram
        source = np.where(has, nearest % num_perm, 0)
        distance = (nearest - np.arange(num_perm)).astype(np.uint32)
        borrowed = np.take_along_axis(sig, source, axis=1) | (distance << np.uint32(_VALUE_BITS))
        sig = np.where(empty & has, borrowed, sig)
    return sig


# --- clusters ------------------------------------------------------------------------------------
def _band_keys(sig: np.ndarray, band: int, rows: int) -> np.ndarray:
    key = np.zeros(len(sig), dtype=np.uint64)
    for col in range(band * rows, (band + 1) * rows):
        key = _mix(key ^ sig[:, col].astype(np.uint64))
    return key


def candidate_pairs(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Pairs ``(first, other)`` that share a band; each bucket member is paired with its first."""
    if len(sig) < 2:
        return np.empty((0, 2), dtype=np.int64)
    found = []
    for band in range(bands):
        keys = _band_keys(sig, band, rows)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        new = np.concatenate([[True], ordered[1:] != ordered[:-1]])
        leader = order[np.flatnonzero(new)][np.cumsum(new) - 1]
        found.append(leader[~new] * len(sig) + order[~new])
    codes = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return np.stack([codes // len(sig), codes % len(sig)], axis=1)


def bigram_set(text: str) -> set[str]:
    """The character bigrams compared: ``bigram_set("武汉，加油") == {"武汉", "汉加", "加油"}``."""
    key = shingle_key(text)
    return {key[i:i + 2] for i in range(len(key) - 1)} if len(key) > 1 else {key}


def _verified(pairs: np.ndarray, sig: np.ndarray, texts: list[str], settings: NearDupSettings) -> np.ndarray:
    """The candidate pairs whose Jaccard reaches the threshold (estimated; exact near it)."""
    estimate = np.zeros(len(pairs))
    for chunk in range(0, len(pairs), 500_000):
        p = pairs[chunk:chunk + 500_000]
        estimate[chunk:chunk + len(p)] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
    keep = estimate >= settings.threshold + settings.margin
    sets: dict[int, set[str]] = {}
    for k in np.flatnonzero(~keep & (estimate >= settings.threshold - settings.margin)).tolist():
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        a = sets[i] if i in sets else sets.setdefault(i, bigram_set(texts[i]))
        b = sets[j] if j in sets else sets.setdefault(j, bigram_set(texts[j]))
        keep[k] = len(a & b) >= settings.threshold * len(a | b)
    return pairs[keep]


def _heads(pairs: np.ndarray, n: int) -> np.ndarray:
    """Greedy clusters without chaining: in index order, a key joins the first earlier key it
    is similar to that leads a cluster; a key similar to none leads its own."""
    first = np.arange(n)
    if len(pairs):
        order = np.lexsort((pairs[:, 0], pairs[:, 1]))
        for i, j in pairs[order].tolist():
            if first[j] == j and first[i] == i:
                first[j] = i
    return first


def sketches(texts: list[str], settings: NearDupSettings = NearDupSettings(), *,
             chunk: int = 50_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text: MinHash signature, a digest of its bigram set, and its key's length.

    Computed ``chunk`` texts at a time, so memory stays at a few bytes per character.
    """
    sigs, digests, lengths = [], [], []
    for begin in range(0, len(texts), chunk):
        codes, length = _codes(texts[begin:begin + chunk])
        hashes, starts = bigram_hashes(codes, length, seed=settings.seed)
        counts = np.diff(starts)
        digest = np.zeros(len(length), dtype=np.uint64)
        has = np.flatnonzero(counts > 0)
        if len(has):
            with np.errstate(over="ignore"):
                digest[has] = np.add.reduceat(_mix(hashes ^ np.uint64(0x9E3779B97F4A7C15)), starts[:-1][has])
            digest[has] ^= counts[has].astype(np.uint64)
        sigs.append(signatures(hashes, starts, settings.num_perm))
        digests.append(digest)
        lengths.append(length)
    if not sigs:
        return (np.zeros((0, settings.num_perm), dtype=np.uint32), np.zeros(0, dtype=np.uint64),
                np.zeros(0, dtype=np.int64))
    return np.vstack(sigs), np.concatenate(digests), np.concatenate(lengths)


def cluster_firsts(texts: list[str], settings: NearDupSettings = NearDupSettings()
                   ) -> tuple[np.ndarray, np.ndarray]:
    """For each text, the index of the first text of its near-duplicate cluster (itself if
    alone), and the length of its key (:func:`shingle_key`).

    Texts with the same bigram set are grouped first (one signature each); the distinct
    ones go through MinHash LSH. A text joins the earliest similar text that leads a
    cluster, so clusters do not chain (A~B and B~C does not put C with A unless C~A).
    Texts whose key is shorter than ``min_chars`` join nothing here.
    """
    n = len(texts)
    sig, digest, lengths = sketches(texts, settings)
    has = np.flatnonzero(lengths >= settings.min_chars)
    _, unique_at, inverse = np.unique(digest[has], return_index=True, return_inverse=True)
    reps = has[unique_at]  # the first text of each bigram set
    rep_order = np.argsort(reps, kind="stable")
    reps = reps[rep_order]
    rank = np.empty(len(rep_order), dtype=np.int64)
    rank[rep_order] = np.arange(len(rep_order))
    rep_sig = sig[reps]
    del sig
    pairs = candidate_pairs(rep_sig, settings.bands, settings.rows)
    pairs = _verified(pairs, rep_sig, [texts[r] for r in reps.tolist()], settings)
    rep_first = reps[_heads(pairs, len(reps))]
    first = np.arange(n)
    first[has] = rep_first[rank[inverse]]
    return first, lengths


def without_hashtags(text: str) -> str:
    """The text with its ``#话题#`` tags removed: ``"#武汉加油# 大家保重" -> "  大家保重"``."""
    return _HASHTAG.sub(" ", text or "")


def near_duplicate_firsts(texts: list[str], settings: NearDupSettings = NearDupSettings(), *,
                          order: np.ndarray | list[int] | None = None) -> list[int | None]:
    """Index of the kept text of each text's near-duplicate cluster (None for the kept one).

    The kept text is the first in ``order`` (default: list order); see :func:`near_duplicates`.
    """
    return near_duplicates(texts, settings, order=order)[0]


def near_duplicates(texts: list[str], settings: NearDupSettings = NearDupSettings(), *,
                    order: np.ndarray | list[int] | None = None) -> tuple[list[int | None], np.ndarray]:
    """:func:`near_duplicate_firsts`, and the letters and digits of each text besides its tags.

    Texts are compared without their ``#话题#`` tags; a text with fewer than ``min_chars``
    letters besides its tags matches only exact copies of its whole text (``#武汉加油# ?``
    and ``#武汉加油#``); the others are clustered by :func:`cluster_firsts`.

    ``order`` (a permutation of the positions) is the order the texts are taken in: the
    clusters, and which text of each is kept, are those of the texts rearranged so, with the
    indices pointing back into ``texts``. Which texts are flagged depends on it (A~B and B~C
    keep A and C when A comes first, B alone when B does), so give an order that depends on
    the texts, not on where they sit, for results that do not change with the row order
    (:func:`opinion.flags.content_order`)::

        >>> near_duplicate_firsts(["武汉加油！中国加油！大家一起努力", "武汉加油，中国加油😷大家一起努力"],
        ...                       order=[1, 0])
        [1, None]
    """
    if order is None:
        return _near_duplicates([t if isinstance(t, str) else "" for t in texts], settings)
    taken = np.asarray(order, dtype=np.int64)
    if len(taken) != len(texts) or not np.array_equal(np.sort(taken), np.arange(len(texts))):
        raise ValueError(f"order must be a permutation of 0..{len(texts) - 1}")
    positions = taken.tolist()
    firsts, lengths = _near_duplicates([t if isinstance(t, str) else "" for t in (texts[i] for i in positions)],
                                       settings)
    back: list[int | None] = [None] * len(texts)
    for position, first in zip(positions, firsts):
        back[position] = None if first is None else positions[first]
    out = np.empty_like(lengths)
    out[taken] = lengths
    return back, out


def _near_duplicates(texts: list[str], settings: NearDupSettings) -> tuple[list[int | None], np.ndarray]:
    """:func:`near_duplicates` in list order."""
    first, lengths = cluster_firsts([without_hashtags(t) for t in texts], settings)
    short = np.flatnonzero(lengths < settings.min_chars)
    if len(short):
        full, full_lengths = _codes([texts[i] for i in short])
        offsets = np.concatenate([[0], np.cumsum(full_lengths)]).tolist()
        blob = full.astype("<u4").tobytes()
        seen: dict[bytes, int] = {}
        for k, i in enumerate(short.tolist()):
            key = blob[4 * offsets[k]:4 * offsets[k + 1]]
            if key:
                first[i] = seen.setdefault(key, i)
    return [None if f == i else int(f) for i, f in enumerate(first.tolist())], lengths
