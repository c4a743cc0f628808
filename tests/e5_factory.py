"""A tiny random ``E5S1`` model (2 layers, 32 wide, 16 pieces) so the e5 tests run on a bare clone."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opinion.sentiment.e5.fileformat import E5Config, E5File, read_e5_file, write_e5_file

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "房间", "房", "间", "很", "干净", "干", "净",
          "▁passage", ":", "▁a", "a"]
SCORES = [0, 0, 0, 0, -3.0, -6.0, -8.0, -8.0, -5.0, -6.5, -9.0, -9.0, -4.0, -3.5, -5.0, -5.5]
NORMALISE = {0xFF21: "A", 0x3000: " ", 0x01: "", 0x0A: " "}
CONFIG = E5Config(hidden=32, layers=2, heads=2, ffn=64, vocab_rows=16, max_positions=16,
                  type_vocab=2, eps=float(np.float32(1e-12)))
QUANTISED = ("emb.word", *(f"l{i}.{n}.w" for i in range(2) for n in ("q", "k", "v", "ao", "fi", "fo")))


def tiny_tensors(seed: int = 0) -> dict[str, np.ndarray]:
    """Random float32 weights under the file's names and shapes."""
    rng = np.random.default_rng(seed)
    h, ff = CONFIG.hidden, CONFIG.ffn

    def r(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.3).astype(np.float32)

    out = {"emb.word": r(16, h), "emb.pos": r(16, h), "emb.type": r(2, h),
           "emb.ln.w": 1 + r(h), "emb.ln.b": r(h)}
    for i in range(CONFIG.layers):
        for name, shape in (("q", (h, h)), ("k", (h, h)), ("v", (h, h)), ("ao", (h, h)),
                            ("fi", (ff, h)), ("fo", (h, ff))):
            out[f"l{i}.{name}.w"], out[f"l{i}.{name}.b"] = r(*shape), r(shape[0])
        for name in ("aln", "oln"):
            out[f"l{i}.{name}.w"], out[f"l{i}.{name}.b"] = 1 + r(h), r(h)
    return out


def write_tiny_model(path: Path, tensors: dict[str, np.ndarray] | None = None) -> E5File:
    """Write the tiny model to ``path`` and read it back."""
    stub = E5File(CONFIG, PIECES, np.array(SCORES, np.float32), bos=0, eos=2, pad=1, unk=3,
                  normalise=NORMALISE, entries={}, buffer=memoryview(b""))
    write_e5_file(path, stub, tensors or tiny_tensors(), quantised=QUANTISED)
    return read_e5_file(path)


def write_tiny_transformer(path: Path, seed: int = 0) -> E5File:
    """The tiny model with random polarity and emotion heads, as ``--method transformer`` reads it."""
    from opinion.sentiment.transformer import head_tensors

    rng = np.random.default_rng(seed + 1)
    h = CONFIG.hidden
    heads = head_tensors((rng.standard_normal((3, h)), rng.standard_normal(3)),
                         (rng.standard_normal((6, h)), rng.standard_normal(6)), max_tokens=12)
    return write_tiny_model(path, {**tiny_tensors(seed), **heads})
