"""Which texts the model was trained on, without shipping them: a Bloom filter of their keys.

The shipped model is trained on every row of the shared labelled sets (docs/sentiment.md), so
a researcher who runs ``opinion sentiment evaluate`` on one of those public sets (ChnSentiCorp,
waimai_10k …) measures the model on its own training texts: 0.98 accuracy on the
ChnSentiCorp validation file, against 0.88 on texts it never saw. ``opinion sentiment train``
therefore writes, beside the model, a Bloom filter of the training texts' keys
(:func:`opinion.sentiment.datasets.dedup_key`: Simplified, NFKC, lower case, no punctuation),
and ``evaluate`` counts how many of a file's texts it holds. The filter cannot give a text
back (it stores bits of hashes, no rows), answers "seen" for about 1 unseen text in 1,000
(:data:`FALSE_POSITIVES`) and never answers "unseen" for a seen one.

Example:
    >>> seen = SeenTexts.build(["房间很干净", "服务太差了"])
    >>> seen.count(["房間很乾淨！", "早餐一般"])
    1
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np

MAGIC = b"OPINION-SEEN-TEXTS 1\n"
FALSE_POSITIVES = 0.001
SUFFIX = ".seen"


def seen_path(model_path: str | Path) -> Path:
    """The filter beside a model file: ``model.safetensors`` → ``model.seen``."""
    return Path(model_path).with_suffix(SUFFIX)


def _hashes(keys: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    pairs = [hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest() for key in keys]
    raw = np.frombuffer(b"".join(pairs), dtype=">u8").reshape(-1, 2) if pairs else np.zeros((0, 2), np.uint64)
    return raw[:, 0].astype(np.uint64), raw[:, 1].astype(np.uint64) | np.uint64(1)


class SeenTexts:
    """A Bloom filter of text keys (``bits``: ``m`` bits, ``k`` hashes, ``n`` keys put in)."""

    def __init__(self, bits: np.ndarray, m: int, k: int, n: int) -> None:
        self.bits, self.m, self.k, self.n = bits, m, k, n

    @classmethod
    def build(cls, texts: Iterable[str], *, false_positives: float = FALSE_POSITIVES) -> SeenTexts:
        """The filter of ``texts`` (their keys; empty keys are left out)."""
        return cls.from_keys(map(_key, texts), false_positives=false_positives)

    @classmethod
    def from_keys(cls, keys: Iterable[str], *, false_positives: float = FALSE_POSITIVES) -> SeenTexts:
        """The filter of text keys already made by :func:`opinion.sentiment.datasets.dedup_key`."""
        keys = sorted({key for key in keys if key})
        n = max(len(keys), 1)
        m = max(64, math.ceil(-n * math.log(false_positives) / math.log(2) ** 2))
        k = max(1, round(m / n * math.log(2)))
        bits = np.zeros(m, dtype=bool)
        bits[cls._positions(keys, m, k).ravel()] = True
        return cls(np.packbits(bits, bitorder="little"), m, k, len(keys))

    @staticmethod
    def _positions(keys: list[str], m: int, k: int) -> np.ndarray:
        h1, h2 = _hashes(keys)
        steps = np.arange(k, dtype=np.uint64)
        with np.errstate(over="ignore"):  # double hashing wraps around 2**64 on purpose
            return ((h1[:, None] + steps[None, :] * h2[:, None]) % np.uint64(m)).astype(np.int64)

    def holds(self, texts: Iterable[str]) -> np.ndarray:
        """Per text: whether its key is (probably) among the filter's."""
        keys = [_key(t) for t in texts]
        if not keys:
            return np.zeros(0, dtype=bool)
        positions = self._positions(keys, self.m, self.k)
        found = np.unpackbits(self.bits, count=self.m, bitorder="little").astype(bool)[positions].all(axis=1)
        return found & np.array([bool(key) for key in keys])

    def count(self, texts: Iterable[str]) -> int:
        """How many of ``texts`` the filter holds."""
        return int(self.holds(texts).sum())

    def save(self, path: str | Path) -> Path:
        """Write the filter (same texts, same bytes)."""
        from opinion.io.atomic import atomic_path

        header = json.dumps({"m": self.m, "k": self.k, "n": self.n, "key": "dedup_key",
                             "hash": "blake2b-128 double hashing"}, sort_keys=True).encode("utf-8")
        with atomic_path(Path(path)) as tmp:
            Path(tmp).write_bytes(MAGIC + header + b"\n" + self.bits.tobytes())
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> SeenTexts:
        """Read a filter written by :meth:`save`."""
        data = Path(path).read_bytes()
        if not data.startswith(MAGIC):
            raise ValueError(f"{path}: not a seen-texts filter")
        header, _, bits = data[len(MAGIC):].partition(b"\n")
        meta = json.loads(header)
        return cls(np.frombuffer(bits, dtype=np.uint8), int(meta["m"]), int(meta["k"]), int(meta["n"]))


def _key(text: str) -> str:
    from opinion.sentiment.datasets import dedup_key

    return dedup_key(text)


def seen_by_model(texts: list[str], model_path: str | Path) -> int | None:
    """How many of ``texts`` the model at ``model_path`` was trained on, or None when no filter
    was written beside it (a model trained before 2026-12-07)."""
    path = seen_path(model_path)
    return SeenTexts.load(path).count(texts) if path.is_file() else None
